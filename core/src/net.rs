//! The simulated network: per-link latency, jitter and bandwidth, TCP-like
//! connections with in-order delivery, and cuts (partitions, one-way too).
//!
//! A connection has two directions. Each direction serializes its messages:
//! a message starts transmitting when the previous one has left
//! (`tx_free_at`), takes `bytes / bandwidth` to leave, then `latency + jitter`
//! to arrive, and never overtakes the message before it. A cut does not drop
//! anything by itself: like TCP retransmission, what reaches a cut waits
//! ("held") and is delivered in order after the cut heals, unless the
//! connection is closed first. Timeouts are the nodes' business (repl-timeout,
//! down-after-milliseconds), exactly as in real deployments.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeId(pub u16);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConnId(pub u32);

impl std::fmt::Display for ConnId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// Properties of the path between two hosts (symmetric).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCfg {
    pub latency_ms: u64,
    pub jitter_ms: u64,
    /// Bytes per simulated millisecond (125 000 = 1 Gbit/s).
    pub bandwidth_bytes_per_ms: u64,
}

impl Default for LinkCfg {
    fn default() -> Self {
        LinkCfg {
            latency_ms: 1,
            jitter_ms: 0,
            bandwidth_bytes_per_ms: 125_000,
        }
    }
}

impl LinkCfg {
    /// Transmission time of `bytes` in µs (the network keeps sub-ms
    /// precision so that small messages do not each cost a whole ms).
    pub fn tx_us(&self, bytes: u64) -> u64 {
        let bw = self.bandwidth_bytes_per_ms.max(1);
        (bytes.saturating_mul(1000)).div_ceil(bw)
    }
}

/// One direction of a connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dir {
    /// When the sender's socket finishes transmitting what it has queued (µs).
    pub tx_free_at_us: u64,
    /// Arrival time of the last scheduled message (keeps FIFO order).
    pub last_arrival: u64,
    /// (transmission end in µs, bytes) of messages not yet fully transmitted.
    in_tx: VecDeque<(u64, u64)>,
    /// The sum of `in_tx`'s bytes.
    in_tx_bytes: u64,
    /// Sequence number of the last frame sent, and of the last one delivered:
    /// like TCP, the receiver delivers strictly in sequence.
    pub sent_seq: u64,
    pub delivered_seq: u64,
}

impl Dir {
    /// Messages not yet fully transmitted (measurements).
    pub fn in_tx_len(&self) -> usize {
        self.in_tx.len()
    }

