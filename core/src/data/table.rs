//! The command table: every command the lab knows, with Redis 7.0's arity,
//! flags and key positions (copied from `COMMAND INFO` on redis-server
//! 7.0.15), mirroring `redisCommandTable` / `lookupCommand` in server.c.
//!
//! Arity follows Redis: positive = exact argc, negative = at least -arity.
//! Container commands (CONFIG, CLIENT, COMMAND) have subcommand entries whose
//! full name is `config|get`; `arity_error` produces Redis's texts for both.

use super::errors::{unknown_subcommand, wrong_args};
use super::reply::Reply;

pub const WRITE: u32 = 1 << 0;
pub const READONLY: u32 = 1 << 1;
pub const DENYOOM: u32 = 1 << 2;
pub const ADMIN: u32 = 1 << 3;
pub const NOSCRIPT: u32 = 1 << 4;
pub const LOADING: u32 = 1 << 5;
pub const STALE: u32 = 1 << 6;
pub const SKIP_SLOWLOG: u32 = 1 << 7;
pub const FAST: u32 = 1 << 8;
pub const NO_ASYNC_LOADING: u32 = 1 << 9;
pub const NO_MULTI: u32 = 1 << 10;
pub const ALLOW_BUSY: u32 = 1 << 11;
/// Internal (not printed by COMMAND INFO in 7.0): the command may lazily
/// expire arbitrary keys, and Redis 7.0 does not wrap the resulting `DEL`s in
/// MULTI/EXEC (SCAN, RANDOMKEY).
pub const TOUCHES_ARBITRARY_KEYS: u32 = 1 << 16;

/// Flag names in the order COMMAND INFO prints them.
const FLAG_NAMES: &[(u32, &str)] = &[
    (WRITE, "write"),
    (READONLY, "readonly"),
    (DENYOOM, "denyoom"),
    (ADMIN, "admin"),
    (NOSCRIPT, "noscript"),
    (LOADING, "loading"),
    (STALE, "stale"),
    (SKIP_SLOWLOG, "skip_slowlog"),
    (FAST, "fast"),
    (NO_ASYNC_LOADING, "no_async_loading"),
    (NO_MULTI, "no_multi"),
    (ALLOW_BUSY, "allow_busy"),
];

/// Which command this is, for dispatch without string compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CmdId {
    Append,
    Psubscribe,
    Publish,
    Punsubscribe,
    Sentinel,
    Subscribe,
    Unsubscribe,
    Client,
    /// CLUSTER, READONLY, READWRITE, ASKING (cluster/commands.rs).
    Cluster,
    Command,
    Config,
    Dbsize,
    Debug,
    Decr,
    Decrby,
    Del,
    Discard,
    Echo,
    Eval,
    EvalRo,
    Evalsha,
    EvalshaRo,
    Exec,
    Exists,
    Expire,
    Expireat,
    Expiretime,
    Flushall,
    Flushdb,
    Get,
    Getdel,
    Getex,
    Incr,
    Incrby,
    Info,
    Keys,
    Mget,
    Mset,
    Multi,
    Persist,
    Pexpire,
    Pexpireat,
    Pexpiretime,
    Ping,
    Psetex,
    Psync,
    Pttl,
    Randomkey,
    Replconf,
    Replicaof,
    Role,
    Scan,
    Script,
    Select,
    Set,
    Setex,
    Setnx,
    Slaveof,
    Strlen,
    Sub,
    Sync,
    Time,
    Ttl,
    Type,
    Unlink,
    Unwatch,
    Wait,
    Watch,
}

/// One entry of the command table.
#[derive(Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// Lowercase name (`get`); for a subcommand the full name (`config|get`).
    pub name: &'static str,
    pub id: CmdId,
    pub arity: i32,
    pub flags: u32,
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    pub subcommands: &'static [CommandSpec],
}

const fn c(
    name: &'static str,
    id: CmdId,
    arity: i32,
    flags: u32,
    keys: (i32, i32, i32),
) -> CommandSpec {
    CommandSpec {
        name,
        id,
        arity,
        flags,
        first_key: keys.0,
        last_key: keys.1,
        key_step: keys.2,
        subcommands: &[],
    }
}

const fn sub(name: &'static str, arity: i32, flags: u32) -> CommandSpec {
    c(name, CmdId::Sub, arity, flags, NOKEYS)
}

