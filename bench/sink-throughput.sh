#!/usr/bin/env bash
# Sinks (issue 5): topic to DuckDB table. Starts `./sluice start broker http` on free ports with a fresh data
# directory; a driver JVM (dev.sluice.benchmarks.SinkThroughput from benchmarks.jar) runs the SinkEngine against that
# node's Kafka listener, creates a DuckDB sink per compression, produces RECORDS 1 KiB JSON records at full speed with
# a KafkaProducer (acks=all) and polls the table until every row is visible. Then the delay from produce to
# visible-in-table at LATENCY_RATE records/s. Prints rows/s (first send to last row visible, and steady state),
# compression ratios (CSV bytes / compressed slice bytes, gzip and zstd) and delay percentiles.
#
# Why the engine runs in the driver and not in the node: DuckDB lets one process open its file, so whoever polls
# the table to see rows arrive must be the process that writes it. The code is the same SinkEngine the node's
# sink-writer component runs; the node here is the broker.
#
#   bench/sink-throughput.sh                       # 1,000,000 records per compression, about 3 minutes
#   RECORDS=200000 bench/sink-throughput.sh
#   PROFILE=1 bench/sink-throughput.sh             # JFR of the driver (sink engine + producer): driver.jfr, profile.txt
#
# Environment:
#   RECORDS        records per compression (default 1000000)
#   COMPRESSIONS   comma-separated (default gzip,zstd)
#   LATENCY_SECONDS, LATENCY_RATE   the latency run (default 20 s at 2000 records/s; 0 seconds skips it)
#   HEAP           heap of the node and of the driver (default "-Xms1g -Xmx1g")
#   GOAL           rows/s to report against (default 50000; DuckDB's goal)
#   TARGET         duckdb (default) or postgres: a real PostgreSQL the driver starts (zonky's embedded binaries)
#   RESULTS_DIR    default bench/results/sink-throughput-<time>; BENCH_DIR default bench/.work
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
die() {
  echo "sink-throughput.sh: $*" >&2
  exit 1
}
for tool in python3 awk; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA=$JAVA_HOME/bin/java

RECORDS=${RECORDS:-1000000}
COMPRESSIONS=${COMPRESSIONS:-gzip,zstd}
LATENCY_SECONDS=${LATENCY_SECONDS:-20}
LATENCY_RATE=${LATENCY_RATE:-2000}
HEAP=${HEAP:--Xms1g -Xmx1g}
GOAL=${GOAL:-50000}
TARGET=${TARGET:-duckdb}
[[ $TARGET == duckdb || $TARGET == postgres ]] || die "TARGET must be duckdb or postgres, not '$TARGET'"
PROFILE=${PROFILE:-0}
WORK=$(mkdir -p "${BENCH_DIR:-$ROOT/bench/.work}" && mktemp -d "${BENCH_DIR:-$ROOT/bench/.work}/sink-throughput.XXXXXX")
RESULTS=${RESULTS_DIR:-$ROOT/bench/results/sink-throughput-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }

# --- Build ------------------------------------------------------------------------------------------------------
./sluice version >/dev/null
JAR=benchmarks/target/benchmarks.jar
if [[ ! -f $JAR ]] || [[ -n $(find sinks/src benchmarks/src -newer "$JAR" -type f | head -1) ]]; then
  echo "== building $JAR"
  mvn -B -q -o -pl benchmarks -am package -DskipTests
fi

# --- Machine ----------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -r)"
  echo "filesystem: $(df -T "$WORK" | awk 'NR == 2 {print $2, $1}')"
  echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$RESULTS/machine.txt"

# --- Node -------------------------------------------------------------------------------------------------------
KAFKA_PORT=$(free_port)
HTTP_PORT=$(free_port)
SLUICE_JAVA_OPTS="$HEAP" ./sluice start --data-dir "$WORK/node" --kafka-listen "127.0.0.1:$KAFKA_PORT" \
  --http-listen "127.0.0.1:$HTTP_PORT" broker http >"$RESULTS/sluice.stdout" 2>&1 &
