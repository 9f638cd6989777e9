#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): copies the lesson JSON files that
# web/build.rs wrote into its OUT_DIR to $TRUNK_STAGING_DIR/lessons/, so they
# ship in dist/lessons/ beside the wasm. The newest OUT_DIR is the one of the
# build that just ran (build.rs rewrites its folder whenever it runs, and it
# runs whenever a lesson or the core changes).
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk build as a post_build hook}"
profile=release
[ "${TRUNK_PROFILE:-release}" = "debug" ] && profile=debug
target="${CARGO_TARGET_DIR:-$(dirname "${BASH_SOURCE[0]}")/../target}"
src=$(ls -td "$target"/wasm32-unknown-unknown/"$profile"/build/replilab-web-*/out/lessons 2>/dev/null | head -n 1)
[ -n "$src" ] || { echo "copy-lessons: no lesson JSON under $target (web/build.rs did not run?)" >&2; exit 1; }
mkdir -p "$TRUNK_STAGING_DIR/lessons"
shopt -s nullglob
files=("$src"/*.json)
[ ${#files[@]} -eq 0 ] || cp "${files[@]}" "$TRUNK_STAGING_DIR/lessons/"
