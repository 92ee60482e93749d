#!/usr/bin/env bash
# Builds the three web apps and assembles them in dist/: the tablet app at the root (trunk, with its
# service worker), the office in dist/buero/ and the parents' pages in dist/eltern/. Each app builds
# into a folder of its own, because trunk empties its output folder on every build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$root"
trunk build --release
for app in office:buero parents:eltern; do
  crate=${app%%:*}
  path=${app##*:}
  trunk build --release --config "crates/$crate/Trunk.toml"
  rm -rf "dist/$path"
  cp -r "target/web/$crate" "dist/$path"
done
node scripts/check-budgets.mjs
