//! The cluster-aware client: a slot map from `CLUSTER SLOTS`, one
//! connection per node, MOVED (update the slot, refresh the map, retry) and
//! ASK (`ASKING`, then retry on that node once) with a redirect limit, as
//! cluster client libraries do. Its workloads teach data skew and hot keys.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{history::Op, ClientNode, ClientTimer, OpKind, Outcome};
use crate::cluster::{key_slot, SLOTS};
use crate::data::Reply;
use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::{Cx, Input, Timer};

/// What a cluster client does every period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClusterWorkload {
    /// `SET <prefix>:<n> <n>`: keys spread over the slots.
    Spread,
    /// `SET {<tag>}:<n> <n>`: every key on the tag's slot.
    Tagged {
        /// The hash tag, written without braces.
        tag: String,
    },
    /// One `SET <key> <bytes × 'x'>` at start, then as `spread`.
    Bigkey {
        /// `bigkey`: the big key's name.
        key: String,
        /// `bigkey`: its value's size (bytes).
        bytes: u64,
    },
    /// `GET <key>` every period (after one `SET`): one slot, one node.
    HotRead {
        /// `hot_read`: the hot key.
        key: String,
    },
    /// The hot-key fix: `copies` read-only copies `copy<i>:<key>` written at
    /// start, each read picks one at random. Every `write_every`-th op
    /// writes the original only, so the copies go stale.
    HotCopies {
        /// `hot_copies`: the hot key, copied.
        key: String,
        /// How many read-only copies.
        copies: u32,
        /// Every this many operations, one writes the original.
        write_every: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterClientSpec {
    /// Startup nodes: the first reachable answers `CLUSTER SLOTS`.
    pub seeds: Vec<(String, u16)>,
    pub workload: ClusterWorkload,
    /// Redirections followed for one operation before giving up.
    pub max_redirects: u32,
}

/// Routing state of a cluster client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterClient {
    /// Owner of each slot: an index into `addrs`, or u16::MAX (unknown).
    slots: Vec<u16>,
    addrs: Vec<(String, u16)>,
    /// One connection per address (same index), and whether it is up.
    conns: Vec<(Option<ConnId>, bool)>,
    /// The connection `CLUSTER SLOTS` goes out on (to a seed), whether it
    /// is up, and whether a `CLUSTER SLOTS` is in flight.
    ctl: Option<ConnId>,
    ctl_up: bool,
    refreshing: bool,
    seed_idx: usize,
    /// The operation in flight: (op id, connection, redirects so far, asking).
    current: Option<(u64, ConnId, u32, bool)>,
    /// The op waiting for its connection to come up.
    waiting: Option<(u64, usize, u32, bool)>,
    pub moved: u64,
    pub asked: u64,
    pub refreshes: u64,
}

fn slots_cmd() -> Msg {
    msg(vec![b"CLUSTER".to_vec(), b"SLOTS".to_vec()])
}

fn msg(argv: Vec<Vec<u8>>) -> Msg {
    Msg::Cmd(Rc::new(argv))
}

impl ClusterClient {
    /// Reads a `CLUSTER SLOTS` reply into the slot map.
    fn load_slots(&mut self, r: &Reply) {
        let Reply::Array(ranges) = r else { return };
        self.slots = vec![u16::MAX; SLOTS as usize];
        for e in ranges {
            let Reply::Array(f) = e else { continue };
            let (Some(Reply::Int(a)), Some(Reply::Int(b)), Some(Reply::Array(m))) =
                (f.first(), f.get(1), f.get(2))
            else {
                continue;
            };
            let (Some(Reply::Bulk(h)), Some(Reply::Int(p))) = (m.first(), m.get(1)) else {
                continue;
            };
            let i = self.addr_index(String::from_utf8_lossy(h).into(), *p as u16);
            for s in (*a).max(0)..=(*b).min(i64::from(SLOTS) - 1) {
                self.slots[s as usize] = i as u16;
            }
        }
    }

    fn addr_index(&mut self, host: String, port: u16) -> usize {
        let a = (host, port);
        match self.addrs.iter().position(|x| *x == a) {
            Some(i) => i,
            None => {
                self.addrs.push(a);
                self.conns.push((None, false));
                self.addrs.len() - 1
            }
        }
    }

    fn conn_index(&self, c: ConnId) -> Option<usize> {
        self.conns.iter().position(|x| x.0 == Some(c))
    }
}

