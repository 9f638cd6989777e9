#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml), on what web/build.rs wrote into its OUT_DIR:
#  - copies the lesson JSON (and TOML) files to $TRUNK_STAGING_DIR/lessons/, so they ship in
#    dist/lessons/ beside the wasm;
#  - copies format.html (the replilab/1 format reference, web/format_ref/) to
#    $TRUNK_STAGING_DIR/format.html;
#  - puts the static page into $TRUNK_STAGING_DIR/index.html: boot-head.html (web/boot.js,
#    inline) on the line of "<!-- boot:head" and boot-body.html (the lesson picker in
#    both languages, picker::boot) on the line of "<!-- boot:body" (static/index.html).
# The newest OUT_DIR is the one of the build that just ran (build.rs rewrites its folder
# whenever it runs, and it runs whenever a lesson, the core or the picker changes).
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk build as a post_build hook}"
profile=release
[ "${TRUNK_PROFILE:-release}" = "debug" ] && profile=debug
target="${CARGO_TARGET_DIR:-$(dirname "${BASH_SOURCE[0]}")/../target}"
src=$(ls -td "$target"/wasm32-unknown-unknown/"$profile"/build/replilab-web-*/out/lessons 2>/dev/null | head -n 1)
[ -n "$src" ] || { echo "post-build: no lesson JSON under $target (web/build.rs did not run?)" >&2; exit 1; }
mkdir -p "$TRUNK_STAGING_DIR/lessons"
shopt -s nullglob
files=("$src"/*.json "$src"/*.toml)
[ ${#files[@]} -eq 0 ] || cp "${files[@]}" "$TRUNK_STAGING_DIR/lessons/"

html="$TRUNK_STAGING_DIR/index.html"
out="$(dirname "$src")"
[ -f "$out/format.html" ] || { echo "post-build: $out/format.html missing (web/build.rs did not run?)" >&2; exit 1; }
cp "$out/format.html" "$TRUNK_STAGING_DIR/format.html"
for part in head body; do
  frag="$out/boot-$part.html"
  [ -f "$frag" ] || { echo "post-build: $frag missing (web/build.rs did not run?)" >&2; exit 1; }
  # The placeholder's whole line becomes the fragment; exactly one placeholder.
  awk -v mark="<!-- boot:$part" -v frag="$frag" '
    index($0, mark) { n++; while ((getline line < frag) > 0) print line; close(frag); next }
    { print }
    END { if (n != 1) { print "post-build: " n " lines with " mark " in index.html" > "/dev/stderr"; exit 1 } }
  ' "$html" >"$html.tmp"
  mv "$html.tmp" "$html"
done
