#!/usr/bin/env bash
# The server's memory under sign-ins (issue 15): resident memory (VmRSS, and its peak VmHWM) after
# start, after 200 sign-ins one after another, and after 100 sent at once, on SQLite and PostgreSQL.
# Each sign-in is a real argon2id check of the demo password. Usage: bash bench/sign-in-memory.sh
# (needs dist/, a server binary in BEGLEITBUCH_SERVER_BIN or the release build, and PostgreSQL from
# scripts/postgres.sh).
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$root"
server_bin=${BEGLEITBUCH_SERVER_BIN:-$root/target/release/begleitbuch-server}
admin_url=$(bash scripts/postgres.sh)

memory() { awk '/^VmRSS|^VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$1/status"; }

sign_in() {
  local device secret
  device=$(python3 -c 'import uuid; print(uuid.uuid4())')
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  curl -s -o /dev/null -w '%{http_code}\n' "$1/api/v1/auth/sign-in" -H 'content-type: application/json' \
    -d '{"login":"begleitung01","password":"demo-begleitbuch","device":{"id":"'"$device"'","label":"Messung","secret":"'"$secret"'"}}'
}
export -f sign_in

measure() {
  local label=$1; shift
  local data url pid
  data=$(mktemp -d)
  "$server_bin" --listen 127.0.0.1:0 --assets-dir dist --data-dir "$data" --demo "$@" >"$data/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$data/out" | head -1 || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  echo "$label — after start: $(memory "$pid")"
  for _ in $(seq 1 200); do sign_in "$url"; done | sort | uniq -c | tr '\n' ' '
  echo "— after 200 one after another: $(memory "$pid")"
  seq 1 100 | xargs -P 100 -I{} bash -c "sign_in $url" | sort | uniq -c | tr '\n' ' '
  echo "— after 100 at once: $(memory "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

measure SQLite
database="begleitbuch_bench_$$"
psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
trap 'psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null' EXIT
measure PostgreSQL --database-url "${admin_url%/*}/$database"
