#!/usr/bin/env bash
# Sets everything up and runs every test: formatting and lints, native unit and integration tests
# (SQLite and PostgreSQL), WebAssembly tests in headless Chromium, and end-to-end browser tests
# against the release build. Browser screenshots land in target/e2e-artifacts/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$root"
started=$(date +%s)
step() { printf '\n\033[1m==> %s (%ss)\033[0m\n' "$*" "$(( $(date +%s) - started ))"; }

# A fresh clone builds everything once: incremental caches would only take disk space.
if [[ "${CI:-}" == true ]]; then
  export CARGO_INCREMENTAL=0
fi
df -h "$root" | tail -1 | awk '{print "disk: " $4 " free of " $2}'

step "Setup"
bash scripts/setup.sh test

step "The repository stands alone"
bash scripts/check-standalone.sh

step "PostgreSQL"
BEGLEITBUCH_TEST_POSTGRES_URL=$(bash scripts/postgres.sh)
export BEGLEITBUCH_TEST_POSTGRES_URL

step "Formatting and lints"
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p begleitbuch -p begleitbuch-office -p begleitbuch-parents -p begleitbuch-web --target wasm32-unknown-unknown --all-targets --features begleitbuch/bench -- -D warnings

step "Native tests"
cargo test --locked --workspace

step "WebAssembly tests in Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked -p begleitbuch --target wasm32-unknown-unknown

step "Release build of the web apps, and their download budgets"
bash scripts/build-web.sh

step "API fuzzing from the OpenAPI description (SQLite and PostgreSQL)"
bash scripts/fuzz-api.sh 20

step "End-to-end tests in Chromium"
# The server binary from the native tests (debug profile) serves the release web app: building the
# server a second time in release mode would add minutes and test nothing the app depends on.
export BEGLEITBUCH_SERVER_BIN="$root/target/debug/begleitbuch-server"
export BEGLEITBUCH_DIST="$root/dist"
export BEGLEITBUCH_ARTIFACTS="$root/target/e2e-artifacts"
(cd tests/e2e && npm test)

step "All tests passed"
