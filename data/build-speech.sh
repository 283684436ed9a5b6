#!/bin/sh
# Builds the spoken-digit dataset used by configs/speech-digits.json (10,800 clips; about 8 minutes on a 2-core machine).
# Needs the Debian packages below; the builder checks for them and names what is missing.
#   apt-get install -y espeak-ng sox flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts \
#     festvox-ca-ona-hts festvox-suopuhe-lj festvox-czech-dita
# (and sptk for the optional --vocoded-percent)
# Usage: data/build-speech.sh [OUT_DIR] [extra build-data options, e.g. --per-voice 8]
# Deterministic (fixed seed) and resumable: clips already present are kept.
set -eu
cd "$(dirname "$0")/.."
out="${1:-runs/speech-digits}"
[ $# -gt 0 ] && shift
exec ./rnnsuite speech build-data --out "$out" --seed 2024 "$@"
