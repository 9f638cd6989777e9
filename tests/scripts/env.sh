# Sourced by the scripts in tests/scripts: the environment every build and test runs in.
# Defines $root (the repository root). Trunk and wasm-pack must never download anything.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# npm's binaryen (wasm-opt 132) first: Debian's binaryen 108 cannot read rustc 1.95 output.
export PATH="$root/tests/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# No interactive pager or colour codes in logs.
export CARGO_TERM_PROGRESS_WHEN=never
