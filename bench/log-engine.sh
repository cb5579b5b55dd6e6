#!/usr/bin/env bash
# Log engine benchmarks (issue 2): measures the four performance goals against baselines taken in the same run on
# the same filesystem, and prints a table with PASS/FAIL per goal.
#
#   bench/log-engine.sh                    # everything, about 4 minutes on 2 cores
#   BENCH_DIR=/mnt/nvme/x bench/log-engine.sh
#
# Environment:
#   BENCH_DIR      where the log and dd files go (default bench/.work); its filesystem is the one measured
#   RESULTS_DIR    where JSON and the summary go (default bench/results/log-engine-<time>)
#   DD_RUNS        how many dd bandwidth probes; the median is used (default 3)
#   ALLOC_GOAL     bytes per append counted as "near zero" (default 16: less than one object per append)
#   BENCH_QUICK=1  one short iteration per benchmark: a smoke test, numbers not meaningful
#   JMH_OPTS       extra options for every JMH run, e.g. "-prof stack"
#   RECOVERY_SMALL=0  skip the extra recovery run with one-record batches (context, not a goal)
#   BENCH_STRICT=1 exit 3 when a goal is missed (default: exit 0 once the run completes)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# --- JDK 25 -------------------------------------------------------------------------------------------------------
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  echo "log-engine.sh: needs JDK 25 or newer; set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

for tool in dd jq awk; do
  command -v "$tool" >/dev/null || { echo "log-engine.sh: needs $tool" >&2; exit 1; }
done

# --- Build if needed ----------------------------------------------------------------------------------------------
JAR=benchmarks/target/benchmarks.jar
if [[ ! -f $JAR || -n "$(find benchmarks/src benchmarks/pom.xml log/src/main log/pom.xml pom.xml -newer "$JAR" -print -quit)" ]]; then
  echo "== building $JAR"
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

