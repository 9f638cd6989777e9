//! Failure detection (`clusterCron`, `markNodeAsFailingIfNeeded`,
//! `clearNodeFailureIfNeeded`, `clusterUpdateState`) and slot ownership
//! updates (`clusterUpdateSlotsConfigWith`, UPDATE messages).

use crate::node::{Cx, NodeSpec};
use crate::redis::RedisNode;

use super::bus::BusKind;
use super::{key_slot, PeerSpec, FAIL, PFAIL};

impl RedisNode {
    /// `clusterCron`, every 100 ms (called from serverCron).
    pub(crate) fn cluster_cron(&mut self, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if now - st.last_cron_ms < 100 && st.cron_loops > 0 {
            return;
        }
        st.last_cron_ms = now;
        st.cron_loops += 1;
        let timeout = st.spec.node_timeout_ms as i64;
        let n = st.nodes.len();
        for i in 0..n {
            if i == st.myself || st.nodes[i].link.is_some() {
                continue;
            }
            let p = &st.nodes[i];
            if let Some(node) = cx.resolve(&p.host, p.port) {
                let c = cx.connect(node);
                let p = &mut st.nodes[i];
                (p.link, p.link_up, p.link_ctime_ms) = (Some(c), false, now);
            }
        }
        // Once a second: ping the node with the oldest PONG among 5 random ones.
        if st.cron_loops % 10 == 0 {
            let mut best: Option<usize> = None;
            for _ in 0..5 {
                let j = cx.rand_below(n as u64) as usize;
                let p = &st.nodes[j];
                if j == st.myself || !p.link_up || p.ping_sent_ms != 0 {
                    continue;
                }
                if best.is_none_or(|b| p.pong_recv_ms < st.nodes[b].pong_recv_ms) {
                    best = Some(j);
                }
            }
            if let Some(j) = best {
                self.bus_ping(Some(j), None, BusKind::Ping, cx);
            }
        }
        let mut changed = false;
        for i in 0..n {
            let Some(st) = self.cluster.as_deref_mut() else {
                return;
            };
            if i == st.myself {
                continue;
            }
            let p = &mut st.nodes[i];
            let ping_delay = now - p.ping_sent_ms;
            let data_delay = now - p.pong_recv_ms;
            if p.link_up
                && now - p.link_ctime_ms > timeout
                && p.ping_sent_ms != 0
                && ping_delay > timeout / 2
                && data_delay > timeout / 2
            {
                // The link looks stuck: drop it, clusterCron reconnects.
                if let Some(c) = p.link.take() {
                    cx.close(c, "cluster bus link timed out");
                }
                p.link_up = false;
            }
            if p.link.is_some() && p.ping_sent_ms == 0 && data_delay > timeout / 2 {
                if p.link_up {
                    self.bus_ping(Some(i), None, BusKind::Ping, cx);
                } else {
                    // Queued on a link still connecting: counts as sent.
                    p.ping_sent_ms = now;
                }
                continue;
            }
            let Some(st) = self.cluster.as_deref_mut() else {
                return;
            };
            let p = &mut st.nodes[i];
            let delay = ping_delay.min(data_delay);
            if p.ping_sent_ms != 0 && delay > timeout && p.flags & (PFAIL | FAIL) == 0 {
                cx.log(format!("*** NODE {} possibly failing", p.id));
                p.flags |= PFAIL;
                changed = true;
            }
        }
        if changed {
            let pfail: Vec<usize> = self.cluster.as_deref().map_or(Vec::new(), |st| {
                (0..n).filter(|&i| st.nodes[i].flags & PFAIL != 0).collect()
            });
            for i in pfail {
                self.mark_failing_if_needed(i, cx);
            }
        }
        self.replica_failover(cx);
        self.cluster_update_state(cx);
        self.migrate_timeout(cx);
    }

    /// `markNodeAsFailingIfNeeded`: PFAIL becomes FAIL when a majority of
    /// the slot-serving masters report it (reports older than 2 × timeout expire).
    pub(crate) fn mark_failing_if_needed(&mut self, i: usize, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let validity = 2 * st.spec.node_timeout_ms as i64;
        let needed = st.size() / 2 + 1;
        let me_master = st.is_master(st.myself);
        let p = &mut st.nodes[i];
        p.reports.retain(|r| now - r.1 <= validity);
        if p.flags & PFAIL == 0 || p.flags & FAIL != 0 {
            return;
        }
        if p.reports.len() + usize::from(me_master) < needed {
            return;
        }
        cx.log(format!(
            "Marking node {} as failing (quorum reached).",
            p.id
        ));
        p.flags = (p.flags | FAIL) & !PFAIL;
        p.fail_time_ms = now;
        let about = Some((p.id.clone(), 0, Vec::new()));
        self.bus_broadcast(BusKind::Fail, about, cx);
        self.cluster_update_state(cx);
    }

    /// `clearNodeFailureIfNeeded`: a reachable FAIL replica or slot-less
    /// master is cleared at once; a master with slots after 2 × timeout
    /// if nobody took its slots.
    pub(crate) fn clear_failure_if_needed(&mut self, i: usize, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let has_slots = st.serves(i);
        let p = &st.nodes[i];
        if !st.is_master(i) || !has_slots {
            cx.log(format!(
                "Clear FAIL state for node {}: {} is reachable again.",
                p.id,
                if st.is_master(i) {
                    "master without slots"
                } else {
                    "replica"
                }
            ));
        } else if now - p.fail_time_ms > 2 * st.spec.node_timeout_ms as i64 {
            cx.log(format!("Clear FAIL state for node {}: is reachable again and nobody is serving its slots after some time.", p.id));
        } else {
            return;
        }
        st.nodes[i].flags &= !FAIL;
        self.cluster_update_state(cx);
    }

