#!/usr/bin/env bash
# Broker produce throughput with a pipeline attached vs the same node's topic without one (issue 6): Kafka's own
# ProducerPerformance (acks=all) sends the same 1 KiB JSON records (each with an e-mail address) to a topic with a
# detective + mask pipeline and to one without, alternately, against one `./sluice start broker http`. Goal: the
# pipelined topic gets at least 50% of the plain topic's records/s. Ends by checking a stored record is masked.
#
#   bench/pipeline-produce.sh                 # 3 repetitions of 300000 records per topic, about 4 minutes
#   REPS=5 RECORDS=500000 bench/pipeline-produce.sh
#
# Environment: REPS (3), RECORDS (300000), PARTITIONS (1), HEAP ("-Xms1g -Xmx1g"), PIPELINE (path: a detective
# pii_email on /user/email and a mask; any: pii_any on the whole payload and a mask), RESULTS_DIR
# (bench/results/pipeline-produce-<time>), KAFKA_LIB (bench/.work/kafka-lib, fetched by Maven from bench/kafka/pom.xml).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() {
  echo "pipeline-produce.sh: $*" >&2
  exit 1
}

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -x "$JAVA_HOME/bin/java" ]] || die "needs JDK 25 or newer; set JAVA_HOME"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
for tool in curl mvn python3; do
  command -v "$tool" >/dev/null || die "needs $tool"
done

REPS=${REPS:-3}
RECORDS=${RECORDS:-300000}
PARTITIONS=${PARTITIONS:-1}
PIPELINE=${PIPELINE:-path}
read -r -a HEAP_OPTS <<<"${HEAP:--Xms1g -Xmx1g}"
STAMP=$(date -u +%Y%m%d-%H%M%S)
RESULTS=${RESULTS_DIR:-$ROOT/bench/results/pipeline-produce-$STAMP}
WORK=$ROOT/bench/.work/pipeline-produce
mkdir -p "$RESULTS" "$WORK"

KAFKA_LIB=${KAFKA_LIB:-$ROOT/bench/.work/kafka-lib}
if [[ ! -f "$KAFKA_LIB/.complete" || bench/kafka/pom.xml -nt "$KAFKA_LIB/.complete" ]]; then
  echo "== fetching Kafka's tools into $KAFKA_LIB"
  rm -rf "$KAFKA_LIB.tmp"
  mvn -B -q -f bench/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB.tmp"
  rm -rf "$KAFKA_LIB"
  mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
  touch "$KAFKA_LIB/.complete"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

"$ROOT/sluice" version >/dev/null
KAFKA_PORT=$(free_port)
HTTP_PORT=$(free_port)
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
URL=http://127.0.0.1:$HTTP_PORT
rm -rf "$WORK/data"
SLUICE_JAVA_OPTS="${HEAP_OPTS[*]}" "$ROOT/sluice" start broker http --data-dir "$WORK/data" \
  --kafka-listen "$BOOTSTRAP" --http-listen "127.0.0.1:$HTTP_PORT" >"$RESULTS/sluice.stdout" 2>&1 &
SLUICE_PID=$!
trap 'kill $SLUICE_PID 2>/dev/null || true; wait $SLUICE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "$URL/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$URL/health/ready" >/dev/null || die "Sluice did not become ready; see $RESULTS/sluice.stdout"

# 1 KiB JSON records, each different, each with an e-mail address at /user/email.
python3 - "$WORK/payloads.ndjson" <<'EOF'
import json, random, sys
random.seed(7)
with open(sys.argv[1], "w") as out:
    for i in range(1000):
        record = {"id": i, "user": {"email": f"user{i}@example.com", "name": f"User {i}", "tier": "gold"},
                  "items": [{"sku": f"SKU-{random.randint(0, 99999):05d}", "qty": random.randint(1, 9),
                             "price": round(random.uniform(1, 500), 2)} for _ in range(6)],
                  "note": "".join(random.choice("abcdefghij ") for _ in range(300))}
        line = json.dumps(record, separators=(",", ":"))
        line = line[:-1] + ',"pad":"' + "x" * max(0, 1021 - len(line) - 9) + '"}'
        out.write(line + "\n")
