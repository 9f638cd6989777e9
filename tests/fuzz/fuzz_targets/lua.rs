//! Lua scripts: the input is a script body, run by `EVAL <body> 1 k a b` on
//! a master of the sandbox (a master and two replicas), so `redis.call`
//! reaches the real node; then the same body via `SCRIPT LOAD`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replilab_core::data::{quote_arg, split_args};

#[path = "sandbox.rs"]
mod sandbox;

fuzz_target!(|data: &[u8]| {
    let (mut sim, m) = sandbox::fresh();
    // Quoted as redis-cli prints a string (newlines as \n), which it reads back.
    let body = quote_arg(data);
    assert_eq!(split_args(&body), Ok(vec![data.to_vec()]), "{body}");
    let _ = sim.console(m, &format!("EVAL {body} 1 k a b"));
    let _ = sim.console(m, &format!("SCRIPT LOAD {body}"));
    let _ = sim.run_for(10);
});