    /// Forgets what is fully on the wire at `now_us`.
    fn forget_sent(&mut self, now_us: u64) {
        while let Some(&(end, bytes)) = self.in_tx.front() {
            if end > now_us {
                break;
            }
            self.in_tx_bytes -= bytes;
            self.in_tx.pop_front();
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conn {
    /// ends[0] opened the connection; ends[1] accepted it.
    pub ends: [NodeId; 2],
    /// Process incarnation of each end when it joined the connection.
    pub incarnations: [u32; 2],
    /// Whether each end still has the socket open.
    pub open: [bool; 2],
    /// dirs[0] carries ends[0] → ends[1].
    pub dirs: [Dir; 2],
}

impl Conn {
    /// Which side `node` is on, if it is an end of this connection.
    pub fn side_of(&self, node: NodeId) -> Option<usize> {
        if self.ends[0] == node {
            Some(0)
        } else if self.ends[1] == node {
            Some(1)
        } else {
            None
        }
    }
}

/// The connections, indexed by id: ids are handed out in order and never
/// reused, so a slab (a `Vec` offset by the oldest live id) gives O(1)
/// lookups where a map walked a tree several times per event. Iteration is
/// in id order, as a `BTreeMap` would give. The API mirrors the map's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conns {
    /// Id of `slots[0]`.
    base: u32,
    /// Boxed: closed connections between live ones cost a pointer each (a
    /// long-lived link pins the front while thousands close behind it).
    slots: VecDeque<Option<Box<(ConnId, Conn)>>>,
    live: usize,
}

impl Conns {
    fn slot(&self, id: ConnId) -> Option<usize> {
        id.0.checked_sub(self.base).map(|i| i as usize)
    }
    pub fn get(&self, id: &ConnId) -> Option<&Conn> {
        let i = self.slot(*id)?;
        self.slots.get(i)?.as_ref().map(|b| &b.1)
    }
    pub fn get_mut(&mut self, id: &ConnId) -> Option<&mut Conn> {
        let i = self.slot(*id)?;
        self.slots.get_mut(i)?.as_mut().map(|b| &mut b.1)
    }
    pub fn contains_key(&self, id: &ConnId) -> bool {
        self.get(id).is_some()
    }
    pub fn len(&self) -> usize {
        self.live
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    /// Live connections in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&ConnId, &Conn)> + '_ {
        self.slots.iter().flatten().map(|b| (&b.0, &b.1))
    }
    pub fn keys(&self) -> impl Iterator<Item = &ConnId> + '_ {
        self.iter().map(|(id, _)| id)
    }
    pub fn values(&self) -> impl Iterator<Item = &Conn> + '_ {
        self.iter().map(|(_, c)| c)
    }
    /// Adds a connection; ids must come in increasing order (`Net::open_conn`).
    fn push(&mut self, id: ConnId, conn: Conn) {
        if self.slots.is_empty() {
            self.base = id.0;
        }
        let i = self.slot(id).expect("connection ids increase");
        assert!(i >= self.slots.len(), "connection ids are never reused");
        while self.slots.len() < i {
            self.slots.push_back(None);
        }
        self.slots.push_back(Some(Box::new((id, conn))));
        self.live += 1;
    }
    pub fn remove(&mut self, id: &ConnId) -> Option<Conn> {
        let i = self.slot(*id)?;
        let (_, conn) = *self.slots.get_mut(i)?.take()?;
        self.live -= 1;
        // Forget closed connections at the front so the slab stays as small
        // as the span of live ids.
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        Some(conn)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Net {
    pub default_link: LinkCfg,
    links: BTreeMap<(NodeId, NodeId), LinkCfg>,
    /// Directed cuts: traffic from .0 to .1 cannot pass.
    cuts: BTreeSet<(NodeId, NodeId)>,
    pub conns: Conns,
    next_conn: u32,
}

fn key(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Net {
    pub fn link(&self, a: NodeId, b: NodeId) -> LinkCfg {
        self.links
            .get(&key(a, b))
            .copied()
            .unwrap_or(self.default_link)
    }

    pub fn set_link(&mut self, a: NodeId, b: NodeId, cfg: LinkCfg) {
        self.links.insert(key(a, b), cfg);
    }

    pub fn links(&self) -> impl Iterator<Item = (&(NodeId, NodeId), &LinkCfg)> {
        self.links.iter()
    }

    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        !self.cuts.is_empty() && self.cuts.contains(&(from, to))
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        if from != to {
            self.cuts.insert((from, to));
        }
    }

    pub fn uncut(&mut self, from: NodeId, to: NodeId) {
        self.cuts.remove(&(from, to));
    }

    pub fn heal_all(&mut self) {
        self.cuts.clear();
    }

    pub fn cuts(&self) -> impl Iterator<Item = &(NodeId, NodeId)> {
        self.cuts.iter()
    }

    pub fn open_conn(&mut self, from: NodeId, from_inc: u32, to: NodeId) -> ConnId {
        let id = ConnId(self.next_conn);
        self.next_conn += 1;
        self.conns.push(
            id,
            Conn {
                ends: [from, to],
                incarnations: [from_inc, 0],
                open: [true, false],
                dirs: [Dir::default(), Dir::default()],
            },
        );
        id
    }

    /// Schedules `bytes` on direction `dir` of `conn` at `now`; returns
    /// (sequence number, arrival time). `jitter` is a draw in `0..=jitter_ms`.
    /// `buffered`: the bytes wait in the sender's output buffer until they
    /// leave (`queued_bytes` counts them); else they only take the wire.
    #[allow(clippy::too_many_arguments)]
    pub fn transmit(
        &mut self,
        conn: ConnId,
        dir: usize,
        bytes: u64,
        buffered: bool,
        now: u64,
        jitter: u64,
    ) -> Option<(u64, u64)> {
        let c = self.conns.get(&conn)?;
        let link = self.link(c.ends[0], c.ends[1]);
        let d = &mut self.conns.get_mut(&conn)?.dirs[dir];
        let now_us = now * 1000;
        let tx_start = d.tx_free_at_us.max(now_us);
        let tx_end_us = tx_start + link.tx_us(bytes);
        d.tx_free_at_us = tx_end_us;
        // Forget what is already on the wire (as `queued_bytes` does), so
        // this stays short on directions nobody asks about.
        d.forget_sent(now_us);
        if tx_end_us > now_us {
            let bytes = if buffered { bytes } else { 0 };
            d.in_tx.push_back((tx_end_us, bytes));
            d.in_tx_bytes += bytes;
        }
        // Rounded to the nearest ms: a small message adds no whole millisecond.
        let tx_end = (tx_end_us + 500) / 1000;
        let arrival = (tx_end + link.latency_ms + jitter).max(d.last_arrival);
        d.last_arrival = arrival;
        d.sent_seq += 1;
        Some((d.sent_seq, arrival))
    }

    /// Bytes the sender on `dir` has queued but not yet put on the wire at `now`:
    /// what Redis would still hold in the client's output buffer.
    pub fn queued_bytes(&mut self, conn: ConnId, dir: usize, now: u64) -> u64 {
        let Some(c) = self.conns.get_mut(&conn) else {
            return 0;
        };
        let d = &mut c.dirs[dir];
        d.forget_sent(now * 1000);
        d.in_tx_bytes
    }

    /// Re-times a held message for delivery after a heal, keeping order.
    pub fn reschedule_arrival(
        &mut self,
        conn: ConnId,
        dir: usize,
        now: u64,
        jitter: u64,
    ) -> Option<u64> {
        let c = self.conns.get(&conn)?;
        let link = self.link(c.ends[0], c.ends[1]);
        let d = &mut self.conns.get_mut(&conn)?.dirs[dir];
        let arrival = (now + link.latency_ms + jitter).max(d.last_arrival);
        d.last_arrival = arrival;
        Some(arrival)
    }

    /// Forgets connections that both ends have closed.
    pub fn reap(&mut self, conn: ConnId) {
        if self
            .conns
            .get(&conn)
            .is_some_and(|c| !c.open[0] && !c.open[1])
        {
            self.conns.remove(&conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_on_one_direction_never_overtake_and_pay_for_bandwidth() {
        let mut net = Net::default();
        let (a, b) = (NodeId(0), NodeId(1));
        net.set_link(
            a,
            b,
            LinkCfg {
                latency_ms: 10,
                jitter_ms: 5,
                bandwidth_bytes_per_ms: 100,
            },
        );
        let c = net.open_conn(a, 1, b);
        let (seq1, t1) = net.transmit(c, 0, 1000, true, 0, 5).unwrap();
        assert_eq!((seq1, t1), (1, 25));
        // Smaller jitter, but it must still arrive after the first one.
        let (seq2, t2) = net.transmit(c, 0, 100, true, 0, 0).unwrap();
        assert_eq!((seq2, t2), (2, 25));
        assert_eq!(net.queued_bytes(c, 0, 5), 1100);
        assert_eq!(net.queued_bytes(c, 0, 10), 100);
        assert_eq!(net.queued_bytes(c, 0, 11), 0);
        // Small messages share a millisecond instead of costing one each.
        let fast = net.open_conn(a, 1, b);
        net.set_link(
            a,
            b,
            LinkCfg {
                latency_ms: 1,
                jitter_ms: 0,
                bandwidth_bytes_per_ms: 125_000,
            },
        );
        for _ in 0..100 {
            net.transmit(fast, 0, 30, true, 100, 0).unwrap();
        }
        assert_eq!(net.transmit(fast, 0, 30, true, 100, 0).unwrap(), (101, 101));
    }

    #[test]
    fn cuts_are_directed() {
        let mut net = Net::default();
        net.cut(NodeId(0), NodeId(1));
        assert!(net.is_cut(NodeId(0), NodeId(1)));
        assert!(!net.is_cut(NodeId(1), NodeId(0)));
        net.heal_all();
        assert!(!net.is_cut(NodeId(0), NodeId(1)));
    }
}
