//! Issue 14: random swarm scenarios (`replilab_core::swarm`) give the same
//! trace hash natively and in the wasm build in headless Chromium. Both run
//! the same check of each seed (`mismatch`), as in `determinism.rs`.
//!
//! The seeds and their native hashes come from one of two places:
//! - `REPLILAB_SWARM_EXPECT` at compile time: `seed:hash` pairs, written by
//!   the native `replilab swarm --hashes FILE` run of the same commit. The
//!   `swarm` layer of tests/scripts/test.sh writes them for the commit's
//!   first 50 seeds, and the `wasm` layer compiles them into this test;
//!   any number can be checked this way.
//! - otherwise `golden/swarm-hashes.txt`: a pinned sample, which the native
//!   run checks too, so a change of behaviour re-pins it in the same commit.
//!
//! In the browser the test is async and hands the main thread back between
//! seeds: 50 seeds of a debug wasm build take 40 s or more, and chromedriver
//! gives up on a renderer that answers nothing for 30 s.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
mod common;

use replilab_core::swarm;

const PINNED: &str = include_str!("golden/swarm-hashes.txt");

/// `seed:hash` pairs separated by blanks; `#` starts a comment line.
fn expectations() -> Vec<(u64, String)> {
    let text = option_env!("REPLILAB_SWARM_EXPECT").unwrap_or(PINNED);
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(|pair| {
            let (seed, hash) = pair.split_once(':').expect("seed:hash");
            (seed.parse().expect("a seed"), hash.to_string())
        })
        .collect()
}

/// The seed's trace hash here, or `None` when it is the native one.
fn mismatch(seed: u64, hash: &str) -> Option<String> {
    let got = match swarm::run_to_end(seed) {
        Ok(sim) => format!("{:016x}", sim.trace_hash()),
        Err(e) => format!("error: {e}"),
    };
    (got != hash).then(|| format!("seed {seed}: native {hash}, here {got}"))
}

fn report(wrong: &[String], of: usize) {
    assert!(
        wrong.is_empty(),
        "{} of {of} seeds differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn swarm_scenarios_hash_the_same_natively_and_in_wasm() {
    let want = expectations();
    assert!(!want.is_empty(), "no seeds to check");
    let wrong: Vec<String> = want.iter().filter_map(|(s, h)| mismatch(*s, h)).collect();
    report(&wrong, want.len());
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
async fn swarm_scenarios_hash_the_same_natively_and_in_wasm() {
    let want = expectations();
    assert!(!want.is_empty(), "no seeds to check");
    let mut wrong = Vec::new();
    for (seed, hash) in &want {
        wrong.extend(mismatch(*seed, hash));
        common::next_task().await;
    }
    report(&wrong, want.len());
}
