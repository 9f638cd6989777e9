#!/usr/bin/env bash
# The one command that runs every test: bash tests/scripts/test.sh
# Runs setup, then each layer in order, printing each layer's wall time and a summary.
# The last line is "summary: N passed, M failed" (layers); exit status 1 if any layer failed.
#   ONLY="native e2e" bash tests/scripts/test.sh   runs only the named layers
# To add a layer, add one `run_layer NAME COMMAND...` line at the bottom (a script of its
# own, e.g. `run_layer fidelity bash tests/scripts/fidelity.sh`, keeps this file short).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", (b-a)/1e9}'; }
t_all=$(now)
# ONLY must name known layers (space-separated): a typo or a comma list would run nothing.
for want in ${ONLY:-}; do
  case "$want" in
    native | fidelity | swarm | wasm | build | e2e) ;;
    *) echo "ONLY: unknown layer '$want' (layers: native fidelity swarm wasm build e2e, space-separated)"
       echo "summary: 0 passed, 1 failed"; exit 1 ;;
  esac
done
bash tests/scripts/setup.sh || { echo "setup failed"; echo "summary: 0 passed, 1 failed"; exit 1; }

results=() passed=0 failed=0
declare -A layer_ok=()
# run_layer NAME COMMAND...: runs one layer unless ONLY excludes it; records pass/fail and time.
run_layer() {
  local name="$1" t rc; shift
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then return 0; fi
  printf '\n===== layer %s: %s\n' "$name" "$*"
  t=$(now)
  ( set -euo pipefail; "$@" ); rc=$?
  local dt; dt=$(secs "$t" "$(now)")
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); layer_ok[$name]=1; results+=("$(printf '  %-10s passed  %7ss' "$name" "$dt")")
  else
    failed=$((failed + 1)); layer_ok[$name]=0; results+=("$(printf '  %-10s FAILED  %7ss  (exit %s)' "$name" "$dt" "$rc")")
  fi
  printf -- '----- layer %s: %s in %ss\n' "$name" "$([ $rc -eq 0 ] && echo passed || echo FAILED)" "$dt"
}

# Layer (a): native tests of the whole workspace. The web crate (Yew, csr) compiles natively
# too, so it is included: that catches compile errors early; its browser behaviour is (c).
# Note: #[wasm_bindgen_test] tests compile natively but run nothing here; layer (b) runs them.
layer_native() {
  cargo test --workspace --locked
}

# Layer swarm (issue 14): random scenarios judged by named properties (tests/src/swarm/).
# The seeds come from the commit hash, fresh for every commit, and are printed; the run
# stops after SWARM_SEEDS seeds or SWARM_SECONDS of wall time, whichever comes first.
# A failure line names the seed, the property and `replilab swarm --seed S` to replay it.
layer_swarm() {
  local rev; rev="$(git rev-parse HEAD 2>/dev/null || echo no-git)"
  rm -f target/swarm-hashes.txt
  cargo build --quiet --locked --profile swarm -p replilab-harness --bin replilab
  ./target/swarm/replilab swarm --from-text "$rev" --seeds "${SWARM_SEEDS:-300}" --seconds "${SWARM_SECONDS:-180}" --jobs "$(nproc)" --hashes target/swarm-hashes.txt
  # The wasm layer of this same run checks the first SWARM_WASM_SEEDS (50) of these in Chromium.
}

