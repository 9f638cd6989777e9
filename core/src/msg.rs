//! What travels over a simulated TCP connection.
//!
//! Payloads are structured (an argv, a reply, a snapshot), but every message
//! knows its exact size on the wire in bytes, because offsets, bandwidth and
//! output-buffer limits are all counted in bytes, as Redis counts them.

use std::rc::Rc;

use serde::Serialize;

use crate::data::{resp_len, Argv, CmdId, CommandSpec, Db, Reply};

/// One command in the replication stream, with its RESP length cached and
/// its command looked up once, on the master, for every replica.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplCmd {
    pub argv: Argv,
    pub bytes: u64,
    /// `lookup(&argv[0])`.
    pub spec: Option<&'static CommandSpec>,
}

impl ReplCmd {
    pub fn new(argv: Argv) -> ReplCmd {
        let bytes = resp_len(&argv);
        let spec = argv.first().and_then(|n| crate::data::lookup(n));
        ReplCmd { argv, bytes, spec }
    }
    /// FLUSHALL / FLUSHDB (commands without subcommands, so the top-level
    /// lookup is the command).
    pub fn is_flush(&self) -> bool {
        self.spec
            .is_some_and(|s| matches!(s.id, CmdId::Flushall | CmdId::Flushdb))
    }
    pub fn name_is(&self, name: &str) -> bool {
        self.argv
            .first()
            .is_some_and(|a| a.eq_ignore_ascii_case(name.as_bytes()))
    }
}

/// The body of a full synchronization: the dataset as it was at fork time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdbPayload {
    pub db: Db,
    /// Estimated RDB size in bytes (see `Db::rdb_size_bytes`).
    pub rdb_bytes: u64,
    /// Diskless transfers use `$EOF:<40 bytes>` framing instead of `$<len>`.
    pub eof_mark: bool,
}

impl RdbPayload {
    pub fn wire_bytes(&self) -> u64 {
        if self.eof_mark {
            // "$EOF:" + 40-byte mark + "\r\n", payload, then the 40-byte mark again.
            5 + 40 + 2 + self.rdb_bytes + 40
        } else {
            1 + decimal_len(self.rdb_bytes) + 2 + self.rdb_bytes
        }
    }
}

fn decimal_len(mut n: u64) -> u64 {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A request: a RESP multibulk from a client, replica or Sentinel.
    Cmd(Rc<Argv>),
    /// A reply to a request.
    Reply(Rc<Reply>),
    /// One propagated command in the replication stream (master → replica).
    Stream(Rc<ReplCmd>),
    /// The bare "\n" a master sends to replicas waiting for a full sync.
    Newline,
    /// A full-sync payload.
    Rdb(Rc<RdbPayload>),
    /// A cluster bus packet (cluster/bus.rs).
    Bus(Rc<crate::cluster::BusMsg>),
}

/// How the space-time diagram draws and filters a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MsgKind {
    /// Replication stream (writes, SELECT, GETACK).
    Repl,
    /// `PING` in the replication stream or from a Sentinel.
    Ping,
    /// `REPLCONF ACK`.
    Ack,
    /// Handshake: `PING`/`REPLCONF`/`PSYNC` from a replica, and their replies.
    Handshake,
    /// RDB transfer.
    Rdb,
    /// Keep-alive newline.
    Keepalive,
    /// A client command or its reply.
    Client,
    /// A reply to anything else.
    Reply,
    /// Sentinel hello and vote traffic.
    Sentinel,
    /// Cluster bus: PING/PONG gossip, FAIL, failover votes, UPDATE.
    Bus,
}

impl Msg {
    pub fn wire_bytes(&self) -> u64 {
        match self {
            Msg::Cmd(argv) => resp_len(argv),
            Msg::Reply(r) => r.resp_len(),
            Msg::Stream(c) => c.bytes,
            Msg::Newline => 1,
            Msg::Rdb(p) => p.wire_bytes(),
            Msg::Bus(b) => b.wire_bytes(),
        }
    }

    pub fn kind(&self) -> MsgKind {
        match self {
            Msg::Cmd(argv) => classify_cmd(argv),
            Msg::Reply(_) => MsgKind::Reply,
            Msg::Stream(c) if c.name_is("PING") => MsgKind::Ping,
            Msg::Stream(_) => MsgKind::Repl,
            Msg::Newline => MsgKind::Keepalive,
            Msg::Rdb(_) => MsgKind::Rdb,
            Msg::Bus(_) => MsgKind::Bus,
        }
    }

    /// A short human summary for the trace and the diagram.
    pub fn summary(&self) -> String {
        match self {
            Msg::Cmd(argv) => show_argv(argv),
            Msg::Reply(r) => show_reply(r),
            Msg::Stream(c) => show_argv(&c.argv),
            Msg::Newline => "\\n".to_string(),
            Msg::Rdb(p) => format!("RDB {} bytes, {} keys", p.rdb_bytes, p.db.len()),
            Msg::Bus(b) => b.summary(),
        }
    }
}

fn classify_cmd(argv: &Argv) -> MsgKind {
    let name = argv
        .first()
        .map(|a| a.to_ascii_uppercase())
        .unwrap_or_default();
    let sub = argv
        .get(1)
        .map(|a| a.to_ascii_uppercase())
        .unwrap_or_default();
    match (name.as_slice(), sub.as_slice()) {
        (b"REPLCONF", b"ACK") => MsgKind::Ack,
        (b"REPLCONF", _) | (b"PSYNC", _) | (b"SYNC", _) => MsgKind::Handshake,
        (b"PING", _) => MsgKind::Ping,
        (b"PUBLISH", _) | (b"SENTINEL", _) => MsgKind::Sentinel,
        _ => MsgKind::Client,
    }
}

/// An argv the way MONITOR shows it: each argument quoted.
pub fn show_argv(argv: &[Vec<u8>]) -> String {
    let mut s = String::new();
    for (i, a) in argv.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if i == 0 {
            s.push_str(&String::from_utf8_lossy(a));
        } else {
            s.push_str(&crate::data::quote_arg(a));
        }
    }
    s
}

fn show_reply(r: &Reply) -> String {
    match r {
        Reply::Status(s) => format!("+{s}"),
        Reply::Error(e) => format!("-{e}"),
        // A bulk string's repr has no line break: it is its own first line.
        Reply::Bulk(b) => crate::data::quote_arg(b),
        other => other.format_cli().lines().next().unwrap_or("").to_string(),
    }
}
