//! The context a node sees while it handles one input: its clock, a way to
//! draw random numbers, and an output buffer of what it wants done.

use crate::msg::Msg;
use crate::net::{ConnId, Net, NodeId};
use crate::rng::Rng;
use crate::trace::TraceKind;

use std::collections::BTreeMap;

use super::{NodeSpec, Timer};

/// Something a node wants the driver to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Out {
    Send {
        conn: ConnId,
        msg: Msg,
    },
    /// Send the SYN of a connection allocated by `Cx::connect`.
    Connect {
        conn: ConnId,
    },
    Close {
        conn: ConnId,
        reason: String,
    },
    Timer {
        after_ms: u64,
        timer: Timer,
    },
    Trace(TraceKind),
    ConsoleReply {
        ticket: u64,
        text: String,
    },
    /// A Pub/Sub message for a subscribed console, appended to its output.
    ConsolePush {
        ticket: u64,
        text: String,
    },
    /// The process is busy (loading an RDB) and handles nothing for `ms`.
    Busy {
        ms: u64,
    },
    /// CONFIG REWRITE: what a restart starts from.
    Rewrite(Box<NodeSpec>),
}

/// Who listens where: `host:port` (an IP, or a node name used as a host name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddrBook {
    pub by_addr: BTreeMap<(String, u16), NodeId>,
    /// Indexed by node id.
    pub hosts: Vec<(String, u16)>,
}

pub struct Cx<'a> {
    pub me: NodeId,
    pub incarnation: u32,
    /// Simulated time (ms since the run started).
    pub now_ms: u64,
    /// This node's own clock (unix ms), skew included.
    pub clock_ms: i64,
    pub tracing: bool,
    out: &'a mut Vec<Out>,
    net: &'a mut Net,
    rng: &'a mut Rng,
    book: &'a AddrBook,
}

impl<'a> Cx<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        me: NodeId,
        incarnation: u32,
        now_ms: u64,
        clock_ms: i64,
        out: &'a mut Vec<Out>,
        net: &'a mut Net,
        rng: &'a mut Rng,
        book: &'a AddrBook,
        tracing: bool,
    ) -> Cx<'a> {
        Cx {
            me,
            incarnation,
            now_ms,
            clock_ms,
            tracing,
            out,
            net,
            rng,
            book,
        }
    }

    pub fn send(&mut self, conn: ConnId, msg: Msg) {
        self.out.push(Out::Send { conn, msg });
    }

    /// Opens a TCP connection to `to`; the node later gets `Connected` or `ConnFailed`.
    pub fn connect(&mut self, to: NodeId) -> ConnId {
        let conn = self.net.open_conn(self.me, self.incarnation, to);
        self.out.push(Out::Connect { conn });
        conn
    }

    pub fn close(&mut self, conn: ConnId, reason: &str) {
        self.out.push(Out::Close {
            conn,
            reason: reason.to_string(),
        });
    }

    pub fn timer(&mut self, after_ms: u64, timer: Timer) {
        self.out.push(Out::Timer { after_ms, timer });
    }

    pub fn trace(&mut self, kind: TraceKind) {
        if self.tracing {
            self.out.push(Out::Trace(kind));
        }
    }

    /// A Redis log line (`serverLog`), kept in the trace.
    pub fn log(&mut self, text: impl Into<String>) {
        if self.tracing {
            self.out
                .push(Out::Trace(TraceKind::Log { text: text.into() }));
        }
    }

    pub fn console_reply(&mut self, ticket: u64, text: String) {
        self.out.push(Out::ConsoleReply { ticket, text });
    }

    pub fn console_push(&mut self, ticket: u64, text: String) {
        self.out.push(Out::ConsolePush { ticket, text });
    }

    pub fn busy(&mut self, ms: u64) {
        if ms > 0 {
            self.out.push(Out::Busy { ms });
        }
    }

    pub fn rewrite(&mut self, spec: NodeSpec) {
        self.out.push(Out::Rewrite(Box::new(spec)));
    }

    pub fn rand_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    pub fn rand_below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    pub fn hex40(&mut self) -> String {
        self.rng.hex40()
    }

    /// Resolves `host:port` (an IP or a node name) to a node.
    pub fn resolve(&self, host: &str, port: u16) -> Option<NodeId> {
        self.book.by_addr.get(&(host.to_string(), port)).copied()
    }

    /// The peer node at the other end of `conn`.
    pub fn peer(&self, conn: ConnId) -> Option<NodeId> {
        let c = self.net.conns.get(&conn)?;
        let side = c.side_of(self.me)?;
        Some(c.ends[1 - side])
    }

    /// Bytes written to `conn` by this node that have not left the host yet.
    pub fn queued_bytes(&mut self, conn: ConnId) -> u64 {
        let Some(side) = self.net.conns.get(&conn).and_then(|c| c.side_of(self.me)) else {
            return 0;
        };
        self.net.queued_bytes(conn, side, self.now_ms)
    }

    /// When a transmission of `bytes` queued now on `conn` would leave this host.
    pub fn tx_done_at(&self, conn: ConnId, bytes: u64) -> u64 {
        let Some(c) = self.net.conns.get(&conn) else {
            return self.now_ms;
        };
        let Some(side) = c.side_of(self.me) else {
            return self.now_ms;
        };
        let link = self.net.link(c.ends[0], c.ends[1]);
        (c.dirs[side].tx_free_at_us.max(self.now_ms * 1000) + link.tx_us(bytes) + 500) / 1000
    }

    /// The IP address and port `node` listens on.
    pub fn addr_of(&self, node: NodeId) -> Option<&(String, u16)> {
        self.book.hosts.get(node.0 as usize)
    }
}
