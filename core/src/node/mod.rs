//! What a simulated host runs: the process interface (`Input` in, a `Cx`
//! to act through, `Out`s for the driver) and the sum of the process kinds
//! (`NodeSpec`, `NodeState`, `Timer`). The kinds (`redis/`, `sentinel/`,
//! `client/`) use only this module, never the driver (`sim/`), which
//! depends on them.

mod cx;

pub use cx::{AddrBook, Cx, Out};

use serde::{Deserialize, Serialize};

use crate::client::{ClientNode, ClientSpec, ClientTimer};
use crate::msg::Msg;
use crate::net::{ConnId, NodeId};
use crate::redis::{RedisNode, RedisSpec, RedisTimer};
use crate::sentinel::{SentinelNode, SentinelSpec, SentinelTimer};

/// What a host starts when its process (re)starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NodeSpec {
    Redis(RedisSpec),
    Sentinel(SentinelSpec),
    Client(ClientSpec),
}

/// The live process on a host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeState {
    Redis(Box<RedisNode>),
    Sentinel(Box<SentinelNode>),
    Client(Box<ClientNode>),
    /// Crashed, or never started.
    Down,
}

/// A timer a node armed; it comes back as `Input::Timer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Timer {
    Redis(RedisTimer),
    Sentinel(SentinelTimer),
    Client(ClientTimer),
}

/// One thing that happens to a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The process starts; its cron's phase within a 100 ms tick is given.
    Start {
        cron_phase_ms: u64,
    },
    /// A peer connected to us.
    Accepted {
        conn: ConnId,
        peer: NodeId,
    },
    /// Our connection attempt succeeded.
    Connected {
        conn: ConnId,
    },
    /// Our connection attempt was refused.
    ConnFailed {
        conn: ConnId,
    },
    /// The peer closed the connection (or its process died).
    Closed {
        conn: ConnId,
    },
    Msg {
        conn: ConnId,
        msg: Msg,
    },
    Timer(Timer),
    /// An operator command typed at redis-cli on this host.
    Console {
        ticket: u64,
        line: String,
    },
}

impl NodeSpec {
    /// The config file this process starts from, as (file name, lines):
    /// redis.conf or sentinel.conf; None for a simulated client.
    pub fn conf_file(&self, port: u16) -> Option<(&'static str, Vec<String>)> {
        match self {
            NodeSpec::Redis(s) => Some(("redis.conf", s.conf_file_lines(port))),
            NodeSpec::Sentinel(s) => Some(("sentinel.conf", s.conf_file_lines(port))),
            NodeSpec::Client(_) => None,
        }
    }

    pub fn start(&self, run_id: String, host: &str, port: u16) -> NodeState {
        match self {
            NodeSpec::Redis(spec) => {
                NodeState::Redis(Box::new(RedisNode::new(spec.clone(), run_id, host, port)))
            }
            NodeSpec::Sentinel(spec) => NodeState::Sentinel(Box::new(SentinelNode::new(
                spec.clone(),
                run_id,
                host,
                port,
            ))),
            NodeSpec::Client(spec) => NodeState::Client(Box::new(ClientNode::new(spec.clone()))),
        }
    }
}

impl NodeState {
    pub fn handle(&mut self, input: Input, cx: &mut Cx) {
        match self {
            NodeState::Redis(r) => r.handle(input, cx),
            NodeState::Sentinel(s) => s.handle(input, cx),
            NodeState::Client(c) => c.handle(input, cx),
            NodeState::Down => {}
        }
    }
}
