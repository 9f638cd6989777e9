//! The cluster bus (cluster.c): packets, links, and `clusterProcessPacket`.
//! Each node keeps an outbound link to every other node and sends PINGs
//! on it; PONGs come back on the same connection. Packets carry the
//! sender's epochs, replication offset, role and slots, and a gossip
//! section about other nodes (their PFAIL/FAIL flags as the sender sees them).

use std::rc::Rc;

use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::Cx;
use crate::redis::RedisNode;

use super::{ClusterState, FAIL, PFAIL};

/// `CLUSTERMSG_TYPE_*`, named as `clusterGetMessageTypeString` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BusKind {
    Ping,
    Pong,
    Fail,
    AuthRequest,
    AuthAck,
    Update,
}

pub const KIND_NAMES: [&str; 6] = ["ping", "pong", "fail", "auth-req", "auth-ack", "update"];

/// One gossip entry: a node id and its flags as the sender sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gossip {
    pub id: String,
    pub flags: u8,
    pub pong_recv_ms: i64,
}

/// FAIL: the failing node's id; UPDATE: a node's id, config epoch and slots.
pub type About = (String, u64, Vec<(u16, u16)>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusMsg {
    pub kind: BusKind,
    pub sender: String,
    pub current_epoch: u64,
    /// The sender's config epoch (a replica sends its master's).
    pub config_epoch: u64,
    pub offset: u64,
    /// The sender's master id, when it is a replica.
    pub master: Option<String>,
    /// Slots the sender claims (a replica sends its master's).
    pub slots: Vec<(u16, u16)>,
    pub gossip: Vec<Gossip>,
    /// FAIL: the failing node; UPDATE: the node, its config epoch and slots.
    pub about: Option<About>,
}

impl BusMsg {
    /// The header is 2256 bytes; a gossip entry 104.
    pub fn wire_bytes(&self) -> u64 {
        2256 + 104 * self.gossip.len() as u64
    }

    pub fn summary(&self) -> String {
        let name = KIND_NAMES[self.kind as usize];
        match &self.about {
            Some((id, ..)) => format!("{name} {}", &id[..8.min(id.len())]),
            None if self.gossip.is_empty() => name.to_string(),
            None => format!("{name} (gossip: {})", self.gossip.len()),
        }
    }
}

impl ClusterState {
    /// The packet header `clusterBuildMessageHdr` fills for `myself`.
    pub(crate) fn header(&self, kind: BusKind, offset: u64) -> BusMsg {
        let me = self.me();
        let m = me.master.unwrap_or(self.myself);
        BusMsg {
            kind,
            sender: me.id.clone(),
            current_epoch: self.current_epoch,
            config_epoch: self.nodes[m].config_epoch,
            offset,
            master: me.master.map(|i| self.nodes[i].id.clone()),
            slots: self.ranges_of(m),
            gossip: Vec::new(),
            about: None,
        }
    }
}

impl RedisNode {
    /// Sends `msg` on the outbound link to node `i` (if connected).
    pub(crate) fn bus_send(&mut self, i: usize, msg: BusMsg, cx: &mut Cx) {
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let Some(conn) = st.nodes[i].link.filter(|_| st.nodes[i].link_up) else {
            return;
        };
        st.sent[msg.kind as usize] += 1;
        cx.send(conn, Msg::Bus(Rc::new(msg)));
    }

    /// `clusterSendPing`: a PING or PONG with gossip about up to
    /// max(3, n/10) random other nodes, plus every node in PFAIL.
    pub(crate) fn bus_ping(
        &mut self,
        to: Option<usize>,
        conn: Option<ConnId>,
        kind: BusKind,
        cx: &mut Cx,
    ) {
        let offset = self.ids.master_repl_offset;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let mut msg = st.header(kind, offset);
        let n = st.nodes.len();
        let wanted = (n / 10).max(3).min(n.saturating_sub(2));
        let mut picked: Vec<usize> = Vec::new();
        for _ in 0..wanted * 3 {
            if picked.len() >= wanted {
                break;
            }
            let j = cx.rand_below(n as u64) as usize;
            if j != st.myself
                && Some(j) != to
                && !picked.contains(&j)
                && st.nodes[j].flags & PFAIL == 0
            {
                picked.push(j);
            }
        }
        picked.extend((0..n).filter(|&j| st.nodes[j].flags & PFAIL != 0 && j != st.myself));
        msg.gossip = picked
            .iter()
            .map(|&j| Gossip {
                id: st.nodes[j].id.clone(),
                flags: st.nodes[j].flags,
                pong_recv_ms: st.nodes[j].pong_recv_ms,
            })
            .collect();
        if let Some(i) = to {
            if kind == BusKind::Ping && st.nodes[i].ping_sent_ms == 0 {
                st.nodes[i].ping_sent_ms = cx.clock_ms;
            }
        }
        match conn {
            Some(c) => {
                st.sent[kind as usize] += 1;
                cx.send(c, Msg::Bus(Rc::new(msg)));
            }
            None => {
                if let Some(i) = to {
                    self.bus_send(i, msg, cx);
                }
            }
        }
    }

    /// Sends `kind` (with `about`) to every node we have a link to.
    pub(crate) fn bus_broadcast(&mut self, kind: BusKind, about: Option<About>, cx: &mut Cx) {
        let offset = self.ids.master_repl_offset;
        let Some(st) = self.cluster.as_deref() else {
            return;
        };
        let mut msg = st.header(kind, offset);
        msg.about = about;
        let (me, n) = (st.myself, st.nodes.len());
        for i in (0..n).filter(|&i| i != me) {
            if kind == BusKind::Pong {
                self.bus_ping(Some(i), None, BusKind::Pong, cx);
            } else {
                self.bus_send(i, msg.clone(), cx);
            }
        }
    }

    /// Connection events on bus links; false if `conn` is not one.
    pub(crate) fn bus_conn_event(&mut self, conn: ConnId, up: bool, cx: &mut Cx) -> bool {
        if self.migrate_event(conn, Some(up), None, cx) {
            return true;
        }
        let Some(st) = self.cluster.as_deref_mut() else {
            return false;
        };
        let Some(i) = st.nodes.iter().position(|n| n.link == Some(conn)) else {
            if !up {
                st.inbound.retain(|c| *c != conn);
            }
            return false;
        };
        if up {
            st.nodes[i].link_up = true;
            // `clusterLinkConnectHandler`: ping at once, keep the old ping time.
            let old = st.nodes[i].ping_sent_ms;
            self.bus_ping(Some(i), None, BusKind::Ping, cx);
            if let Some(st) = self.cluster.as_deref_mut() {
                if old != 0 {
                    st.nodes[i].ping_sent_ms = old;
                }
            }
        } else {
            st.nodes[i].link = None;
            st.nodes[i].link_up = false;
        }
        true
    }

    /// A packet on any bus connection (`clusterProcessPacket`).
    pub(crate) fn bus_on_msg(&mut self, conn: ConnId, msg: &BusMsg, cx: &mut Cx) {
        if self.clients.remove(&conn).is_some() {
            if let Some(st) = self.cluster.as_deref_mut() {
                st.inbound.push(conn);
            }
        }
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        st.received[msg.kind as usize] += 1;
        let Some(s) = st.index_of_id(msg.sender.as_bytes()) else {
            return;
        };
        if msg.current_epoch > st.current_epoch {
            st.current_epoch = msg.current_epoch;
        }
        st.nodes[s].repl_offset = msg.offset;
        let sender_master = msg
            .master
            .as_deref()
            .and_then(|m| st.index_of_id(m.as_bytes()));
        if msg.kind == BusKind::Ping {
            self.bus_ping(Some(s), Some(conn), BusKind::Pong, cx);
        }
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if msg.kind == BusKind::Pong && st.nodes[s].link == Some(conn) {
            st.nodes[s].pong_recv_ms = now;
            st.nodes[s].ping_sent_ms = 0;
            if st.nodes[s].flags & PFAIL != 0 {
                st.nodes[s].flags &= !PFAIL;
            } else if st.nodes[s].flags & FAIL != 0 {
                self.clear_failure_if_needed(s, cx);
            }
        }
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        // Role: a replica that now claims to be a master, or the reverse.
        if msg.kind != BusKind::Update && sender_master != st.nodes[s].master && s != st.myself {
            st.nodes[s].master = sender_master;
        }
        match msg.kind {
            BusKind::Ping | BusKind::Pong => {
                if msg.master.is_none() {
                    self.claim_slots(s, msg, cx);
                }
                self.process_gossip(s, msg, cx);
            }
            BusKind::Fail => {
                let Some(st) = self.cluster.as_deref_mut() else {
                    return;
                };
                let about = msg
                    .about
                    .as_ref()
                    .and_then(|a| st.index_of_id(a.0.as_bytes()));
                if let Some(f) = about.filter(|&f| f != st.myself && st.nodes[f].flags & FAIL == 0)
                {
                    cx.log(format!(
                        "FAIL message received from {} about {}",
                        msg.sender, st.nodes[f].id
                    ));
                    st.nodes[f].flags = (st.nodes[f].flags | FAIL) & !PFAIL;
                    st.nodes[f].fail_time_ms = now;
                    self.cluster_update_state(cx);
                }
            }
            BusKind::AuthRequest => self.vote(s, msg, cx),
            BusKind::AuthAck => {
                let Some(st) = self.cluster.as_deref_mut() else {
                    return;
                };
                if st.is_master(s)
                    && !st.ranges_of(s).is_empty()
                    && msg.current_epoch >= st.election.epoch
                {
                    st.election.count += 1;
                }
            }
            BusKind::Update => {
                let Some(st) = self.cluster.as_deref() else {
                    return;
                };
                if let Some((id, epoch, slots)) = &msg.about {
                    if let Some(n) = st.index_of_id(id.as_bytes()) {
                        if *epoch > st.nodes[n].config_epoch {
                            self.update_slots_with(n, *epoch, slots, cx);
                        }
                    }
                }
            }
        }
    }

    fn process_gossip(&mut self, s: usize, msg: &BusMsg, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let sender_is_master = msg.master.is_none();
        let mut check = Vec::new();
        for g in &msg.gossip {
            let Some(n) = st.index_of_id(g.id.as_bytes()) else {
                continue;
            };
            if n == st.myself {
                continue;
            }
            if sender_is_master {
                let reports = &mut st.nodes[n].reports;
                reports.retain(|r| r.0 != s);
                if g.flags & (PFAIL | FAIL) != 0 {
                    reports.push((s, now));
                }
                check.push(n);
            }
            let node = &mut st.nodes[n];
            if g.flags & (PFAIL | FAIL) == 0
                && node.ping_sent_ms == 0
                && node.reports.is_empty()
                && g.pong_recv_ms <= now + 500
                && g.pong_recv_ms > node.pong_recv_ms
            {
                node.pong_recv_ms = g.pong_recv_ms;
            }
        }
        for n in check {
            self.mark_failing_if_needed(n, cx);
        }
    }
}