const NOKEYS: (i32, i32, i32) = (0, 0, 0);
const KEY1: (i32, i32, i32) = (1, 1, 1);
const ALLKEYS: (i32, i32, i32) = (1, -1, 1);

const CONFIG_SUBS: &[CommandSpec] = &[
    sub("config|get", -3, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("config|help", 2, LOADING | STALE),
    sub("config|resetstat", 2, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("config|rewrite", 2, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("config|set", -4, ADMIN | NOSCRIPT | LOADING | STALE),
];

const CLIENT_SUBS: &[CommandSpec] = &[
    sub("client|caching", 3, NOSCRIPT | LOADING | STALE),
    sub("client|getname", 2, NOSCRIPT | LOADING | STALE),
    sub("client|getredir", 2, NOSCRIPT | LOADING | STALE),
    sub("client|help", 2, LOADING | STALE),
    sub("client|id", 2, NOSCRIPT | LOADING | STALE),
    sub("client|info", 2, NOSCRIPT | LOADING | STALE),
    sub("client|kill", -3, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("client|list", -2, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("client|no-evict", 3, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("client|pause", -3, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("client|reply", 3, NOSCRIPT | LOADING | STALE),
    sub("client|setname", 3, NOSCRIPT | LOADING | STALE),
    sub("client|tracking", -3, NOSCRIPT | LOADING | STALE),
    sub("client|trackinginfo", 2, NOSCRIPT | LOADING | STALE),
    sub("client|unblock", -3, ADMIN | NOSCRIPT | LOADING | STALE),
    sub("client|unpause", 2, ADMIN | NOSCRIPT | LOADING | STALE),
];

/// The CLUSTER subcommands the lab implements (cluster/commands.rs).
const CLUSTER_SUBS: &[CommandSpec] = &[
    sub("cluster|countkeysinslot", 3, STALE),
    sub("cluster|getkeysinslot", 4, STALE),
    sub("cluster|info", 2, STALE),
    sub("cluster|keyslot", 3, STALE),
    sub("cluster|myid", 2, STALE),
    sub("cluster|nodes", 2, STALE),
    sub("cluster|setslot", -4, ADMIN | NOSCRIPT | STALE),
    sub("cluster|shards", 2, LOADING | STALE),
    sub("cluster|slots", 2, LOADING | STALE),
];

const COMMAND_SUBS: &[CommandSpec] = &[
    sub("command|count", 2, LOADING | STALE),
    sub("command|docs", -2, LOADING | STALE),
    sub("command|getkeys", -4, LOADING | STALE),
    sub("command|getkeysandflags", -4, LOADING | STALE),
    sub("command|help", 2, LOADING | STALE),
    sub("command|info", -2, LOADING | STALE),
    sub("command|list", -2, LOADING | STALE),
];

// Scripting and WATCH (flags from COMMAND INFO on redis-server 7.0.15).
const SCRIPT_SUBS: &[CommandSpec] = &[
    sub("script|exists", -3, NOSCRIPT),
    sub("script|flush", -2, NOSCRIPT),
    sub("script|help", 2, LOADING | STALE),
    sub("script|kill", 2, NOSCRIPT | ALLOW_BUSY),
    sub("script|load", 3, NOSCRIPT | STALE),
];
const TX: u32 = NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY;

const fn container(
    name: &'static str,
    id: CmdId,
    arity: i32,
    flags: u32,
    subs: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        id,
        arity,
        flags,
        first_key: 0,
        last_key: 0,
        key_step: 0,
        subcommands: subs,
    }
}

/// The table, sorted by name (binary search in `lookup`).
pub static COMMANDS: &[CommandSpec] = &[
    c("append", CmdId::Append, 3, WRITE | DENYOOM | FAST, KEY1),
    c("asking", CmdId::Cluster, 1, FAST, NOKEYS),
    container("client", CmdId::Client, -2, 0, CLIENT_SUBS),
    container("cluster", CmdId::Cluster, -2, 0, CLUSTER_SUBS),
    container("command", CmdId::Command, -1, LOADING | STALE, COMMAND_SUBS),
    container("config", CmdId::Config, -2, 0, CONFIG_SUBS),
    c("dbsize", CmdId::Dbsize, 1, READONLY | FAST, NOKEYS),
    c(
        "debug",
        CmdId::Debug,
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        NOKEYS,
    ),
    c("decr", CmdId::Decr, 2, WRITE | DENYOOM | FAST, KEY1),
    c("decrby", CmdId::Decrby, 3, WRITE | DENYOOM | FAST, KEY1),
    c("del", CmdId::Del, -2, WRITE, ALLKEYS),
    c(
        "discard",
        CmdId::Discard,
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        NOKEYS,
    ),
    c("echo", CmdId::Echo, 2, LOADING | STALE | FAST, NOKEYS),
    c("eval", CmdId::Eval, -3, NOSCRIPT | STALE, NOKEYS),
    c(
        "eval_ro",
        CmdId::EvalRo,
        -3,
        READONLY | NOSCRIPT | STALE,
        NOKEYS,
    ),
    c("evalsha", CmdId::Evalsha, -3, NOSCRIPT | STALE, NOKEYS),
    c(
        "evalsha_ro",
        CmdId::EvalshaRo,
        -3,
        READONLY | NOSCRIPT | STALE,
        NOKEYS,
    ),
    c(
        "exec",
        CmdId::Exec,
        1,
        NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG,
        NOKEYS,
    ),
    c("exists", CmdId::Exists, -2, READONLY | FAST, ALLKEYS),
    c("expire", CmdId::Expire, -3, WRITE | FAST, KEY1),
    c("expireat", CmdId::Expireat, -3, WRITE | FAST, KEY1),
    c("expiretime", CmdId::Expiretime, 2, READONLY | FAST, KEY1),
    c("flushall", CmdId::Flushall, -1, WRITE, NOKEYS),
    c("flushdb", CmdId::Flushdb, -1, WRITE, NOKEYS),
    c("get", CmdId::Get, 2, READONLY | FAST, KEY1),
    c("getdel", CmdId::Getdel, 2, WRITE | FAST, KEY1),
    c("getex", CmdId::Getex, -2, WRITE | FAST, KEY1),
    c("incr", CmdId::Incr, 2, WRITE | DENYOOM | FAST, KEY1),
    c("incrby", CmdId::Incrby, 3, WRITE | DENYOOM | FAST, KEY1),
    c("info", CmdId::Info, -1, LOADING | STALE, NOKEYS),
    c("keys", CmdId::Keys, 2, READONLY, NOKEYS),
    c("mget", CmdId::Mget, -2, READONLY | FAST, ALLKEYS),
    c("migrate", CmdId::Cluster, -6, WRITE, (3, 3, 1)),
    c("mset", CmdId::Mset, -3, WRITE | DENYOOM, (1, -1, 2)),
    c(
        "multi",
        CmdId::Multi,
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        NOKEYS,
    ),
    c("persist", CmdId::Persist, 2, WRITE | FAST, KEY1),
    c("pexpire", CmdId::Pexpire, -3, WRITE | FAST, KEY1),
    c("pexpireat", CmdId::Pexpireat, -3, WRITE | FAST, KEY1),
    c("pexpiretime", CmdId::Pexpiretime, 2, READONLY | FAST, KEY1),
    c("ping", CmdId::Ping, -1, FAST, NOKEYS),
    c("psetex", CmdId::Psetex, 4, WRITE | DENYOOM, KEY1),
    c(
        "psubscribe",
        CmdId::Psubscribe,
        -2,
        NOSCRIPT | LOADING | STALE,
        NOKEYS,
    ),
    c(
        "psync",
        CmdId::Psync,
        -3,
        ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI,
        NOKEYS,
    ),
    c("pttl", CmdId::Pttl, 2, READONLY | FAST, KEY1),
    // PUBLISH is propagated to replicas outside cluster mode (may-replicate).
    c("publish", CmdId::Publish, 3, LOADING | STALE | FAST, NOKEYS),
    c(
        "punsubscribe",
        CmdId::Punsubscribe,
        -1,
        NOSCRIPT | LOADING | STALE,
        NOKEYS,
    ),
    c(
        "randomkey",
        CmdId::Randomkey,
        1,
        READONLY | TOUCHES_ARBITRARY_KEYS,
        NOKEYS,
    ),
    c(
        "readonly",
        CmdId::Cluster,
        1,
        LOADING | STALE | FAST,
        NOKEYS,
    ),
    c(
        "readwrite",
        CmdId::Cluster,
        1,
        LOADING | STALE | FAST,
        NOKEYS,
    ),
    c(
        "replconf",
        CmdId::Replconf,
        -1,
        ADMIN | NOSCRIPT | LOADING | STALE | ALLOW_BUSY,
        NOKEYS,
    ),
    c(
        "replicaof",
        CmdId::Replicaof,
        3,
        ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING,
        NOKEYS,
    ),
    c("restore-asking", CmdId::Cluster, -4, WRITE | DENYOOM, KEY1),
    c(
        "role",
        CmdId::Role,
        1,
        NOSCRIPT | LOADING | STALE | FAST,
        NOKEYS,
    ),
    c(
        "scan",
        CmdId::Scan,
        -2,
        READONLY | TOUCHES_ARBITRARY_KEYS,
        NOKEYS,
    ),
    container("script", CmdId::Script, -2, 0, SCRIPT_SUBS),
    c("select", CmdId::Select, 2, LOADING | STALE | FAST, NOKEYS),
    // Answered only by Sentinel processes; a Redis server does not know it.
    c(
        "sentinel",
        CmdId::Sentinel,
        -2,
        ADMIN | LOADING | STALE,
        NOKEYS,
    ),
    c("set", CmdId::Set, -3, WRITE | DENYOOM, KEY1),
    c("setex", CmdId::Setex, 4, WRITE | DENYOOM, KEY1),
    c("setnx", CmdId::Setnx, 3, WRITE | DENYOOM | FAST, KEY1),
    c(
        "slaveof",
        CmdId::Slaveof,
        3,
        ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING,
        NOKEYS,
    ),
    c("strlen", CmdId::Strlen, 2, READONLY | FAST, KEY1),
    c(
        "subscribe",
        CmdId::Subscribe,
        -2,
        NOSCRIPT | LOADING | STALE,
        NOKEYS,
    ),
    c(
        "sync",
        CmdId::Sync,
        1,
        ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI,
        NOKEYS,
    ),
    c("time", CmdId::Time, 1, LOADING | STALE | FAST, NOKEYS),
    c("ttl", CmdId::Ttl, 2, READONLY | FAST, KEY1),
    c("type", CmdId::Type, 2, READONLY | FAST, KEY1),
    c("unlink", CmdId::Unlink, -2, WRITE | FAST, ALLKEYS),
    c(
        "unsubscribe",
        CmdId::Unsubscribe,
        -1,
        NOSCRIPT | LOADING | STALE,
        NOKEYS,
    ),
    c("unwatch", CmdId::Unwatch, 1, TX, NOKEYS),
    c("wait", CmdId::Wait, 3, NOSCRIPT, NOKEYS),
    c("watch", CmdId::Watch, -2, TX, ALLKEYS),
];

fn cmp_ci(name: &str, probe: &[u8]) -> std::cmp::Ordering {
    let a = name.as_bytes().iter().copied();
    let b = probe.iter().map(u8::to_ascii_lowercase);
    a.cmp(b)
}

fn find(
    table: &'static [CommandSpec],
    name: &[u8],
    prefix_len: usize,
) -> Option<&'static CommandSpec> {
    // Every command runs through here (several times on a master): lowercase
    // the probe once into a stack buffer so the search compares plain slices.
    let mut buf = [0u8; 24];
    let found = if name.len() <= buf.len() {
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        let lower = &*lower;
        table.binary_search_by(|s| s.name.as_bytes()[prefix_len..].cmp(lower))
    } else {
        table.binary_search_by(|s| cmp_ci(&s.name[prefix_len..], name))
    };
    found.ok().map(|i| &table[i])
}

/// The top-level command named `name` (case-insensitive), as
/// `lookupCommandBySds` finds it. For a container command this is the
/// container itself; use `lookup_argv` to resolve the subcommand.
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    // Every command of every node comes through here (a master's several
    // times): an index of the names packed into integers answers with a few
    // integer compares instead of a string binary search.
    static INDEX: std::sync::OnceLock<Vec<(u128, u16)>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut v: Vec<(u128, u16)> = COMMANDS
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((pack_name(s.name.as_bytes())?, i as u16)))
            .collect();
        v.sort_unstable();
        v
    });
    match pack_name(name) {
        Some(packed) => index
            .binary_search_by(|(p, _)| p.cmp(&packed))
            .ok()
            .map(|i| &COMMANDS[usize::from(index[i].1)]),
        None => find(COMMANDS, name, 0),
    }
}

/// A name of at most 15 bytes, lowercased, packed with its length in the
/// last byte, so that equal packings mean equal names (NULs included).
fn pack_name(name: &[u8]) -> Option<u128> {
    if name.len() > 15 {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..name.len()].copy_from_slice(name);
    let x = u128::from_be_bytes(bytes);
    // ASCII lowercase of all 16 bytes at once: set bit 5 of bytes in A..=Z.
    const ONES: u128 = u128::MAX / 255;
    let low7 = x & (ONES * 0x7f);
    let ge_a = low7 + ONES * (0x80 - u128::from(b'A'));
    let gt_z = low7 + ONES * (0x80 - u128::from(b'Z') - 1);
    let upper = ge_a & !gt_z & !x & (ONES * 0x80);
    Some((x | (upper >> 2)) + name.len() as u128)
}

/// The command (or subcommand) an argv runs, like `lookupCommand`: for a
/// container with at least two arguments, its subcommand (None if unknown).
pub fn lookup_argv(argv: &[Vec<u8>]) -> Option<&'static CommandSpec> {
    let base = lookup(argv.first()?)?;
    if base.subcommands.is_empty() || argv.len() < 2 {
        return Some(base);
    }
    find(base.subcommands, &argv[1], base.name.len() + 1)
}

