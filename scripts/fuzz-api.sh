#!/usr/bin/env bash
# Fuzzes the running server from its OpenAPI description with schemathesis, on SQLite and on
# PostgreSQL: every operation gets generated requests (valid and invalid bodies, paths and
# parameters), twice: signed in as a demo companion's tablet (bearer token: sync, records, pools) and
# as the demo admin's office browser (cookie and CSRF token: accounts, devices, institutions); no
# answer may be a server error (5xx) and no connection may drop. The revoke operations, the password
# reset and the browser's sign-out are left out: following the links from the device list and from
# /me, the fuzzer would revoke its own device, reset its own password or sign itself out and be
# refused for everything after (they have tests of their own in crates/server/tests). The test command runs it at a modest size; `scripts/fuzz-api.sh 500` runs longer.
#
# Needs: the built web app in dist/, the server binary in BEGLEITBUCH_SERVER_BIN (default: the debug
# build), and BEGLEITBUCH_TEST_POSTGRES_URL (scripts/postgres.sh prints it).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$root"
examples=${1:-20}
server_bin=${BEGLEITBUCH_SERVER_BIN:-$root/target/debug/begleitbuch-server}
venv="$root/target/fuzz-venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/fuzz/requirements.txt
fi

fuzz() {
  local label=$1; shift
  local data log url token cookie csrf
  data=$(mktemp -d)
  log="$data/server.log"
  "$server_bin" --listen 127.0.0.1:0 --assets-dir dist --data-dir "$data" --demo "$@" >"$data/out" 2>"$log" &
  local pid=$!
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$data/out" | head -1 || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$log"; echo "the server did not start" >&2; exit 1; }
  token=$(curl -sf "$url/api/v1/auth/sign-in" -H 'content-type: application/json' \
    -d '{"login":"begleitung01","password":"demo-begleitbuch","device":{"id":"0190f0d0-0000-7000-8000-00000000f022","label":"Fuzzer","secret":"'"$(printf 'f%.0s' $(seq 1 64))"'"}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -D "$data/headers" -o "$data/office.json" "$url/api/v1/auth/browser/sign-in" \
    -H 'content-type: application/json' -d '{"login":"admin","password":"demo-begleitbuch","way":"office"}'
  cookie=$(grep -i '^set-cookie:' "$data/headers" | sed -e 's/^[^:]*: *//' -e 's/;.*//' | tr -d '\r')
  csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$data/office.json")
  local status=0
  for who in tablet office; do
    echo "fuzzing the API on $label as the $who ($examples examples per operation)"
    local credentials=(-H "Authorization: Bearer $token")
    [ "$who" = office ] && credentials=(-H "Cookie: $cookie" -H "X-CSRF-Token: $csrf")
    "$venv/bin/st" run "$url/api/v1/openapi.json" --url "$url/api/v1" \
      "${credentials[@]}" \
      --checks not_a_server_error \
      --max-examples "$examples" --seed 20261201 --generation-deterministic \
      --request-timeout 20 --workers 1 \
      --exclude-path-regex 'revoke|/users/\{id\}/password|/auth/browser/sign-out' || status=$?
  done
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the server died during fuzzing on $label" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if grep -q 'panicked' "$log"; then cat "$log"; echo "the server panicked on $label" >&2; exit 1; fi
  rm -rf "$data"
  [ "$status" -eq 0 ] || { echo "schemathesis found server errors on $label" >&2; exit "$status"; }
}

fuzz SQLite
database="begleitbuch_fuzz_$$"
psql "$BEGLEITBUCH_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
trap 'psql "$BEGLEITBUCH_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database" >/dev/null' EXIT
fuzz PostgreSQL --database-url "${BEGLEITBUCH_TEST_POSTGRES_URL%/*}/$database"
