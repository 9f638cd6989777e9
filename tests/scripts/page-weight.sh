#!/usr/bin/env bash
# Page weight of the built page, from dist/ as it is (builds nothing).
# Prints one line per file the page loads before it is interactive (gzip -9 size): the
# wasm, the JS, any CSS file, and index.html (which holds the stylesheet, inlined so the
# static lesson picker paints without a second request, and the picker itself), their sum as
#   page_weight_gz: N bytes
# and the largest lesson JSON (fetched when a lesson opens, not counted above) as
#   lesson_json_gz_max: N bytes
# Usage: bash tests/scripts/page-weight.sh [DIST_DIR]   (default: dist/ of this repository)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="${1:-$root/dist}"
[ -f "$dist/index.html" ] || { echo "page-weight: $dist/index.html is missing; build first (bash tests/scripts/serve.sh)" >&2; exit 1; }
gz() { gzip -9 -c "$1" | wc -c; }
total=0
shopt -s nullglob
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/snippets/*/*.js "$dist"/*.css "$dist/index.html"; do
  n=$(gz "$f")
  total=$((total + n))
  echo "${f#"$dist"/}: $n bytes gz ($(wc -c <"$f") raw)"
done
echo "page_weight_gz: $total bytes"
max=0
for f in "$dist"/lessons/*.json; do
  n=$(gz "$f")
  [ "$n" -gt "$max" ] && max=$n
done
echo "lesson_json_gz_max: $max bytes"