    /// `clusterUpdateState` with its delays: a master waits 2 s after start,
    /// and `rejoin_delay` (node timeout, 500–5000 ms) after being in the minority.
    pub(crate) fn cluster_update_state(&mut self, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let ok = st.compute_ok();
        if !ok && !st.is_master(st.myself) {
        } else if !ok {
            let masters = (0..st.nodes.len()).filter(|&i| st.is_master(i) && st.serves(i));
            let (size, reachable) = masters.fold((0, 0), |(s, r), i| {
                (
                    s + 1,
                    r + usize::from(st.nodes[i].flags & (PFAIL | FAIL) == 0),
                )
            });
            if reachable < size / 2 + 1 {
                st.among_minority_ms = now;
            }
        }
        if ok == st.ok {
            return;
        }
        let rejoin = (st.spec.node_timeout_ms as i64).clamp(500, 5000);
        if ok && st.is_master(st.myself) && now - st.among_minority_ms < rejoin {
            return;
        }
        st.ok = ok;
        cx.log(format!(
            "Cluster state changed: {}",
            if ok { "ok" } else { "fail" }
        ));
    }

    /// A master's PING/PONG claims slots: take them if its config epoch is
    /// newer than the owner's; tell it with UPDATE if ours is newer.
    pub(crate) fn claim_slots(&mut self, s: usize, msg: &super::BusMsg, cx: &mut Cx) {
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if msg.config_epoch > st.nodes[s].config_epoch {
            st.nodes[s].config_epoch = msg.config_epoch;
        }
        let mut newer = false;
        let mut stale_owner = None;
        for &(a, b) in &msg.slots {
            for slot in a..=b.min(super::SLOTS - 1) {
                match st.owner(slot) {
                    Some(o) if o == s => {}
                    Some(o) if st.nodes[o].config_epoch > msg.config_epoch => stale_owner = Some(o),
                    _ => newer = true,
                }
            }
        }
        if newer {
            self.update_slots_with(s, msg.config_epoch, &msg.slots, cx);
        }
        let Some(st) = self.cluster.as_deref() else {
            return;
        };
        if let Some(o) = stale_owner {
            let about = Some((
                st.nodes[o].id.clone(),
                st.nodes[o].config_epoch,
                st.ranges_of(o),
            ));
            let mut up = st.header(BusKind::Update, self.ids.master_repl_offset);
            up.about = about;
            self.bus_send(s, up, cx);
        }
    }

    /// `clusterUpdateSlotsConfigWith`: `sender` (config epoch `epoch`) serves
    /// `slots`. If our master (or we) lost every slot to it, we become its replica.
    pub(crate) fn update_slots_with(
        &mut self,
        sender: usize,
        epoch: u64,
        slots: &[(u16, u16)],
        cx: &mut Cx,
    ) {
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if sender == st.myself {
            return;
        }
        let cur = st.me().master.unwrap_or(st.myself);
        st.nodes[sender].config_epoch = st.nodes[sender].config_epoch.max(epoch);
        let mut new_master = false;
        let mut dirty = Vec::new();
        for &(a, b) in slots {
            for slot in a..=b.min(super::SLOTS - 1) {
                let owner = st.owner(slot);
                if owner == Some(sender) || st.importing.iter().any(|m| m.0 == slot) {
                    continue;
                }
                if owner.is_none_or(|o| st.nodes[o].config_epoch < epoch) {
                    if owner == Some(st.myself) {
                        dirty.push(slot);
                    }
                    if owner == Some(cur) {
                        new_master = true;
                    }
                    st.slots.set(slot, sender as u16);
                }
            }
        }
        let cur_empty = !st.serves(cur);
        if new_master && cur_empty {
            let (id, host, port) = (
                st.nodes[sender].id.clone(),
                st.nodes[sender].host.clone(),
                st.nodes[sender].port,
            );
            cx.log(format!(
                "Configuration change detected. Reconfiguring myself as a replica of {id}"
            ));
            let me = st.myself;
            st.nodes[me].master = Some(sender);
            self.set_master(host, port, cx);
        } else if !dirty.is_empty() {
            self.db_delete_slots(&dirty);
        }
        self.cluster_update_state(cx);
        self.cluster_save_config(cx);
    }

    fn db_delete_slots(&mut self, slots: &[u16]) {
        let keys: Vec<Vec<u8>> = self
            .db
            .iter()
            .filter(|(k, _)| slots.contains(&key_slot(k)))
            .map(|(k, _)| k.to_vec())
            .collect();
        for k in keys {
            self.db.remove(&k);
        }
    }

    /// `clusterSaveConfig`: what nodes.conf would hold goes into the spec a
    /// restart starts from.
    pub(crate) fn cluster_save_config(&mut self, cx: &mut Cx) {
        let Some(st) = self.cluster.as_deref() else {
            return;
        };
        let mut spec = self.spec.clone();
        let Some(c) = spec.cluster.as_mut() else {
            return;
        };
        c.nodes = (0..st.nodes.len())
            .map(|i| {
                let p = &st.nodes[i];
                PeerSpec {
                    id: p.id.clone(),
                    host: p.host.clone(),
                    port: p.port,
                    master: p.master.map(|m| st.nodes[m].id.clone()),
                    slots: st.ranges_of(i),
                    config_epoch: p.config_epoch,
                }
            })
            .collect();
        c.current_epoch = st.current_epoch;
        c.last_vote_epoch = st.last_vote_epoch;
        spec.replicaof = st
            .me()
            .master
            .map(|m| (st.nodes[m].host.clone(), st.nodes[m].port));
        self.spec = spec.clone();
        cx.rewrite(NodeSpec::Redis(spec));
    }
}
