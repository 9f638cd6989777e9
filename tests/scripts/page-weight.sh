#!/usr/bin/env bash
# Page weight of the built page, from dist/ as it is (builds nothing).
# Prints one line per wasm/JS/CSS file (gzip -9 size), their sum as
#   page_weight_gz: N bytes
# the largest lesson JSON (fetched when a lesson opens, not counted above) as
#   lesson_json_gz_max: N bytes
# and the page itself (with the static lesson picker, not counted above) as
#   index_html_gz: N bytes
# Usage: bash tests/scripts/page-weight.sh [DIST_DIR]   (default: dist/ of this repository)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="${1:-$root/dist}"
[ -f "$dist/index.html" ] || { echo "page-weight: $dist/index.html is missing; build first (bash tests/scripts/serve.sh)" >&2; exit 1; }
gz() { gzip -9 -c "$1" | wc -c; }
total=0
shopt -s nullglob
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/snippets/*/*.js "$dist"/*.css; do
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
echo "index_html_gz: $(gz "$dist/index.html") bytes ($(wc -c <"$dist/index.html") raw)"
