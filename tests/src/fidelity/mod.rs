//! The fidelity suite's machinery: the lab side by side with real
//! redis-server 7.0 (`/usr/bin/redis-server`, Debian 7.0.15).
//!
//! - `real`: real server processes (free ports on 127.0.0.1, explicit
//!   config, killed by PID on drop), `redis-cli MONITOR`, one-shot redis-cli.
//! - `cli`: redis-cli's argument splitting and reply printing, for replies
//!   read with the `redis` crate; calibrated against redis-cli by the suite.
//! - `side`: one script, two sides (`LabSide`, `RealSide`) and the fault mapping.
//! - `runner`: observations, comparison (exact or within a stated
//!   tolerance), the allow-list of documented differences, the table.
//!
//! - `replication`, `replication_timing`: the replication checks (replies,
//!   ROLE, INFO replication, offsets, the stream; late TTLs, expiry on
//!   replicas, min-replicas, partial and full resync, WAIT).
//!
//! - `sentinel`, `sentinel_script`, `sentinel_sides`, `sentinel_real`: the
//!   Sentinel checks (a false-failure failover, split-brain lost writes,
//!   Sentinel replies): the side trait and runner, the script, the lab and
//!   real sides, and real `redis-sentinel` 7.0 processes.
//!
//! - `config`: every CONFIG SET/GET parameter on normal, unit-suffixed,
//!   alias, out-of-range and malformed values (issue 14).
//! - `scripting`: EVAL, NOSCRIPT, WATCH and script propagation checks.
//! - `cluster`: CLUSTER KEYSLOT for 60+ keys and a 3-master cluster
//!   (redirections, CLUSTER SLOTS/NODES/INFO) against real cluster mode;
//!   `cluster_failover`: a killed master's replica elected, log lines compared.
//!
//! The tests, allow-lists and the reply printer's calibration are in
//! `tests/tests/fidelity.rs`.

pub mod cli;
pub mod cluster;
pub mod cluster_failover;
pub mod config;
pub mod real;
pub mod replication;
pub mod replication_timing;
pub mod runner;
pub mod scripting;
pub mod sentinel;
pub mod sentinel_real;
pub mod sentinel_script;
pub mod sentinel_sides;
pub mod side;
