#!/usr/bin/env bash
# Installs what building (and, with "test", testing) Begleitbuch needs. Idempotent and quick when
# everything is present. Nothing is downloaded outside the package registries: trunk runs offline
# with the tools installed here.
#
#   scripts/setup.sh build   wasm target, trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/setup.sh test    the above plus Chromium + ChromeDriver, PostgreSQL, the browser-test packages
set -euo pipefail
mode="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

TRUNK_VERSION=0.21.14
# The build tools are compiled once per machine. Their speed hardly matters, their compile time does
# (CI starts on a fresh machine): a cheap release profile instead of their own LTO settings.
cheap_release() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false "$@"
}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
need_command() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need_command node nodejs
need_command npm npm
if [ "$mode" = test ]; then
  need_command chromium chromium
  need_command chromedriver chromium-driver
  [ -d /usr/lib/postgresql ] || apt_packages+=(postgresql)
  need_command brotli brotli
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  say "Installing Debian packages: ${apt_packages[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "Installing trunk $TRUNK_VERSION (takes several minutes, once per machine)"
  cheap_release cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# The CLI must be exactly the wasm-bindgen version in Cargo.lock. Installed without --locked: its own
# lock file pins a crate version the registry mirror lacks.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  say "Installing wasm-bindgen-cli $bindgen_version"
  cheap_release cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

npm_install() {
  local dir="$1"
  local stamp="$dir/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "Installing npm packages in ${dir#"$root"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install "$root/tools"
if [ "$mode" = test ]; then
  npm_install "$root/tests/e2e"
fi
