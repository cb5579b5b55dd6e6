#!/usr/bin/env bash
# Event published → service process started (issue 7): against one `./sluice start` node (all components, acks=all
# with fsync), dev.sluice.benchmarks.ServiceStartLatency deploys a bash service whose step prints $EPOCHREALTIME and
# publishes events one at a time, each after the previous run ended. Goal: p99 under 50 ms on this machine.
# There is no Apache Kafka equivalent of this measurement.
#
#   bench/services-latency.sh                  # 300 events after 30 warm-up events, about a minute
#   EVENTS=1000 bench/services-latency.sh
#
# Environment: EVENTS (300), WARMUP (30), HEAP ("-Xms1g -Xmx1g"), RESULTS_DIR (bench/results/services-latency-<time>).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() {
  echo "services-latency.sh: $*" >&2
  exit 1
}
command -v python3 >/dev/null || die "needs python3"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA=$JAVA_HOME/bin/java

EVENTS=${EVENTS:-300}
WARMUP=${WARMUP:-30}
HEAP=${HEAP:--Xms1g -Xmx1g}
WORK=$(mkdir -p "$ROOT/bench/.work" && mktemp -d "$ROOT/bench/.work/services-latency.XXXXXX")
RESULTS=${RESULTS_DIR:-$ROOT/bench/results/services-latency-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

./sluice version >/dev/null
JAR=benchmarks/target/benchmarks.jar
if [[ ! -f $JAR ]] || [[ -n $(find services/src benchmarks/src -newer "$JAR" -type f | head -1) ]]; then
  echo "== building $JAR"
  mvn -B -q -o -pl benchmarks -am package -DskipTests
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "kernel: $(uname -r)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$RESULTS/machine.txt"

KAFKA_PORT=$(free_port)
HTTP_PORT=$(free_port)
SLUICE_JAVA_OPTS="$HEAP" ./sluice start --data-dir "$WORK/node" --kafka-listen "127.0.0.1:$KAFKA_PORT" \
  --http-listen "127.0.0.1:$HTTP_PORT" >"$RESULTS/sluice.stdout" 2>&1 &
SLUICE_PID=$!
cleanup() {
  kill "$SLUICE_PID" 2>/dev/null && wait "$SLUICE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SLUICE_PID" 2>/dev/null || die "Sluice exited; see $RESULTS/sluice.stdout"
  sleep 0.1
done

# shellcheck disable=SC2086
"$JAVA" $HEAP -cp "$JAR" dev.sluice.benchmarks.ServiceStartLatency "127.0.0.1:$KAFKA_PORT" "$WORK/driver" \
  "$EVENTS" "$WARMUP" >"$RESULTS/driver.out" 2>"$RESULTS/driver.err" || die "the driver failed; see $RESULTS/driver.err"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS/machine.txt"

v() { awk -v k="$1" '$1 == k {print $2}' "$RESULTS/driver.out"; }
{
  echo "Event published (acks=all) → service process started, $(v events) events one at a time, bash step"
  echo
  echo "| from publication to | p50 ms | p90 ms | p99 ms | max ms |"
  echo "|---|---|---|---|---|"
  echo "| run queued (recorded by the router) | $(v queued.p50_ms) | $(v queued.p90_ms) | $(v queued.p99_ms) | $(v queued.max_ms) |"
  echo "| **step process started** | $(v start.p50_ms) | $(v start.p90_ms) | $(v start.p99_ms) | $(v start.max_ms) |"
  echo "| run ended | $(v ended.p50_ms) | $(v ended.p90_ms) | $(v ended.p99_ms) | $(v ended.max_ms) |"
  echo
  echo "- goal: p99 to process start under 50 ms: $(awk -v p="$(v start.p99_ms)" 'BEGIN { print (p < 50) ? "PASS" : "FAIL" }')"
  echo
  echo "Machine:"
  sed 's/^/    /' "$RESULTS/machine.txt"
} | tee "$RESULTS/summary.md"
