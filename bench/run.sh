#!/usr/bin/env bash
# Runs every benchmark and prints the results; copy them into BENCHMARKS.md with the date and machine.
# Not part of the tests: nothing here asserts a time. Takes about 20 minutes on 2 cores.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$root"
bash scripts/setup.sh test

echo "==> Machine"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) × $(nproc)"
echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "chromium: $(chromium --version 2>/dev/null || true)"

echo "==> Store: save and week view against raw IndexedDB (wasm, release build)"
WASM_BINDGEN_TEST_TIMEOUT=1800 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --locked --release -p begleitbuch --target wasm32-unknown-unknown --features bench \
  --test store_bench -- --nocapture 2>&1 | grep '^BENCH' || { echo "store benchmark failed" >&2; exit 1; }

echo "==> Push throughput (release server, SQLite and PostgreSQL)"
BEGLEITBUCH_TEST_POSTGRES_URL=$(bash scripts/postgres.sh) cargo test --locked --release -p begleitbuch-server --features bench --test push_bench -- --nocapture 2>&1 | grep "^BENCH"

echo "==> Sizes and cold start (release web app, real server)"
bash scripts/build-web.sh >/dev/null
cargo build --locked -p begleitbuch-server
BEGLEITBUCH_SERVER_BIN="$root/target/debug/begleitbuch-server" BEGLEITBUCH_DIST="$root/dist" \
  node bench/cold-start.mjs

echo "==> First pull of 10,000 records vs raw IndexedDB put and PouchDB (release web app and server)"
# The release server: the pull's span includes the server's answers, as it does in production.
cargo build --locked --release -p begleitbuch-server
(cd bench && npm ci --no-audit --no-fund --loglevel=error)
BEGLEITBUCH_SERVER_BIN="$root/target/release/begleitbuch-server" BEGLEITBUCH_DIST="$root/dist" \
  node bench/first-pull.mjs

echo "==> Server memory under sign-ins (release server, SQLite and PostgreSQL)"
BEGLEITBUCH_SERVER_BIN="$root/target/release/begleitbuch-server" bash bench/sign-in-memory.sh

echo "==> Hostile input, longer than CI: the property test at 50,000 cases, the API fuzzer at 300 examples"
PROPTEST_CASES=50000 cargo test --locked --release -p begleitbuch-domain --test hostile_input
BEGLEITBUCH_TEST_POSTGRES_URL=$(bash scripts/postgres.sh) bash scripts/fuzz-api.sh 300
