//! The discrete-event driver: a virtual clock in ms, an ordered event queue
//! with a budget, one seeded RNG, the network, and the nodes.
//!
//! Nodes are sans-IO state machines: the driver hands one `Input` at a time
//! to a node through a `Cx`, and the node writes what it wants done (send,
//! connect, close, set a timer, trace) into the context's output buffer. The
//! driver then carries those out. Time is an input: a node reads its own
//! clock (`Cx::clock_ms`, the simulated time plus that node's skew), never a
//! wall clock. The whole `Sim` is `Clone`, so a snapshot is a clone.

mod faults;
pub mod log;
mod process;
mod queue;
mod transport;

use std::collections::{BTreeMap, VecDeque};

use crate::vecmap::VecMap;

use serde::{Deserialize, Serialize};

pub use crate::action::Action;
pub use faults::{Fault, Resolved};

use crate::node::{AddrBook, Cx, Input, NodeSpec, NodeState, Out, Timer};

use crate::msg::Msg;
use crate::net::{ConnId, LinkCfg, Net, NodeId};
use crate::redis::RedisNode;
use crate::rng::Rng;
use crate::trace::{Fnv64, Record, TraceEvent, TraceKind};
use queue::Queue;

/// Settings of a run that never change during it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimConfig {
    pub seed: u64,
    /// Unix time (ms) at simulated time 0, so TIME and EXPIREAT look real.
    pub start_unix_ms: i64,
    /// Events a run may process in all; past it `step` returns an error.
    pub event_budget: u64,
    /// Record the trace (off for benchmarks).
    pub trace: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            start_unix_ms: 1_700_000_000_000,
            event_budget: 50_000_000,
            trace: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The event budget ran out at this simulated time.
    BudgetExhausted {
        at_ms: u64,
        events: u64,
    },
    UnknownNode(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::BudgetExhausted { at_ms, events } => {
                write!(
                    f,
                    "event budget exhausted after {events} events at t={at_ms} ms"
                )
            }
            SimError::UnknownNode(n) => write!(f, "unknown node '{n}'"),
        }
    }
}

/// A frame held at a cut: (sequence, message id, frame).
type HeldFrame = (u64, u64, Frame);

/// A transport frame on a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Frame {
    Syn,
    SynAck,
    Rst,
    Fin,
    Data(Msg),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    Arrive {
        conn: ConnId,
        dir: u8,
        seq: u64,
        id: u64,
        frame: Frame,
    },
    Timer {
        node: NodeId,
        incarnation: u32,
        timer: Timer,
    },
    Resume {
        node: NodeId,
        token: u64,
    },
    Action {
        action: Resolved,
        tag: Option<String>,
    },
}

/// One simulated host and the process on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSlot {
    pub name: String,
    pub host: String,
    pub port: u16,
    /// What the process is started from (its "redis.conf"); CONFIG REWRITE updates it.
    pub spec: NodeSpec,
    pub state: NodeState,
    pub incarnation: u32,
    pub skew_ms: i64,
    /// Stalled (paused, or busy loading) until this time.
    pub blocked_until: Option<u64>,
    pub paused: bool,
    block_token: u64,
    /// Inputs that arrived while the process was stalled, in arrival order.
    inbox: VecDeque<Input>,
}

/// The outcome of a console command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleOutcome {
    /// The reply, as redis-cli prints it.
    Reply(String),
    /// The node is stalled or the command blocks (WAIT); the reply comes later
    /// under this ticket (see `Sim::console_reply`).
    Pending(u64),
}

#[derive(Clone, Debug)]
pub struct Sim {
    pub cfg: SimConfig,
    now_ms: u64,
    seq: u64,
    events: u64,
    queue: Queue<Event>,
    rng: Rng,
    pub net: Net,
    nodes: Vec<NodeSlot>,
    addr_book: AddrBook,
    /// Frames waiting at a cut, by direction, in sequence order.
    held: BTreeMap<(ConnId, u8), Vec<HeldFrame>>,
    /// Frames that arrived ahead of an earlier one (after a heal), by direction.
    reorder: BTreeMap<(ConnId, u8), BTreeMap<u64, (u64, Frame)>>,
    next_msg: u64,
    next_ticket: u64,
    /// A `VecMap`: tickets only grow, so each insert appends (bench.sh's
    /// console-driven writes: 2.7% fewer instructions than a `BTreeMap`).
    console_replies: VecMap<u64, String>,
    /// Console tickets of scheduled commands that carry a tag.
    tagged: BTreeMap<String, u64>,
    /// The trace's resident stretch: events `trace_base..` of the whole
    /// trace (all of it, unless a session dropped the start: `drop_trace_before`).
    trace: Vec<TraceEvent>,
    trace_base: usize,
    /// What the checker and the views need from the whole run.
    run_record: Record,
    hash: Fnv64,
    /// Whether `hash` follows the trace (`set_hashing`).
    hashing: bool,
    /// Reused output buffer of `handle` (one allocation for the whole run).
    out_buf: Vec<Out>,
}

