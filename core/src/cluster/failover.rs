//! Replica failover: `clusterHandleSlaveFailover` (rank delay, election,
//! the won election taking the slots), `clusterGetSlaveRank` and the
//! masters' vote (`clusterSendFailoverAuthIfNeeded`).

use crate::node::Cx;
use crate::redis::RedisNode;

use super::bus::{BusKind, BusMsg};
use super::FAIL;

impl RedisNode {
    /// `clusterGetSlaveRank`: replicas of our master with a greater offset.
    fn replica_rank(&self) -> u64 {
        let Some(st) = self.cluster.as_deref() else {
            return 0;
        };
        let Some(m) = st.me().master else { return 0 };
        let mine = self.ids.master_repl_offset;
        st.replicas_of(m)
            .filter(|&r| r != st.myself && st.nodes[r].repl_offset > mine)
            .count() as u64
    }

    /// `clusterHandleSlaveFailover`, called from clusterCron.
    pub(crate) fn replica_failover(&mut self, cx: &mut Cx) {
        let now = cx.clock_ms;
        let rank = self.replica_rank();
        let link_age =
            self.master
                .as_ref()
                .map_or(0, |m| match (m.is_connected(), m.down_since_ms) {
                    (true, _) => now - m.last_io_ms,
                    (false, Some(t)) => now - t,
                    (false, None) => now - m.attempt_since_ms,
                });
        let ping_period = self.conf.repl_ping_replica_period as i64 * 1000;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        let Some(m) = st.me().master else { return };
        if st.nodes[m].flags & FAIL == 0 || !st.serves(m) {
            return;
        }
        let timeout = st.spec.node_timeout_ms as i64;
        let needed = st.size() as u64 / 2 + 1;
        let auth_timeout = (timeout * 2).max(2000);
        let auth_retry = auth_timeout * 2;
        let auth_age = now - st.election.time_ms;
        let mut data_age = link_age;
        if data_age > timeout {
            data_age -= timeout;
        }
        let factor = st.spec.replica_validity_factor as i64;
        if factor > 0 && data_age > ping_period + timeout * factor {
            return;
        }
        if auth_age > auth_retry {
            let e = &mut st.election;
            e.time_ms = now + 500 + cx.rand_below(500) as i64 + rank as i64 * 1000;
            (e.count, e.sent, e.rank) = (0, false, rank);
            cx.log(format!(
                "Start of election delayed for {} milliseconds (rank #{rank}, offset {}).",
                e.time_ms - now,
                self.ids.master_repl_offset
            ));
            return;
        }
        let e = &mut st.election;
        if !e.sent && rank > e.rank {
            e.time_ms += (rank - e.rank) as i64 * 1000;
            cx.log(format!(
                "Replica rank updated to #{rank}, added {} milliseconds of delay.",
                (rank - e.rank) * 1000
            ));
            e.rank = rank;
        }
        if now < e.time_ms || auth_age > auth_timeout {
            return;
        }
        if !e.sent {
            st.current_epoch += 1;
            st.election.epoch = st.current_epoch;
            st.election.sent = true;
            cx.log(format!(
                "Starting a failover election for epoch {}.",
                st.current_epoch
            ));
            self.bus_broadcast(BusKind::AuthRequest, None, cx);
            return;
        }
        if e.count < needed {
            return;
        }
        cx.log("Failover election won: I'm the new master.");
        let (me, epoch) = (st.myself, st.election.epoch);
        if st.nodes[me].config_epoch < epoch {
            st.nodes[me].config_epoch = epoch;
            cx.log(format!(
                "configEpoch set to {epoch} after successful failover"
            ));
        }
        // `clusterFailoverReplaceYourMaster`.
        st.nodes[me].master = None;
        st.slots.reassign(m as u16, me as u16);
        self.unset_master(cx);
        self.cluster_update_state(cx);
        self.cluster_save_config(cx);
        self.bus_broadcast(BusKind::Pong, None, cx);
    }

    /// A master's answer to FAILOVER_AUTH_REQUEST: one vote per epoch, and
    /// none for the same master within 2 × node timeout.
    pub(crate) fn vote(&mut self, s: usize, msg: &BusMsg, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if !st.is_master(st.myself) || !st.serves(st.myself) {
            return;
        }
        let id = st.nodes[s].id.clone();
        if msg.current_epoch < st.current_epoch {
            cx.log(format!(
                "Failover auth denied to {id}: reqEpoch ({}) < curEpoch({})",
                msg.current_epoch, st.current_epoch
            ));
            return;
        }
        if st.last_vote_epoch == st.current_epoch {
            cx.log(format!(
                "Failover auth denied to {id}: already voted for epoch {}",
                st.current_epoch
            ));
            return;
        }
        let Some(m) = st.nodes[s].master else {
            cx.log(format!("Failover auth denied to {id}: it is a master node"));
            return;
        };
        if st.nodes[m].flags & FAIL == 0 {
            cx.log(format!("Failover auth denied to {id}: its master is up"));
            return;
        }
        let wait = 2 * st.spec.node_timeout_ms as i64;
        if now - st.nodes[m].voted_time_ms < wait {
            cx.log(format!(
                "Failover auth denied to {id}: can't vote about this master before {} milliseconds",
                wait - (now - st.nodes[m].voted_time_ms)
            ));
            return;
        }
        for &(a, b) in &msg.slots {
            for slot in a..=b.min(super::SLOTS - 1) {
                if let Some(o) = st
                    .owner(slot)
                    .filter(|&o| st.nodes[o].config_epoch > msg.config_epoch)
                {
                    cx.log(format!(
                        "Failover auth denied to {id}: slot {slot} epoch ({}) > reqEpoch ({})",
                        st.nodes[o].config_epoch, msg.config_epoch
                    ));
                    return;
                }
            }
        }
        // One vote per epoch: never twice in one, never ahead of the current.
        assert!(
            st.last_vote_epoch < st.current_epoch,
            "one failover vote per epoch ({} then {})",
            st.last_vote_epoch,
            st.current_epoch
        );
        assert!(
            msg.current_epoch >= st.current_epoch,
            "a vote is for the current epoch"
        );
        st.last_vote_epoch = st.current_epoch;
        st.nodes[m].voted_time_ms = now;
        let epoch = st.current_epoch;
        self.cluster_save_config(cx);
        let Some(st) = self.cluster.as_deref() else {
            return;
        };
        let ack = st.header(BusKind::AuthAck, self.ids.master_repl_offset);
        self.bus_send(s, ack, cx);
        cx.log(format!("Failover auth granted to {id} for epoch {epoch}"));
    }
}