# Layer (b): the core's tests compiled to wasm32 and run in headless Chromium
# (#[wasm_bindgen_test] with run_in_browser). Chrome flags: core/webdriver.json.
# Fails if no test ran. Then checks the test wasm imports nothing from module "env".
layer_wasm() {
  local out rc=0; out="$(mktemp)"
  # Running all the lessons in a debug wasm build takes ~20-60 s on 2 cores; the runner's
  # default 20 s per test is too short for that. Such tests also yield to the browser between
  # steps (core/tests/common/): chromedriver gives up on a renderer silent for 30 s.
  export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-600}"
  # Swarm determinism (core/tests/swarm_determinism.rs): the native hashes of this run's swarm
  # layer, compiled in; without that layer, the test's pinned sample (core/tests/golden/).
  if [ -n "${layer_ok[swarm]:-}" ] && [ -s target/swarm-hashes.txt ]; then
    REPLILAB_SWARM_EXPECT="$(head -n "${SWARM_WASM_SEEDS:-50}" target/swarm-hashes.txt)"
    export REPLILAB_SWARM_EXPECT
    echo "[wasm] swarm determinism: the first $(wc -l <<< "$REPLILAB_SWARM_EXPECT") seeds of this run's swarm layer"
  else
    unset REPLILAB_SWARM_EXPECT
    echo "[wasm] swarm determinism: the pinned seeds (the swarm layer did not run)"
  fi
  wasm-pack test --mode no-install --headless --chrome --chromedriver "$CHROMEDRIVER" core --locked 2>&1 | tee "$out" || rc=$?
  local n; n=$( (grep -aoE 'test result: [A-Za-z]+\. [0-9]+ passed' "$out" || true) | awk '{s += $4} END {print s + 0}')
  echo "[wasm] tests run in Chromium: $n passed"
  [ "$rc" -eq 0 ] || { echo "[wasm] wasm-pack test failed (exit $rc)"; return 1; }
  [ "$n" -gt 0 ] || { echo "[wasm] no wasm test ran: add #[wasm_bindgen_test] tests to core (with wasm_bindgen_test_configure!(run_in_browser))"; return 1; }
  # The test binaries cargo ran, e.g. "Running unittests src/lib.rs (/.../target/wasm32-unknown-unknown/debug/deps/x.wasm)".
  local wasm=() f
  while IFS= read -r f; do wasm+=("$f"); done < <( (grep -aoE '\([^()]*wasm32-unknown-unknown/[^()]*\.wasm\)' "$out" || true) | tr -d '()' | sort -u)
  [ ${#wasm[@]} -gt 0 ] || { echo "[wasm] could not find the test wasm files in the output"; return 1; }
  node tests/e2e/wasm-imports.mjs "${wasm[@]}"
  # The web crate's component tests (web/tests/components.rs): real Yew components mounted
  # into the DOM of headless Chromium (flags in web/webdriver.json). Fails if none ran.
  rc=0; wasm-pack test --mode no-install --headless --chrome --chromedriver "$CHROMEDRIVER" web --locked 2>&1 | tee "$out" || rc=$?
  n=$( (grep -aoE 'test result: [A-Za-z]+\. [0-9]+ passed' "$out" || true) | awk '{s += $4} END {print s + 0}')
  echo "[wasm] web component tests run in Chromium: $n passed"
  [ "$rc" -eq 0 ] || { echo "[wasm] the web component tests failed (exit $rc)"; return 1; }
  [ "$n" -gt 0 ] || { echo "[wasm] no web component test ran (web/tests/components.rs)"; return 1; }
}

# Layer (c1): the release build of the page, exactly as served, and its wasm imports.
layer_build() {
  RUST_BACKTRACE=0 trunk build --release --offline   # no backtrace noise on a compile error
  node tests/e2e/wasm-imports.mjs dist/*.wasm
  bash tests/scripts/page-weight.sh | sed 's/^/[build] /'
}

# Layer (c2): Playwright (playwright-core + Debian's chromium) against dist/ served on
# 127.0.0.1, at / and under a sub-path. Screenshots: tests/e2e/screenshots/.
layer_e2e() {
  if [ "${layer_ok[build]:-}" = 0 ]; then echo "[e2e] not run: the build layer failed"; return 1; fi
  [ -f dist/index.html ] || { echo "[e2e] dist/index.html missing (run the build layer)"; return 1; }
  local out rc=0; out="$(mktemp)"
  DIST="$root/dist" node --test --test-reporter=spec --test-concurrency=1 tests/e2e/*.test.mjs 2>&1 | tee "$out" || rc=$?
  local n; n=$(sed -nE 's/^\S+ pass ([0-9]+)$/\1/p' "$out" | tail -n 1)
  [ "$rc" -eq 0 ] || return 1
  [ "${n:-0}" -gt 0 ] || { echo "[e2e] no e2e test passed"; return 1; }
}

run_layer native layer_native
# The lab side by side with real redis-server 7.0 (tests/tests/fidelity.rs): prints the table.
run_layer fidelity cargo test --locked -p replilab-harness --features fidelity --test fidelity -- --nocapture --test-threads=1
run_layer swarm  layer_swarm
run_layer wasm   layer_wasm
run_layer build  layer_build
run_layer e2e    layer_e2e

echo
echo "layers (total $(secs "$t_all" "$(now)")s including setup):"
printf '%s\n' "${results[@]}"
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