impl Sim {
    pub fn new(cfg: SimConfig) -> Sim {
        let rng = Rng::new(cfg.seed);
        Sim {
            cfg,
            now_ms: 0,
            seq: 0,
            events: 0,
            queue: Queue::default(),
            rng,
            net: Net::default(),
            nodes: Vec::new(),
            addr_book: AddrBook::default(),
            held: BTreeMap::new(),
            reorder: BTreeMap::new(),
            next_msg: 1,
            next_ticket: 1,
            console_replies: VecMap::new(),
            tagged: BTreeMap::new(),
            trace: Vec::new(),
            trace_base: 0,
            run_record: Record::default(),
            hash: Fnv64::default(),
            hashing: true,
            out_buf: Vec::new(),
        }
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }
    pub fn events_processed(&self) -> u64 {
        self.events
    }
    /// The resident stretch of the trace: the whole trace from event
    /// `trace_base()` on (from the start, unless a session dropped it).
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }
    /// The index, in the whole trace, of `trace()[0]`.
    pub fn trace_base(&self) -> usize {
        self.trace_base
    }
    /// The number of events recorded in the whole run.
    pub fn trace_end(&self) -> usize {
        self.trace_base + self.trace.len()
    }
    /// The whole run's record (faults, roles, syncs, Sentinel events, logs,
    /// acknowledgements, offsets), kept when the trace's start is dropped.
    pub fn run_record(&self) -> &Record {
        &self.run_record
    }
    // --- Trace ownership (the web session keeps snapshots without the trace) ---
    /// Moves the resident trace out; recording continues into an empty one
    /// at the same place. `trace_hash` still covers every event recorded.
    pub fn take_trace(&mut self) -> Vec<TraceEvent> {
        self.trace_base = self.trace_end();
        std::mem::take(&mut self.trace)
    }
    /// Puts back events that end where the resident trace starts (a trace
    /// taken with `take_trace`, or a regenerated stretch before it).
    pub fn restore_trace(&mut self, mut trace: Vec<TraceEvent>) {
        debug_assert!(trace.len() <= self.trace_base);
        self.trace_base = self.trace_base.saturating_sub(trace.len());
        if self.trace.is_empty() {
            self.trace = trace;
        } else {
            trace.append(&mut self.trace);
            self.trace = trace;
        }
    }
    /// Drops the resident events before event `at` of the whole trace.
    pub fn drop_trace_before(&mut self, at: usize) {
        let n = at.saturating_sub(self.trace_base).min(self.trace.len());
        self.trace.drain(..n);
        self.trace_base += n;
    }
    // --- end of trace ownership ---
    /// Clones each large part of the state once, inside `f` (which can
    /// count the bytes allocated): what a copy of this `Sim` costs, by part.
    /// For measurements (web session snapshots); never called by the page.
    #[doc(hidden)]
    pub fn clone_parts(&self, f: &mut dyn FnMut(&str, &dyn Fn())) {
        f("sim (whole)", &|| drop(self.clone()));
        f("queue", &|| drop(self.queue.clone()));
        f("net", &|| drop(self.net.clone()));
        f("held+reorder", &|| {
            drop((self.held.clone(), self.reorder.clone()))
        });
        for n in &self.nodes {
            match &n.state {
                NodeState::Redis(r) => {
                    f("redis (whole)", &|| drop(r.clone()));
                    f("redis.db", &|| drop(r.db.clone()));
                    f("redis.backlog", &|| drop(r.backlog.clone()));
                    f("redis.replicas", &|| drop(r.replicas.clone()));
                    f("redis.master", &|| drop(r.master.clone()));
                    f("redis.clients", &|| {
                        drop((r.clients.clone(), r.console.clone()))
                    });
                }
                NodeState::Sentinel(s) => {
                    f("sentinel (whole)", &|| drop(s.clone()));
                    f("sentinel.events", &|| drop(s.events.clone()));
                    f("sentinel.masters", &|| drop(s.masters.clone()));
                }
                NodeState::Client(c) => {
                    f("client (whole)", &|| drop(c.clone()));
                    f("client.history", &|| drop(c.history.clone()));
                }
                NodeState::Down => {}
            }
            f("node inbox", &|| drop(n.inbox.clone()));
        }
    }
    /// Stops (or resumes) hashing the trace: writing each event's line
    /// into the hash is most of what recording costs, and the page never
    /// reads the hash (the determinism checks run with it on). With hashing
    /// off, `trace_hash` stays where it was.
    pub fn set_hashing(&mut self, on: bool) {
        self.hashing = on;
    }
    /// FNV-1a over the text lines of the trace so far (while hashing).
    pub fn trace_hash(&self) -> u64 {
        self.hash.finish()
    }
    pub fn nodes(&self) -> &[NodeSlot] {
        &self.nodes
    }
    pub fn node(&self, id: NodeId) -> Option<&NodeSlot> {
        self.nodes.get(id.0 as usize)
    }
    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeId(i as u16))
    }
    /// The node listening on `host:port`; `host` is an IP or a node name
    /// (the address book every connection resolves through).
    pub fn node_at(&self, host: &str, port: u16) -> Option<NodeId> {
        self.addr_book
            .by_addr
            .get(&(host.to_string(), port))
            .copied()
    }
    pub fn name(&self, id: NodeId) -> String {
        self.nodes
            .get(id.0 as usize)
            .map_or_else(|| format!("#{}", id.0), |n| n.name.clone())
    }
    pub fn redis(&self, id: NodeId) -> Option<&RedisNode> {
        match &self.nodes.get(id.0 as usize)?.state {
            NodeState::Redis(r) => Some(r),
            _ => None,
        }
    }
    /// The node's own clock (unix ms) right now.
    pub fn clock_ms(&self, id: NodeId) -> i64 {
        let skew = self.nodes.get(id.0 as usize).map_or(0, |n| n.skew_ms);
        self.cfg.start_unix_ms + self.now_ms as i64 + skew
    }
    /// The reply to the scheduled command tagged `tag`, once it has one.
    pub fn tagged_reply(&self, tag: &str) -> Option<&str> {
        self.tagged.get(tag).and_then(|t| self.console_reply(*t))
    }

    pub(crate) fn last_ticket(&self) -> u64 {
        self.next_ticket - 1
    }

    pub(crate) fn tag_reply(&mut self, tag: String, ticket: u64) {
        self.tagged.insert(tag, ticket);
    }

    pub fn console_reply(&self, ticket: u64) -> Option<&str> {
        self.console_replies.get(&ticket).map(String::as_str)
    }
    /// Time of the next scheduled event, if any.
    pub fn next_event_at(&self) -> Option<u64> {
        self.queue.next_at()
    }

    /// Adds a host running `spec`, listening on `host:port`, and starts its process now.
    pub fn add_node(&mut self, name: &str, host: &str, port: u16, spec: NodeSpec) -> NodeId {
        let id = NodeId(self.nodes.len() as u16);
        self.nodes.push(NodeSlot {
            name: name.to_string(),
            host: host.to_string(),
            port,
            spec,
            state: NodeState::Down,
            incarnation: 0,
            skew_ms: 0,
            blocked_until: None,
            paused: false,
            block_token: 0,
            inbox: VecDeque::new(),
        });
        self.addr_book.by_addr.insert((host.to_string(), port), id);
        self.addr_book.by_addr.insert((name.to_string(), port), id);
        self.addr_book.hosts.push((host.to_string(), port));
        self.start_process(id);
        id
    }

    pub fn set_link(&mut self, a: NodeId, b: NodeId, cfg: LinkCfg) {
        self.net.set_link(a, b, cfg);
    }

    /// Schedules an action at simulated time `at_ms` (not before now);
    /// `tag` names a command's reply (a lesson's `id`).
    pub fn schedule(
        &mut self,
        at_ms: u64,
        action: &Action,
        tag: Option<String>,
    ) -> Result<(), String> {
        let action = self.resolve(action)?;
        self.push(at_ms.max(self.now_ms), Event::Action { action, tag });
        Ok(())
    }

    /// Processes the next event. Ok(false) when nothing is left to do.
    pub fn step(&mut self) -> Result<bool, SimError> {
        if self.events >= self.cfg.event_budget {
            return Err(SimError::BudgetExhausted {
                at_ms: self.now_ms,
                events: self.events,
            });
        }
        let Some((at, event)) = self.queue.pop() else {
            return Ok(false);
        };
        debug_assert!(at >= self.now_ms, "time never goes backwards");
        self.now_ms = at;
        self.events += 1;
        self.dispatch(event);
        Ok(true)
    }

    /// Runs every event up to and including `t_ms`, then sets the clock to `t_ms`.
    pub fn run_until(&mut self, t_ms: u64) -> Result<(), SimError> {
        while self.queue.next_at().is_some_and(|at| at <= t_ms) {
            self.step()?;
        }
        self.now_ms = self.now_ms.max(t_ms);
        Ok(())
    }

    pub fn run_for(&mut self, ms: u64) -> Result<(), SimError> {
        self.run_until(self.now_ms + ms)
    }

    fn push(&mut self, at: u64, event: Event) {
        self.seq += 1;
        self.queue.push(at, self.seq, event);
    }

    pub(crate) fn record(&mut self, node: NodeId, kind: TraceKind) {
        if !self.cfg.trace {
            return;
        }
        let ev = TraceEvent {
            t_ms: self.now_ms,
            node,
            kind,
        };
        if self.hashing {
            let nodes = &self.nodes;
            // The line's bytes go straight into the hash: nothing is built.
            let _ = ev.write_line(&mut self.hash, |id| match nodes.get(id.0 as usize) {
                Some(n) => Name::Node(&n.name),
                None => Name::Id(id.0),
            });
            self.hash.write(b"\n");
        }
        self.run_record
            .note(self.trace_base + self.trace.len(), &ev);
        self.trace.push(ev);
    }
}

/// A node's name in a trace line: its name, or `#id` for an unknown id.
enum Name<'a> {
    Node(&'a str),
    Id(u16),
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Node(n) => f.write_str(n),
            Name::Id(id) => write!(f, "#{id}"),
        }
    }
}
