#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser (tests/fuzz/README.md); not part of CI.
#   bash tests/scripts/fuzz.sh [RUNS] [TARGET...]
# Runs each target (default: all seven: console, scenario_toml, scenario_json, link, lua, lua_gen,
# conf_import)
# for RUNS executions (default 1000000), one at a time, each in one process (no -jobs:
# libFuzzer's jobs mode forks and writes its output to logs). Needs cargo-fuzz
# (`cargo install cargo-fuzz --locked`); builds on stable Rust (RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz pass its flags). The grown corpus goes to tests/fuzz/grown/<target>/
# (git-ignored), crashes to tests/fuzz/artifacts/<target>/; the committed seeds are
# tests/fuzz/corpus/<target>/ (a dictionary, if any, tests/fuzz/dict/<target>.dict).
# Each run ends with libFuzzer's `Done N runs` and its stat:: lines; the script stops
# at the first target that crashes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
runs="${1:-1000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(console scenario_toml scenario_json link lua lua_gen conf_import)

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz --locked" >&2; exit 1; }
export RUSTC_BOOTSTRAP=1
# No sanitizer (safe Rust; it would halve the speed); debug assertions and overflow checks on.
flags=(--fuzz-dir tests/fuzz --sanitizer none --debug-assertions)
cargo fuzz build "${flags[@]}"

max_len() {
  case "$1" in
    scenario_toml | scenario_json | conf_import) echo 16384 ;;
    lua) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

for t in "${targets[@]}"; do
  echo "== $t: $runs runs"
  mkdir -p "tests/fuzz/grown/$t" "tests/fuzz/artifacts/$t"
  dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="tests/fuzz/dict/$t.dict")
  run_flags=("${flags[@]}")
  # lua_gen's programs are valid by construction, so libFuzzer's comparison tracing
  # (CMP-guided byte mutations) buys it little, and took half its time (perf): off.
  [ "$t" = lua_gen ] && run_flags+=(--no-trace-compares)
  cargo fuzz run "${run_flags[@]}" "$t" "tests/fuzz/grown/$t" "tests/fuzz/corpus/$t" -- \
    -runs="$runs" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 "${dict[@]}" 2>&1 |
    # libFuzzer's status lines: INITED, one about every 100,000 runs, DONE, and any crash.
    awk '
      /^#[0-9]+/ { n = substr($1, 2) + 0
                   if ($2 == "INITED" || $2 == "DONE" || n >= next_at) { print; fflush(); next_at = n - n % 100000 + 100000 }
                   next }
      /^Done |^stat::(number_of_executed_units|average_exec_per_sec|slowest_unit_time_sec|peak_rss_mb)|panicked|ERROR|SUMMARY|Test unit written|Base64/ { print; fflush() }'
done
