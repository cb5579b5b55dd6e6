# Sluice helpers for bash steps. Loaded automatically (BASH_ENV); `source sluice.sh` also works.
#   sluice_emit TYPE [JSON-DATA] [SUBJECT]   emit one CloudEvent (JSON-DATA must be valid JSON, e.g. '{"n":1}')
#   sluice_event                              print the triggering event (the content of event.json)

sluice_json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

sluice_emit() {
  if [ $# -lt 1 ] || [ -z "$1" ]; then
    echo "sluice_emit: usage: sluice_emit TYPE [JSON-DATA] [SUBJECT]" >&2
    return 2
  fi
  local line
  line="{\"type\":$(sluice_json_string "$1")"
  if [ $# -ge 2 ]; then line="$line,\"data\":$2"; fi
  if [ $# -ge 3 ]; then line="$line,\"subject\":$(sluice_json_string "$3")"; fi
  printf '%s}\n' "$line" >&3
}

sluice_event() {
  cat "$SLUICE_EVENT_FILE"
}
