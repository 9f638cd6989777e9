//! The data layer of one Redis node: argv parsing, replies, the command
//! table, the keyspace with its expiry rules, and the execution of the data
//! commands (strings, TTLs, keyspace commands).
//!
//! Everything here is deterministic and sans-IO: time comes in as
//! `ExecEnv::now_ms`, randomness as `ExecEnv::rand`, and what a command does to
//! the outside world (propagation to replicas, expired-key events) goes out
//! through `Effects`. Stats go into a `DataStats` the node owns.
//!
//! Files: `argv.rs` (redis-cli `sdssplitargs`, RESP sizes), `reply.rs`
//! (replies and redis-cli formatting), `errors.rs` (Redis's exact error
//! texts), `table.rs` (command table), `db.rs` (keyspace and lookups),
//! `expire.rs` (active expiry and writable-replica expiry), `effects.rs`
//! (effects and stats), `glob.rs` (`stringmatchlen`), `num.rs` (`string2ll`),
//! `cmds*.rs` (command execution).

mod argv;
mod cmds;
mod cmds_expire;
mod cmds_keys;
mod cmds_string;
mod db;
mod effects;
mod errors;
mod expire;
mod glob;
mod num;
mod reply;
pub mod table;

pub use argv::{encode_resp, format_argv, quote_arg, resp_len, split_args, ArgsError, Argv};
pub use cmds::{exec_data, exec_data_as};
pub use db::{Bytes, Db, Entry, ExecEnv, Role};
pub use effects::{DataStats, Effects, KeyEvent};
pub use errors::*;
pub use expire::{ActiveExpireBudget, ActiveExpireReport, ACTIVE_EXPIRE_COST_US_PER_KEY};
pub use glob::glob_match;
pub use num::{fmt_i64, memtoull, parse_i64, parse_scan_cursor, strtoll_whole};
pub use reply::Reply;
pub use table::{lookup, lookup_argv, CmdId, CommandSpec, COMMANDS};

#[cfg(test)]
mod tests_cmds;
#[cfg(test)]
mod tests_expiry;
#[cfg(test)]
mod tests_fuzz;
