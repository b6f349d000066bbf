#!/usr/bin/env bash
# Runs relay-bench.sh once per FANOUT:RATE:MODE triple and prints one line per run (loss,
# forwarded packets/s, CPU ns per forwarded packet, per-core figure, load average). Runs given
# alternately (c, plain, shared, c, ...) see the same machine conditions.
# Usage: benchmarks/scripts/relay-sweep.sh 10:10000:c 10:10000:plain 10:10000:shared ...
#   SECS (default 8) measured seconds per run; WARMUP (default 10) as for relay-bench.sh.
set -uo pipefail
bench="$(dirname "$0")/relay-bench.sh"
for spec in "$@"; do
  IFS=: read -r fanout rate mode <<< "$spec"
  out=$(WARMUP=${WARMUP:-10} "$bench" "$fanout" "$rate" "${SECS:-8}" "$mode" 2>&1)
  # relay-side loss: expected forwards (sent x fan-out) that did not happen, whether the datagram
  # was lost before the relay read it or dropped by the relay (e.g. a full socket send buffer)
  loss=$(sed -n 's/.*relay-side loss \([0-9.]*\) %.*/\1/p' <<< "$out")
  fwd=$(sed -n 's/^forwarded [0-9]* = \([0-9]*\) pkt\/s.*/\1/p' <<< "$out")
  cpu=$(sed -n 's/.*= \([0-9]*\) ns per forwarded packet.*-> \([0-9]*\) forwarded.*/\1 ns\/fwd -> \2 per core/p' <<< "$out")
  echo "$(date -u +%T) fan-out $fanout, $rate pkt/s in, $mode: loss ${loss:-?} %, forwarded ${fwd:-?}/s, ${cpu:-?}, load $(cut -d' ' -f1 /proc/loadavg)"
done
