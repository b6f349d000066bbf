#!/usr/bin/env bash
# Regenerates the demo (examples/odin-cli/src/main/resources/dev/odinreactive/cli/clips)'s speech clips: espeak-ng speaks each line, sox resamples it to
# 48 kHz mono and normalises it to -3 dBFS peak, opusenc (opus-tools) writes Ogg Opus at
# 32 kbit/s. Needs the Debian packages espeak-ng, sox and opus-tools. Output is committed.
set -euo pipefail
cd "$(dirname "$0")/../src/main/resources/dev/odinreactive/cli/clips"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
i=0
while IFS='|' read -r voice text; do
  espeak-ng -v "$voice" -s 150 -w "$tmp/raw.wav" "$text"
  sox "$tmp/raw.wav" -r 48000 -c 1 -b 16 "$tmp/clip.wav" norm -3
  opusenc --quiet --bitrate 32 "$tmp/clip.wav" "clip$i.opus"
  i=$((i + 1))
done <<'LINES'
en-us+m3|Hello from the first bot. The room sounds clear today.
en-gb+f2|Hi there, this is bot number two, testing the voice room.
en-gb-scotland+m5|Good evening. Bot three here, reading you loud and clear.
LINES
