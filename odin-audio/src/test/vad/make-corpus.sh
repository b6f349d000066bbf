#!/usr/bin/env bash
# Builds the VAD training/validation corpus (raw material only; VadTrainer mixes, labels and trains):
#
#   odin-audio/src/test/vad/make-corpus.sh /tmp/vad-corpus
#
# speech/<voice>_<n>.wav  espeak-ng sentences (48 kHz mono 16-bit), voices listed in voices.txt with
#                         their split (train / val); sentences.txt lines 1-56 are spoken by training
#                         voices, 57-72 by validation voices. None of the voices and sentences is in the
#                         project's dev set (apm harness texts/dev.txt and its voice list).
# noise/<split>_<name>.wav 60 s noises: sox white/pink/brown (unseeded), fan-like motor hum + air,
#                         mains hum, car-like rumble, modulated pink, babble of other espeak voices.
# Needs espeak-ng and sox.
set -euo pipefail
OUT="${1:?usage: make-corpus.sh OUTDIR}"
HERE="$(cd "$(dirname "$0")" && pwd)"
mapfile -t SENT < "$HERE/sentences.txt"
mkdir -p "$OUT/speech" "$OUT/noise" "$OUT/tmp"
SOXF=(-r 48000 -c 1 -b 16 -e signed-integer)
RANDOM=4242

speak() { # voice wpm pitch text out
  espeak-ng -v "$1" -s "$2" -p "$3" -w "$OUT/tmp/t.wav" "$4"
  sox "$OUT/tmp/t.wav" "${SOXF[@]}" "$5" gain -6 rate -v 48000
}

TRAIN_VOICES=(en-us+f1:150:55 en-us+m4:170:40 en-gb+m7:160:35 en-gb+f5:145:65 en-gb-scotland+f1:155:60
  en-029+m2:165:45 en-us-nyc+f3:175:62 en-gb-x-rp+m4:150:42 en+f2:160:58 en-gb-x-gbclan+m6:170:38
  en-gb-x-gbcwmd+m1:155:48 en-gb-x-gbcwmd+f4:165:66 en-us+klatt:160:50 en-gb+Annie:150:55
  en-us+Alex:170:45 en+Steph:165:60 en-us+Andy:155:40 en-gb+Michael:160:44 en-029+f1:150:70
  en-gb-scotland+m7:160:30)
VAL_VOICES=(en-gb-x-gbcwmd+m3:160:44 en-us+f5:155:58 en-gb+Linda:150:62 en-029+m6:170:40
  en-gb-scotland+m1:165:50 en-us-nyc+f4:160:55)
BABBLE_TRAIN=(en-us+m7:175:45 en-gb+f1:170:60 en+m2:180:40 en-gb-x-rp+f5:165:66 en-029+m3:185:42 en-us+f2:170:58)
BABBLE_VAL=(en-gb-x-gbcwmd+f2:175:62 en-us+m6:180:38 en+f5:170:64 en-gb-scotland+m4:185:46 en-gb-x-gbclan+f3:165:55)

: > "$OUT/voices.txt"
i=0
for v in "${TRAIN_VOICES[@]}" "${VAL_VOICES[@]}"; do
  IFS=: read -r name wpm pitch <<< "$v"
  if (( i < ${#TRAIN_VOICES[@]} )); then split=train; lo=0; n=56; per=14; else split=val; lo=56; n=16; per=8; fi
  echo "v$i $split $v" >> "$OUT/voices.txt"
  for ((j = 0; j < per; j++)); do
    s=$(( lo + (RANDOM % n) ))
    speak "$name" $(( wpm + RANDOM % 21 - 10 )) $(( pitch + RANDOM % 11 - 5 )) "${SENT[$s]}" "$OUT/speech/v${i}_$j.wav"
  done
  i=$((i + 1))
done

babble() { # split talkers...
  local split=$1; shift
  local files=() t=0
  for v in "$@"; do
    IFS=: read -r name wpm pitch <<< "$v"
    local parts=()
    for ((j = 0; j < 14; j++)); do
      speak "$name" "$wpm" "$pitch" "${SENT[$(( RANDOM % 72 ))]}" "$OUT/tmp/b${t}_$j.wav"
      parts+=("$OUT/tmp/b${t}_$j.wav")
    done
    sox "${parts[@]}" "$OUT/tmp/talker$t.wav" trim $(( RANDOM % 5 )) norm -3
    files+=("$OUT/tmp/talker$t.wav"); t=$((t + 1))
  done
  sox -m "${files[@]}" "${SOXF[@]}" "$OUT/noise/${split}_babble.wav" trim 0 60 norm -3
}
babble train "${BABBLE_TRAIN[@]}"
babble val "${BABBLE_VAL[@]}"

fan() { # out f0 tremolo-hz
  local f0=$2
  for h in 1 2 3 4 5 6; do sox -n "${SOXF[@]}" "$OUT/tmp/hum$h.wav" synth 60 sine $(( f0 * h )); done
  sox -n "${SOXF[@]}" "$OUT/tmp/air.wav" synth 60 whitenoise lowpass $(( 900 + RANDOM % 800 )) lowpass 1200 highpass 60
  sox -m -v 0.20 "$OUT/tmp/hum1.wav" -v 0.12 "$OUT/tmp/hum2.wav" -v 0.09 "$OUT/tmp/hum3.wav" -v 0.05 "$OUT/tmp/hum4.wav" \
      -v 0.03 "$OUT/tmp/hum5.wav" -v 0.02 "$OUT/tmp/hum6.wav" -v 0.35 "$OUT/tmp/air.wav" "${SOXF[@]}" "$1" tremolo "$3" 12
}
for split in train val; do
  for n in white pink brown; do sox -n "${SOXF[@]}" "$OUT/noise/${split}_$n.wav" synth 60 ${n}noise gain -6; done
done
fan "$OUT/noise/train_fan1.wav" 87 2.9
fan "$OUT/noise/train_fan2.wav" 161 5.1
fan "$OUT/noise/train_fan3.wav" 193 3.3
fan "$OUT/noise/val_fan.wav" 109 4.3
# mains hum (50 Hz and odd harmonics) over a little white noise
sox -n "${SOXF[@]}" "$OUT/noise/train_hum.wav" synth 60 sine 50 sine 150 sine 250 whitenoise remix 1-4 gain -12
# car-like rumble: low-passed brown with some pink
sox -n "${SOXF[@]}" "$OUT/tmp/r.wav" synth 60 brownnoise lowpass 400
sox -n "${SOXF[@]}" "$OUT/tmp/p.wav" synth 60 pinknoise gain -20
sox -m "$OUT/tmp/r.wav" "$OUT/tmp/p.wav" "${SOXF[@]}" "$OUT/noise/train_car.wav" norm -6
# slowly modulated pink (non-stationary)
sox -n "${SOXF[@]}" "$OUT/noise/train_pinkmod.wav" synth 60 pinknoise tremolo 0.4 60 gain -6
rm -rf "$OUT/tmp"
echo "corpus in $OUT: $(ls "$OUT/speech" | wc -l) sentences, $(ls "$OUT/noise" | wc -l) noises"
