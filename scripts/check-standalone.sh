#!/usr/bin/env bash
# Fails when a tracked file refers to a path outside the repository: the project must build, test and
# read on its own. Looks for the briefing folder beside the checkout (a parent step followed by
# "shared"), for paths built from CARGO_MANIFEST_DIR that climb out of the
# repository, and for any path with three or more `../` steps (which leaves the repository from any
# crate). Lock files are skipped (their paths are the package managers'), and so is this script.
set -euo pipefail
cd "$(dirname "$0")/.."

patterns=(
    -e '\.\./shared'
    -e 'CARGO_MANIFEST_DIR"\), "/\.\./\.\./\.\.'
    -e '(\.\./){3,}'
)
excluded=(':!scripts/check-standalone.sh' ':!Cargo.lock' ':!*package-lock.json')

# git grep exits 0 when something matches, 1 when nothing does, and more on an error.
status=0
hits=$(git grep -nE "${patterns[@]}" -- . "${excluded[@]}") || status=$?
case $status in
    0)
        echo "These tracked files refer to paths outside the repository (file:line):" >&2
        printf '%s\n' "$hits" >&2
        echo "Move what they need into the repository and refer to it there." >&2
        exit 1
        ;;
    1)
        echo "The repository stands alone: no tracked file refers to a path outside it."
        ;;
    *)
        echo "git grep failed (exit $status); cannot check that the repository stands alone." >&2
        exit "$status"
        ;;
esac
