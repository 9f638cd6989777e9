//! The typed trace: everything that happens in a run, in order.
//!
//! The trace is one of the two deliberate serialization boundaries of the core
//! (the other is the scenario format). Each event also has a one-line text
//! form; the trace hash is FNV-1a over those lines, so "same trace" means the
//! same text, byte for byte, natively and in wasm.

use std::fmt;

mod record;
pub use record::{cmd_key, is_flush, is_mark, AckMark, Mark, OffsetSample, Record};

use serde::Serialize;

use crate::msg::{Msg, MsgKind};
use crate::net::{ConnId, NodeId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    /// Simulated time in ms.
    pub t_ms: u64,
    /// The node where it happened (for messages: the sender, or the receiver on delivery).
    pub node: NodeId,
    #[serde(flatten)]
    pub kind: TraceKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceKind {
    /// A message left `node` for `to`.
    Send {
        msg: u64,
        conn: ConnId,
        to: NodeId,
        kind: MsgKind,
        bytes: u64,
        summary: MsgText,
    },
    /// Message `msg` from `from` reached `node`.
    Deliver { msg: u64, from: NodeId },
    /// Message `msg` was lost: the receiving socket was closed or the process gone.
    Drop { msg: u64, reason: String },
    /// Message `msg` reached a network cut and waits (TCP retransmission).
    Held { msg: u64 },
    /// A TCP connection was established from `node` to `peer`.
    ConnOpen { conn: ConnId, peer: NodeId },
    /// `node` closed (or lost) its end of a connection.
    ConnClose {
        conn: ConnId,
        peer: NodeId,
        reason: String,
    },
    /// A command executed on `node`, with the reply as redis-cli prints it.
    Exec {
        client: String,
        cmd: String,
        reply: String,
    },
    /// A replica applied one command of the replication stream.
    Apply {
        cmd: MsgText,
        bytes: u64,
        offset: u64,
    },
    /// A master fed one command into its replication stream.
    Feed {
        cmd: MsgText,
        bytes: u64,
        offset: u64,
    },
    /// The node's role changed.
    Role { role: String },
    /// A master decided how to synchronize a replica.
    Sync {
        replica: NodeId,
        full: bool,
        reason: String,
    },
    /// A key was expired (lazily or actively) or deleted by the master's DEL.
    Expired { key: String },
    /// A line from the node's log, worded as Redis words it.
    Log { text: String },
    /// A fault was applied (pause, crash, partition, ...).
    Fault { text: String },
    /// A Sentinel event; its text is what Sentinel publishes (`+sdown master mymaster ...`).
    Sentinel {
        event: crate::sentinel::SentinelEvent,
    },
    /// A master acknowledged a client's write: where it stands in the stream.
    Ack {
        conn: ConnId,
        cmd: String,
        replid: String,
        offset: u64,
    },
    /// A simulated client's operation completed (the checker's history).
    Op { op: u64, text: String },
}

/// A message's text, rendered when read (`Msg::summary`): recording a
/// message, or a command of the replication stream, costs a pointer copy
/// instead of a formatted string. Compared, shown and serialized as its text.
#[derive(Clone, Debug)]
pub struct MsgText(Msg);

impl MsgText {
    pub fn new(msg: Msg) -> MsgText {
        MsgText(msg)
    }
    pub fn text(&self) -> String {
        self.0.summary()
    }
    /// FLUSHALL or FLUSHDB (a command, or one in the replication stream).
    pub fn is_flush(&self) -> bool {
        match &self.0 {
            Msg::Cmd(argv) => crate::redis::is_flush(argv),
            Msg::Stream(c) => c.is_flush(),
            _ => false,
        }
    }
}

impl fmt::Display for MsgText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl PartialEq for MsgText {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || self.text() == other.text()
    }
}
impl Eq for MsgText {}

impl Serialize for MsgText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

impl TraceEvent {
    /// One line of text; `names` maps node ids to names.
    pub fn line(&self, names: &dyn Fn(NodeId) -> String) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = self.write_line(&mut out, names);
        out
    }

    /// Writes the line (without a newline) to `w`: what `line` returns,
    /// without building it when only its bytes are needed (the hash).
    pub fn write_line<W, N, F>(&self, w: &mut W, names: F) -> fmt::Result
    where
        W: fmt::Write,
        N: fmt::Display,
        F: Fn(NodeId) -> N,
    {
        write!(
            w,
            "{}.{:03} {} ",
            self.t_ms / 1000,
            self.t_ms % 1000,
            names(self.node)
        )?;
        match &self.kind {
            TraceKind::Send {
                msg,
                conn,
                to,
                kind,
                bytes,
                summary,
            } => {
                write!(
                    w,
                    "-> {} #{msg} {conn} {kind:?} {bytes}B {summary}",
                    names(*to)
                )
            }
            TraceKind::Deliver { msg, from } => write!(w, "<- {} #{msg}", names(*from)),
            TraceKind::Drop { msg, reason } => write!(w, "drop #{msg} ({reason})"),
            TraceKind::Held { msg } => write!(w, "held #{msg} at a cut"),
            TraceKind::ConnOpen { conn, peer } => {
                write!(w, "connected {conn} to {}", names(*peer))
            }
            TraceKind::ConnClose { conn, peer, reason } => {
                write!(w, "closed {conn} to {} ({reason})", names(*peer))
            }
            TraceKind::Exec { client, cmd, reply } => {
                write!(w, "[{client}] {cmd} => {reply}")
            }
            TraceKind::Apply { cmd, bytes, offset } => {
                write!(w, "apply {cmd} ({bytes}B, offset {offset})")
            }
            TraceKind::Feed { cmd, bytes, offset } => {
                write!(w, "feed {cmd} ({bytes}B, offset {offset})")
            }
            TraceKind::Role { role } => write!(w, "role {role}"),
            TraceKind::Sync {
                replica,
                full,
                reason,
            } => write!(
                w,
                "{} sync for {}: {reason}",
                if *full { "full" } else { "partial" },
                names(*replica)
            ),
            TraceKind::Expired { key } => write!(w, "expired {key}"),
            TraceKind::Log { text } => write!(w, "log {text}"),
            TraceKind::Fault { text } => write!(w, "fault {text}"),
            TraceKind::Sentinel { event } => write!(w, "{event}"),
            TraceKind::Ack {
                conn,
                cmd,
                replid,
                offset,
            } => write!(w, "ack {conn} {cmd} at {replid}:{offset}"),
            TraceKind::Op { op, text } => write!(w, "op#{op} {text}"),
        }
    }
}

/// FNV-1a, 64 bits: tiny, fixed, and the same on every platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv64(pub u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Text written to a hash is hashed as its UTF-8 bytes.
impl fmt::Write for Fnv64 {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_published_vectors() {
        let mut h = Fnv64::default();
        h.write(b"");
        assert_eq!(h.finish(), 0xcbf29ce484222325);
        let mut h = Fnv64::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
    }
}
