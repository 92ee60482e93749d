#!/usr/bin/env bash
# Builds the web apps into dist/ and the server binary into target/release/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$root"
echo "==> Building the web apps (trunk, release)"
bash scripts/build-web.sh
echo "==> Building the server (cargo, release)"
cargo build --release --locked -p begleitbuch-server
