#!/usr/bin/env bash
# Trunk post_build hook: writes sw.js into the staging directory from public/sw.js, with
#  - the precache list: every file of the build except the worker itself, as absolute URLs;
#  - a version: a hash over the names and contents of those files, so any change of the build
#    changes the worker's bytes and makes browsers install it as an update.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk}"
source_dir="${TRUNK_SOURCE_DIR:?run by trunk}"
cd "$staging"
mapfile -t files < <(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
version=$(for f in "${files[@]}"; do printf '%s ' "$f"; sha256sum "$f" | cut -d' ' -f1; done | sha256sum | cut -c1-16)
list=$(for f in "${files[@]}"; do printf '"/%s",' "$f"; done)
list="[\"/index.html\",${list%,}]"
# index.html is listed once under its own name; "/" is served from it by the fetch handler.
list=$(printf '%s' "$list" | sed 's|,"/index.html"||')
sed -e "s|__BUILD_VERSION__|${version}|" -e "s|__PRECACHE_LIST__|${list}|" "$source_dir/public/sw.js" > sw.js
echo "service worker: version ${version}, ${#files[@]} files precached"
