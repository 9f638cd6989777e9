//! Simulated application clients: routing policies, workloads, timeouts,
//! and the history the checker reads.
//!
//! A client is a node like the servers: it opens TCP connections, sends
//! RESP commands, waits for replies with a timeout, and reconnects when a
//! connection breaks (CLIENT KILL, a crash) or an error tells it to. Every
//! completed operation is recorded as `TraceKind::Op`, and the full history
//! is kept in `ClientNode::history` for the checker.

mod buyer;
mod cluster;
mod history;
mod ops;
use ops::cmd;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

pub use buyer::{Buyers, SaleSpec, SaleStats, Strategy};
pub use cluster::{ClusterClient, ClusterClientSpec, ClusterWorkload};
pub use history::{Op, OpKind, Outcome};

use crate::cowmap::CowVec;
use crate::data::Reply;
use crate::msg::Msg;
use crate::net::{ConnId, NodeId};
use crate::node::{Cx, Input, Timer};

/// Where writes go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Routing {
    /// A fixed address: keeps talking to it until the connection dies or an
    /// error says otherwise (seed 001's client).
    Fixed { host: String, port: u16 },
    /// Asks Sentinels for the master, and re-resolves on `+switch-master`,
    /// on a lost connection, and on READONLY errors.
    Sentinel {
        sentinels: Vec<(String, u16)>,
        master: String,
    },
}

