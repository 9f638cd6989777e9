//! The swarm (issue 14, in the sense of TigerBeetle's VOPR): random
//! scenarios from seeds, run headless, judged by named properties.
//!
//! - `gen.rs` + `faults.rs`: seed → [`Case`] (a `Scenario` in the lesson
//!   format plus when the faults heal and the liveness bound), a pure function.
//! - `props.rs`: the properties, over samples taken during the run, the trace
//!   and the final state.
//! - `toml_out.rs`: the scenario as a TOML file `replilab run` replays.
//!
//! `replilab swarm --seeds N` runs many; `tests/tests/swarm.rs` runs a few
//! and the seeds that once found a bug.

pub mod faults;
pub mod gen;
pub mod liveness;
pub mod props;
pub mod toml_out;

use std::panic::{catch_unwind, AssertUnwindSafe};

use replilab_core::action::Action;
use replilab_core::data::split_args;
use replilab_core::scenario::format::{Kind, Scenario};
use replilab_core::scenario::build;
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

/// Seeds are kept below 2^53 so they survive TOML (i64) and JSON (f64).
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// `n` seeds derived from a text (a commit hash): FNV-1a, then splitmix steps.
pub fn seeds_from(text: &str, n: u64) -> Vec<u64> {
    let mut h = replilab_core::trace::Fnv64::default();
    h.write(text.as_bytes());
    let mut rng = replilab_core::rng::Rng::new(h.finish());
    (0..n).map(|_| rng.next_u64() & MAX_SEED).collect()
}

/// Every value a setting takes in the scenario: node configs, then the
/// timeline's `CONFIG SET`s.
pub fn setting_values(s: &Scenario, name: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .nodes
        .iter()
        .filter_map(|n| n.config.get(name).cloned())
        .collect();
    for a in &s.timeline {
        if let Action::Command { line, .. } = &a.action {
            let argv = split_args(line).unwrap_or_default();
            let text = |i: usize| String::from_utf8_lossy(&argv[i]).to_ascii_lowercase();
            if argv.len() == 4 && text(0) == "config" && text(1) == "set" && text(2) == name {
                out.push(String::from_utf8_lossy(&argv[3]).into_owned());
            }
        }
    }
    out
}

fn max_setting(s: &Scenario, name: &str, default: u64) -> u64 {
    setting_values(s, name)
        .iter()
        .filter_map(|v| v.parse().ok())
        .fold(default, u64::max)
}

impl Case {
    /// Reads the heal time and computes the liveness bound from any scenario
    /// built like the swarm's (its last `heal` is when the faults end).
    pub fn from_scenario(seed: u64, scenario: Scenario) -> Case {
        let s = &scenario;
        let heal_ms = s
            .timeline
            .iter()
            .filter(|a| a.action == Action::Heal)
            .filter_map(|a| a.at_ms())
            .max()
            .unwrap_or(0);
        let count = |k: Kind| s.nodes.iter().filter(|n| n.kind == k).count() as u64;
        let n_redis = count(Kind::Redis);
        let repl_timeout = max_setting(s, "repl-timeout", 60) * 1000;
        let ping = max_setting(s, "repl-ping-replica-period", 10) * 1000;
        let delay = max_setting(s, "repl-diskless-sync-delay", 5) * 1000;
        let net = props::NetBounds::of(s);
        // Bytes a full sync may carry: the populated keys and every write.
        let mut data: u64 = s.nodes.iter().filter_map(|n| n.populate).sum::<u64>() * 64;
        for c in s.nodes.iter().filter(|n| n.kind == Kind::Client) {
            data += heal_ms / c.period_ms.unwrap_or(100).max(1) * 64;
            if let Some(replilab_core::client::ClusterWorkload::Bigkey { bytes, .. }) =
                &c.cluster_workload
            {
                data += bytes;
            }
        }
        let rate = |v: Option<u64>, d: u64| v.map_or(d, |mb| (mb * 1000).max(1));
        let slowest = |f: fn(&replilab_core::scenario::format::NodeDef) -> Option<u64>, d| {
            s.nodes.iter().map(|n| rate(f(n), d)).min().unwrap_or(d)
        };
        let save = slowest(|n| n.rdb_save_mb_s, 200_000);
        let load = slowest(|n| n.rdb_load_mb_s, 300_000);
        let sync = delay
            + data / net.min_bytes_per_ms.max(1)
            + data / save
            + data / load
            + 20 * net.max_delay_ms
            + 2_000;
        let sentinel = s
            .nodes
            .iter()
            .filter_map(|n| n.monitor.as_ref())
            .map(|m| 30_000 + 2 * m.down_after_ms + 2 * m.failover_timeout_ms + 10_000 * n_redis + 20_000)
            .max()
            .unwrap_or(0);
        let cluster = s.cluster.as_ref().map_or(0, |c| 4 * c.node_timeout_ms + 10_000);
        let settle_ms =
            2 * repl_timeout + ping + sentinel + cluster + n_redis * sync + 10_000;
        let settle_why = format!(
            "2×repl-timeout {repl_timeout} + ping period {ping} + Sentinel (TILT 30 s, 2×down-after, 2×failover-timeout, 10 s per replica reconf) {sentinel} + cluster (4×node-timeout) {cluster} + {n_redis} chained full syncs × {sync} (diskless delay {delay}, ~{data} B at {} B/ms, RDB save/load) + 10 s",
            net.min_bytes_per_ms
        );
        Case {
            seed,
            scenario,
            heal_ms,
            settle_ms: settle_ms.div_ceil(1000) * 1000,
            settle_why,
        }
    }
}

/// Generates and runs one seed; a panic is a failure like any other.
pub fn run_seed(seed: u64) -> Outcome {
    let case = match catch_unwind(|| gen::generate(seed)) {
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
    let text = match toml_out::print(&case.scenario) {
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