EOF

case $PIPELINE in
  path) STEPS='[{"name":"find","detective":{"type":"pii_email","path":"/user/email"}},{"name":"mask","transform":{"type":"mask"}}]' ;;
  any) STEPS='[{"name":"find","detective":{"type":"pii_any"}},{"name":"mask","transform":{"type":"mask"}}]' ;;
  *) die "PIPELINE must be path or any" ;;
esac
for topic in plain piped; do
  curl -fsS -X POST "$URL/v1/topics" -H 'content-type: application/json' \
    -d "{\"name\":\"$topic\",\"partitions\":$PARTITIONS}" >/dev/null
done
curl -fsS -X POST "$URL/v1/pipelines" -H 'content-type: application/json' \
  -d "{\"id\":\"bench-mask\",\"steps\":$STEPS}" >/dev/null
curl -fsS -X PUT "$URL/v1/audiences/*/piped/produce" -H 'content-type: application/json' \
  -d '{"pipelines":["bench-mask"]}' >/dev/null

produce() {
  local topic=$1 rep=$2 out
  out=$RESULTS/$topic-$rep.out
  "$JAVA" -Xmx512m -cp "$KAFKA_LIB/*" -Dlog4j.configuration="file:$ROOT/bench/kafka/tools-log4j.properties" \
    org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" --throughput -1 \
    --payload-file "$WORK/payloads.ndjson" --producer-props bootstrap.servers="$BOOTSTRAP" acks=all \
    linger.ms=5 batch.size=65536 >"$out" 2>"$RESULTS/$topic-$rep.err" || die "ProducerPerformance failed: $out"
  grep -E "^$RECORDS records sent" "$out" | tail -1 | tr -d ',()' | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "records/sec") print $i }'
}

echo "== $REPS repetitions, $RECORDS records of ~1 KiB per topic, $PARTITIONS partition(s), pipeline '$PIPELINE'"
printf 'rep\tplain_rps\tpiped_rps\tratio\tload1\n' >"$RESULTS/raw.tsv"
for rep in $(seq 1 "$REPS"); do
  if ((rep % 2)); then order="plain piped"; else order="piped plain"; fi
  declare -A rps=()
  for topic in $order; do
    rps[$topic]=$(produce "$topic" "$rep")
  done
  ratio=$(python3 -c "print(f'{${rps[piped]} / ${rps[plain]}:.3f}')")
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\n' "$rep" "${rps[plain]}" "${rps[piped]}" "$ratio" "$load" >>"$RESULTS/raw.tsv"
  echo "   rep $rep: plain ${rps[plain]} rec/s, piped ${rps[piped]} rec/s, ratio $ratio (load $load)"
done

# The pipeline really ran: the last stored record of the piped topic has its e-mail masked.
stored=$(curl -fsS "$URL/v1/topics/piped/records?partition=0&offset=$((RECORDS - 1))&limit=1")
python3 - "$stored" <<'EOF' || die "the piped topic's records are not masked"
import json, sys
record = json.loads(sys.argv[1])["records"][0]
email = record["value"]["user"]["email"]
assert set(email) == {"*"}, email
print("   stored record's /user/email: " + email)
EOF

python3 - "$RESULTS/raw.tsv" "$RESULTS/summary.md" "$PIPELINE" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
plain = [float(r[1]) for r in rows]
piped = [float(r[2]) for r in rows]
ratios = [float(r[3]) for r in rows]
median = statistics.median(ratios)
with open(sys.argv[2], "w") as out:
    out.write(f"pipeline '{sys.argv[3]}': plain median {statistics.median(plain):.0f} rec/s, piped median "
              f"{statistics.median(piped):.0f} rec/s; ratio median {median:.3f} (per rep: "
              f"{', '.join(r[3] for r in rows)}); goal >= 0.5: {'PASS' if median >= 0.5 else 'FAIL'}\n")
print(open(sys.argv[2]).read(), end="")
EOF
echo "== results in $RESULTS"