impl ClientNode {
    pub(super) fn cluster_handle(&mut self, input: Input, cx: &mut Cx) {
        let Some(mut cl) = self.cluster.take() else {
            return;
        };
        match input {
            Input::Start { .. } => {
                self.refresh(&mut cl, cx);
                let delay = self.spec.start_ms.saturating_sub(cx.now_ms).max(1);
                cx.timer(delay, Timer::Client(ClientTimer::Tick));
            }
            Input::Connected { conn } => {
                if let Some(i) = cl.conn_index(conn) {
                    cl.conns[i].1 = true;
                }
                if cl.ctl == Some(conn) {
                    cl.ctl_up = true;
                    if cl.refreshing {
                        cx.send(conn, slots_cmd());
                    }
                }
                if let Some((op, i, n, asking)) = cl.waiting {
                    if cl.conns[i].0 == Some(conn) {
                        cl.waiting = None;
                        self.dispatch(&mut cl, op, i, n, asking, cx);
                    }
                }
            }
            Input::ConnFailed { conn } | Input::Closed { conn } => {
                if let Some(i) = cl.conn_index(conn) {
                    cl.conns[i] = (None, false);
                }
                if cl.waiting.is_some_and(|w| cl.conns[w.1].0.is_none()) {
                    let (op, ..) = cl.waiting.take().unwrap_or_default();
                    self.complete(op, Outcome::ConnLost, cx);
                }
                if let Some((op, c, ..)) = cl.current {
                    if c == conn {
                        cl.current = None;
                        self.complete(op, Outcome::ConnLost, cx);
                    }
                }
                if cl.ctl == Some(conn) {
                    (cl.ctl, cl.ctl_up, cl.refreshing) = (None, false, false);
                    cl.seed_idx += 1;
                }
                // Refresh the slot map after any lost connection.
                cx.timer(100, Timer::Client(ClientTimer::Reconnect));
            }
            Input::Msg {
                conn,
                msg: Msg::Reply(r),
            } => self.cluster_reply(&mut cl, conn, &r, cx),
            Input::Timer(Timer::Client(ClientTimer::Tick))
                if self.spec.stop_ms.is_none_or(|s| cx.now_ms < s) =>
            {
                cx.timer(self.spec.period_ms.max(1), Timer::Client(ClientTimer::Tick));
                if cl.current.is_none() && cl.waiting.is_none() && !cl.slots.is_empty() {
                    self.cluster_next_op(&mut cl, cx);
                }
            }
            Input::Timer(Timer::Client(ClientTimer::Timeout { op })) => {
                if let Some((o, c, ..)) = cl.current.filter(|x| x.0 == op) {
                    cl.current = None;
                    self.complete(o, Outcome::Timeout, cx);
                    cx.close(c, "request timed out");
                    if let Some(i) = cl.conn_index(c) {
                        cl.conns[i] = (None, false);
                    }
                    self.refresh(&mut cl, cx);
                }
            }
            Input::Timer(Timer::Client(ClientTimer::Reconnect)) => self.refresh(&mut cl, cx),
            Input::Console { ticket, .. } => cx.console_reply(
                ticket,
                "(error) ERR this node is a simulated client; it takes no commands".into(),
            ),
            _ => {}
        }
        self.cluster = Some(cl);
    }

    /// Asks a seed for `CLUSTER SLOTS` on the control connection.
    fn refresh(&mut self, cl: &mut ClusterClient, cx: &mut Cx) {
        if cl.refreshing {
            return;
        }
        let Some(spec) = &self.spec.cluster else {
            return;
        };
        if spec.seeds.is_empty() {
            return;
        }
        cl.refreshes += 1;
        cl.refreshing = true;
        match (cl.ctl, cl.ctl_up) {
            (Some(c), true) => cx.send(c, slots_cmd()),
            (Some(_), false) => {}
            (None, _) => {
                let (h, p) = &spec.seeds[cl.seed_idx % spec.seeds.len()];
                match cx.resolve(h, *p) {
                    Some(node) => cl.ctl = Some(cx.connect(node)),
                    None => {
                        cl.refreshing = false;
                        cl.seed_idx += 1;
                    }
                }
            }
        }
    }

