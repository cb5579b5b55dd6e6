#!/usr/bin/env bash
# Start-up of the broker as a user runs it: `./sluice start broker` on a fresh data directory, REPS times, after one
# start that lets the launcher write its class-data archive. Prints exec → Kafka port accepting (ms), exec → the
# "started" log line (ms) and the idle RSS 2 s after accepting (MiB), each rep and the medians.
#
#   REPS=7 bench/start.sh                      # the launcher's own JVM options
#   SLUICE_JAVA_OPTS="-Xms1g -Xmx1g" bench/start.sh   # with the heap bench/kafka-vs-sluice.sh gives both brokers
#
# Goals (issue 3): accepting within 500 ms of exec, idle RSS under 150 MB.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
REPS=${REPS:-7}
COMPONENTS=${COMPONENTS-broker}
WORK=$(mktemp -d)
trap 'if [[ -n ${PID:-} ]]; then kill "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# One start: prints "accept_ms started_ms rss_mib".
start_once() {
  local port http dir t0 t1 t2 rss
  port=$(free_port)
  http=$(free_port)
  dir=$WORK/data-$RANDOM
  t0=$(now_us)
  # shellcheck disable=SC2086
  "$ROOT/sluice" start $COMPONENTS --data-dir "$dir" --kafka-listen "127.0.0.1:$port" --http-listen "127.0.0.1:$http" \
    >"$WORK/out" 2>&1 &
  PID=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/out" >&2; return 1; }
    sleep 0.002
  done
  t1=$(now_us)
  until grep -q "started" "$WORK/out"; do sleep 0.005; done
  t2=$(now_us)
  sleep 2
  rss=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$PID/status")
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  echo "$(((t1 - t0) / 1000)) $(((t2 - t0) / 1000)) $((rss / 1024))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

"$ROOT/sluice" version >/dev/null # builds the jar when stale, outside the timed starts
echo "untimed first start (the launcher trains its start-up cache when missing): $(start_once)"
: >"$WORK/reps"
for ((i = 1; i <= REPS; i++)); do
  r=$(start_once)
  echo "rep $i: accept_ms started_ms rss_mib = $r (load $(cut -d' ' -f1 /proc/loadavg))"
  echo "$r" >>"$WORK/reps"
done
echo "median over $REPS: accepting $(cut -d' ' -f1 "$WORK/reps" | median) ms," \
  "started line $(cut -d' ' -f2 "$WORK/reps" | median) ms, idle RSS $(cut -d' ' -f3 "$WORK/reps" | median) MiB" \
  "(SLUICE_JAVA_OPTS='${SLUICE_JAVA_OPTS:-}', components: $COMPONENTS, $(nproc) cores)"
