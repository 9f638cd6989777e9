//! replilab-core: a deterministic, sans-IO simulation of Redis 7 replication,
//! expiry and Sentinel. No I/O, no wall clock, no web crates.

pub mod action;
pub mod checker;
pub mod client;
pub mod cluster;
pub mod cowmap;
pub mod data;
pub mod demo;
pub mod export;
pub mod msg;
pub mod net;
pub mod node;
pub mod profile;
pub mod redis;
pub mod rng;
pub mod scenario;
pub mod script;
pub mod sentinel;
pub mod sim;
pub mod swarm;
pub mod timeline;
pub mod trace;
pub mod vecmap;