    fn cluster_next_op(&mut self, cl: &mut ClusterClient, cx: &mut Cx) {
        let Some(spec) = self.spec.cluster.clone() else {
            return;
        };
        let n = self.next_n;
        self.next_n += 1;
        let w = |key: String, value: String| OpKind::Write {
            key,
            value,
            px: None,
        };
        let kind = match spec.workload {
            ClusterWorkload::Spread => w(format!("{}:{n}", self.spec.prefix), n.to_string()),
            ClusterWorkload::Tagged { tag } => w(format!("{{{tag}}}:{n}"), n.to_string()),
            ClusterWorkload::Bigkey { key, bytes } if n == 1 => w(key, "x".repeat(bytes as usize)),
            ClusterWorkload::Bigkey { .. } => w(format!("{}:{n}", self.spec.prefix), n.to_string()),
            ClusterWorkload::HotRead { key } if n == 1 => w(key, "v1".into()),
            ClusterWorkload::HotRead { key } => OpKind::Read { key },
            ClusterWorkload::HotCopies {
                key,
                copies,
                write_every,
            } => {
                let copies = u64::from(copies.max(1));
                if n == 1 {
                    w(key, "v1".into())
                } else if n <= copies + 1 {
                    w(format!("copy{}:{key}", n - 1), "v1".into())
                } else if write_every > 0 && n.is_multiple_of(u64::from(write_every)) {
                    w(key, format!("v{n}"))
                } else {
                    let r = cx.rand_below(copies) + 1;
                    OpKind::Read {
                        key: format!("copy{r}:{key}"),
                    }
                }
            }
        };
        let id = cx.rand_u64() >> 16;
        self.history.push(Op {
            id,
            kind: kind.clone(),
            invoke_ms: cx.now_ms,
            complete_ms: None,
            target: None,
            outcome: Outcome::Pending,
            wait_acks: None,
        });
        let slot = key_slot(kind.key().as_bytes());
        match cl
            .slots
            .get(slot as usize)
            .copied()
            .filter(|&i| i != u16::MAX)
        {
            Some(i) => self.dispatch(cl, id, i as usize, 0, false, cx),
            None => {
                self.complete(
                    id,
                    Outcome::Error("slot not in the client's map".into()),
                    cx,
                );
                self.refresh(cl, cx);
            }
        }
    }

    /// Sends op `id` to node `i` (opening the connection first if needed).
    fn dispatch(
        &mut self,
        cl: &mut ClusterClient,
        id: u64,
        i: usize,
        redirects: u32,
        asking: bool,
        cx: &mut Cx,
    ) {
        let Some(op) = self.history.rfind_mut(|o| o.id == id) else {
            return;
        };
        let (h, p) = cl.addrs[i].clone();
        op.target = cx.resolve(&h, p);
        let argv = op.kind.argv();
        match cl.conns[i] {
            (Some(c), true) => {
                if asking {
                    cx.send(c, msg(vec![b"ASKING".to_vec()]));
                }
                cx.send(c, msg(argv));
                cl.current = Some((id, c, redirects, asking));
                cx.timer(
                    self.spec.timeout_ms.max(1),
                    Timer::Client(ClientTimer::Timeout { op: id }),
                );
            }
            (Some(_), false) => cl.waiting = Some((id, i, redirects, asking)),
            (None, _) => match op.target {
                Some(node) => {
                    cl.conns[i] = (Some(cx.connect(node)), false);
                    cl.waiting = Some((id, i, redirects, asking));
                }
                None => self.complete(id, Outcome::Error(format!("unknown address {h}:{p}")), cx),
            },
        }
    }

    fn cluster_reply(&mut self, cl: &mut ClusterClient, conn: ConnId, r: &Reply, cx: &mut Cx) {
        if cl.ctl == Some(conn) {
            cl.refreshing = false;
            cl.load_slots(r);
            return;
        }
        let Some((id, c, redirects, asking)) = cl.current else {
            return;
        };
        if c != conn {
            return;
        }
        if asking && matches!(r, Reply::Status(s) if s == "OK") {
            // ASKING's +OK; the command's reply follows.
            cl.current = Some((id, c, redirects, false));
            return;
        }
        cl.current = None;
        let Reply::Error(e) = r else {
            self.complete(id, Outcome::Ok(r.format_cli()), cx);
            return;
        };
        let f: Vec<&str> = e.split(' ').collect();
        let redirect = match f.as_slice() {
            [kind @ ("MOVED" | "ASK"), slot, addr] => addr.rsplit_once(':').and_then(|(h, p)| {
                Some((
                    *kind == "ASK",
                    slot.parse::<u16>().ok()?,
                    h.to_string(),
                    p.parse::<u16>().ok()?,
                ))
            }),
            _ => None,
        };
        let max = self.spec.cluster.as_ref().map_or(5, |s| s.max_redirects);
        match redirect {
            Some(_) if redirects >= max => self.complete(
                id,
                Outcome::Error("Too many Cluster redirections".into()),
                cx,
            ),
            Some((ask, slot, h, p)) => {
                let i = cl.addr_index(h, p);
                if ask {
                    cl.asked += 1;
                } else {
                    cl.moved += 1;
                    if let Some(s) = cl.slots.get_mut(slot as usize) {
                        *s = i as u16;
                    }
                    self.refresh(cl, cx);
                }
                self.dispatch(cl, id, i, redirects + 1, ask, cx);
            }
            None => {
                if e.starts_with("CLUSTERDOWN") || e.starts_with("TRYAGAIN") {
                    self.refresh(cl, cx);
                }
                self.complete(id, Outcome::Error(e.clone()), cx);
            }
        }
    }
}
