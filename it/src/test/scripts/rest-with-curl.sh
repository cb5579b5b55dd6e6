#!/usr/bin/env bash
# The REST API and an HTTP source driven by curl, as a shell user would: run by CurlScriptTest against a real Sluice.
#   rest-with-curl.sh BASE_URL
set -euo pipefail
URL=$1
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# call METHOD PATH [BODY] [CONTENT_TYPE]: sets STATUS and BODY_OUT.
call() {
  local method=$1 path=$2 body=${3:-} type=${4:-application/json} out
  out=$(mktemp)
  if [[ -n $body ]]; then
    STATUS=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Content-Type: $type" --data-binary "$body" "$URL$path")
  else
    STATUS=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$URL$path")
  fi
  BODY_OUT=$(cat "$out")
  rm -f "$out"
}
expect() {
  [[ $STATUS == "$1" ]] || fail "$2: expected HTTP $1, got $STATUS: $BODY_OUT"
}
contains() {
  [[ $BODY_OUT == *"$1"* ]] || fail "$2: expected '$1' in: $BODY_OUT"
}

call GET /health
expect 200 "health"
call POST /v1/topics '{"name": "curl-topic", "partitions": 2}'
expect 201 "create topic"
contains '"name":"curl-topic"' "create topic"
call POST /v1/topics '{"name": "curl-topic"}'
expect 409 "create the topic again"
contains '"code":"topic_exists"' "create the topic again"

call POST /v1/topics/curl-topic/records '{"records": [{"key": "k", "value": {"n": 1}, "partition": 0}]}'
expect 200 "produce"
contains '"offset":0' "produce"
call GET '/v1/topics/curl-topic/records?partition=0&offset=0&limit=10'
expect 200 "read"
contains '"value":{"n":1}' "read"

call POST /v1/sources '{"name": "curl-source", "topic": "curl-topic"}'
expect 201 "create source"
INGEST=$(sed -E 's/.*"url":"([^"]*)".*/\1/' <<<"$BODY_OUT")
call POST "$INGEST" '{"from": "curl"}'
expect 200 "ingest JSON"
contains '"durable":true' "ingest JSON"
call POST "$INGEST" 'plain words' text/plain
expect 200 "ingest text"
call POST "$INGEST" '{"broken": ' application/json
expect 400 "ingest broken JSON"
contains '"code":"invalid_json"' "ingest broken JSON"
call POST "/ingest/curl-source/not-the-secret" '{}'
expect 404 "wrong secret"

call GET /v1/topics/curl-topic
expect 200 "describe"
# One record by the REST API and two by the source, in two partitions.
ENDS=$(( $(grep -o '"endOffset":[0-9]*' <<<"$BODY_OUT" | cut -d: -f2 | paste -sd+) ))
[[ $ENDS == 3 ]] || fail "describe: expected 3 records in all, got $ENDS: $BODY_OUT"

call DELETE /v1/topics/curl-topic
expect 204 "delete topic"
call GET /v1/topics/curl-topic
expect 404 "describe a deleted topic"
echo "OK"
