#!/usr/bin/env bash
# Relay capacity harness (not run by verify). One run: relay pinned to core 0, load generator on
# core 1. On a shared box (kernel autogroup scheduling) each JVM gets its own session (setsid)
# whose autogroup is set to nice -15 when run as root, so other builds disturb it less.
# Usage: benchmarks/scripts/relay-bench.sh FANOUT RATE [SECONDS] [shared|per-receiver|plain|c] [epoll|nio]
#   plain = calibration baseline (PlainUdpRelay: same sockets, no auth/crypto/limits/metrics).
#   c = the issue's C calibration relay (c-relay.c: recvmmsg/sendmmsg, no security; needs gcc).
#   FANOUT: listeners per sender; RATE: inbound media packets/s; forwarded = RATE x FANOUT.
#   GEN_OPTS="--sockets N" passes options to the load generator.
#   WARMUP=s (default 20): unmeasured run at the same rate first; on a loaded box C2 keeps
#   compiling for ~20 s, and its CPU would otherwise be charged to the measured packets.
# Build first: mvn -B -q -pl benchmarks -am package -DskipTests
set -euo pipefail
fanout=${1:?fanout}; rate=${2:?rate}; seconds=${3:-10}; keys=${4:-shared}; transport=${5:-epoll}
jar=${JAR:-$(dirname "$0")/../target/benchmarks.jar}
dir=$(mktemp -d /tmp/relaybench.XXXXXX)
senders=$(( rate / 225 + 1 ))   # 5 medias per sender at <= 45 packets/s each (ODIN limit: 50/s)
prioritise() { [ "$(id -u)" = 0 ] && [ -w "/proc/$1/autogroup" ] && echo -15 > "/proc/$1/autogroup" || true; }
udp_rcvbuf_errors() { awk '/^Udp: InDatagrams/ {getline; print $6; exit}' /proc/net/snmp; }
if [ "$keys" = c ]; then
  gcc -O2 -o "$dir/c-relay" "$(dirname "$0")/c-relay.c" || { rm -rf "$dir"; exit 1; }
  setsid taskset -c 0 "$dir/c-relay" "$senders" "$fanout" "$dir" > "$dir/server.log" 2>&1 &
else
  # no periodic "cleanup" safepoints: on a loaded box a descheduled VM thread holds every Java
  # thread at the safepoint for up to ~0.5 s (seen with -Xlog:safepoint), which then shows up as loss
  setsid taskset -c 0 java -XX:+UseParallelGC -Xms1g -Xmx1g -XX:+UnlockDiagnosticVMOptions \
    -XX:GuaranteedSafepointInterval=0 ${SERVER_OPTS:-} -cp "$jar" \
    dev.odinreactive.bench.media.RelayBenchServer --senders "$senders" --fanout "$fanout" --keys "$keys" --mode "$keys" \
    --transport "$transport" --dir "$dir" > "$dir/server.log" 2>&1 &
fi
server=$!
prioritise $server
# SERVER_LOG=file keeps the relay JVM's output (e.g. with SERVER_OPTS=-XX:+PrintCompilation)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; [ -n "${SERVER_LOG:-}" ] && cp "$dir/server.log" "$SERVER_LOG" || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do [ -f "$dir/keys.txt" ] && [ -f "$dir/stats.txt" ] && break; sleep 0.1; done
grep -v SLF4J "$dir/server.log" || true
before=$(udp_rcvbuf_errors)
setsid taskset -c 1 java -XX:+UseParallelGC -Xms1g -Xmx1g -cp "$jar" \
  dev.odinreactive.bench.media.RelayLoadGenerator --dir "$dir" --rate "$rate" --seconds "$seconds" --warmup "${WARMUP:-20}" ${GEN_OPTS:-} > "$dir/gen.log" 2>&1 &
generator=$!
prioritise $generator
wait $generator || true
grep -v SLF4J "$dir/gen.log"
after=$(udp_rcvbuf_errors)
echo "kernel UDP RcvbufErrors during the run (all sockets): $(( after - before ))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
