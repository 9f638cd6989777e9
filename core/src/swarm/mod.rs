//! Random scenarios from seeds (issue 14's swarm, in the sense of
//! TigerBeetle's VOPR): a pure function from a seed to a `Scenario` in the
//! lesson format, with faults that always heal and a liveness bound. It is
//! in the core so that the wasm build runs the very same scenarios: the
//! determinism check compares their trace hashes natively and in Chromium.
//! The properties that judge a run are the harness's (`tests/src/swarm/`).
//!
//! - `gen.rs`: the topology, network and configuration of a seed.
//! - `faults.rs`: the timeline of faults, commands and `CONFIG SET`s.
//! - `bound.rs`: when the faults heal and how long healing may take.

pub mod bound;
pub mod faults;
pub mod gen;

pub use gen::generate;

use crate::scenario::build;
use crate::sim::{Sim, SimError};

/// Seeds are kept below 2^53 so they survive TOML (i64) and JSON (f64).
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// `n` seeds derived from a text (a commit hash): FNV-1a, then splitmix steps.
pub fn seeds_from(text: &str, n: u64) -> Vec<u64> {
    let mut h = crate::trace::Fnv64::default();
    h.write(text.as_bytes());
    let mut rng = crate::rng::Rng::new(h.finish());
    (0..n).map(|_| rng.next_u64() & MAX_SEED).collect()
}

/// Builds a seed's scenario and runs it to its end: the sim whose trace
/// hash the determinism check compares (the swarm's run samples the same
/// sim every second, which does not change it).
pub fn run_to_end(seed: u64) -> Result<Sim, SimError> {
    let s = generate(seed);
    let mut sim = build::build(&s, None);
    sim.run_until(s.duration_s * 1000)?;
    Ok(sim)
}
