//! The swarm (issue 14, in the sense of TigerBeetle's VOPR): random
//! scenarios from seeds, run headless, judged by named properties.
//!
//! - `replilab_core::swarm`: seed → `Scenario` (in the lesson format) and
//!   the liveness bound, a pure function; here a [`Case`] holds both.
//! - `props.rs`: the properties, over samples taken during the run, the trace
//!   and the final state.
//!
//! `replilab swarm --seeds N` runs many; `tests/tests/swarm.rs` runs a few
//! and the seeds that once found a bug.

pub use replilab_core::swarm::{bound, faults, gen, seeds_from, MAX_SEED};

pub mod liveness;
pub mod props;

use std::panic::{catch_unwind, AssertUnwindSafe};

use replilab_core::scenario::build;
use replilab_core::scenario::format::Scenario;
use replilab_core::sim::Sim;

/// One random scenario and what its properties need to know.
#[derive(Clone, Debug)]
pub struct Case {
    pub seed: u64,
    pub scenario: Scenario,
    /// When the last `heal` runs: every cut heals, crashed processes restart,
    /// clocks are set right, clients have stopped.
    pub heal_ms: u64,
    /// The liveness bound: by `heal_ms + settle_ms` every replica is caught up.
    pub settle_ms: u64,
    /// How the bound was computed, for failure reports.
    pub settle_why: String,
}

/// A property that broke, with what the checker saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub property: &'static str,
    pub detail: String,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub seed: u64,
    pub failures: Vec<Failure>,
    /// FNV-1a of the trace at the scenario's end (`duration_s`).
    pub trace_hash: String,
    /// Replicas the liveness property did not judge, and why.
    pub excused: Vec<String>,
    /// What the run exercised (full syncs, promotions, faults, ...).
    pub stats: std::collections::BTreeMap<&'static str, u64>,
    pub events: u64,
    /// The sim at the end (None after a panic).
    pub sim: Option<Sim>,
}

/// The command that replays one seed.
pub fn replay_command(seed: u64) -> String {
    format!("replilab swarm --seed {seed}")
}

impl Case {
    /// A case of any scenario built like the swarm's (`bound::bound`).
    pub fn from_scenario(seed: u64, scenario: Scenario) -> Case {
        let b = bound::bound(&scenario);
        Case {
            seed,
            scenario,
            heal_ms: b.heal_ms,
            settle_ms: b.settle_ms,
            settle_why: b.why,
        }
    }
}

/// The case of one seed: `gen::generate` and its bound.
pub fn case(seed: u64) -> Case {
    Case::from_scenario(seed, gen::generate(seed))
}

/// Generates and runs one seed; a panic is a failure like any other.
pub fn run_seed(seed: u64) -> Outcome {
    let case = match catch_unwind(|| case(seed)) {
        Ok(c) => c,
        Err(p) => return panicked(seed, "generating the scenario", p),
    };
    run_case(&case)
}

/// Runs one case and checks every property.
pub fn run_case(case: &Case) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| props::check(case))) {
        Ok(o) => o,
        Err(p) => panicked(case.seed, "running the scenario", p),
    }
}

fn panicked(seed: u64, when: &str, p: Box<dyn std::any::Any + Send>) -> Outcome {
    let msg = p
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    Outcome {
        seed,
        failures: vec![Failure {
            property: "no-panic",
            detail: format!("panic while {when}: {msg}"),
        }],
        trace_hash: String::new(),
        excused: Vec::new(),
        stats: Default::default(),
        events: 0,
        sim: None,
    }
}

/// One line per failure: seed, property, what broke, and the replay command.
pub fn failure_lines(o: &Outcome) -> Vec<String> {
    o.failures
        .iter()
        .map(|f| {
            format!(
                "seed={} property={} {} | replay: {}",
                o.seed,
                f.property,
                f.detail,
                replay_command(o.seed)
            )
        })
        .collect()
}

/// Builds the simulation of a case (the lesson builder, as `replilab run` does).
pub fn build_sim(case: &Case) -> Sim {
    build::build(&case.scenario, None)
}

/// Prints the case as TOML, loads it back and replays it to its end: the
/// same trace hash as the run (`Outcome::trace_hash`), or a failure. This is
/// what makes the printed file the faithful replay of a failing seed.
pub fn replay_check(case: &Case, outcome: &Outcome) -> Option<Failure> {
    let fail = |property, detail| Some(Failure { property, detail });
    let text = match replilab_core::scenario::toml_out::print(&case.scenario) {
        Ok(t) => t,
        Err(e) => return fail("scenario-prints", e),
    };
    let s = match replilab_core::scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => return fail("scenario-prints", e.to_string()),
    };
    let mut sim = build::build(&s, None);
    if let Err(e) = sim.run_until(s.duration_s * 1000) {
        return fail("replay-same-trace", format!("the replay failed: {e}"));
    }
    let hash = format!("{:016x}", sim.trace_hash());
    (!outcome.trace_hash.is_empty() && hash != outcome.trace_hash).then(|| Failure {
        property: "replay-same-trace",
        detail: format!(
            "the printed scenario replays to trace hash {hash}, the run had {}",
            outcome.trace_hash
        ),
    })
}
