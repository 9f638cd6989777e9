//! Ready-made deployments used by the first page, the CLI console and tests,
//! until lessons (static/lessons/) describe them.

use crate::net::LinkCfg;
use crate::node::NodeSpec;
use crate::profile::Profile;
use crate::redis::RedisSpec;
use crate::sim::{Sim, SimConfig};

/// One master `m` (10.0.0.1) and two replicas: `r1` 40 ms away, `r2` 120 ms
/// away, all on `profile`, replicas configured with `replicaof m 6379`.
pub fn master_and_two_replicas(seed: u64, profile: Profile) -> Sim {
    let mut sim = Sim::new(SimConfig {
        seed,
        ..SimConfig::default()
    });
    let m = sim.add_node(
        "m",
        "10.0.0.1",
        6379,
        NodeSpec::Redis(RedisSpec::new(profile)),
    );
    let mut replica = RedisSpec::new(profile);
    replica.replicaof = Some(("10.0.0.1".into(), 6379));
    let r1 = sim.add_node("r1", "10.0.0.2", 6379, NodeSpec::Redis(replica.clone()));
    let r2 = sim.add_node("r2", "10.0.0.3", 6379, NodeSpec::Redis(replica));
    sim.set_link(
        m,
        r1,
        LinkCfg {
            latency_ms: 40,
            ..LinkCfg::default()
        },
    );
    sim.set_link(
        m,
        r2,
        LinkCfg {
            latency_ms: 120,
            ..LinkCfg::default()
        },
    );
    sim.set_link(
        r1,
        r2,
        LinkCfg {
            latency_ms: 80,
            ..LinkCfg::default()
        },
    );
    sim
}
