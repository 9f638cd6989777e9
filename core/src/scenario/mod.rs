//! Lessons and scenarios: the file format (`format.rs`), loading with
//! line/column errors (`load.rs`), building a simulation (`build.rs`),
//! expectations (`expect.rs`) and running one headless (`run`).

pub mod build;
pub mod challenge;
pub mod cluster;
pub mod expect;
pub mod format;
pub mod import;
pub mod load;
pub mod sandbox;
pub mod text;
pub mod toml_out;

use serde::Serialize;

pub use expect::Outcome;
pub use format::Scenario;
pub use load::{check, parse, Limit, LoadError};

use crate::checker::{self, Report};
use crate::sim::{Sim, SimError};

/// Decodes a scenario with its `Deserialize` (the one the TOML loader uses)
/// from any serde format: the page's lessons are JSON that `web/build.rs`
/// wrote with serde (nulls dropped: absent is `None`), decoded from the
/// fetched `Response::json()` value with `serde_wasm_bindgen`. Errors name
/// the field, e.g. `node[2].kind: unknown variant ...`. Checks only the
/// shape; `check` then applies the loader's checks (the page runs both).
pub fn decode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Scenario, String> {
    serde_path_to_error::deserialize(d).map_err(|e| match e.path().to_string().as_str() {
        "." => e.inner().to_string(),
        path => format!("{path}: {}", e.inner()),
    })
}

/// The result of running a scenario to its end.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    pub id: String,
    pub seed: u64,
    pub duration_s: u64,
    pub report: Report,
    pub expectations: Vec<Outcome>,
    pub trace_hash: String,
    pub events: u64,
}

impl RunResult {
    pub fn passed(&self) -> bool {
        self.expectations.iter().all(|e| e.pass)
    }
}

/// Runs a scenario headless: to each expectation's time, then to the end.
pub fn run(s: &Scenario, seed: Option<u64>) -> Result<(Sim, RunResult), SimError> {
    let mut sim = build::build(s, seed);
    let end_ms = s.duration_s * 1000;
    let mut order: Vec<usize> = (0..s.expects.len()).collect();
    order.sort_unstable_by_key(|&i| (expect::when_ms(&s.expects[i], end_ms), i));
    let mut outcomes: Vec<Option<Outcome>> = vec![None; s.expects.len()];
    for i in order {
        let e = &s.expects[i];
        sim.run_until(expect::when_ms(e, end_ms))?;
        let report = checker::check(&sim);
        outcomes[i] = Some(expect::evaluate(e, &sim, &report));
    }
    sim.run_until(end_ms)?;
    let report = checker::check(&sim);
    Ok((
        sim.clone(),
        RunResult {
            id: s.id.clone(),
            seed: seed.unwrap_or(s.seed),
            duration_s: s.duration_s,
            report,
            expectations: outcomes.into_iter().flatten().collect(),
            trace_hash: format!("{:016x}", sim.trace_hash()),
            events: sim.events_processed(),
        },
    ))
}