SLUICE_PID=$!
cleanup() {
  kill "$SLUICE_PID" 2>/dev/null && wait "$SLUICE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null && break
  kill -0 "$SLUICE_PID" 2>/dev/null || die "Sluice exited; see $RESULTS/sluice.stdout"
  sleep 0.1
done

# --- Driver -----------------------------------------------------------------------------------------------------
JFR_OPTS=()
if [[ $PROFILE == 1 ]]; then
  JFR_OPTS=("-XX:StartFlightRecording=filename=$RESULTS/driver.jfr,settings=profile")
fi
read -r BUSY0 TOTAL0 < <(cpu_busy)
START=$(date +%s.%N)
# shellcheck disable=SC2086
"$JAVA" $HEAP --enable-native-access=ALL-UNNAMED "${JFR_OPTS[@]}" -cp "$JAR" dev.sluice.benchmarks.SinkThroughput \
  "127.0.0.1:$KAFKA_PORT" "$WORK/driver" "$RECORDS" "$COMPRESSIONS" "$LATENCY_SECONDS" "$LATENCY_RATE" "$TARGET" \
  >"$RESULTS/driver.out" 2>"$RESULTS/driver.err" || die "the driver failed; see $RESULTS/driver.err"
END=$(date +%s.%N)
read -r BUSY1 TOTAL1 < <(cpu_busy)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS/machine.txt"
echo "machine busy during the run: $(awk -v b=$((BUSY1 - BUSY0)) -v t=$((TOTAL1 - TOTAL0)) 'BEGIN { printf "%.0f%%", 100 * b / t }')" >>"$RESULTS/machine.txt"
echo "driver wall seconds: $(awk -v a="$START" -v b="$END" 'BEGIN { printf "%.1f", b - a }')" >>"$RESULTS/machine.txt"

if [[ $PROFILE == 1 ]]; then
  {
    echo "== hottest methods (execution samples, top frames)"
    "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$RESULTS/driver.jfr" \
      | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); n[$0]++} END {for (m in n) print n[m], m}' \
      | sort -rn | head -25
    echo "== samples per thread"
    "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample "$RESULTS/driver.jfr" \
      | awk -F'"' '/sampledThread = / {n[$2]++} END {for (t in n) print n[t], t}' | sort -rn | head -12
  } >"$RESULTS/profile.txt" 2>&1 || true
fi

# --- Summary ----------------------------------------------------------------------------------------------------
v() { awk -v k="$1" '$1 == k {print $2}' "$RESULTS/driver.out"; }
{
  name=DuckDB
  [[ $TARGET == duckdb ]] || name="PostgreSQL (embedded, zonky's binaries, started by the driver)"
  echo "Topic to $name table, $RECORDS records of 1 KiB JSON per compression, 3 partitions, default conditions"
  echo "(slice 10,000 records / 5 MB / 30 s, file 50,000 / 50 MB / 60 s); producer, sink engine and broker share $(nproc) cores."
  echo
  echo "| compression | produce rec/s | rows/s first send → last row | steady rows/s (20–80%) | CSV B/row | compressed B/row | ratio | rows (exact?) |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in ${COMPRESSIONS//,/ }; do
    echo "| $c | $(v "$c.produce_per_s") | $(v "$c.end_to_end_rows_per_s") | $(v "$c.steady_rows_per_s") | $(v "$c.csv_bytes_per_row") | $(v "$c.compressed_bytes_per_row") | $(v "$c.compression_ratio")× | $(v "$c.rows") ($(v "$c.duplicates_or_missing") missing or duplicate) |"
  done
  echo
  for c in ${COMPRESSIONS//,/ }; do
    [[ $TARGET == duckdb ]] || { echo "- $c: the goal ($GOAL rows/s) is DuckDB's; PostgreSQL's figure is reported only"; continue; }
    echo "- $c: goal ≥ $GOAL rows/s (steady): $(awk -v r="$(v "$c.steady_rows_per_s")" -v g="$GOAL" 'BEGIN { print (r == "" || r ~ /nan|NaN/) ? "n/a (too few records for a steady state)" : (r >= g) ? "PASS" : "FAIL" }')"
  done
  if [[ $LATENCY_SECONDS -gt 0 ]]; then
    echo "- delay produce → visible in table at $(v latency.rate_per_s) records/s, one partition, $(grep '^latency.conditions' "$RESULTS/driver.out" | cut -d' ' -f2-):" \
      "p50 $(v latency.p50_ms) ms, p99 $(v latency.p99_ms) ms, max $(v latency.max_ms) ms ($(v latency.seen) of $(v latency.records) records seen; 10 ms polling)"
  fi
  echo
  echo "Machine:"
  sed 's/^/    /' "$RESULTS/machine.txt"
} | tee "$RESULTS/summary.md"
