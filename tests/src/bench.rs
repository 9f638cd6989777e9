//! The reference benchmark: 1 master, 5 replicas, 100k keys, 1M writes.
//! Prints one figure per line as `name: value unit`.

use std::time::Instant;

use replilab_core::net::LinkCfg;
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::sim::{NodeSpec, Sim, SimConfig};

pub struct BenchResult {
    pub events: u64,
    pub commands: u64,
    pub wall_s: f64,
    pub sim_ms: u64,
}

/// Runs `writes` SETs over a keyspace of `keys` keys against a master with
/// `replicas` replicas, at `writes_per_s` simulated writes per second.
pub fn replication_workload(
    replicas: usize,
    keys: u64,
    writes: u64,
    writes_per_s: u64,
) -> BenchResult {
    let mut sim = Sim::new(SimConfig {
        seed: 42,
        trace: false,
        event_budget: u64::MAX,
        ..SimConfig::default()
    });
    let m = sim.add_node(
        "m",
        "10.0.0.1",
        6379,
        NodeSpec::Redis(RedisSpec::new(Profile::V7_0)),
    );
    let mut spec = RedisSpec::new(Profile::V7_0);
    spec.replicaof = Some(("10.0.0.1".into(), 6379));
    spec.conf.repl_diskless_sync_delay = 0;
    for i in 0..replicas {
        sim.add_node(
            &format!("r{}", i + 1),
            &format!("10.0.0.{}", i + 2),
            6379,
            NodeSpec::Redis(spec.clone()),
        );
    }
    sim.net.default_link = LinkCfg {
        latency_ms: 1,
        ..LinkCfg::default()
    };
    let _ = sim.console(m, &format!("DEBUG POPULATE {keys} key 16"));
    let start = Instant::now();
    sim.run_until(3_000).expect("bench budget");
    let events_before = 0;
    let mut line = String::new();
    let step_us = 1_000_000 / writes_per_s.max(1);
    for i in 0..writes {
        let t_ms = 3_000 + (i * step_us) / 1000;
        sim.run_until(t_ms).expect("bench budget");
        line.clear();
        use std::fmt::Write;
        let _ = write!(line, "SET key:{} value-{}", i % keys.max(1), i);
        let _ = sim.console(m, &line);
    }
    let end_ms = sim.now_ms() + 2_000;
    sim.run_until(end_ms).expect("bench budget");
    let wall_s = start.elapsed().as_secs_f64();
    BenchResult {
        events: sim.events_processed() - events_before,
        commands: writes,
        wall_s,
        sim_ms: sim.now_ms(),
    }
}
