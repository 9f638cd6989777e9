#!/usr/bin/env bash
# The browser lab's performance budgets (issue 6), measured, one figure per line:
#   name: value unit (limit L) PASS|OVER
# Builds dist/ as the test script's build layer does (trunk build --release --offline),
# serves it on 127.0.0.1 and drives Debian's headless Chromium (playwright-core).
#   bash tests/scripts/budget.sh [--no-build] [first_render scrub fps memory]
# --no-build reuses dist/ as it is. Exit status 1 if any budget is over.
# Not part of tests/scripts/test.sh: figures depend on the machine's load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
if [ "$build" = 1 ]; then
  RUST_BACKTRACE=0 trunk build --release --offline >target/budget-build.log 2>&1 ||
    { cat target/budget-build.log; echo "budget: the build failed"; exit 1; }
fi
[ -f dist/index.html ] || { echo "budget: dist/index.html missing (run without --no-build)"; exit 1; }

over=0
# Page weight: the page-weight script when present, else the gzipped size of what loads.
if [ -f tests/scripts/page-weight.sh ]; then
  bash tests/scripts/page-weight.sh || over=1
else
  gz=0
  for f in dist/*.wasm dist/*.js dist/*.css; do
    [ -f "$f" ] && gz=$((gz + $(gzip -9c "$f" | wc -c)))
  done
  limit=$((250 * 1024))
  verdict=PASS; [ "$gz" -le "$limit" ] || { verdict=OVER; over=1; }
  echo "page_weight_gz: $gz bytes (limit $limit) $verdict"
fi

DIST="$root/dist" node tests/e2e/budget/bench.mjs "$@" || over=1
exit "$over"
