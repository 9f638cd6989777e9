//! replilab-core: a deterministic, sans-IO simulation of Redis 7 replication,
//! expiry and Sentinel. No I/O, no wall clock, no web crates.

pub mod data;
pub mod profile;
pub mod msg;
pub mod net;
pub mod redis;
pub mod rng;
pub mod sim;
pub mod trace;
pub mod demo;
