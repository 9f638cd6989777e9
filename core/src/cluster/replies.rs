//! CLUSTER INFO / NODES / SLOTS / SHARDS, in Redis 7.0's formats
//! (`clusterGenNodesDescription`, `clusterReplyMultiBulkSlots`,
//! `addShardReplyForClusterShards`), checked against redis-server 7.0.15.

use crate::data::Reply;

use super::bus::KIND_NAMES;
use super::{ClusterState, FAIL, PFAIL};

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

/// What this server can tell of another node's replication offset: its
/// own, its master's (as a replica) and its replicas' (as a master).
pub struct Offsets<'a> {
    pub of: &'a dyn Fn(usize) -> Option<u64>,
}

impl ClusterState {
    /// `nodeEpoch`: a replica reports its master's config epoch.
    fn epoch(&self, i: usize) -> u64 {
        let n = &self.nodes[i];
        n.master
            .map_or(n.config_epoch, |m| self.nodes[m].config_epoch)
    }

    pub fn info_text(&self) -> String {
        let assigned = self.slots_assigned();
        let count = |f: u8| -> usize {
            (self.slots.runs())
                .filter(|&(_, _, o)| self.nodes.get(o as usize).is_some_and(|n| n.flags & f != 0))
                .map(|(a, b, _)| usize::from(b - a) + 1)
                .sum()
        };
        let (pfail, fail) = (count(PFAIL), count(FAIL));
        let mut out = format!(
            "cluster_state:{}\r\ncluster_slots_assigned:{assigned}\r\ncluster_slots_ok:{}\r\n\
             cluster_slots_pfail:{pfail}\r\ncluster_slots_fail:{fail}\r\ncluster_known_nodes:{}\r\n\
             cluster_size:{}\r\ncluster_current_epoch:{}\r\ncluster_my_epoch:{}\r\n",
            if self.ok { "ok" } else { "fail" },
            assigned - pfail - fail,
            self.nodes.len(),
            self.size(),
            self.current_epoch,
            self.epoch(self.myself),
        );
        for (dir, counts) in [("sent", &self.sent), ("received", &self.received)] {
            for (name, n) in KIND_NAMES.iter().zip(counts.iter()).filter(|x| *x.1 > 0) {
                out.push_str(&format!("cluster_stats_messages_{name}_{dir}:{n}\r\n"));
            }
            out.push_str(&format!(
                "cluster_stats_messages_{dir}:{}\r\n",
                counts.iter().sum::<u64>()
            ));
        }
        out.push_str("total_cluster_links_buffer_limit_exceeded:0\r\n");
        out
    }

    /// One CLUSTER NODES line.
    pub fn node_line(&self, i: usize, now_ms: i64) -> String {
        let n = &self.nodes[i];
        let me = i == self.myself;
        let role = if n.master.is_some() {
            "slave"
        } else {
            "master"
        };
        let mut flags = if me {
            format!("myself,{role}")
        } else {
            role.into()
        };
        if n.flags & PFAIL != 0 {
            flags.push_str(",fail?");
        }
        if n.flags & FAIL != 0 {
            flags.push_str(",fail");
        }
        let link = if me || n.link_up {
            "connected"
        } else {
            "disconnected"
        };
        let master = n.master.map_or("-".into(), |m| self.nodes[m].id.clone());
        let (ping, pong) = if me {
            (0, now_ms.div_euclid(1000) * 1000)
        } else {
            (n.ping_sent_ms, n.pong_recv_ms)
        };
        let mut line = format!(
            "{} {}:{}@{} {flags} {master} {ping} {pong} {} {link}",
            n.id,
            n.host,
            n.port,
            u32::from(n.port) + 10000,
            self.epoch(i)
        );
        for (a, b) in self.ranges_of(i) {
            if a == b {
                line.push_str(&format!(" {a}"));
            } else {
                line.push_str(&format!(" {a}-{b}"));
            }
        }
        if me {
            for &(s, to) in &self.migrating {
                line.push_str(&format!(" [{s}->-{}]", self.nodes[to].id));
            }
            for &(s, from) in &self.importing {
                line.push_str(&format!(" [{s}-<-{}]", self.nodes[from].id));
            }
        }
        line
    }

    pub fn nodes_text(&self, now_ms: i64) -> String {
        let mut out = String::new();
        for i in 0..self.nodes.len() {
            out.push_str(&self.node_line(i, now_ms));
            out.push('\n');
        }
        out
    }

    fn node_reply(&self, i: usize) -> Reply {
        let n = &self.nodes[i];
        Reply::Array(vec![
            bulk(&n.host),
            Reply::Int(i64::from(n.port)),
            bulk(&n.id),
            Reply::Array(Vec::new()),
        ])
    }

    /// CLUSTER SLOTS: one entry per run of slots with the same owner; a
    /// replica is listed once it has a non-zero replication offset.
    pub fn slots_reply(&self, off: &Offsets) -> Reply {
        let mut out = Vec::new();
        for (start, last, o) in self.slots.runs() {
            let m = o as usize;
            let mut e = vec![
                Reply::Int(start.into()),
                Reply::Int(last.into()),
                self.node_reply(m),
            ];
            for r in self.replicas_of(m) {
                if (off.of)(r) != Some(0) && self.nodes[r].flags & FAIL == 0 {
                    e.push(self.node_reply(r));
                }
            }
            out.push(Reply::Array(e));
        }
        Reply::Array(out)
    }

    /// CLUSTER SHARDS: one entry per master (with or without slots).
    pub fn shards_reply(&self, off: &Offsets) -> Reply {
        let mut out = Vec::new();
        for m in (0..self.nodes.len()).filter(|&m| self.is_master(m)) {
            let slots = self
                .ranges_of(m)
                .into_iter()
                .flat_map(|(a, b)| [Reply::Int(a.into()), Reply::Int(b.into())])
                .collect();
            let nodes = std::iter::once(m)
                .chain(self.replicas_of(m))
                .map(|i| self.shard_node(i, off))
                .collect();
            out.push(Reply::Array(vec![
                bulk("slots"),
                Reply::Array(slots),
                bulk("nodes"),
                Reply::Array(nodes),
            ]));
        }
        Reply::Array(out)
    }

    fn shard_node(&self, i: usize, off: &Offsets) -> Reply {
        let n = &self.nodes[i];
        let offset = (off.of)(i);
        let replica = n.master.is_some();
        let health = if n.flags & FAIL != 0 {
            "fail"
        } else if replica && offset == Some(0) {
            "loading"
        } else {
            "online"
        };
        Reply::Array(vec![
            bulk("id"),
            bulk(&n.id),
            bulk("port"),
            Reply::Int(n.port.into()),
            bulk("ip"),
            bulk(&n.host),
            bulk("endpoint"),
            bulk(&n.host),
            bulk("role"),
            bulk(if replica { "replica" } else { "master" }),
            bulk("replication-offset"),
            Reply::Int(offset.unwrap_or(0) as i64),
            bulk("health"),
            bulk(health),
        ])
    }
}
