//! Redis Cluster (cluster.c, 7.0): hash slots, the node table each server
//! keeps, `getNodeByQuery`'s redirections, the CLUSTER command, and the
//! per-node / per-slot views used to teach data skew and hot keys.
//!
//! The topology is written in the scenario (`[cluster]`), as if
//! `redis-cli --cluster create` had already run: every server starts knowing
//! all nodes, their ids and slot ranges. Cluster replicas are ordinary
//! replicas of their master (`replicaof`), so replication is reused as is.

mod bus;
mod commands;
mod config;
mod failover;
mod failure;
mod migrate;
mod replies;
mod route;
pub mod slot;
mod slot_table;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_failover;

use serde::{Deserialize, Serialize};

use crate::net::ConnId;

pub use bus::{BusKind, BusMsg};
pub use commands::prints_raw;
pub use config::{
    config_set, entries as config_entries, entry_name as config_entry,
    immutable as config_immutable, params as config_params,
};
pub use route::{after_command, Redirect};
pub use slot::{key_slot, SLOTS};
pub use slot_table::{SlotTable, NONE};

/// One node of the cluster as every server knows it at start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerSpec {
    /// 40 hex characters (from the scenario's seeded RNG).
    pub id: String,
    pub host: String,
    pub port: u16,
    /// The id of its master, for a replica.
    pub master: Option<String>,
    /// Inclusive slot ranges it serves (masters).
    pub slots: Vec<(u16, u16)>,
    pub config_epoch: u64,
}

/// What a cluster-enabled server starts from (`cluster-enabled yes` plus
/// its nodes.conf).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSpec {
    pub myid: String,
    pub node_timeout_ms: u64,
    pub require_full_coverage: bool,
    pub allow_reads_when_down: bool,
    pub replica_validity_factor: u64,
    pub nodes: Vec<PeerSpec>,
    /// nodes.conf's `currentEpoch` and `lastVoteEpoch`.
    #[serde(default)]
    pub current_epoch: u64,
    #[serde(default)]
    pub last_vote_epoch: u64,
}

/// A node in a server's node table (`clusterNode`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub id: String,
    pub host: String,
    pub port: u16,
    pub master: Option<usize>,
    pub config_epoch: u64,
    pub ping_sent_ms: i64,
    pub pong_recv_ms: i64,
    /// `PFAIL` / `FAIL`.
    pub flags: u8,
    pub fail_time_ms: i64,
    /// Failure reports: (reporting master, when).
    pub reports: Vec<(usize, i64)>,
    /// Replication offset from its last packet.
    pub repl_offset: u64,
    /// When we last voted for a replica of this master.
    pub voted_time_ms: i64,
    /// Our outbound bus link to it.
    pub link: Option<ConnId>,
    pub link_up: bool,
    pub link_ctime_ms: i64,
}

pub const PFAIL: u8 = 1;
pub const FAIL: u8 = 2;

/// A replica's failover election (`failover_auth_*`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Election {
    pub time_ms: i64,
    pub rank: u64,
    pub sent: bool,
    pub count: u64,
    pub epoch: u64,
}

/// A server's view of the cluster (`clusterState`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterState {
    pub spec: ClusterSpec,
    pub myself: usize,
    pub nodes: Vec<Peer>,
    /// Owner (index into `nodes`) of each slot, or `NONE`.
    pub slots: SlotTable,
    /// `migrating_slots_to` / `importing_slots_from`: (slot, node index).
    pub migrating: Vec<(u16, usize)>,
    pub importing: Vec<(u16, usize)>,
    pub current_epoch: u64,
    pub ok: bool,
    pub last_vote_epoch: u64,
    pub election: Election,
    pub among_minority_ms: i64,
    pub started_ms: i64,
    pub last_cron_ms: i64,
    pub cron_loops: u64,
    /// Bus connections other nodes opened to us.
    pub inbound: Vec<ConnId>,
    /// Packets sent / received by `BusKind`.
    pub sent: [u64; 6],
    pub received: [u64; 6],
    /// A MIGRATE in progress (migrate.rs).
    pub migration: Option<migrate::Migration>,
    /// Commands served per simulated second: (second, count), the last `OPS_WINDOW_S + 1`.
    pub ops: Vec<(u64, u64)>,
}

/// The sliding window of per-node ops/s (seconds).
pub const OPS_WINDOW_S: u64 = 5;

