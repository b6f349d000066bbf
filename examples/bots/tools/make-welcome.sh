#!/usr/bin/env bash
# Regenerates the announcer's clip (src/main/resources/dev/odinreactive/examples/bots/welcome.opus):
# espeak-ng speaks the line, sox resamples it to 48 kHz mono and normalises it to -3 dBFS peak,
# opusenc (opus-tools) writes Ogg Opus at 32 kbit/s. Needs the Debian packages espeak-ng, sox
# and opus-tools. Output is committed.
set -euo pipefail
cd "$(dirname "$0")/../src/main/resources/dev/odinreactive/examples/bots"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-gb+f3 -s 150 -w "$tmp/raw.wav" "Welcome to the room. Nice to have you here."
sox "$tmp/raw.wav" -r 48000 -c 1 -b 16 "$tmp/clip.wav" norm -3
opusenc --quiet --bitrate 32 "$tmp/clip.wav" welcome.opus
