//! Execution of the data commands (mirrors the `*Command` functions of
//! t_string.c, expire.c and db.c in Redis 7.0).
//!
//! The caller (the node) has already rejected unknown commands, wrong arity,
//! READONLY / NOREPLICAS / MASTERDOWN, and queued MULTI blocks; this layer
//! does syntax and semantics. What a command propagates is decided here, by
//! profile:
//! - 7.0: every TTL goes out absolute (`SET k v PXAT ms`, `PEXPIREAT k ms`),
//!   a TTL in the past becomes `DEL`, `SET ... GET` loses its GET;
//! - 6.2: `SET EX/PX`, `SETEX`, `PSETEX` → `SET k v PX <relative ms>`,
//!   EXAT/PXAT → `SET k v PXAT`, `GETEX EX/PX` → `PEXPIRE` relative,
//!   the EXPIRE family as typed;
//! - 3.0: as typed (commands that 3.0 lacked follow the 6.2 rules).
//!
//! A command that changes nothing propagates nothing; FLUSHALL/FLUSHDB
//! always propagate. Only masters propagate (see `Effects`).

use super::argv::Argv;
use super::db::{Db, ExecEnv};
use super::effects::{DataStats, Effects};
use super::errors::{unknown_command, wrong_args};
use super::reply::Reply;
use super::table::{lookup, CmdId, CommandSpec, TOUCHES_ARBITRARY_KEYS};
use super::{cmds_expire as ex, cmds_keys as keys, cmds_string as st};

/// What a command sends to replicas (besides lazy-expiry DELs, which go
/// straight into `Effects::propagate`).
pub(crate) enum Prop {
    None,
    /// The argv exactly as received.
    AsTyped,
    Rewritten(Argv),
}

/// The state one command runs against.
pub(crate) struct Ctx<'a> {
    pub db: &'a mut Db,
    pub env: &'a ExecEnv,
    pub fx: &'a mut Effects,
    pub stats: &'a mut DataStats,
    pub argv: &'a [Vec<u8>],
}

/// Executes one data command. `fx.propagate` receives what it propagates
/// (masters only); `stats` counts hits, misses and expired keys.
pub fn exec_data(
    db: &mut Db,
    env: &ExecEnv,
    argv: &[Vec<u8>],
    fx: &mut Effects,
    stats: &mut DataStats,
) -> Reply {
    let spec = argv.first().and_then(|n| lookup(n));
    exec_data_as(db, env, spec, argv, fx, stats)
}

/// `exec_data` for a command already looked up (`lookup(&argv[0])`): a
/// replica applying its master's stream uses the lookup the master made.
pub fn exec_data_as(
    db: &mut Db,
    env: &ExecEnv,
    spec: Option<&'static CommandSpec>,
    argv: &[Vec<u8>],
    fx: &mut Effects,
    stats: &mut DataStats,
) -> Reply {
    let Some(spec) = spec else {
        return unknown_command(argv);
    };
    if let Some(err) = spec.arity_error(argv) {
        return err;
    }
    fx.no_multi_wrap = spec.has(TOUCHES_ARBITRARY_KEYS);
    let mut cx = Ctx {
        db,
        env,
        fx,
        stats,
        argv,
    };
    let (reply, prop) = dispatch(&mut cx, spec.id);
    // Only a master feeds replicas; a replica proxies its master's stream.
    if env.is_master() {
        match prop {
            Prop::None => {}
            Prop::AsTyped => fx.propagate.push(argv.to_vec()),
            Prop::Rewritten(a) => fx.propagate.push(a),
        }
    }
    reply
}