# --- Work and results directories ---------------------------------------------------------------------------------
BENCH_ROOT=${BENCH_DIR:-$ROOT/bench/.work}
CREATED_ROOT=0
[[ -d "$BENCH_ROOT" ]] || CREATED_ROOT=1
mkdir -p "$BENCH_ROOT"
BENCH_ROOT=$(cd "$BENCH_ROOT" && pwd)
# A private subdirectory, so cleaning up never touches anything else under a BENCH_DIR given by the caller.
WORK=$(mktemp -d "$BENCH_ROOT/log-engine.XXXXXX")
cleanup() {
  rm -rf "$WORK"
  if [[ $CREATED_ROOT == 1 ]]; then
    rmdir "$BENCH_ROOT" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# Java exits with 130 on Ctrl-C rather than dying of the signal, so bash would go on to the next step: stop instead.
trap 'exit 130' INT TERM

RESULTS=${RESULTS_DIR:-$ROOT/bench/results/log-engine-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
DD_RUNS=${DD_RUNS:-3}
ALLOC_GOAL=${ALLOC_GOAL:-16}
JMH_OPTS=${JMH_OPTS:-}
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  JMH_OPTS="-wi 1 -w 1 -i 1 -r 1 $JMH_OPTS"
fi
# The benchmarks' JVMs (JMH forks inherit the environment) put their logs under this directory.
export BENCH_DIR=$WORK

# --- Machine ------------------------------------------------------------------------------------------------------
{
  echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)$(git diff --quiet HEAD -- log 2>/dev/null || echo ' (log module has uncommitted changes)')"
  echo "nproc:  $(nproc)"
  echo "kernel: $(uname -srm)"
  echo "jdk:    $("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
  echo "-- lscpu | head"; lscpu | head
  echo "-- free -h"; free -h
  echo "-- df -h $BENCH_ROOT"; df -h "$WORK"
  echo "-- filesystem: $(findmnt -n -o FSTYPE,OPTIONS --target "$WORK" 2>/dev/null || echo n/a)"
} | tee "$RESULTS/machine.txt"

# --- dd probes ----------------------------------------------------------------------------------------------------
# MB/s (10^6 bytes) from dd's "N bytes (...) copied, S s, ..." line, computed here rather than taken from dd's rounded
# and unit-switching rate.
dd_run() {
  local line
  line=$(LC_ALL=C dd "$@" 2>&1 | grep copied) || { echo "dd $* failed" >&2; return 1; }
  awk '{ for (i = 1; i <= NF; i++) if ($i == "s,") { printf "%.1f", $1 / $(i-1) / 1e6; exit } }' <<<"$line"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

DD_FILE=$WORK/dd.bin
: >"$RESULTS/dd.txt"
disk_probe() {
  rm -f "$DD_FILE"
  local mbps
  mbps=$(dd_run if=/dev/zero of="$DD_FILE" bs=1M count=1000 conv=fdatasync)
  echo "write $1: $mbps MB/s" | tee -a "$RESULTS/dd.txt"
}
# The disk's speed drifts with what else runs on the machine, so the probes bracket the append benchmark they are
# compared with: all but one before it, the last one after.
echo
echo "== disk bandwidth: dd if=/dev/zero of=$DD_FILE bs=1M count=1000 conv=fdatasync (x$DD_RUNS around the append run)"
for ((i = 1; i < DD_RUNS; i++)); do
  disk_probe "$i"
done

# --- Group-commit context: what fsync costs at the batch size the appenders produce, just before they run ---------
BATCH=$("$JAVA" -cp "$JAR" dev.sluice.benchmarks.RecordBatches)
SYNC_FILE=$WORK/dsync.bin
echo
echo "== fsync cost probes, batch $BATCH bytes: dd oflag=dsync (each write followed by its own data sync)"
DSYNC_ONE=$(dd_run if=/dev/zero of="$SYNC_FILE" bs="$BATCH" count=2000 oflag=dsync)
rm -f "$SYNC_FILE"
DSYNC_EIGHT=$(dd_run if=/dev/zero of="$SYNC_FILE" bs=$((8 * BATCH)) count=500 oflag=dsync)
# Same writes into the file just written (blocks allocated and written, size unchanged): no metadata to journal.
DSYNC_EIGHT_PRE=$(dd_run if=/dev/zero of="$SYNC_FILE" bs=$((8 * BATCH)) count=500 oflag=dsync conv=notrunc)
rm -f "$SYNC_FILE"
# Into a file reserved with fallocate (unwritten extents): what preallocating segments that way would give.
DSYNC_EIGHT_FALLOC=n/a
if command -v fallocate >/dev/null && fallocate -l $((8 * BATCH * 500)) "$SYNC_FILE" 2>/dev/null; then
  DSYNC_EIGHT_FALLOC=$(dd_run if=/dev/zero of="$SYNC_FILE" bs=$((8 * BATCH)) count=500 oflag=dsync conv=notrunc)
fi
rm -f "$SYNC_FILE"
{
  echo "1 batch per sync, growing file:              $DSYNC_ONE MB/s"
  echo "8 batches per sync, growing file:            $DSYNC_EIGHT MB/s"
  echo "8 batches per sync, fallocated file:         $DSYNC_EIGHT_FALLOC MB/s"
  echo "8 batches per sync, already written file:    $DSYNC_EIGHT_PRE MB/s"
} | tee "$RESULTS/dsync.txt"

# --- JMH ----------------------------------------------------------------------------------------------------------
jmh() {
  local name=$1
  shift
  echo
  echo "== JMH $name: $*"
  # shellcheck disable=SC2086  # JMH_OPTS is a list of options
  "$JAVA" -jar "$JAR" "$@" $JMH_OPTS -rf json -rff "$RESULTS/$name.json" 2>&1 | tee "$RESULTS/$name.log" \
    | grep -E '^(# (Benchmark|Parameters)|Iteration|[A-Z][A-Za-z]+Benchmark\.)' || true
  [[ -s "$RESULTS/$name.json" ]] || { echo "JMH run $name produced no results, see $RESULTS/$name.log" >&2; exit 1; }
}

jmh append 'dev.sluice.benchmarks.LogAppendBenchmark.append$'
# Goal 1: 8 appenders with 5 appends in flight each, as 8 producers with Kafka's default max.in.flight of 5.
jmh pipelined 'dev.sluice.benchmarks.LogAppendBenchmark.appendPipelined$' -p flush=ALWAYS

echo
disk_probe "$DD_RUNS"
DISK_MBPS=$(awk '/^write/ {print $3}' "$RESULTS/dd.txt" | median)
echo "== page-cache read: dd if=$DD_FILE of=/dev/null bs=1M (the second, warm, read counts)"
dd_run if="$DD_FILE" of=/dev/null bs=1M >/dev/null
CACHE_MBPS=$(dd_run if="$DD_FILE" of=/dev/null bs=1M)
echo "read: $CACHE_MBPS MB/s" | tee -a "$RESULTS/dd.txt"
rm -f "$DD_FILE"

jmh alloc 'dev.sluice.benchmarks.AppendAllocationBenchmark.append(WithCallback)?$' -prof gc -p producer=none,idempotent
jmh read 'dev.sluice.benchmarks.LogReadBenchmark.interleaved$' -p fetchBytes=65536,1048576
# Context: append latency percentiles of one appender under flush=none, where segment rolls show up as outliers.
jmh latency 'dev.sluice.benchmarks.LogAppendBenchmark.append$' -p flush=NONE -t 1 -bm sample -tu us

# --- Recovery -----------------------------------------------------------------------------------------------------
echo
echo "== recovery: $JAVA -cp $JAR dev.sluice.benchmarks.RecoveryBenchmark --out $RESULTS/recovery.json"
"$JAVA" -cp "$JAR" dev.sluice.benchmarks.RecoveryBenchmark --out "$RESULTS/recovery.json" | tee "$RESULTS/recovery.log"
# Context: the same gigabyte in one-record batches of 100-byte values, where per-batch costs of recovery dominate.
if [[ "${RECOVERY_SMALL:-1}" == 1 ]]; then
  echo
  echo "== recovery, small batches: ... RecoveryBenchmark --batch-records 1 --value-bytes 100 --out $RESULTS/recovery-small.json"
  "$JAVA" -cp "$JAR" dev.sluice.benchmarks.RecoveryBenchmark --batch-records 1 --value-bytes 100 \
    --out "$RESULTS/recovery-small.json" | tee "$RESULTS/recovery-small.log"
fi

# --- Summary ------------------------------------------------------------------------------------------------------
J=$RESULTS
score() { jq -r "$1" "$2"; }
append_sel='.[] | select(.benchmark == "dev.sluice.benchmarks.LogAppendBenchmark.append")'
APPEND_ALWAYS=$(score "$append_sel | select(.params.flush == \"ALWAYS\") | .secondaryMetrics.bytes.score / 1e6" "$J/append.json")
APPEND_ALWAYS_ERR=$(score "$append_sel | select(.params.flush == \"ALWAYS\") | .secondaryMetrics.bytes.scoreError | if type == \"number\" then . / 1e6 else 0 end" "$J/append.json")
APPEND_OPS=$(score "$append_sel | select(.params.flush == \"ALWAYS\") | .primaryMetric.score" "$J/append.json")
FSYNCS=$(score "$append_sel | select(.params.flush == \"ALWAYS\") | .secondaryMetrics.fsyncs.score" "$J/append.json")
pipe_sel='.[] | select(.benchmark == "dev.sluice.benchmarks.LogAppendBenchmark.appendPipelined")'
PIPE_ALWAYS=$(score "$pipe_sel | .secondaryMetrics.bytes.score / 1e6" "$J/pipelined.json")
PIPE_ALWAYS_ERR=$(score "$pipe_sel | .secondaryMetrics.bytes.scoreError | if type == \"number\" then . / 1e6 else 0 end" "$J/pipelined.json")
PIPE_OPS=$(score "$pipe_sel | .primaryMetric.score" "$J/pipelined.json")
PIPE_FSYNCS=$(score "$pipe_sel | .secondaryMetrics.fsyncs.score" "$J/pipelined.json")
APPEND_NONE=$(score "$append_sel | select(.params.flush == \"NONE\") | .secondaryMetrics.bytes.score / 1e6" "$J/append.json")

# Goal 4 is the broker's append path: a callback (the same object each time) rather than a future.
alloc_sel='.[] | select(.benchmark == "dev.sluice.benchmarks.AppendAllocationBenchmark.appendWithCallback")'
ALLOC_PLAIN=$(score "$alloc_sel | select(.params.producer == \"none\") | .secondaryMetrics[\"gc.alloc.rate.norm\"].score" "$J/alloc.json")
ALLOC_IDEMPOTENT=$(score "$alloc_sel | select(.params.producer == \"idempotent\") | .secondaryMetrics[\"gc.alloc.rate.norm\"].score" "$J/alloc.json")
future_sel='.[] | select(.benchmark == "dev.sluice.benchmarks.AppendAllocationBenchmark.append")'
ALLOC_FUTURE=$(score "$future_sel | select(.params.producer == \"none\") | .secondaryMetrics[\"gc.alloc.rate.norm\"].score" "$J/alloc.json")

# Read: the interleaved benchmark times both paths over the same chunks; its counters are totals, and rawData holds
# them per iteration, which gives the spread of the ratio.
read_sel() { echo ".[] | select(.benchmark == \"dev.sluice.benchmarks.LogReadBenchmark.interleaved\" and .params.fetchBytes == \"$1\") | .secondaryMetrics"; }
READ_LOG=$(score "$(read_sel 1048576) | .bytesEach.score / .logNanos.score * 1000" "$J/read.json")
READ_FILE=$(score "$(read_sel 1048576) | .bytesEach.score / .fileNanos.score * 1000" "$J/read.json")
READ_RATIO=$(score "$(read_sel 1048576) | .fileNanos.score / .logNanos.score" "$J/read.json")
READ_RANGE=$(score "$(read_sel 1048576) | [.fileNanos.rawData[0], .logNanos.rawData[0]] | transpose | map(.[0] / .[1] * 100)
  | \"\\(min * 10 | round / 10)–\\(max * 10 | round / 10)%\"" "$J/read.json")
READ64_RATIO=$(score "$(read_sel 65536) | .fileNanos.score / .logNanos.score" "$J/read.json")

LAT_SEL='.[0].primaryMetric.scorePercentiles'
LATENCY=$(score "$LAT_SEL | \"p50 \\(.[\"50.0\"] | round) µs, p99.9 \\(.[\"99.9\"] | round) µs, max \\(.[\"100.0\"] / 1000 | round) ms\"" "$J/latency.json")

RECOVERY_MAX=$(score '.maxOpenMs' "$J/recovery.json")
RECOVERY_RUNS=$(score '[.runs[] | "\(.name) \(.openMs | round) ms"] | join(", ")' "$J/recovery.json")
RECOVERY_GIB=$(score '.logBytes / 1073741824' "$J/recovery.json")
RECOVERY_SMALL_RUNS=n/a
if [[ -s "$J/recovery-small.json" ]]; then
  RECOVERY_SMALL_RUNS=$(score '"\(.records) batches of \(.batchBytes) B: " + ([.runs[] | "\(.name) \(.openMs | round) ms"] | join(", "))' "$J/recovery-small.json")
fi

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
verdict() { awk -v v="$1" -v g="$2" -v dir="$3" 'BEGIN { ok = (dir == "ge") ? v >= g : v < g; print ok ? "PASS" : "FAIL" }'; }
fmt() { awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }

APPEND_RATIO=$(awk -v a="$PIPE_ALWAYS" -v b="$DISK_MBPS" 'BEGIN { print a / b }')
V1=$(verdict "$APPEND_RATIO" 0.70 ge)
V2=$(verdict "$READ_RATIO" 0.80 ge)
V3=$(verdict "$RECOVERY_MAX" 5000 lt)
V4=$(verdict "$ALLOC_PLAIN" "$ALLOC_GOAL" lt)

{
  echo "| # | goal | measured | baseline (same run) | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  echo "| 1 | append, flush=always, 8 appenders with 5 appends in flight each, 16 x 1 KiB records per batch | $(fmt "$PIPE_ALWAYS") MB/s (± $(fmt "$PIPE_ALWAYS_ERR")) | dd conv=fdatasync $(fmt "$DISK_MBPS") MB/s (median of $(awk '/^write/ {printf "%s%s", sep, $3; sep=", "}' "$J/dd.txt")) | $(pct "$PIPE_ALWAYS" "$DISK_MBPS") | ≥ 70% | $V1 |"
  echo "| 2 | sequential read, LogSlice.transferTo, 1 MiB fetches, sink /dev/null | $(fmt "$READ_LOG") MB/s | FileChannel.transferTo of the segment file $(fmt "$READ_FILE") MB/s | $(pct "$READ_RATIO" 1) (iterations $READ_RANGE) | ≥ 80% | $V2 |"
  echo "| 3 | recovery of $(fmt "$RECOVERY_GIB") GiB after SIGKILL, slowest of 3 | $(fmt "$RECOVERY_MAX") ms | – | – | < 5000 ms | $V3 |"
  echo "| 4 | allocation per 16 KiB batch append (flush=none, batch without producer id, callback form as the broker appends) | $(fmt "$ALLOC_PLAIN") B/op | – | – | < $ALLOC_GOAL B/op | $V4 |"
  echo
  echo "Context (no goal):"
  echo
  echo "| measurement | value |"
  echo "|---|---|"
  echo "| goal 1 run: appends/s, fsyncs/s, batches per fsync | $(fmt "$PIPE_OPS") /s, $(fmt "$PIPE_FSYNCS") /s, $(awk -v a="$PIPE_OPS" -v f="$PIPE_FSYNCS" 'BEGIN { printf "%.2f", (f > 0) ? a / f : 0 }') |"
  echo "| append, flush=always, 8 appenders with 1 append in flight each (each waits for its fsync) | $(fmt "$APPEND_ALWAYS") MB/s ($(pct "$APPEND_ALWAYS" "$DISK_MBPS") of dd), $(fmt "$APPEND_OPS") appends/s, $(awk -v a="$APPEND_OPS" -v f="$FSYNCS" 'BEGIN { printf "%.2f", (f > 0) ? a / f : 0 }') batches per fsync |"
  echo "| append, flush=none, 8 appenders (page cache, segment rolls included) | $(fmt "$APPEND_NONE") MB/s |"
  echo "| append latency, flush=none, 1 appender (max: a segment roll forcing the old segment under the writer lock) | $LATENCY |"
  echo "| dd oflag=dsync, 1 batch ($BATCH B) per sync, growing file | $(fmt "$DSYNC_ONE") MB/s |"
  echo "| dd oflag=dsync, 8 batches (one group of 8 appenders) per sync, growing file | $(fmt "$DSYNC_EIGHT") MB/s ($(pct "$DSYNC_EIGHT" "$DISK_MBPS") of dd) |"
  if [[ $DSYNC_EIGHT_FALLOC != n/a ]]; then
    echo "| dd oflag=dsync, 8 batches per sync, file reserved with fallocate | $(fmt "$DSYNC_EIGHT_FALLOC") MB/s ($(pct "$DSYNC_EIGHT_FALLOC" "$DISK_MBPS") of dd) |"
  fi
  echo "| dd oflag=dsync, 8 batches per sync, overwriting an already written file | $(fmt "$DSYNC_EIGHT_PRE") MB/s ($(pct "$DSYNC_EIGHT_PRE" "$DISK_MBPS") of dd) |"
  echo "| read, 64 KiB fetches: log / file transferTo, interleaved | $(pct "$READ64_RATIO" 1) |"
  echo "| page-cache read, dd of=/dev/null bs=1M (copies to user space) | $(fmt "$CACHE_MBPS") MB/s; log read at 1 MiB = $(pct "$READ_LOG" "$CACHE_MBPS") of it |"
  echo "| recovery runs (goal 3) | $RECOVERY_RUNS |"
  echo "| recovery of 1 GiB in one-record batches | $RECOVERY_SMALL_RUNS |"
  echo "| allocation per append, idempotent producer's batches (kafka-clients' default), callback form | $(fmt "$ALLOC_IDEMPOTENT") B/op |"
  echo "| allocation per append, future form (\`append(batch)\`, a CompletableFuture and an AppendResult) | $(fmt "$ALLOC_FUTURE") B/op |"
} >"$J/summary.md"

echo
echo "== summary (also in $J/summary.md)"
cat "$J/summary.md"
PASSED=$(grep -c '| PASS |' "$J/summary.md" || true)
echo
echo "$PASSED of 4 goals met. Results: $J"
if [[ "${BENCH_STRICT:-0}" == 1 && $PASSED -lt 4 ]]; then
  exit 3
fi
