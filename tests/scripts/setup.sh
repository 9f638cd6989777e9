#!/usr/bin/env bash
# Installs whatever the build and the tests need, and only what is missing:
#   rustup target wasm32-unknown-unknown
#   cargo: trunk 0.21.14 (--locked), wasm-bindgen-cli = the wasm-bindgen crate in Cargo.lock
#          (without --locked: its lock file names a webpki-roots release the registry lacks),
#          wasm-pack 0.15.1 (--locked)
#   Debian: chromium, chromium-driver, redis-server, redis-sentinel, fonts-noto-cjk
#   npm (tests/e2e): binaryen 132 (wasm-opt for Trunk), playwright-core (no browser download),
#                    axe-core (the accessibility checks of tests/e2e/a11y.test.mjs)
# Everything comes from the package registries; nothing else is downloaded.
# Quiet on success; install output goes to target/setup.log, shown on failure.
# A second run takes about a second. `setup.sh --check` only reports what is missing
# (exit 1 if anything is). Versions and reasons: shared/reference/toolchain.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
# fonts-noto-cjk: Chromium needs a CJK font to render the 中文 UI in e2e screenshots.
APT_PACKAGES=(chromium chromium-driver redis-server redis-sentinel fonts-noto-cjk)

check_only=false
[ "${1:-}" = "--check" ] && check_only=true
t0=$(date +%s%N)
mkdir -p target
log="$root/target/setup.log"
: >"$log"
say() { printf '[setup] %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN{printf "%.1fs", (b-a)/1e9}'; }
missing=()

# step NAME CMD...: runs CMD with its output in the log; on failure shows the log and stops.
step() {
  local name="$1" t; shift
  if $check_only; then missing+=("$name"); return 0; fi
  t=$(date +%s%N)
  printf '[setup] installing %s ... ' "$name"
  { echo "=== $name: $*"; } >>"$log"
  if "$@" >>"$log" 2>&1 </dev/null; then
    echo "done ($(elapsed "$t"))"
  else
    echo "FAILED ($(elapsed "$t"))"
    echo "----- last 80 lines of $log -----" >&2
    tail -n 80 "$log" >&2
    exit 1
  fi
}

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly, and so must Trunk.toml.
wbg_version="$(awk '$0 == "name = \"wasm-bindgen\"" {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock 2>/dev/null || true)"
[ -n "$wbg_version" ] || { echo "setup: no wasm-bindgen crate in Cargo.lock" >&2; exit 1; }
trunk_wbg="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' Trunk.toml)"
if [ "$trunk_wbg" != "$wbg_version" ]; then
  echo "setup: Trunk.toml [tools] wasm_bindgen = \"$trunk_wbg\" but Cargo.lock has wasm-bindgen $wbg_version; make them equal" >&2
  exit 1
fi

for tool in cargo rustup node npm python3; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is not on PATH; this machine image should have it" >&2; exit 1; }
done

# 1. Debian packages (quick; chromium first so a broken apt fails early).
need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$p")
done
apt_install() {
  local sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "$@"
  # The package may start a system redis-server on 6379; the tests start their own.
  if command -v service >/dev/null; then $sudo_cmd service redis-server stop || true; fi
}
[ ${#need_apt[@]} -eq 0 ] || step "Debian packages ${need_apt[*]}" apt_install "${need_apt[@]}"

# 2. npm packages, from package-lock.json only.
if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || [ ! -d tests/e2e/node_modules/playwright-core ] \
   || [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ] \
   || [ ! -f tests/e2e/node_modules/.package-lock.json ] \
   || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  step "npm packages in tests/e2e" npm ci --prefix tests/e2e --prefer-offline --no-audit --no-fund --loglevel=warn
fi

# 3. The wasm target.
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || step "rust target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown

# 4. Cargo-installed tools, each at its exact version.
version_of() { "$1" --version 2>/dev/null | awk 'NR==1{print $2}' || true; }
[ "$(version_of trunk)" = "$TRUNK_VERSION" ] \
  || step "trunk $TRUNK_VERSION (about 9 min on 2 cores)" cargo install --locked trunk --version "$TRUNK_VERSION"
[ "$(version_of wasm-bindgen)" = "$wbg_version" ] && [ "$(version_of wasm-bindgen-test-runner)" = "$wbg_version" ] \
  || step "wasm-bindgen-cli $wbg_version (about 3 min)" cargo install --force wasm-bindgen-cli --version "$wbg_version"
[ "$(version_of wasm-pack)" = "$WASM_PACK_VERSION" ] \
  || step "wasm-pack $WASM_PACK_VERSION (about 2 min)" cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"

if $check_only; then
  if [ ${#missing[@]} -eq 0 ]; then say "nothing missing"; exit 0; fi
  say "missing:"; printf '  %s\n' "${missing[@]}"; exit 1
fi
summary="trunk $(version_of trunk), wasm-bindgen $wbg_version, wasm-pack $(version_of wasm-pack), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | awk '{print $1, $2}')"
say "ready in $(elapsed "$t0"): $summary"
