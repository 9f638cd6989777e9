//! The reference benchmark: 1 master, 5 replicas, 100k keys, 1M writes.
//! Prints one figure per line as `name: value unit`.
//!
//! The workload itself reads no clock: the caller passes one (`Instant`
//! natively, `performance.now()` in wasm, see `core/benches/wasm.rs`, which
//! includes this file), so the same code is measured on both platforms.
//! Setup (DEBUG POPULATE) is outside the measured span; the initial full
//! syncs of the 5 replicas, the writes and a 2 s drain are inside it.

use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::node::NodeSpec;
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::sim::{Sim, SimConfig};

pub struct BenchResult {
    pub events: u64,
    pub commands: u64,
    pub wall_s: f64,
    pub sim_ms: u64,
}

impl BenchResult {
    pub fn events_per_s(&self) -> f64 {
        self.events as f64 / self.wall_s
    }
    pub fn commands_per_s(&self) -> f64 {
        self.commands as f64 / self.wall_s
    }
}

/// A master with `replicas` replicas and `keys` populated keys, not yet synced.
pub fn setup(replicas: usize, keys: u64) -> (Sim, NodeId) {
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
    (sim, m)
}

/// The measured part: full syncs until t = 3 s, then `writes` SETs typed at
/// the master's console over `keys` keys at `writes_per_s` simulated writes
/// per second, then 2 s for the stream to drain. Not inlined, so that a
/// profiler can count this part alone (`--toggle-collect=*bench::drive`).
#[inline(never)]
pub fn drive(sim: &mut Sim, m: NodeId, keys: u64, writes: u64, writes_per_s: u64) {
    sim.run_until(3_000).expect("bench budget");
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
}

/// Runs the workload, timing `drive` with `clock_s` (seconds, any origin).
pub fn replication_workload_timed(
    replicas: usize,
    keys: u64,
    writes: u64,
    writes_per_s: u64,
    clock_s: &dyn Fn() -> f64,
) -> BenchResult {
    let (mut sim, m) = setup(replicas, keys);
    let events_before = sim.events_processed();
    let start = clock_s();
    drive(&mut sim, m, keys, writes, writes_per_s);
    let wall_s = clock_s() - start;
    let result = BenchResult {
        events: sim.events_processed() - events_before,
        commands: writes,
        wall_s,
        sim_ms: sim.now_ms(),
    };
    // Tearing down 6 keyspaces is not simulation work: leak-free but untimed.
    drop(sim);
    result
}

/// Runs `writes` SETs over a keyspace of `keys` keys against a master with
/// `replicas` replicas, at `writes_per_s` simulated writes per second.
#[cfg(not(target_arch = "wasm32"))]
pub fn replication_workload(
    replicas: usize,
    keys: u64,
    writes: u64,
    writes_per_s: u64,
) -> BenchResult {
    let origin = std::time::Instant::now();
    let clock = move || origin.elapsed().as_secs_f64();
    replication_workload_timed(replicas, keys, writes, writes_per_s, &clock)
}