/// Where reads go.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReadFrom {
    /// Critical reads: from the master.
    #[default]
    Master,
    /// Read/write split: from this replica.
    Replica { host: String, port: u16 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Workload {
    /// `SET w:<n> <n>` every period, n = 1, 2, ...
    Writer,
    /// `SET w:<n> <n>`, then `GET w:<n>` from the read target.
    WriteThenRead,
    /// `INCR ctr`, then `GET ctr` from the read target.
    Counter,
    /// `SET s:<n> <n> PX <ttl_ms>`, then `GET s:<n>` from the read target
    /// `read_after_ms` later (after it expired, when read_after > ttl).
    Expiring { ttl_ms: u64, read_after_ms: u64 },
    /// A flash sale: many buyers on their own connections (`buyer.rs`).
    Buyers(SaleSpec),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientSpec {
    pub routing: Routing,
    pub read_from: ReadFrom,
    pub workload: Workload,
    pub period_ms: u64,
    /// `WAIT numreplicas timeout` after every write: the write counts as
    /// acknowledged only when at least `numreplicas` acknowledged it.
    pub wait: Option<(u32, u64)>,
    /// How long a request may take before the client gives up on it.
    pub timeout_ms: u64,
    /// When the workload runs (simulated ms); None = until the end.
    pub start_ms: u64,
    pub stop_ms: Option<u64>,
    /// Key prefix of the writer workloads: `<prefix>:<n>`.
    pub prefix: String,
    /// Cluster-aware routing and workload (client/cluster.rs); replaces `routing`.
    pub cluster: Option<ClusterClientSpec>,
}

impl Default for ClientSpec {
    fn default() -> Self {
        ClientSpec {
            routing: Routing::Fixed {
                host: "10.0.0.1".into(),
                port: 6379,
            },
            read_from: ReadFrom::Master,
            workload: Workload::Writer,
            period_ms: 100,
            wait: None,
            timeout_ms: 1000,
            start_ms: 0,
            stop_ms: None,
            prefix: "w".into(),
            cluster: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientTimer {
    Tick,
    Timeout {
        op: u64,
    },
    /// The delayed read of an `Expiring` write.
    DelayedRead {
        n: u64,
    },
    Reconnect,
    /// A flash-sale buyer's arrival, lock retry or end of work.
    Buyer(u32),
}

/// Which connection a request went out on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Write,
    Read,
    Sentinel,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Conn {
    id: Option<ConnId>,
    up: bool,
    to: Option<NodeId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct InFlight {
    op: u64,
    role: Role,
    /// A WAIT follows the write `op` (the op completes when WAIT answers).
    waiting: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientNode {
    pub spec: ClientSpec,
    /// Shared between clones chunk by chunk (web session snapshots).
    pub history: CowVec<Op>,
    /// The master address currently in use.
    pub master_addr: Option<(String, u16)>,
    write: Conn,
    read: Conn,
    sentinel: Conn,
    sentinel_sub: Conn,
    sentinel_idx: usize,
    in_flight: Vec<InFlight>,
    next_n: u64,
    resolving: bool,
    /// The buyers of a `Workload::Buyers` sale.
    pub sale: Option<Box<Buyers>>,
    /// Cluster routing state, when `spec.cluster` is set.
    pub cluster: Option<Box<ClusterClient>>,
}

impl ClientNode {
    pub fn new(spec: ClientSpec) -> ClientNode {
        let master_addr = match &spec.routing {
            Routing::Fixed { host, port } => Some((host.clone(), *port)),
            Routing::Sentinel { .. } => None,
        };
        let sale = match &spec.workload {
            Workload::Buyers(s) => Some(Box::new(Buyers::new(s.clone()))),
            _ => None,
        };
        let spec_cluster = spec.cluster.is_some();
        ClientNode {
            spec,
            history: CowVec::new(),
            master_addr,
            write: Conn::default(),
            read: Conn::default(),
            sentinel: Conn::default(),
            sentinel_sub: Conn::default(),
            sentinel_idx: 0,
            in_flight: Vec::new(),
            next_n: 1,
            resolving: false,
            sale,
            cluster: spec_cluster.then(Box::<ClusterClient>::default),
        }
    }

    pub fn handle(&mut self, input: Input, cx: &mut Cx) {
        if let Some(sale) = self.sale.as_mut() {
            return sale.handle(input, self.master_addr.as_ref(), self.spec.start_ms, cx);
        }
        if self.cluster.is_some() {
            return self.cluster_handle(input, cx);
        }
        match input {
            Input::Start { .. } => {
                self.ensure_connections(cx);
                let delay = self.spec.start_ms.saturating_sub(cx.now_ms).max(1);
                cx.timer(delay, Timer::Client(ClientTimer::Tick));
            }
            Input::Connected { conn } => self.on_connected(conn, cx),
            Input::ConnFailed { conn } => self.on_lost(conn, true, cx),
            Input::Closed { conn } => self.on_lost(conn, false, cx),
            Input::Msg {
                conn,
                msg: Msg::Reply(r),
            } => self.on_reply(conn, &r, cx),
            Input::Timer(Timer::Client(t)) => self.on_timer(t, cx),
            Input::Console { ticket, .. } => cx.console_reply(
                ticket,
                "(error) ERR this node is a simulated client; it takes no commands".into(),
            ),
            _ => {}
        }
    }

    fn conn_mut(&mut self, role: Role) -> &mut Conn {
        match role {
            Role::Write => &mut self.write,
            Role::Read => &mut self.read,
            Role::Sentinel => &mut self.sentinel,
        }
    }

    fn role_of(&self, conn: ConnId) -> Option<Role> {
        [
            (Role::Write, &self.write),
            (Role::Read, &self.read),
            (Role::Sentinel, &self.sentinel),
        ]
        .into_iter()
        .find(|(_, c)| c.id == Some(conn))
        .map(|(r, _)| r)
    }

    fn connect(&mut self, role: Role, host: &str, port: u16, cx: &mut Cx) {
        let Some(node) = cx.resolve(host, port) else {
            return;
        };
        let id = cx.connect(node);
        *self.conn_mut(role) = Conn {
            id: Some(id),
            up: false,
            to: Some(node),
        };
    }

    /// Opens whatever connection the policy needs and does not have.
    fn ensure_connections(&mut self, cx: &mut Cx) {
        if let Routing::Sentinel { sentinels, .. } = self.spec.routing.clone() {
            if sentinels.is_empty() {
                return;
            }
            let (h, p) = &sentinels[self.sentinel_idx % sentinels.len()];
            if self.sentinel.id.is_none() {
                self.connect(Role::Sentinel, h, *p, cx);
            }
            if self.sentinel_sub.id.is_none() {
                if let Some(node) = cx.resolve(h, *p) {
                    self.sentinel_sub = Conn {
                        id: Some(cx.connect(node)),
                        up: false,
                        to: Some(node),
                    };
                }
            }
        }
        if self.write.id.is_none() {
            if let Some((h, p)) = self.master_addr.clone() {
                self.connect(Role::Write, &h, p, cx);
            }
        }
        if let ReadFrom::Replica { host, port } = self.spec.read_from.clone() {
            if self.read.id.is_none() {
                self.connect(Role::Read, &host, port, cx);
            }
        }
    }

    fn on_connected(&mut self, conn: ConnId, cx: &mut Cx) {
        if self.sentinel_sub.id == Some(conn) {
            self.sentinel_sub.up = true;
            cx.send(conn, cmd(&["SUBSCRIBE", "+switch-master"]));
            return;
        }
        let Some(role) = self.role_of(conn) else {
            return;
        };
        self.conn_mut(role).up = true;
        if role == Role::Sentinel {
            self.resolve_master(cx);
        }
    }

    fn resolve_master(&mut self, cx: &mut Cx) {
        let Routing::Sentinel { master, .. } = self.spec.routing.clone() else {
            return;
        };
        if let (Some(conn), true, false) = (self.sentinel.id, self.sentinel.up, self.resolving) {
            self.resolving = true;
            cx.send(conn, cmd(&["SENTINEL", "get-master-addr-by-name", &master]));
        }
    }

    /// A connection closed, or (`refused`) could not be opened.
    fn on_lost(&mut self, conn: ConnId, refused: bool, cx: &mut Cx) {
        if self.sentinel_sub.id == Some(conn) {
            self.sentinel_sub = Conn::default();
            cx.timer(1000, Timer::Client(ClientTimer::Reconnect));
            return;
        }
        let Some(role) = self.role_of(conn) else {
            return;
        };
        *self.conn_mut(role) = Conn::default();
        // Requests on that connection are lost: the client cannot know whether they ran.
        let lost: Vec<u64> = self
            .in_flight
            .iter()
            .filter(|f| f.role == role)
            .map(|f| f.op)
            .collect();
        for op in lost {
            self.complete(op, Outcome::ConnLost, cx);
        }
        if role == Role::Sentinel {
            self.resolving = false;
            self.sentinel_idx += 1;
        }
        if role == Role::Write && matches!(self.spec.routing, Routing::Sentinel { .. }) {
            self.master_addr = None;
            // A lost master is looked up again at once; an address that
            // refused the connection only at the next reconnect (100 ms):
            // asking again at once would spin as fast as the network
            // answers while Sentinel still names a dead master (swarm seed
            // 13255: 9M events per simulated second at zero latency).
            if !refused {
                self.resolve_master(cx);
            }
        }
        cx.timer(100, Timer::Client(ClientTimer::Reconnect));
    }

    fn on_reply(&mut self, conn: ConnId, r: &Reply, cx: &mut Cx) {
        if self.sentinel_sub.id == Some(conn) {
            // `+switch-master <name> <oldip> <oldport> <newip> <newport>`.
            if let Reply::Array(items) = r {
                if let [Reply::Bulk(kind), _, Reply::Bulk(payload)] = items.as_slice() {
                    if kind == b"message" {
                        let text = String::from_utf8_lossy(payload).to_string();
                        let f: Vec<&str> = text.split(' ').collect();
                        if f.len() == 5 {
                            if let Ok(port) = f[4].parse() {
                                self.switch_master(f[3].to_string(), port, cx);
                            }
                        }
                    }
                }
            }
            return;
        }
        let Some(role) = self.role_of(conn) else {
            return;
        };
        if role == Role::Sentinel {
            self.resolving = false;
            if let Reply::Array(items) = r {
                if let [Reply::Bulk(h), Reply::Bulk(p)] = items.as_slice() {
                    let host = String::from_utf8_lossy(h).to_string();
                    if let Ok(port) = String::from_utf8_lossy(p).parse() {
                        self.switch_master(host, port, cx);
                    }
                }
            }
            return;
        }
        let Some(pos) = self.in_flight.iter().position(|f| f.role == role) else {
            return;
        };
        let f = self.in_flight.remove(pos);
        self.on_op_reply(f, r, cx);
    }

    fn switch_master(&mut self, host: String, port: u16, cx: &mut Cx) {
        if self.master_addr.as_ref() == Some(&(host.clone(), port)) && self.write.id.is_some() {
            return;
        }
        if let Some(c) = self.write.id.take() {
            cx.close(c, "switching to the new master");
            let lost: Vec<u64> = self
                .in_flight
                .iter()
                .filter(|f| f.role == Role::Write)
                .map(|f| f.op)
                .collect();
            for op in lost {
                self.complete(op, Outcome::ConnLost, cx);
            }
        }
        self.write = Conn::default();
        self.master_addr = Some((host, port));
        self.ensure_connections(cx);
    }

    fn on_timer(&mut self, t: ClientTimer, cx: &mut Cx) {
        match t {
            ClientTimer::Tick => {
                if self.spec.stop_ms.is_some_and(|s| cx.now_ms >= s) {
                    return;
                }
                cx.timer(self.spec.period_ms.max(1), Timer::Client(ClientTimer::Tick));
                if self.in_flight.is_empty() {
                    self.next_op(cx);
                }
            }
            ClientTimer::Timeout { op } => {
                if let Some(pos) = self.in_flight.iter().position(|f| f.op == op) {
                    let f = self.in_flight.remove(pos);
                    self.complete(op, Outcome::Timeout, cx);
                    // Like client libraries: a timed-out connection is dropped and reopened.
                    if let Some(c) = self.conn_mut(f.role).id.take() {
                        cx.close(c, "request timed out");
                    }
                    *self.conn_mut(f.role) = Conn::default();
                    if f.role == Role::Write
                        && matches!(self.spec.routing, Routing::Sentinel { .. })
                    {
                        self.master_addr = None;
                        self.resolve_master(cx);
                    }
                    self.ensure_connections(cx);
                }
            }
            ClientTimer::DelayedRead { n } => self.send_op(
                OpKind::Read {
                    key: format!("s:{n}"),
                },
                Role::Read,
                cx,
            ),
            ClientTimer::Buyer(_) => {}
            ClientTimer::Reconnect => {
                if matches!(self.spec.routing, Routing::Sentinel { .. })
                    && self.master_addr.is_none()
                {
                    self.ensure_connections(cx);
                    self.resolve_master(cx);
                } else {
                    self.ensure_connections(cx);
                }
            }
        }
    }
}