fn dispatch(cx: &mut Ctx, id: CmdId) -> (Reply, Prop) {
    use CmdId::*;
    match id {
        Ping => keys::ping(cx),
        Echo => (Reply::Bulk(cx.argv[1].clone()), Prop::None),
        Set => st::set(cx),
        Setex => st::setex(cx, false),
        Psetex => st::setex(cx, true),
        Setnx => st::setnx(cx),
        Get => st::get(cx),
        Getdel => st::getdel(cx),
        Getex => st::getex(cx),
        Mget => st::mget(cx),
        Mset => st::mset(cx),
        Incr => st::incr_by(cx, Some(1)),
        Decr => st::incr_by(cx, Some(-1)),
        Incrby => st::incr_by(cx, None),
        Decrby => st::decrby(cx),
        Append => st::append(cx),
        Strlen => st::strlen(cx),
        Expire => ex::expire(cx, false, true),
        Pexpire => ex::expire(cx, false, false),
        Expireat => ex::expire(cx, true, true),
        Pexpireat => ex::expire(cx, true, false),
        Ttl => ex::ttl(cx, false, true),
        Pttl => ex::ttl(cx, false, false),
        Expiretime => ex::ttl(cx, true, true),
        Pexpiretime => ex::ttl(cx, true, false),
        Persist => ex::persist(cx),
        Del | Unlink => keys::del(cx),
        Exists => keys::exists(cx),
        Type => keys::type_(cx),
        Dbsize => (Reply::Int(cx.db.len() as i64), Prop::None),
        Keys => keys::keys(cx),
        Scan => keys::scan(cx),
        Randomkey => keys::randomkey(cx),
        Flushall | Flushdb => keys::flush(cx),
        Select => keys::select(cx),
        _ => {
            let name = String::from_utf8_lossy(&cx.argv[0]).to_ascii_lowercase();
            (
                Reply::Error(format!(
                    "ERR '{name}' is executed by the node, not the data layer"
                )),
                Prop::None,
            )
        }
    }
}

impl Ctx<'_> {
    pub fn arity_err(&self) -> Reply {
        let name = String::from_utf8_lossy(&self.argv[0]).to_ascii_lowercase();
        Reply::Error(wrong_args(&name))
    }
    /// Lowercase command name, for error texts.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&self.argv[0]).to_ascii_lowercase()
    }
}

/// `DEL key` as an argv.
pub(crate) fn del_argv(key: &[u8]) -> Argv {
    vec![b"DEL".to_vec(), key.to_vec()]
}

pub(crate) fn eq_ci(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::data::argv::split_args;
    use crate::data::db::Role;
    use crate::profile::Profile;

    /// A node's data layer for tests: one db, stats, and a clock.
    pub struct Node {
        pub db: Db,
        pub stats: DataStats,
        pub env: ExecEnv,
        /// Everything propagated so far, with 7.0's MULTI/EXEC wrapping.
        pub stream: Vec<String>,
        pub events: Vec<crate::data::KeyEvent>,
    }

    impl Node {
        pub fn master(profile: Profile) -> Node {
            Node::new(Role::Master, profile)
        }
        pub fn replica(read_only: bool, profile: Profile) -> Node {
            Node::new(Role::Replica { read_only }, profile)
        }
        pub fn new(role: Role, profile: Profile) -> Node {
            Node {
                db: Db::new(),
                stats: DataStats::default(),
                env: ExecEnv {
                    now_ms: 1_000_000,
                    role,
                    from_master: false,
                    profile,
                    loading: false,
                    rand: 7,
                },
                stream: Vec::new(),
                events: Vec::new(),
            }
        }
        pub fn at(&mut self, now_ms: i64) -> &mut Node {
            self.env.now_ms = now_ms;
            self
        }
        pub fn advance(&mut self, ms: i64) -> &mut Node {
            self.env.now_ms += ms;
            self
        }
        fn exec(&mut self, argv: &[Vec<u8>], from_master: bool) -> Reply {
            let mut env = self.env;
            env.from_master = from_master;
            let mut fx = Effects::default();
            let r = exec_data(&mut self.db, &env, argv, &mut fx, &mut self.stats);
            for c in fx.take_propagation() {
                self.stream.push(
                    c.iter()
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            self.events.extend(fx.events);
            r
        }
        /// Runs a typed command line from a client; returns redis-cli's text.
        pub fn cmd(&mut self, line: &str) -> String {
            let argv = split_args(line).unwrap();
            self.exec(&argv, false).format_cli()
        }
        /// Applies a command arriving on the replication link.
        pub fn apply(&mut self, line: &str) -> String {
            let argv = split_args(line).unwrap();
            self.exec(&argv, true).format_cli()
        }
        /// Applies every command this master propagated since the last call.
        pub fn feed(&mut self, master: &mut Node) {
            for line in std::mem::take(&mut master.stream) {
                if line != "MULTI" && line != "EXEC" {
                    self.apply(&line);
                }
            }
        }
        pub fn take_stream(&mut self) -> Vec<String> {
            std::mem::take(&mut self.stream)
        }
    }
}
