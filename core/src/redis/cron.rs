//! `serverCron` (every 1000/hz ms) and the master half of `replicationCron`
//! (once a second).

use crate::data::{ActiveExpireBudget, Effects};
use crate::node::{Cx, Timer};
use crate::trace::TraceKind;

use super::{master::ReplicaState, RedisNode, RedisTimer};
use crate::msg::Msg;

impl RedisNode {
    pub(super) fn server_cron(&mut self, cx: &mut Cx) {
        let hz = self.conf.hz.clamp(1, 500);
        let period_ms = 1000 / hz;
        cx.timer(period_ms, Timer::Redis(RedisTimer::Cron));
        self.cluster_cron(cx);
        // checkChildrenDone: reap a finished fork child.
        if let Some(gen) = self
            .bgsave
            .as_ref()
            .filter(|b| cx.now_ms >= b.done_at_ms)
            .map(|b| b.gen)
        {
            self.bgsave_done(gen, cx);
        }
        // databasesCron: the active expire cycle runs on masters only.
        if self.is_master() && self.active_expire_enabled {
            self.active_expire(cx);
        } else if !self.is_master() && !self.conf.replica_read_only {
            self.expire_replica_keys(cx);
        }
        // run_with_period(1000) replicationCron()
        let loops_per_second = (1000 / period_ms).max(1);
        if self.cron_loops.is_multiple_of(loops_per_second) {
            self.replication_cron(self.cron_loops / loops_per_second, cx);
        }
        self.cron_loops += 1;
    }

    fn active_expire(&mut self, cx: &mut Cx) {
        let env = self.env(cx);
        let budget = ActiveExpireBudget::for_tick(self.conf.hz, self.conf.active_expire_effort);
        let mut fx = Effects::default();
        self.db
            .active_expire_cycle(&env, &budget, &mut fx, &mut self.data_stats);
        self.after_effects(fx, cx);
    }

    fn expire_replica_keys(&mut self, cx: &mut Cx) {
        let env = self.env(cx);
        let mut fx = Effects::default();
        self.db
            .expire_replica_keys(&env, &mut fx, &mut self.data_stats);
        self.after_effects(fx, cx);
    }

    /// Traces expired keys and propagates what a command or cycle produced.
    pub(super) fn after_effects(&mut self, fx: Effects, cx: &mut Cx) {
        if cx.tracing {
            for key in fx.expired_keys() {
                cx.trace(TraceKind::Expired { key });
            }
        }
        if !fx.propagate.is_empty() {
            self.touch_watched(&fx.propagate, None);
            self.feed_stream(fx.propagate, true, cx);
        }
    }

    /// `replicationCron`, once a second; `repl_loops` counts its runs.
    fn replication_cron(&mut self, repl_loops: u64, cx: &mut Cx) {
        self.replica_cron(cx);
        // The half that serves our own replicas runs on chained replicas too.
        self.master_cron(repl_loops, cx);
        self.refresh_good_replicas(cx);
    }

    fn master_cron(&mut self, repl_loops: u64, cx: &mut Cx) {
        let period = self.conf.repl_ping_replica_period.max(1);
        // Only a top-level master originates PINGs; a replica proxies its master's.
        if self.is_master() && repl_loops.is_multiple_of(period) && !self.replicas.is_empty() {
            self.feed_stream(vec![vec![b"PING".to_vec()]], false, cx);
        }
        // Replicas waiting for an RDB get a newline every second (not counted in offsets).
        let disk_child = self.bgsave.as_ref().is_some_and(|b| !b.diskless);
        let waiting: Vec<_> = self
            .replicas
            .values()
            .filter(|r| {
                r.state == ReplicaState::WaitBgsaveStart
                    || (r.state == ReplicaState::WaitBgsaveEnd && disk_child)
            })
            .map(|r| r.conn)
            .collect();
        for conn in waiting {
            cx.send(conn, Msg::Newline);
        }
        // Disconnect replicas that stopped acknowledging.
        let timeout_ms = (self.conf.repl_timeout * 1000) as i64;
        let timed_out: Vec<_> = self
            .replicas
            .values()
            .filter(|r| {
                r.is_online()
                    && cx.clock_ms.div_euclid(1000) - r.ack_time_ms.div_euclid(1000)
                        > timeout_ms / 1000
            })
            .map(|r| r.conn)
            .collect();
        for conn in timed_out {
            let who = self.replica_name(conn);
            cx.log(format!(
                "Disconnecting timedout replica (streaming sync): {who}"
            ));
            self.drop_replica(conn, "timeout", cx);
            cx.close(conn, "replica timed out");
        }
        // Free the backlog after repl-backlog-ttl without replicas; a new history starts.
        if let (Some(since), true) = (
            self.no_replicas_since_s,
            self.backlog.is_some() && self.is_master(),
        ) {
            let ttl = self.conf.repl_backlog_ttl as i64;
            if self.replicas.is_empty() && ttl > 0 && cx.clock_ms.div_euclid(1000) - since > ttl {
                self.ids.new_history(cx.hex40());
                self.backlog = None;
                cx.log(format!(
                    "Replication backlog freed after {ttl} seconds without connected replicas."
                ));
            }
        }
        self.start_pending_fork(cx);
    }

    /// `replicationStartPendingFork`: fork for replicas waiting in WAIT_BGSAVE_START.
    fn start_pending_fork(&mut self, cx: &mut Cx) {
        if self.bgsave.is_some() {
            return;
        }
        let waiting: Vec<_> = self
            .replicas
            .values()
            .filter(|r| r.state == ReplicaState::WaitBgsaveStart)
            .collect();
        if waiting.is_empty() {
            return;
        }
        let now_s = cx.clock_ms.div_euclid(1000);
        let max_idle = waiting
            .iter()
            .map(|r| now_s - r.last_interaction_ms.div_euclid(1000))
            .max()
            .unwrap_or(0);
        let count = waiting.len() as u64;
        let max_replicas = self.conf.repl_diskless_sync_max_replicas;
        let ready = !self.conf.repl_diskless_sync
            || max_idle >= self.conf.repl_diskless_sync_delay as i64
            || (max_replicas > 0 && count >= max_replicas);
        if ready {
            self.start_bgsave_for_replication(cx);
        }
    }
}
