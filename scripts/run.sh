#!/usr/bin/env bash
# Sets everything up, builds, and starts Begleitbuch on http://127.0.0.1:8080/ (SQLite file in ./data)
# in demo mode: synthetic data with the 42 Bremen schools; the demo logins are printed at start.
# Override with BEGLEITBUCH_LISTEN, BEGLEITBUCH_DATA_DIR or DATABASE_URL; see `begleitbuch-server --help`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$root"
bash scripts/setup.sh build
bash scripts/build.sh
echo "==> Starting the server (Ctrl-C stops it)"
exec target/release/begleitbuch-server --demo --assets-dir dist --data-dir "${BEGLEITBUCH_DATA_DIR:-data}" "$@"
