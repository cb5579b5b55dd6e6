#!/usr/bin/env bash
# Kafka protocol side by side with Apache Kafka (issue 3): Kafka's own perf tools (ProducerPerformance,
# ConsumerPerformance, EndToEndLatency) against a single-node KRaft Apache Kafka 3.9.1 and against Sluice, alternately,
# in the same run; idle RSS and time to accept connections of both; a table with PASS/FAIL per goal.
#
#   bench/kafka-vs-sluice.sh               # 3 repetitions, about 8 minutes on 2 cores (5: about 13)
#   REPS=5 bench/kafka-vs-sluice.sh
#   PROFILE=1 REPS=1 bench/kafka-vs-sluice.sh   # JFR of each broker around each run, fsync statistics
#
# Environment:
#   REPS              repetitions, each one fresh Kafka and one fresh Sluice, order alternating (default 3)
#   RECORDS           records per ProducerPerformance/ConsumerPerformance run (default 500000: 10-20 s here)
#   LATENCY_MESSAGES  messages per EndToEndLatency run, one at a time (default 5000)
#   PARTITIONS        partition counts of the topics, one topic each (default "1 6")
#   HEAP              heap options of both brokers (default "-Xms1g -Xmx1g")
#   IDLE_SECONDS      idle time after the broker says it started, before reading VmRSS (default 5)
#   BENCH_DIR         where both brokers keep their data (default bench/.work); its filesystem is the one measured
#   RESULTS_DIR       where logs, raw results and the summary go (default bench/results/kafka-vs-sluice-<time>)
#   KAFKA_LIB         Kafka's jars, fetched by Maven from bench/kafka/pom.xml (default bench/.work/kafka-lib)
#   PROFILE=1         JFR of the broker around each tool run (settings=profile, CPU-time samples, every fsync as a
#                     jdk.FileForce event), reported in <run>.profile.txt and a table of fsyncs; adds JFR's overhead
#   SLUICE_OPTS, KAFKA_OPTS  extra JVM options for that broker only
#   SLUICE_COMPONENTS the components `./sluice start` runs (default "broker": the goals are the broker's; "" for the
#                     whole default node, which adds the HTTP component's idle footprint)
#   MAX_MINUTES       no new repetition starts after this many minutes (default 20)
#   BENCH_QUICK=1     1 repetition, 20000 records, 500 latency messages: a smoke test, numbers not meaningful
#   BENCH_STRICT=1    exit 3 when a goal is missed (default: exit 0 once the run completes)
#   SUMMARY_FROM=DIR  measure nothing; write DIR/summary.md again from DIR/raw.tsv (after changing the summary)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCRIPT_START=$SECONDS

die() {
  echo "kafka-vs-sluice.sh: $*" >&2
  exit 1
}

# --- JDK 25 -------------------------------------------------------------------------------------------------------
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  die "needs JDK 25 or newer; set JAVA_HOME"
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
for tool in awk mvn python3 timeout; do
  command -v "$tool" >/dev/null || die "needs $tool"
done

# --- Settings -----------------------------------------------------------------------------------------------------
REPS=${REPS:-3}
RECORDS=${RECORDS:-500000}
LATENCY_MESSAGES=${LATENCY_MESSAGES:-5000}
PARTITIONS=${PARTITIONS:-1 6}
IDLE_SECONDS=${IDLE_SECONDS:-5}
MAX_MINUTES=${MAX_MINUTES:-20}
read -r -a COMPONENTS <<<"${SLUICE_COMPONENTS-broker}"
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  REPS=1 RECORDS=20000 LATENCY_MESSAGES=500
fi
RECORD_SIZE=1024
read -r -a HEAP_OPTS <<<"${HEAP:--Xms1g -Xmx1g}"
read -r -a SLUICE_EXTRA <<<"${SLUICE_OPTS:-}"
read -r -a KAFKA_EXTRA <<<"${KAFKA_OPTS:-}"
# What Kafka's bin/kafka-run-class.sh gives every Kafka JVM (KAFKA_JVM_PERFORMANCE_OPTS), broker and tools alike.
KAFKA_JVM_PERF=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
# The perf tools' heap, as bin/kafka-producer-perf-test.sh and friends set it.
TOOL_HEAP=(-Xmx512m)
TOOL_TIMEOUT=300
START_TIMEOUT=120