impl CommandSpec {
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
    pub fn is_write(&self) -> bool {
        self.has(WRITE)
    }
    pub fn is_readonly(&self) -> bool {
        self.has(READONLY)
    }
    pub fn is_stale(&self) -> bool {
        self.has(STALE)
    }
    pub fn is_loading(&self) -> bool {
        self.has(LOADING)
    }
    pub fn is_admin(&self) -> bool {
        self.has(ADMIN)
    }
    pub fn is_denyoom(&self) -> bool {
        self.has(DENYOOM)
    }
    pub fn is_fast(&self) -> bool {
        self.has(FAST)
    }
    pub fn is_noscript(&self) -> bool {
        self.has(NOSCRIPT)
    }
    pub fn is_no_multi(&self) -> bool {
        self.has(NO_MULTI)
    }
    pub fn is_container(&self) -> bool {
        !self.subcommands.is_empty()
    }

    /// Flag names as COMMAND INFO lists them.
    pub fn flag_names(&self) -> Vec<&'static str> {
        FLAG_NAMES
            .iter()
            .filter(|(f, _)| self.has(*f))
            .map(|(_, n)| *n)
            .collect()
    }

    /// Whether `argc` satisfies this entry's arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = i64::try_from(argc).unwrap_or(i64::MAX);
        let arity = i64::from(self.arity);
        if arity > 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// Redis's rejection for `argv` run as this (top-level) command, checked
    /// as `processCommand` does: unknown subcommand of a container
    /// (`ERR unknown subcommand 'x'. Try CONFIG HELP.`), then arity
    /// (`ERR wrong number of arguments for 'config|get' command`).
    pub fn arity_error(&self, argv: &[Vec<u8>]) -> Option<Reply> {
        let mut spec = self;
        if self.is_container() && argv.len() >= 2 {
            match find(self.subcommands, &argv[1], self.name.len() + 1) {
                Some(s) => spec = s,
                None => return Some(unknown_subcommand(&argv[0], &argv[1])),
            }
        }
        if spec.arity_ok(argv.len()) {
            None
        } else {
            Some(Reply::Error(wrong_args(spec.name)))
        }
    }

    /// Indexes of the key arguments of `argv` (first/last/step convention).
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if self.first_key <= 0 {
            return out;
        }
        let argc = argc as i64;
        let first = i64::from(self.first_key);
        let last = if self.last_key < 0 {
            argc + i64::from(self.last_key)
        } else {
            i64::from(self.last_key)
        };
        let step = i64::from(self.key_step.max(1));
        let mut i = first;
        while i <= last && i < argc {
            out.push(i as usize);
            i += step;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<Vec<u8>> {
        s.split(' ').map(|a| a.as_bytes().to_vec()).collect()
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for t in [COMMANDS, CONFIG_SUBS, CLIENT_SUBS, COMMAND_SUBS] {
            for w in t.windows(2) {
                assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
            }
        }
    }

    #[test]
    fn lookup_finds_every_command_by_any_case_and_nothing_else() {
        for spec in COMMANDS {
            let upper = spec.name.to_ascii_uppercase();
            assert_eq!(lookup(upper.as_bytes()).map(|s| s.name), Some(spec.name));
            let mut nul = spec.name.as_bytes().to_vec();
            nul.push(0);
            assert_eq!(lookup(&nul), None, "{}", spec.name);
        }
        assert_eq!(lookup(b"averyveryverylongcommandname"), None);
    }

    #[test]
    fn lookup_is_case_insensitive_and_exact() {
        assert_eq!(lookup(b"GeT").map(|s| s.id), Some(CmdId::Get));
        assert_eq!(lookup(b"getx"), None);
        assert_eq!(lookup(b"ge"), None);
        assert_eq!(lookup(b""), None);
        assert_eq!(
            lookup_argv(&v("CONFIG GET x")).map(|s| s.name),
            Some("config|get")
        );
        assert_eq!(lookup_argv(&v("config foo")), None);
        assert_eq!(lookup_argv(&v("CONFIG")).map(|s| s.name), Some("config"));
    }

    // Flags and arities as `COMMAND INFO` prints them on redis-server 7.0.15.
    #[test]
    fn flags_match_redis_7_0_command_info() {
        let f = |n: &str| lookup(n.as_bytes()).unwrap().flag_names().join(",");
        assert_eq!(f("ping"), "fast");
        assert_eq!(f("set"), "write,denyoom");
        assert_eq!(f("get"), "readonly,fast");
        assert_eq!(f("multi"), "noscript,loading,stale,fast,allow_busy");
        assert_eq!(f("psync"), "admin,noscript,no_async_loading,no_multi");
        assert_eq!(f("replconf"), "admin,noscript,loading,stale,allow_busy");
        assert_eq!(f("scan"), "readonly");
        assert_eq!(f("config"), "");
        assert_eq!(
            lookup_argv(&v("config get"))
                .unwrap()
                .flag_names()
                .join(","),
            "admin,noscript,loading,stale"
        );
        assert!(
            !lookup(b"ping").unwrap().is_stale(),
            "PING gets MASTERDOWN on a stale replica"
        );
        assert_eq!(lookup(b"mset").unwrap().key_positions(5), vec![1, 3]);
        assert_eq!(lookup(b"del").unwrap().key_positions(4), vec![1, 2, 3]);
        assert_eq!(lookup(b"set").unwrap().key_positions(5), vec![1]);
    }

    // Error texts captured from redis-server 7.0.15.
    #[test]
    fn arity_errors_match_redis_7_0() {
        let e = |s: &str| {
            let argv = v(s);
            lookup(&argv[0])
                .unwrap()
                .arity_error(&argv)
                .map(|r| r.format_cli())
        };
        assert_eq!(
            e("GET"),
            Some("(error) ERR wrong number of arguments for 'get' command".into())
        );
        assert_eq!(
            e("GET a b"),
            Some("(error) ERR wrong number of arguments for 'get' command".into())
        );
        assert_eq!(e("GET a"), None);
        assert_eq!(
            e("CONFIG"),
            Some("(error) ERR wrong number of arguments for 'config' command".into())
        );
        assert_eq!(
            e("CONFIG GET"),
            Some("(error) ERR wrong number of arguments for 'config|get' command".into())
        );
        assert_eq!(
            e("CONFIG SET a"),
            Some("(error) ERR wrong number of arguments for 'config|set' command".into())
        );
        assert_eq!(
            e("CONFIG FOO"),
            Some("(error) ERR unknown subcommand 'FOO'. Try CONFIG HELP.".into())
        );
        assert_eq!(
            e("CLIENT FOO"),
            Some("(error) ERR unknown subcommand 'FOO'. Try CLIENT HELP.".into())
        );
        assert_eq!(
            e("COMMAND FOO"),
            Some("(error) ERR unknown subcommand 'FOO'. Try COMMAND HELP.".into())
        );
        assert_eq!(e("COMMAND"), None);
        assert_eq!(
            e("REPLICAOF a"),
            Some("(error) ERR wrong number of arguments for 'replicaof' command".into())
        );
        assert_eq!(
            e("SET k"),
            Some("(error) ERR wrong number of arguments for 'set' command".into())
        );
        assert_eq!(
            e("DBSIZE x"),
            Some("(error) ERR wrong number of arguments for 'dbsize' command".into())
        );
    }
}
