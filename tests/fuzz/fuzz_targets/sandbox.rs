//! The deployment the Lua targets run scripts on: a master and two replicas
//! (profile 7.0), started once per thread and cloned for each input.

use replilab_core::demo;
use replilab_core::net::NodeId;
use replilab_core::profile::Profile;
use replilab_core::sim::Sim;

thread_local! {
    static BASE: Sim = {
        let mut sim = demo::master_and_two_replicas(1, Profile::V7_0);
        sim.run_for(1_500).expect("the sandbox starts");
        sim
    };
}

/// A fresh copy of the sandbox, and its master.
pub fn fresh() -> (Sim, NodeId) {
    let sim = BASE.with(|b| b.clone());
    let m = sim.node_id("m").unwrap_or(NodeId(0));
    (sim, m)
}