# --- Summary --------------------------------------------------------------------------------------------------------
# values BROKER PARTITIONS METRIC: the values over repetitions, in repetition order.
values() { awk -F'\t' -v b="$1" -v p="$2" -v m="$3" 'NR > 1 && $1 == b && $3 == p && $4 == m && $5 != "" {print $5}' "$RAW"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { values "$@" | median; }
# paired PARTITIONS METRIC: the median over repetitions of Sluice's value divided by Kafka's in the same repetition,
# which drift in the machine's other load hits less than a ratio of medians.
paired() {
  awk -F'\t' -v p="$1" -v m="$2" 'NR > 1 && $3 == p && $4 == m && $5 != "" { v[$1, $2] = $5; reps[$2] = 1 }
    END { for (r in reps) if ((("sluice", r) in v) && (("kafka", r) in v) && v["kafka", r] != 0) print v["sluice", r] / v["kafka", r] }' \
    "$RAW" | median
}
list() { values "$@" | awk -v s="${4:-1}" '{ printf "%s%.*f", (NR > 1 ? ", " : ""), ($1 * s == int($1 * s) ? 0 : 1), $1 * s }'; }
num() { [[ $1 != n/a && -n $1 ]]; }
fmt() { if num "$1"; then awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; else echo n/a; fi; }
ratio() { if num "$1" && num "$2" && awk -v b="$2" 'BEGIN { exit !(b != 0) }'; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; else echo n/a; fi; }
# verdict VALUE OP LIMIT: PASS when VALUE OP LIMIT holds (OP: ge, le, lt).
verdict() {
  if ! num "$1" || ! num "$3"; then echo n/a; return; fi
  awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { ok = (op == "ge") ? v >= g : (op == "le") ? v <= g : v < g; print ok ? "PASS" : "FAIL" }'
}
mbps() { if num "$1"; then awk -v r="$1" -v s="$RECORD_SIZE" 'BEGIN { printf "%.1f", r * s / 1e6 }'; else echo n/a; fi; }
parts() { if (($1 == 1)); then echo "1 partition"; else echo "$1 partitions"; fi; }
range() { values "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print (NR ? lo "–" hi : "n/a") }'; }
div() { if num "$1" && num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; else echo n/a; fi; }
mb_of() { fmt "$(div "$1" 976.5625)" "${2:-1}"; }

# goal_row LABEL METRIC PARTITIONS SCALE DECIMALS OP LIMIT GOAL: a goal row comparing Sluice with Kafka by the ratio
# of the medians (values times SCALE); PASS when that ratio OP (ge, le) LIMIT.
goal_row() {
  local label=$1 metric=$2 p=$3 scale=$4 decimals=$5 op=$6 limit=$7 goal=$8 s k
  s=$(med sluice "$p" "$metric") k=$(med kafka "$p" "$metric")
  s=$(awk -v v="$s" -v f="$scale" 'BEGIN { if (v == "n/a") print v; else print v * f }')
  k=$(awk -v v="$k" -v f="$scale" 'BEGIN { if (v == "n/a") print v; else print v * f }')
  echo "| $label [$(list sluice "$p" "$metric" "$scale") / $(list kafka "$p" "$metric" "$scale")] | $(fmt "$s" "$decimals") |" \
    "$(fmt "$k" "$decimals") | $(ratio "$s" "$k") (paired $(fmt "$(paired "$p" "$metric")" 2)×) | $goal |" \
    "$(verdict "$(div "$s" "$k")" "$op" "$limit") |"
}

# Writes $RESULTS/summary.md from $RESULTS/raw.tsv and prints it.
summarize() {
  local S=summary.md p s b phase row mb short f n mean p50 p99 total per_mb reps ncpu
  reps=$(awk -F'\t' 'NR > 1 && $2 > n { n = $2 } END { print n + 0 }' "$RAW")
  ncpu=$(awk '/^nproc:/ { print $2 }' "$RESULTS/machine.txt")
  mb=$(awk -v n="$RECORDS" -v s="$RECORD_SIZE" 'BEGIN { print n * s / 1e6 }')
  {
    echo "Kafka protocol vs Apache Kafka 3.9.1, $reps repetitions: medians, with every repetition's value in brackets"
    echo "(Sluice / Kafka); \"paired\" is the median of the per-repetition ratios. Sluice acknowledges every produce only"
    echo "after an fsync covering it (log.flush=always, the default); Kafka acknowledges acks=all once the batch is in the"
    echo "page cache (default flush settings: no fsync per message)."
    echo
    echo "| metric | Sluice | Kafka | ratio Sluice/Kafka | goal | result |"
    echo "|---|---|---|---|---|---|"
    for p in $PARTITIONS; do
      goal_row "produce, $(parts "$p"), acks=all, 1 KiB records, MB/s" produce_rps "$p" 0.001024 1 ge 1.3 "≥ 1.3×"
    done
    for p in $PARTITIONS; do
      goal_row "consume, $(parts "$p"), MB/s fetching (group join excluded)" consume_fetch_rps "$p" 0.001024 1 ge 1.0 "≥ 1.0×"
    done
    for p in $PARTITIONS; do
      goal_row "end-to-end latency p99, $(parts "$p"), acks=all, ms (whole ms, as EndToEndLatency reports)" e2e_p99_ms "$p" 1 0 le 0.5 "≤ 0.5×"
    done
    s=$(med sluice 0 idle_rss_kib)
    echo "| idle RSS ${IDLE_SECONDS} s after start, no clients, MB [$(list sluice 0 idle_rss_kib 0.001024) / $(list kafka 0 idle_rss_kib 0.001024)] | $(mb_of "$s") | $(mb_of "$(med kafka 0 idle_rss_kib)") | $(ratio "$s" "$(med kafka 0 idle_rss_kib)") | Sluice < 150 MB | $(verdict "$(div "$s" 976.5625)" lt 150) |"
    s=$(med sluice 0 accept_ms)
    echo "| exec to Kafka port accepting a connection, ms [$(list sluice 0 accept_ms) / $(list kafka 0 accept_ms)] | $(fmt "$s" 0) | $(fmt "$(med kafka 0 accept_ms)" 0) | $(ratio "$s" "$(med kafka 0 accept_ms)") | Sluice ≤ 500 ms | $(verdict "$s" le 500) |"
    echo
    echo "Context (no goal):"
    echo
    echo "| measurement | Sluice | Kafka |"
    echo "|---|---|---|"
    for p in $PARTITIONS; do
      echo "| produce, $(parts "$p"): producer's own latency avg / p50 / p99, ms | $(fmt "$(med sluice "$p" produce_avg_ms)") / $(fmt "$(med sluice "$p" produce_p50_ms)" 0) / $(fmt "$(med sluice "$p" produce_p99_ms)" 0) | $(fmt "$(med kafka "$p" produce_avg_ms)") / $(fmt "$(med kafka "$p" produce_p50_ms)" 0) / $(fmt "$(med kafka "$p" produce_p99_ms)" 0) |"
      row="| produce, $(parts "$p"): producer's requests, records per request, request latency avg ms, record queue time avg ms |"
      for b in sluice kafka; do
        row+=" $(fmt "$(med $b "$p" produce_request_total)" 0), $(fmt "$(med $b "$p" produce_records_per_request_avg)" 1), $(fmt "$(med $b "$p" produce_request_latency_avg)" 2), $(fmt "$(med $b "$p" produce_record_queue_time_avg)" 0) |"
      done
      echo "$row"
    done
    for p in $PARTITIONS; do
      echo "| consume, $(parts "$p"): MB/s including the group join / join (rebalance) ms | $(mbps "$(med sluice "$p" consume_total_rps)") / $(fmt "$(med sluice "$p" consume_rebalance_ms)" 0) | $(mbps "$(med kafka "$p" consume_total_rps)") / $(fmt "$(med kafka "$p" consume_rebalance_ms)" 0) |"
      row="| consume, $(parts "$p"): fetches, fetch latency avg / max ms [max per repetition] |"
      for b in sluice kafka; do
        row+=" $(fmt "$(med $b "$p" consume_fetch_total)" 0), $(fmt "$(med $b "$p" consume_fetch_latency_avg)" 1) / $(fmt "$(med $b "$p" consume_fetch_latency_max)" 0) [$(list $b "$p" consume_fetch_latency_max)] |"
      done
      echo "$row"
    done
    for p in $PARTITIONS; do
      echo "| end-to-end latency, $(parts "$p"): avg / p50 / p99.9, ms | $(fmt "$(med sluice "$p" e2e_avg_ms)" 3) / $(fmt "$(med sluice "$p" e2e_p50_ms)" 0) / $(fmt "$(med sluice "$p" e2e_p999_ms)" 0) | $(fmt "$(med kafka "$p" e2e_avg_ms)" 3) / $(fmt "$(med kafka "$p" e2e_p50_ms)" 0) / $(fmt "$(med kafka "$p" e2e_p999_ms)" 0) |"
    done
    for p in $PARTITIONS; do
      for phase in produce consume; do
        row="| $phase, $(parts "$p"): CPU ms per MB, broker / tool; machine busy / iowait during the run |"
        for b in sluice kafka; do
          row+=" $(fmt "$(div "$(med $b "$p" "${phase}_broker_cpu_ms")" "$mb")" 1) / $(fmt "$(div "$(med $b "$p" "${phase}_tool_cpu_ms")" "$mb")" 1); $(fmt "$(med $b "$p" "${phase}_machine_busy_pct")" 0)% / $(fmt "$(med $b "$p" "${phase}_machine_iowait_pct")" 0)% |"
        done
        echo "$row"
      done
      row="| end-to-end latency run, $(parts "$p"): broker CPU µs per message |"
      for b in sluice kafka; do
        row+=" $(fmt "$(div "$(med $b "$p" latency_broker_cpu_ms)" "$(awk -v n="$LATENCY_MESSAGES" 'BEGIN { print n / 1000 }')")" 0) |"
      done
      echo "$row"
    done
    if [[ -n $(values sluice-first 0 accept_ms) ]]; then
      echo "| Sluice's first start after a build (the launcher trains its start-up cache first): exec to accepting ms [$(list sluice-first 0 accept_ms)] | $(fmt "$(med sluice-first 0 accept_ms)" 0) | – |"
    fi
    echo "| Sluice with the launcher's JVM options alone (no heap options): idle RSS MB / exec to accepting ms [$(list sluice-default 0 idle_rss_kib 0.001024) / $(list sluice-default 0 accept_ms)] | $(mb_of "$(med sluice-default 0 idle_rss_kib)") / $(fmt "$(med sluice-default 0 accept_ms)" 0) | – |"
    echo "| exec to the \"started\" log line, ms [$(list sluice 0 started_ms) / $(list kafka 0 started_ms)] | $(fmt "$(med sluice 0 started_ms)" 0) | $(fmt "$(med kafka 0 started_ms)" 0) |"
    echo "| RSS after the workload / peak RSS (VmHWM), MB | $(mb_of "$(med sluice 0 rss_after_kib)" 0) / $(mb_of "$(med sluice 0 hwm_kib)" 0) | $(mb_of "$(med kafka 0 rss_after_kib)" 0) / $(mb_of "$(med kafka 0 hwm_kib)" 0) |"
    echo "| 1-minute load average before each broker run (min–max) | $(range sluice 0 load_before) | $(range kafka 0 load_before) |"
    if [[ "${PROFILE:-0}" == 1 ]]; then
      echo
      echo "Profile (PROFILE=1: JFR around each run, so these runs' figures carry JFR's overhead), fsyncs per run:"
      echo
      echo "| run | fsyncs | per produced MB | mean ms | p50 ms | p99 ms | total ms |"
      echo "|---|---|---|---|---|---|---|"
      for f in "$RESULTS"/*-produce.fsync "$RESULTS"/*-consume.fsync "$RESULTS"/*-latency.fsync; do
        [[ -s $f ]] || continue
        read -r _ n mean p50 p99 total <"$f"
        per_mb=–
        [[ $f != *-produce.fsync ]] || per_mb=$(fmt "$(div "$n" "$mb")" 1)
        echo "| $(basename "$f" .fsync) | $n | $per_mb | $mean | $p50 | $p99 | $total |"
      done
    fi
    if [[ -s "$RESULTS/rebuilt.txt" ]]; then
      echo
      echo "**sluice.jar was rebuilt during the run** (sources changed): the repetitions mix two builds; see rebuilt.txt."
    fi
    if [[ -s "$RESULTS/archive.txt" ]]; then
      echo
      echo "The launcher's start-up cache: $(paste -sd ';' "$RESULTS/archive.txt" | sed 's/;/; /g')."
    fi
    if [[ -s "$RESULTS/died.txt" ]]; then
      echo
      echo "**A broker exited on its own during the run** (the rest of that repetition was skipped; see died.txt):"
      grep -E 'exited with status' "$RESULTS/died.txt" | sed 's/^/- /'
    fi
    short=$(awk -F'\t' -v n="$RECORDS" '$4 == "consume_records" && $5 != n {printf "%s%s rep %s, %s partitions: %s", sep, $1, $2, $3, $5; sep = "; "}' "$RAW")
    if [[ -n $short ]]; then
      echo
      echo "**ConsumerPerformance read fewer records than produced:** $short."
    fi
    echo
    echo "MB is 10^6 bytes (ProducerPerformance and ConsumerPerformance print MiB as \"MB\"; the tables convert from their"
    echo "records/s). $RECORDS records of $RECORD_SIZE B per run, $LATENCY_MESSAGES end-to-end messages; both brokers with"
    echo "${HEAP_OPTS[*]} on $ncpu cores, tools in separate JVMs on the same cores. Sluice runs as \`./sluice start ${COMPONENTS[*]:-}\` starts it"
    echo "(its launcher's JVM options and start-up cache, the heap in SLUICE_JAVA_OPTS), Kafka as"
    echo "\`java <kafka-run-class.sh's options> kafka.Kafka server.properties\`."
  } >"$RESULTS/$S"
  echo
  echo "== summary (also in $RESULTS/$S)"
  cat "$RESULTS/$S"
  GOALS=$(grep -cE '\| (PASS|FAIL|n/a) \|$' "$RESULTS/$S" || true)
  PASSED=$(grep -c '| PASS |' "$RESULTS/$S" || true)
}

# SUMMARY_FROM=DIR: only write the summary again, from DIR's raw.tsv and settings.env.
if [[ -n ${SUMMARY_FROM:-} ]]; then
  RESULTS=$(cd "$SUMMARY_FROM" && pwd)
  RAW=$RESULTS/raw.tsv
  [[ -s $RAW && -s $RESULTS/settings.env ]] || die "$SUMMARY_FROM has no raw.tsv and settings.env"
  # shellcheck source=/dev/null  # written by an earlier run of this script
  source "$RESULTS/settings.env"
  read -r -a HEAP_OPTS <<<"$HEAP"
  summarize
  exit 0
fi

# --- Build Sluice and fetch Kafka if needed -------------------------------------------------------------------------
SLUICE_JAR=$ROOT/server/target/sluice.jar
echo "== Sluice: ./sluice version (builds $SLUICE_JAR when missing or stale)"
./sluice version

KAFKA_LIB=${KAFKA_LIB:-$ROOT/bench/.work/kafka-lib}
if [[ ! -f "$KAFKA_LIB/.complete" || bench/kafka/pom.xml -nt "$KAFKA_LIB/.complete" ]]; then
  echo "== Kafka: fetching kafka_2.13 and kafka-tools 3.9.1 with their runtime dependencies into $KAFKA_LIB"
  # Into a fresh directory, so a changed version never leaves two copies of a jar on the classpath.
  rm -rf "$KAFKA_LIB.tmp"
  mvn -B -q -f bench/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB.tmp"
  rm -rf "$KAFKA_LIB"
  mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
  touch "$KAFKA_LIB/.complete"
fi
KAFKA_CP="$KAFKA_LIB/*"
TOOLS_LOG4J="-Dlog4j.configuration=file:$ROOT/bench/kafka/tools-log4j.properties"

# --- Work and results directories ---------------------------------------------------------------------------------
BENCH_ROOT=${BENCH_DIR:-$ROOT/bench/.work}
mkdir -p "$BENCH_ROOT"
BENCH_ROOT=$(cd "$BENCH_ROOT" && pwd)
# A private subdirectory, so cleaning up never touches anything else under a BENCH_DIR given by the caller.
WORK=$(mktemp -d "$BENCH_ROOT/kafka-vs-sluice.XXXXXX")
RESULTS=${RESULTS_DIR:-$ROOT/bench/results/kafka-vs-sluice-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
# What the summary needs to be written again later (SUMMARY_FROM).
cat >"$RESULTS/settings.env" <<EOF
RECORDS=$RECORDS
RECORD_SIZE=$RECORD_SIZE
LATENCY_MESSAGES=$LATENCY_MESSAGES
PARTITIONS='$PARTITIONS'
HEAP='${HEAP_OPTS[*]}'
IDLE_SECONDS=$IDLE_SECONDS
PROFILE=${PROFILE:-0}
EOF

BROKER_PID=
stop_broker() {
  local pid=$BROKER_PID
  [[ -n $pid ]] || return 0
  BROKER_PID=
  kill -TERM "$pid" 2>/dev/null || return 0
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_broker
  rm -rf "$WORK"
}
trap cleanup EXIT
# Java exits with 130 on Ctrl-C rather than dying of the signal, so bash would go on to the next step: stop instead.
trap 'exit 130' INT TERM

# --- Machine ------------------------------------------------------------------------------------------------------
{
  echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo n/a)$(git diff --quiet HEAD -- log broker server 2>/dev/null || echo ' (log, broker or server has uncommitted changes)')"
  echo "nproc:  $(nproc)"
  echo "kernel: $(uname -srm)"
  echo "jdk:    $("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
  echo "-- lscpu | head"; lscpu | head
  echo "-- free -h"; free -h
  echo "-- df -h $BENCH_ROOT"; df -h "$WORK"
  echo "-- filesystem: $(findmnt -n -o FSTYPE,OPTIONS --target "$WORK" 2>/dev/null || echo n/a)"
} | tee "$RESULTS/machine.txt"
echo "reps=$REPS records=$RECORDS record_size=$RECORD_SIZE latency_messages=$LATENCY_MESSAGES partitions=($PARTITIONS) heap=(${HEAP_OPTS[*]})" \
  | tee -a "$RESULTS/machine.txt"

# --- Helpers ------------------------------------------------------------------------------------------------------
# Raw results, one line per value: broker, repetition, partitions (0 when not per topic), metric, value.
RAW=$RESULTS/raw.tsv
printf 'broker\trep\tpartitions\tmetric\tvalue\n' >"$RAW"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RAW"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
load1() { cut -d' ' -f1 /proc/loadavg; }
# Microseconds since the epoch, without a fork.
now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }

# Starts "$@" in the background with its exec time (µs) written first to $1; sets BROKER_PID. Output to $2.
launch() {
  local stamp=$1 out=$2
  shift 2
  # The subshell writes the time and becomes the broker by exec, so the stamp is taken just before exec.
  (
    now_us >"$stamp"
    exec "$@" >"$out" 2>&1
  ) &
  BROKER_PID=$!
}

# Waits until 127.0.0.1:$1 accepts a TCP connection; prints the time (µs) it first did. Polls every ~5 ms.
wait_accept() {
  local port=$1 deadline=$((SECONDS + START_TIMEOUT))
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$BROKER_PID" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.005
  done
  now_us
}

# Waits until file $1 has a line matching $2; prints the time (µs) it was seen. Polls every 20 ms.
wait_line() {
  local file=$1 pattern=$2 deadline=$((SECONDS + START_TIMEOUT))
  until grep -q -- "$pattern" "$file" 2>/dev/null; do
    kill -0 "$BROKER_PID" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.02
  done
  now_us
}

rss_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# Runs a Kafka tool class with Kafka's tool JVM options; output in $RESULTS/$1.out and .err.
tool() {
  local name=$1 class=$2
  shift 2
  timeout -k 10 "$TOOL_TIMEOUT" "$JAVA" "${TOOL_HEAP[@]}" "${KAFKA_JVM_PERF[@]}" "$TOOLS_LOG4J" -cp "$KAFKA_CP" \
    "$class" "$@" >"$RESULTS/$name.out" 2>"$RESULTS/$name.err"
}

# CPU time (ms) the broker has used so far: utime + stime from /proc/<pid>/stat (fields 14 and 15).
CLK_TCK=$(getconf CLK_TCK)
broker_cpu_ms() {
  awk -v hz="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1000 / hz }' "/proc/$BROKER_PID/stat" 2>/dev/null || echo n/a
}
# Sets CHILDREN_CPU_MS to the CPU time of this shell's waited-for children so far (the tools), from the times
# builtin; called directly, not in $(...), whose subshell would have no children.
children_cpu() {
  times >"$WORK/times"
  CHILDREN_CPU_MS=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
    printf "%.0f", t * 1000 }' "$WORK/times")
}
# Busy and iowait jiffies of the whole machine so far, from /proc/stat: "busy iowait total".
machine_jiffies() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, $6, t; exit }' /proc/stat; }

# PROFILE=1: a JFR recording of the broker around each measured tool run (settings=profile, every fsync recorded).
prof_start() {
  [[ "${PROFILE:-0}" == 1 ]] || return 0
  # The CPU-time sampler (JDK 25, Linux) counts time in system calls too, fsync included; execution samples do not.
  "$JAVA_HOME/bin/jcmd" "$BROKER_PID" JFR.start name=bench settings=profile 'jdk.FileForce#threshold=0ms' \
    'jdk.CPUTimeSample#enabled=true' 'jdk.CPUTimeSample#throttle=1ms' filename="$RESULTS/$1.jfr" >/dev/null \
    || echo "   (JFR.start failed)"
}
prof_stop() {
  [[ "${PROFILE:-0}" == 1 ]] || return 0
  kill -0 "$BROKER_PID" 2>/dev/null || return 0
  "$JAVA_HOME/bin/jcmd" "$BROKER_PID" JFR.stop name=bench >/dev/null || echo "   (JFR.stop failed)"
}

# profile_report NAME: NAME.profile.txt from NAME.jfr: every fsync (jdk.FileForce), execution samples per thread,
# the hottest methods; and one line "fsyncs count mean_ms p50_ms p99_ms total_ms" in NAME.fsync.
profile_report() {
  local jfr=$RESULTS/$1.jfr out=$RESULTS/$1.profile.txt
  [[ -s $jfr ]] || return 0
  # One line per fsync: its duration in ms and the partition directory of the file forced.
  "$JAVA_HOME/bin/jfr" print --events jdk.FileForce "$jfr" | awk '
    $1 == "duration" { v = $3; u = $4; ms = (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : v / 1e6 }
    $1 == "path" { p = $3; sub(/\/[^\/]*"$/, "", p); sub(/.*\//, "", p); print ms, p }' | sort -g >"$RESULTS/$1.fsyncs"
  awk '{ d[NR] = $1; sum += $1 }
    END {
      n = NR; p50 = n ? d[int((n - 1) * 0.5) + 1] : 0; p99 = n ? d[int((n - 1) * 0.99) + 1] : 0
      printf "fsyncs %d %.3f %.3f %.3f %.1f\n", n, n ? sum / n : 0, p50, p99, sum > "/dev/stderr"
      printf "== fsyncs (jdk.FileForce, every one): %d, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms, total %.1f ms\n",
        n, n ? sum / n : 0, p50, p99, n ? d[n] : 0, sum
    }' "$RESULTS/$1.fsyncs" >"$out" 2>"$RESULTS/$1.fsync"
  awk '{ c[$2]++ } END { for (k in c) printf "   %8d  %s\n", c[k], k }' "$RESULTS/$1.fsyncs" | sort -rn >>"$out"
  rm -f "$RESULTS/$1.fsyncs"
  {
    echo
    echo "== CPU-time samples per thread (jdk.CPUTimeSample; virtual threads under their own names)"
    "$JAVA_HOME/bin/jfr" print --events jdk.CPUTimeSample "$jfr" \
      | awk -F'"' '/eventThread = / { n[$2]++; t++ } END { for (k in n) printf "%8d  %5.1f%%  %s\n", n[k], 100 * n[k] / t, k }' \
      | sort -rn | head -20
    echo
    "$JAVA_HOME/bin/jfr" view --width 200 cpu-time-hot-methods "$jfr" | head -40
    "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$jfr" | head -20
    "$JAVA_HOME/bin/jfr" view --width 200 gc-pauses "$jfr" 2>/dev/null | head -12 || true
  } >>"$out"
}

# measured BROKER REP PARTITIONS PHASE CLASS ARGS...: runs a tool as tool() does, as $BROKER-rep$REP-p$P-$PHASE, and
# records the wall time, the CPU time of the broker and of the tool, and the machine's busy and iowait share meanwhile.
measured() {
  local broker=$1 rep=$2 p=$3 phase=$4 class=$5 name="$1-rep$2-p$3-$4"
  shift 5
  prof_start "$name"
  local b0 b1 c0 c1 t0 t1 m0 m1 status=0
  children_cpu
  c0=$CHILDREN_CPU_MS m0=$(machine_jiffies) b0=$(broker_cpu_ms) t0=$(now_us)
  tool "$name" "$class" "$@" || status=$?
  t1=$(now_us) b1=$(broker_cpu_ms) m1=$(machine_jiffies)
  children_cpu
  c1=$CHILDREN_CPU_MS
  prof_stop
  [[ "${PROFILE:-0}" != 1 ]] || profile_report "$name"
  record "$broker" "$rep" "$p" "${phase}_wall_ms" $(((t1 - t0) / 1000))
  record "$broker" "$rep" "$p" "${phase}_tool_cpu_ms" $((c1 - c0))
  if [[ $b0 != n/a && $b1 != n/a ]]; then
    record "$broker" "$rep" "$p" "${phase}_broker_cpu_ms" $((b1 - b0))
  fi
  read -r -a m0 <<<"$m0"
  read -r -a m1 <<<"$m1"
  record "$broker" "$rep" "$p" "${phase}_machine_busy_pct" \
    "$(awk -v b="$((m1[0] - m0[0]))" -v t="$((m1[2] - m0[2]))" 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')"
  record "$broker" "$rep" "$p" "${phase}_machine_iowait_pct" \
    "$(awk -v w="$((m1[1] - m0[1]))" -v t="$((m1[2] - m0[2]))" 'BEGIN { printf "%.1f", t ? 100 * w / t : 0 }')"
  return $status
}

# --- Brokers ------------------------------------------------------------------------------------------------------
# start_kafka NAME: formats a fresh KRaft directory and starts Kafka; sets BOOTSTRAP, LOG, STARTED_LINE.
start_kafka() {
  local name=$1 dir=$WORK/kafka port controller
  rm -rf "$dir"
  mkdir -p "$dir/logs"
  port=$(free_port)
  controller=$(free_port)
  while [[ $controller == "$port" ]]; do controller=$(free_port); done
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# log.flush.interval.messages and log.flush.interval.ms stay unset: no fsync per message, Kafka's normal deployment.
EOF
  cp "$dir/server.properties" "$RESULTS/$name.server.properties"
  local cluster_id
  cluster_id=$("$JAVA" "$TOOLS_LOG4J" -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid)
  "$JAVA" "$TOOLS_LOG4J" -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$dir/server.properties" >"$RESULTS/$name.format.log" 2>&1 || die "kafka-storage format failed: $RESULTS/$name.format.log"
  BOOTSTRAP=127.0.0.1:$port
  LOG=$dir/logs/server.log
  STARTED_LINE='Kafka Server started'
  launch "$WORK/exec-time" "$RESULTS/$name.stdout" "$JAVA" "${HEAP_OPTS[@]}" "${KAFKA_JVM_PERF[@]}" \
    -Dkafka.logs.dir="$dir/logs" -Dlog4j.configuration="file:$ROOT/bench/kafka/log4j.properties" \
    ${KAFKA_EXTRA[@]+"${KAFKA_EXTRA[@]}"} -cp "$KAFKA_CP" kafka.Kafka "$dir/server.properties"
  KAFKA_PORT=$port
}

# start_sluice NAME [launcher-defaults]: starts Sluice on a fresh data directory with `./sluice start`, as a user
# does (the launcher adds its JVM options, its start-up cache among them), with the benchmark's heap and
# SLUICE_OPTS in SLUICE_JAVA_OPTS unless told to leave the launcher's defaults alone; sets the same as start_kafka.
start_sluice() {
  local name=$1 dir=$WORK/sluice port http
  local jvm="${HEAP_OPTS[*]} ${SLUICE_EXTRA[*]}"
  [[ ${2:-} != launcher-defaults ]] || jvm=
  sluice_ready
  rm -rf "$dir"
  mkdir -p "$dir"
  port=$(free_port)
  http=$(free_port)
  while [[ $http == "$port" ]]; do http=$(free_port); done
  BOOTSTRAP=127.0.0.1:$port
  LOG=$RESULTS/$name.stdout
  STARTED_LINE='sluice - started in'
  # The launcher execs java, so the process started here is the broker: exec time and PID stay valid.
  launch "$WORK/exec-time" "$LOG" env SLUICE_JAVA_OPTS="$jvm" "$ROOT/sluice" start ${COMPONENTS[@]+"${COMPONENTS[@]}"} --data-dir "$dir/data" \
    --kafka-listen "127.0.0.1:$port" --http-listen "127.0.0.1:$http"
  KAFKA_PORT=$port
}

# The launcher's start-up cache for `start` with these components (see ./sluice): a JDK AOT cache it trains once per
# build, with a start of its own, before the first start that needs it; a start without it is about twice as slow.
if ((${#COMPONENTS[@]} == 0)); then
  SLUICE_AOT=${SLUICE_JAR%.jar}-start-all.aot
else
  SLUICE_AOT=${SLUICE_JAR%.jar}-start-$(printf '%s\n' "${COMPONENTS[@]}" | sort -u | paste -sd+ -).aot
fi
# Before every Sluice start, outside the timed window: the jar is rebuilt if sources changed (the launcher would
# otherwise do it inside the start), and the cache is brought to the state the launcher means to keep, one trained
# for this jar: one untimed start makes the launcher train it when it is missing or older than the jar.
sluice_ready() {
  local before
  before=$(stat -c %Y "$SLUICE_JAR")
  "$ROOT/sluice" version >/dev/null
  if [[ $(stat -c %Y "$SLUICE_JAR") != "$before" ]]; then
    echo "   (sluice.jar was rebuilt: sources changed during the run)"
    echo "sluice.jar rebuilt before $name" >>"$RESULTS/rebuilt.txt"
  fi
  if [[ ! -f $SLUICE_AOT || $SLUICE_AOT -ot $SLUICE_JAR ]]; then
    # The launcher trains the cache, then starts; that start's time is the first-start-after-build figure.
    local saved_pid=$BROKER_PID dir=$WORK/sluice-first port t0 t1
    rm -rf "$dir"
    port=$(free_port)
    launch "$WORK/first-exec-time" "$RESULTS/sluice-first-start.stdout" env SLUICE_JAVA_OPTS= "$ROOT/sluice" start ${COMPONENTS[@]+"${COMPONENTS[@]}"} \
      --data-dir "$dir" \
      --kafka-listen "127.0.0.1:$port" --http-listen "127.0.0.1:$(free_port)"
    t1=$(wait_accept "$port") || die "Sluice (first start, training the cache) did not accept connections"
    t0=$(<"$WORK/first-exec-time")
    record sluice-first 0 0 accept_ms $(((t1 - t0) / 1000))
    sleep 2
    stop_broker
    rm -rf "$dir"
    BROKER_PID=$saved_pid
    if [[ -f $SLUICE_AOT ]]; then
      echo "cache trained by a first start (exec to accepting, training included, $(((t1 - t0) / 1000)) ms)" >>"$RESULTS/archive.txt"
    else
      echo "   (the launcher trained no cache; Sluice starts without one)"
      echo "no cache trained by a first start" >>"$RESULTS/archive.txt"
    fi
  fi
}

# client_metric GROUP NAME FILE: a client-wide metric from a tool's --print-metrics output, e.g.
# "producer-metrics:request-total:{client-id=perf-producer-client}   : 3342.000".
client_metric() { awk -F' : ' -v k="$1:$2:{client-id=" 'index($1, k) == 1 { v = $2 } END { print v + 0 }' "$3"; }

# --- One broker, one repetition -------------------------------------------------------------------------------------
# A broker that stopped on its own (a crash, or a signal from outside this script) is noted, with the end of its log,
# and the rest of its repetition skipped; the summary lists it.
alive_or_note() {
  local broker=$1 rep=$2 name=$3 when=$4
  kill -0 "$BROKER_PID" 2>/dev/null && return 0
  local status=0
  wait "$BROKER_PID" 2>/dev/null || status=$?
  BROKER_PID=
  record "$broker" "$rep" 0 died 1
  echo "   $broker exited on its own (status $status) $when; the rest of $name is skipped. End of its log:"
  echo "$name: exited with status $status $when" >>"$RESULTS/died.txt"
  tail -5 "$LOG" | tee -a "$RESULTS/died.txt" | sed 's/^/     /'
  return 1
}

value_after() { awk -v key="$1" '{ for (i = 1; i < NF; i++) if ($(i + 1) == key) { v = $i } } END { if (v != "") print v }'; }

# Measures the start (exec to accepting, exec to the "started" line) and the idle RSS of the broker just launched.
start_and_idle() {
  local broker=$1 rep=$2 name=$3
  local t_exec t_accept t_started
  t_accept=$(wait_accept "$KAFKA_PORT") || die "$broker did not accept connections on $KAFKA_PORT; see $RESULTS/$name.*"
  t_started=$(wait_line "$LOG" "$STARTED_LINE") || die "$broker did not log '$STARTED_LINE'; see $LOG"
  t_exec=$(<"$WORK/exec-time")
  local accept_ms started_ms
  accept_ms=$(awk -v a="$t_accept" -v e="$t_exec" 'BEGIN { printf "%.0f", (a - e) / 1000 }')
  started_ms=$(awk -v a="$t_started" -v e="$t_exec" 'BEGIN { printf "%.0f", (a - e) / 1000 }')
  record "$broker" "$rep" 0 accept_ms "$accept_ms"
  record "$broker" "$rep" 0 started_ms "$started_ms"
  sleep "$IDLE_SECONDS"
  local rss
  alive_or_note "$broker" "$rep" "$name" "while idle" || return 1
  rss=$(rss_kib "$BROKER_PID" VmRSS)
  record "$broker" "$rep" 0 idle_rss_kib "$rss"
  echo "   accepts connections ${accept_ms} ms after exec, logs started at ${started_ms} ms; idle RSS $((rss / 1024)) MiB"
}

# Context: Sluice started exactly as ./sluice start starts it, without the benchmark's heap options.
bench_sluice_default() {
  local rep=$1 name="sluice-default-rep$1"
  echo
  echo "== $name: ./sluice start with the launcher's JVM options alone (no heap options)"
  record sluice-default "$rep" 0 load_before "$(load1)"
  start_sluice "$name" launcher-defaults
  start_and_idle sluice-default "$rep" "$name" || return 0
  stop_broker
  rm -rf "${WORK:?}/sluice"
}

bench_broker() {
  local broker=$1 rep=$2 name="$1-rep$2"
  echo
  echo "== $name (load $(cut -d' ' -f1-3 /proc/loadavg))"
  record "$broker" "$rep" 0 load_before "$(load1)"
  "start_$broker" "$name"
  start_and_idle "$broker" "$rep" "$name" || return 0

  local p topic out
  for p in $PARTITIONS; do
    topic=bench-p$p
    alive_or_note "$broker" "$rep" "$name" "before the $p-partition topic" || break
    tool "$name-p$p-create" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
      --topic "$topic" --partitions "$p" --replication-factor 1 || die "topic creation failed: $RESULTS/$name-p$p-create.err"

    record "$broker" "$rep" "$p" load_before_produce "$(load1)"
    if measured "$broker" "$rep" "$p" produce org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
      --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
      --producer-props bootstrap.servers="$BOOTSTRAP" acks=all --print-metrics; then
      # "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, a ms 50th, b ms 95th, ..."
      out=$(grep -E "^$RECORDS records sent" "$RESULTS/$name-p$p-produce.out" | tail -1 | tr -d ',()')
      record "$broker" "$rep" "$p" produce_rps "$(value_after records/sec <<<"$out")"
      record "$broker" "$rep" "$p" produce_avg_ms "$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "ms" && $(i + 2) == "avg") print $i }' <<<"$out")"
      record "$broker" "$rep" "$p" produce_p50_ms "$(value_after 50th <<<"${out// ms / }")"
      record "$broker" "$rep" "$p" produce_p99_ms "$(value_after 99th <<<"${out// ms / }")"
      # The producer's own metrics (--print-metrics): what limits a producer with 5 requests in flight.
      for m in request-total request-latency-avg records-per-request-avg record-queue-time-avg; do
        record "$broker" "$rep" "$p" "produce_${m//-/_}" "$(client_metric producer-metrics "$m" "$RESULTS/$name-p$p-produce.out")"
      done
      echo "   produce  p=$p: $(grep -E "^$RECORDS records sent" "$RESULTS/$name-p$p-produce.out" | tail -1)"
    else
      echo "   produce  p=$p: FAILED, see $RESULTS/$name-p$p-produce.err"
    fi

    if measured "$broker" "$rep" "$p" consume org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
      --topic "$topic" --messages "$RECORDS" --timeout 30000 --print-metrics; then
      # start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      out=$(grep -E '^[0-9]{4}-' "$RESULTS/$name-p$p-consume.out" | tail -1)
      if [[ -n $out ]]; then
        IFS=',' read -r -a f <<<"$(tr -d ' ' <<<"$out")"
        record "$broker" "$rep" "$p" consume_records "${f[4]}"
        record "$broker" "$rep" "$p" consume_total_rps "${f[5]}"
        record "$broker" "$rep" "$p" consume_rebalance_ms "${f[6]}"
        record "$broker" "$rep" "$p" consume_fetch_rps "${f[9]}"
        for m in fetch-total fetch-latency-avg fetch-latency-max; do
          record "$broker" "$rep" "$p" "consume_${m//-/_}" \
            "$(client_metric consumer-fetch-manager-metrics "$m" "$RESULTS/$name-p$p-consume.out")"
        done
        echo "   consume  p=$p: ${f[4]} records, $(printf '%.0f' "${f[9]}") records/s fetching, $(printf '%.0f' "${f[5]}") records/s with the group join (${f[6]} ms)"
      fi
    else
      echo "   consume  p=$p: FAILED, see $RESULTS/$name-p$p-consume.err"
    fi

    alive_or_note "$broker" "$rep" "$name" "after consuming the $p-partition topic" || break
    record "$broker" "$rep" "$p" load_before_latency "$(load1)"
    if measured "$broker" "$rep" "$p" latency org.apache.kafka.tools.EndToEndLatency "$BOOTSTRAP" "$topic" "$LATENCY_MESSAGES" all \
      "$RECORD_SIZE"; then
      # "Avg latency: 2.3681 ms" and "Percentiles: 50th = 1, 99th = 13, 99.9th = 21" (whole milliseconds)
      record "$broker" "$rep" "$p" e2e_avg_ms "$(awk '/^Avg latency:/ {print $3}' "$RESULTS/$name-p$p-latency.out")"
      out=$(grep '^Percentiles:' "$RESULTS/$name-p$p-latency.out" | tr -d ',')
      record "$broker" "$rep" "$p" e2e_p50_ms "$(awk '{print $4}' <<<"$out")"
      record "$broker" "$rep" "$p" e2e_p99_ms "$(awk '{print $7}' <<<"$out")"
      record "$broker" "$rep" "$p" e2e_p999_ms "$(awk '{print $10}' <<<"$out")"
      echo "   latency  p=$p: $(grep '^Avg latency' "$RESULTS/$name-p$p-latency.out"); $(grep '^Percentiles' "$RESULTS/$name-p$p-latency.out")"
    else
      echo "   latency  p=$p: FAILED, see $RESULTS/$name-p$p-latency.err"
    fi
  done

  if kill -0 "$BROKER_PID" 2>/dev/null; then
    record "$broker" "$rep" 0 rss_after_kib "$(rss_kib "$BROKER_PID" VmRSS)"
    record "$broker" "$rep" 0 hwm_kib "$(rss_kib "$BROKER_PID" VmHWM)"
  fi
  record "$broker" "$rep" 0 data_kib "$(du -sk "$WORK/$broker" | cut -f1)"
  stop_broker
  if [[ $broker == kafka ]]; then
    cp "$LOG" "$RESULTS/$name.server.log"
  fi
  rm -rf "${WORK:?}/$broker"
}

# --- Run ------------------------------------------------------------------------------------------------------------
DONE_REPS=0
for ((rep = 1; rep <= REPS; rep++)); do
  if ((rep > 1 && SECONDS - SCRIPT_START > MAX_MINUTES * 60)); then
    echo "== stopping after $DONE_REPS repetitions: past MAX_MINUTES=$MAX_MINUTES"
    break
  fi
  # Alternate which broker goes first, so drift in the machine's other load hits both alike.
  if ((rep % 2 == 1)); then
    bench_broker kafka "$rep"
    bench_broker sluice "$rep"
    bench_sluice_default "$rep"
  else
    bench_sluice_default "$rep"
    bench_broker sluice "$rep"
    bench_broker kafka "$rep"
  fi
  DONE_REPS=$rep
done

summarize
echo
echo "$PASSED of $GOALS goal rows met; load now $(cut -d' ' -f1-3 /proc/loadavg); took $(((SECONDS - SCRIPT_START) / 60)) min $(((SECONDS - SCRIPT_START) % 60)) s. Results: $RESULTS"
if [[ "${BENCH_STRICT:-0}" == 1 && $PASSED -lt $GOALS ]]; then
  exit 3
fi
