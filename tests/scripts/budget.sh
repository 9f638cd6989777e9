#!/usr/bin/env bash
# The browser lab's performance budgets (issues 6 and 13), measured, one figure per line:
#   name: value unit (limit L) PASS|OVER
# Builds dist/ as the test script's build layer does (trunk build --release --offline),
# serves it on 127.0.0.1 and drives Debian's headless Chromium (playwright-core).
#   bash tests/scripts/budget.sh [--no-build] [--profile] [picker first_lesson scrub fps memory long]
# The three budgets of issue 13 (what a learner notices):
#   picker_visible_ms            the lesson picker drawn from static HTML + CSS     ≤ 500 ms
#   first_lesson_interactive_ms  #lesson=<first lesson>: Play enabled, map drawn    ≤ 2000 ms
#   page_weight_gz               wasm + JS + CSS, gzip -9 (page-weight.sh)          ≤ 680 KB
# the first two as the median of 7 cold loads (BUDGET_LOADS=…) under the DevTools protocol's
# emulation of 9 Mbit/s down, 60 ms round trip and a 4× slower CPU, the files served gzipped
# (BUDGET_GZIP=0: uncompressed); see tests/e2e/budget/load.mjs. Then issue 6's scrub, fps
# and memory figures, unthrottled. Issue 17's figures (phase `long`): seed 001's deployment in
# the sandbox opened by a link at 10 min, 1 h and 6 h (BUDGET_LONG_HOURS), the tab's memory
# (≤ 100 MB at 1 h, ≤ 150 MB at 6 h), the 1 h link's opening time (≤ 3 s), and scrubbing the
# 6 h run (median < 50 ms, max < 100 ms).
# --no-build reuses dist/ as it is. Exit status 1 if any budget is over.
# --profile serves a copy of dist/ whose wasm keeps its function names (Trunk's wasm-bindgen
# output before wasm-opt, so slower than dist/) and prints, for the scrub and fps phases,
# the functions with the most CPU time ("profile …" lines; raw profiles in
# target/budget-profiles/*.cpuprofile); memory also at several playheads.
# Not part of tests/scripts/test.sh: figures depend on the machine's load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

build=1 profile=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --profile) profile=1; shift ;;
    *) break ;;
  esac
done
if [ "$build" = 1 ]; then
  RUST_BACKTRACE=0 trunk build --release --offline >target/budget-build.log 2>&1 ||
    { cat target/budget-build.log; echo "budget: the build failed"; exit 1; }
fi
[ -f dist/index.html ] || { echo "budget: dist/index.html missing (run without --no-build)"; exit 1; }

over=0
# Page weight: wasm + JS + CSS gzipped, as tests/scripts/page-weight.sh counts it (per-file
# lines and the largest lesson JSON, fetched on demand, printed as details), judged here.
pw="$(bash tests/scripts/page-weight.sh)" || { echo "$pw"; echo "budget: page-weight.sh failed"; exit 1; }
echo "$pw" | grep -v '^page_weight_gz:'
gz=$(echo "$pw" | sed -nE 's/^page_weight_gz: ([0-9]+) bytes.*/\1/p')
# A ceiling, not a target (issue 13; the earlier 250 KB budget is withdrawn).
limit=$((680 * 1024))
verdict=PASS; [ "${gz:-0}" -gt 0 ] && [ "$gz" -le "$limit" ] || { verdict=OVER; over=1; }
echo "page_weight_gz: ${gz:-?} bytes = $(awk -v b="${gz:-0}" 'BEGIN{printf "%.1f", b/1024}') KB (limit ≤ $limit = 680 KB) $verdict"

serve="$root/dist"
if [ "$profile" = 1 ]; then
  named=target/wasm-bindgen/release/replilab-web_bg.wasm
  [ -f "$named" ] || { echo "budget: $named missing (build without --no-build)"; exit 1; }
  serve="$root/target/budget-profile-dist"
  rm -rf "$serve"; cp -r dist "$serve"
  cp "$named" "$serve"/*_bg.wasm
  # The copy's wasm differs from the one Trunk hashed: drop the integrity attributes.
  sed -i -E 's/ integrity="[^"]*"//g' "$serve/index.html"
  echo "(profiling: figures below come from the un-optimised wasm and the profiler's overhead)"
fi
DIST="$serve" BUDGET_PROFILE="$profile" BUDGET_PROFILE_DIR="$root/target/budget-profiles" node tests/e2e/budget/bench.mjs "$@" || over=1
exit "$over"
