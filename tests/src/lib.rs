//! The native harness: runs the same core headless, for scenario tests, the
//! benchmark and the `replilab` command-line tool.

pub mod bench;
pub mod cli;
pub mod dsl;
pub mod fidelity;
pub mod swarm;