/// Seed 001's deployment (1 master, 5 replicas, 3 Sentinels) with a
/// fixed-address writer and a Sentinel-aware writer, each writing every
/// 100 ms, under seeded random faults (master stalls, partitions, replica
/// crashes and restarts, latency changes) for `minutes` simulated minutes.
pub fn seed001_faults_timed(minutes: u64, clock_s: &dyn Fn() -> f64) -> BenchResult {
    use replilab_core::client::{ClientSpec, Routing};
    use replilab_core::rng::Rng;
    use replilab_core::sentinel::{MonitorSpec, SentinelSpec};
    use replilab_core::sim::Fault;

    let mut sim = Sim::new(SimConfig {
        seed: 1,
        trace: false,
        event_budget: u64::MAX,
        ..SimConfig::default()
    });
    let mut spec = RedisSpec::new(Profile::V7_0);
    spec.conf.repl_diskless_sync_delay = 0;
    let mut servers = vec![sim.add_node("m", "10.0.0.1", 6379, NodeSpec::Redis(spec.clone()))];
    spec.replicaof = Some(("10.0.0.1".into(), 6379));
    for i in 1..=5 {
        servers.push(sim.add_node(
            &format!("r{i}"),
            &format!("10.0.0.{}", i + 1),
            6379,
            NodeSpec::Redis(spec.clone()),
        ));
    }
    let monitor = MonitorSpec {
        quorum: 2,
        down_after_ms: 10_000,
        failover_timeout_ms: 60_000,
        ..MonitorSpec::default()
    };
    let sentinel = SentinelSpec {
        monitors: vec![monitor],
        ..SentinelSpec::default()
    };
    for i in 1..=3 {
        sim.add_node(
            &format!("s{i}"),
            &format!("10.0.1.{i}"),
            26379,
            NodeSpec::Sentinel(sentinel.clone()),
        );
    }
    let fixed = ClientSpec {
        routing: Routing::Fixed {
            host: "10.0.0.1".into(),
            port: 6379,
        },
        prefix: "f".into(),
        ..ClientSpec::default()
    };
    let sentinels = (1..=3).map(|i| (format!("10.0.1.{i}"), 26379)).collect();
    let aware = ClientSpec {
        routing: Routing::Sentinel {
            sentinels,
            master: "mymaster".into(),
        },
        prefix: "a".into(),
        ..ClientSpec::default()
    };
    sim.add_node("fixed", "10.0.2.1", 0, NodeSpec::Client(fixed));
    sim.add_node("aware", "10.0.2.2", 0, NodeSpec::Client(aware));
    sim.net.default_link = LinkCfg {
        latency_ms: 1,
        ..LinkCfg::default()
    };

    let mut rng = Rng::new(2001);
    let start = clock_s();
    let end_ms = minutes * 60_000;
    let mut t = 20_000;
    while t < end_ms {
        t += 5_000 + rng.below(25_000);
        sim.run_until(t.min(end_ms)).expect("bench budget");
        let pick = servers[rng.below(servers.len() as u64) as usize];
        let fault = match rng.below(5) {
            0 => Fault::Pause {
                node: servers[0],
                ms: 5_000 + rng.below(15_000),
            },
            1 => Fault::Partition {
                groups: vec![
                    vec![pick],
                    servers.iter().copied().filter(|&n| n != pick).collect(),
                ],
            },
            2 => Fault::Heal,
            3 => Fault::Crash { node: pick },
            _ => Fault::Restart { node: pick },
        };
        sim.apply(fault);
    }
    sim.run_until(end_ms).expect("bench budget");
    let wall_s = clock_s() - start;
    client_result(&sim, wall_s)
}

/// A 3-master, 3-replica Redis Cluster (bus, failure detection on) under
/// six cluster-aware clients writing keys spread over the slots, each as
/// fast as its round trips allow (one request in flight), for `seconds`
/// simulated seconds. Commands = client operations completed.
pub fn cluster_timed(seconds: u64, clock_s: &dyn Fn() -> f64) -> BenchResult {
    use replilab_core::scenario;
    let mut src = String::from(
        "format = \"replilab/1\"\nid = \"bench-cluster\"\ntitle = { en = \"b\", zh = \"b\" }\n\
         duration_s = 1\n[cluster]\nnode_timeout_ms = 15000\n",
    );
    for i in 1..=3 {
        src.push_str(&format!("[[node]]\nname = \"m{i}\"\nkind = \"redis\"\nconfig = {{ \"repl-diskless-sync-delay\" = \"0\" }}\n"));
    }
    for i in 1..=3 {
        src.push_str(&format!(
            "[[node]]\nname = \"r{i}\"\nkind = \"redis\"\nreplicaof = \"m{i}\"\n"
        ));
    }
    for i in 1..=6 {
        src.push_str(&format!("[[node]]\nname = \"c{i}\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 1\nprefix = \"c{i}\"\n"));
    }
    let s = scenario::parse(&src).expect("the bench scenario parses");
    let mut sim = scenario::build::build(&s, Some(42));
    sim.cfg.trace = false;
    sim.cfg.event_budget = u64::MAX;
    let start = clock_s();
    sim.run_until(seconds * 1000).expect("bench budget");
    let wall_s = clock_s() - start;
    client_result(&sim, wall_s)
}

/// A run's figures, counting commands as the operations the clients completed.
fn client_result(sim: &Sim, wall_s: f64) -> BenchResult {
    let commands = sim
        .nodes()
        .iter()
        .map(|n| match &n.state {
            replilab_core::node::NodeState::Client(c) => c.history.len() as u64,
            _ => 0,
        })
        .sum();
    BenchResult {
        events: sim.events_processed(),
        commands,
        wall_s,
        sim_ms: sim.now_ms(),
    }
}
