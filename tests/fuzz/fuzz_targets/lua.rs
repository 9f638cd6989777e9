//! Lua scripts: the input is a script body, run by `EVAL <body> 1 k a b` on
//! a master of the sandbox (a master and two replicas), so `redis.call`
//! reaches the real node; then the same body via `SCRIPT LOAD`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replilab_core::data::{quote_arg, split_args};
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

fuzz_target!(|data: &[u8]| {
    let mut sim = BASE.with(|b| b.clone());
    let m = sim.node_id("m").unwrap_or(NodeId(0));
    // Quoted as redis-cli prints a string (newlines as \n), which it reads back.
    let body = quote_arg(data);
    assert_eq!(split_args(&body), Ok(vec![data.to_vec()]), "{body}");
    let _ = sim.console(m, &format!("EVAL {body} 1 k a b"));
    let _ = sim.console(m, &format!("SCRIPT LOAD {body}"));
    let _ = sim.run_for(10);
});