impl ClusterState {
    pub fn new(spec: &ClusterSpec) -> ClusterState {
        let index = |id: &str| spec.nodes.iter().position(|n| n.id == id);
        let nodes = spec
            .nodes
            .iter()
            .map(|n| Peer {
                id: n.id.clone(),
                host: n.host.clone(),
                port: n.port,
                master: n.master.as_deref().and_then(index),
                config_epoch: n.config_epoch,
                ping_sent_ms: 0,
                pong_recv_ms: 0,
                flags: 0,
                fail_time_ms: 0,
                reports: Vec::new(),
                repl_offset: 0,
                voted_time_ms: 0,
                link: None,
                link_up: false,
                link_ctime_ms: 0,
            })
            .collect();
        let mut slots = SlotTable::default();
        for (i, n) in spec.nodes.iter().enumerate() {
            for &(a, b) in &n.slots {
                slots.set_range(a, b, i as u16);
            }
        }
        let mut st = ClusterState {
            myself: index(&spec.myid).unwrap_or(0),
            current_epoch: spec
                .nodes
                .iter()
                .map(|n| n.config_epoch)
                .max()
                .unwrap_or(0)
                .max(spec.current_epoch),
            last_vote_epoch: spec.last_vote_epoch,
            election: Election::default(),
            among_minority_ms: 0,
            started_ms: 0,
            last_cron_ms: 0,
            cron_loops: 0,
            inbound: Vec::new(),
            sent: [0; 6],
            received: [0; 6],
            migration: None,
            spec: spec.clone(),
            nodes,
            slots,
            migrating: Vec::new(),
            importing: Vec::new(),
            ok: false,
            ops: Vec::new(),
        };
        st.update_state();
        st
    }

    pub fn me(&self) -> &Peer {
        &self.nodes[self.myself]
    }

    pub fn is_master(&self, i: usize) -> bool {
        self.nodes[i].master.is_none()
    }

    pub fn owner(&self, slot: u16) -> Option<usize> {
        match self.slots.get(slot) {
            NONE => None,
            o => Some(o as usize),
        }
    }

    /// Whether node `i` serves at least one slot.
    pub fn serves(&self, i: usize) -> bool {
        self.slots.serves(i as u16)
    }

    /// The inclusive slot ranges node `i` serves, in slot order.
    pub fn ranges_of(&self, i: usize) -> Vec<(u16, u16)> {
        (self.slots.runs())
            .filter(|&(_, _, o)| o as usize == i)
            .map(|(a, b, _)| (a, b))
            .collect()
    }

    pub fn replicas_of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(move |&j| self.nodes[j].master == Some(i))
    }

    pub fn slots_assigned(&self) -> usize {
        self.slots.assigned()
    }

    /// Masters serving at least one slot (`cluster_size`).
    pub fn size(&self) -> usize {
        (0..self.nodes.len())
            .filter(|&i| self.is_master(i) && self.serves(i))
            .count()
    }

    /// What `clusterUpdateState` decides: down when full coverage is
    /// required and a slot is unserved or served by a FAIL node, or when
    /// fewer than a majority of the slot-serving masters are reachable.
    pub fn compute_ok(&self) -> bool {
        // One pass over the runs: which nodes serve a slot, and whether any
        // slot is unassigned or served by a FAIL node.
        let mut serves = vec![false; self.nodes.len()];
        let mut uncovered = !self.slots.covers_all();
        for (_, _, o) in self.slots.runs() {
            match self.nodes.get(o as usize) {
                Some(n) => {
                    serves[o as usize] = true;
                    uncovered |= n.flags & FAIL != 0;
                }
                None => uncovered = true,
            }
        }
        if self.spec.require_full_coverage && uncovered {
            return false;
        }
        let masters = (0..self.nodes.len()).filter(|&i| self.is_master(i) && serves[i]);
        let (mut size, mut reachable) = (0, 0);
        for i in masters {
            size += 1;
            if self.nodes[i].flags & (PFAIL | FAIL) == 0 {
                reachable += 1;
            }
        }
        reachable > size / 2
    }

    pub fn update_state(&mut self) {
        self.ok = self.compute_ok();
    }

    /// Counts one command served at `now_ms` (true simulated time).
    pub fn count_op(&mut self, now_ms: u64) {
        let sec = now_ms / 1000;
        match self.ops.last_mut() {
            Some((s, n)) if *s == sec => *n += 1,
            _ => self.ops.push((sec, 1)),
        }
        let keep = OPS_WINDOW_S as usize + 1;
        if self.ops.len() > keep {
            self.ops.drain(..self.ops.len() - keep);
        }
    }

    /// Average commands per second over the last `OPS_WINDOW_S` whole seconds.
    pub fn ops_per_s(&self, now_ms: u64) -> u64 {
        let now = now_ms / 1000;
        let from = now.saturating_sub(OPS_WINDOW_S);
        let n: u64 = self
            .ops
            .iter()
            .filter(|(s, _)| *s >= from && *s < now)
            .map(|x| x.1)
            .sum();
        n / OPS_WINDOW_S
    }

    pub fn index_of_addr(&self, host: &str, port: u16) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.host == host && n.port == port)
    }

    pub fn index_of_id(&self, id: &[u8]) -> Option<usize> {
        self.nodes.iter().position(|n| n.id.as_bytes() == id)
    }
}
