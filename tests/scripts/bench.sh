#!/usr/bin/env bash
# The reference benchmark, natively and in wasm (Node): bash tests/scripts/bench.sh [WRITES]
# Prints one figure per line as `name: value unit`, natively (`replilab bench`, profile
# bench-native) then in wasm32 (core/benches/wasm.rs run by wasm-bindgen-test-runner in Node,
# opt-level 3 like the native build; WASM_OPT_LEVEL=z measures the page's size-optimized
# profile), then wasm_slowdown: native events/s over wasm events/s.
# Wall figures need a quiet machine; compare instruction counts with callgrind otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
writes="${1:-1000000}"

cargo build --quiet --locked --profile bench-native -p replilab-harness
native="$(./target/bench-native/replilab bench --writes "$writes")"
echo "$native"

# `cargo bench` would pass --bench, which makes the runner look for #[wasm_bindgen_bench]
# only: build the bench target, then run it as a test module in Node.
export REPLILAB_BENCH_WRITES="$writes"
export CARGO_PROFILE_BENCH_OPT_LEVEL="${WASM_OPT_LEVEL:-3}"
wasm="$(cargo bench --quiet --locked --no-run -p replilab-core --bench wasm \
  --target wasm32-unknown-unknown --message-format=json 2>/dev/null |
  sed -nE 's/.*"executable":"([^"]*\.wasm)".*/\1/p' | tail -n 1)"
[ -n "$wasm" ] || { echo "bench.sh: could not build the wasm bench" >&2; exit 1; }
out="$(wasm-bindgen-test-runner "$wasm" --nocapture 2>&1)" || { echo "$out" >&2; exit 1; }
echo "$out" | grep -E '^wasm_[a-z0-9_]+: '
echo "wasm_opt_level: ${CARGO_PROFILE_BENCH_OPT_LEVEL} level"
n=$(echo "$native" | sed -nE 's/^native_events_per_s: ([0-9]+).*/\1/p')
w=$(echo "$out" | sed -nE 's/^wasm_events_per_s: ([0-9]+).*/\1/p')
awk -v n="$n" -v w="$w" 'BEGIN { printf "wasm_slowdown: %.2f x\n", n / w }'
n=$(echo "$native" | sed -nE 's/^native_seed001_events_per_s: ([0-9]+).*/\1/p')
w=$(echo "$out" | sed -nE 's/^wasm_seed001_events_per_s: ([0-9]+).*/\1/p')
awk -v n="$n" -v w="$w" 'BEGIN { printf "wasm_seed001_slowdown: %.2f x\n", n / w }'
n=$(echo "$native" | sed -nE 's/^native_cluster_events_per_s: ([0-9]+).*/\1/p')
w=$(echo "$out" | sed -nE 's/^wasm_cluster_events_per_s: ([0-9]+).*/\1/p')
awk -v n="$n" -v w="$w" 'BEGIN { printf "wasm_cluster_slowdown: %.2f x\n", n / w }'
