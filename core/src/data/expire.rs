//! Active expiry: the master's slow `activeExpireCycle` (expire.c, Redis
//! 6.0+/7.0) for one cron tick, and `expireSlaveKeys` for keys that clients
//! of a writable replica gave a TTL.
//!
//! Redis samples `db->expires` by walking its hash table from a saved bucket
//! cursor. Here the expires set is a `BTreeSet`, walked in key order from the
//! last key examined (wrapping around), which is deterministic and visits
//! every key with a TTL once per lap, as Redis's cursor does.
//!
//! There is no CPU time in the simulation, so the time cap (25% of a tick at
//! effort 1, i.e. 25 ms at hz 10) is modelled as a cost of
//! `ACTIVE_EXPIRE_COST_US_PER_KEY` simulated microseconds per key examined:
//! at most 25 000 keys per tick at hz 10. As in Redis, the cap is checked
//! every 16 loops. The fast cycle (from `beforeSleep`) is not modelled.

use std::ops::Bound;

use super::db::{Db, ExecEnv};
use super::effects::{DataStats, Effects};
use crate::profile::Profile;

/// Simulated cost of examining one key in an expire cycle.
pub const ACTIVE_EXPIRE_COST_US_PER_KEY: u64 = 1;

/// Keys per loop at effort 1 (`ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP`).
const KEYS_PER_LOOP: u64 = 20;
/// Slow-cycle share of a tick at effort 1, percent.
const SLOW_TIME_PERC: u64 = 25;
/// Acceptable stale keys at effort 1, percent.
const ACCEPTABLE_STALE: u64 = 10;
/// `expireSlaveKeys` gives up after this many keys it could not expire.
const REPLICA_NOEXPIRE_LIMIT: u64 = 3;
/// `expireSlaveKeys` time limit (1 ms) in keys.
const REPLICA_KEYS_PER_TICK: u64 = 1000;

/// The settings one cycle runs with (`hz`, `active-expire-effort`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveExpireBudget {
    pub hz: u64,
    /// 1..=10.
    pub effort: u64,
    pub cost_us_per_key: u64,
}

impl Default for ActiveExpireBudget {
    fn default() -> Self {
        ActiveExpireBudget::for_tick(10, 1)
    }
}

impl ActiveExpireBudget {
    pub fn for_tick(hz: u64, effort: u64) -> ActiveExpireBudget {
        ActiveExpireBudget {
            hz: hz.clamp(1, 500),
            effort: effort.clamp(1, 10),
            cost_us_per_key: ACTIVE_EXPIRE_COST_US_PER_KEY,
        }
    }
    /// `20 + 5 * (effort - 1)`.
    pub fn keys_per_loop(&self) -> u64 {
        KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * (self.effort - 1)
    }
    /// `(25 + 2 * (effort - 1))%` of one tick, in µs.
    pub fn time_limit_us(&self) -> u64 {
        (SLOW_TIME_PERC + 2 * (self.effort - 1)) * 1_000_000 / self.hz / 100
    }
    /// Repeat the loop while more than this percentage of samples expired.
    pub fn acceptable_stale_perc(&self) -> u64 {
        ACCEPTABLE_STALE - (self.effort - 1)
    }
}

/// What one cycle did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActiveExpireReport {
    pub loops: u64,
    pub sampled: u64,
    pub expired: u64,
    pub elapsed_us: u64,
    pub time_cap_reached: bool,
}

impl Db {
    /// Up to `n` keys with a TTL, starting after `cursor` and wrapping.
    fn sample_expires(&self, cursor: &Option<Vec<u8>>, n: usize) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::with_capacity(n);
        match cursor {
            Some(c) => {
                let after = self
                    .expires
                    .range::<[u8], _>((Bound::Excluded(c.as_slice()), Bound::Unbounded));
                out.extend(after.take(n).cloned());
                if out.len() < n {
                    let before = self
                        .expires
                        .range::<[u8], _>((Bound::Unbounded, Bound::Included(c.as_slice())));
                    out.extend(before.take(n - out.len()).cloned());
                }
            }
            None => out.extend(self.expires.iter().take(n).cloned()),
        }
        out
    }

    /// One slow active expire cycle on this db (`activeExpireCycle`). Only a
    /// master that is not loading expires anything; on anything else this is
    /// a no-op (replicas wait for the master's DELs).
    pub fn active_expire_cycle(
        &mut self,
        env: &ExecEnv,
        budget: &ActiveExpireBudget,
        fx: &mut Effects,
        stats: &mut DataStats,
    ) -> ActiveExpireReport {
        let mut rep = ActiveExpireReport::default();
        // Each expired key's DEL goes out on its own, never in MULTI/EXEC.
        fx.no_multi_wrap = true;
        if !env.is_master() || env.loading {
            return rep;
        }
        let per_loop = usize::try_from(budget.keys_per_loop()).unwrap_or(20);
        let limit_us = budget.time_limit_us();
        loop {
            rep.loops += 1;
            if self.expires.is_empty() {
                break;
            }
            let cursor = self.expire_cursor.take();
            let batch = self.sample_expires(&cursor, per_loop.min(self.expires.len()));
            let (mut sampled, mut expired) = (0u64, 0u64);
            for key in &batch {
                sampled += 1;
                if self.key_is_expired(key, env) {
                    self.delete_expired(key, env, fx, stats);
                    expired += 1;
                }
            }
            self.expire_cursor = batch.last().cloned().or(cursor);
            rep.sampled += sampled;
            rep.expired += expired;
            rep.elapsed_us = rep
                .elapsed_us
                .saturating_add(sampled.saturating_mul(budget.cost_us_per_key));
            if rep.loops % 16 == 0 && rep.elapsed_us > limit_us {
                rep.time_cap_reached = true;
                stats.expired_time_cap_reached_count += 1;
                break;
            }
            if sampled != 0 && expired * 100 / sampled <= budget.acceptable_stale_perc() {
                break;
            }
        }
        stats.active_expire_cycles += 1;
        stats.expire_cycle_time_used_us = stats
            .expire_cycle_time_used_us
            .saturating_add(rep.elapsed_us);
        stats.update_stale(rep.sampled, rep.expired);
        rep
    }

    /// `expireSlaveKeys`: a replica deletes expired keys that its own clients
    /// gave a TTL while it was writable (4.0+; a 3.0 replica leaks them).
    /// Walks the tracked keys in order from a cursor; stops after more than 3
    /// keys it could not expire yet, 1000 keys, or one full lap. Keys that no
    /// longer exist or lost their TTL stop being tracked. Never propagates.
    pub fn expire_replica_keys(
        &mut self,
        env: &ExecEnv,
        fx: &mut Effects,
        stats: &mut DataStats,
    ) -> u64 {
        if !env.is_replica()
            || env.profile == Profile::V3_0
            || self.replica_keys_with_expire.is_empty()
        {
            return 0;
        }
        let total = self.replica_keys_with_expire.len();
        let cursor = self.replica_expire_cursor.take();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        if let Some(c) = &cursor {
            let after = self
                .replica_keys_with_expire
                .range::<[u8], _>((Bound::Excluded(c.as_slice()), Bound::Unbounded));
            keys.extend(after.cloned());
            let before = self
                .replica_keys_with_expire
                .range::<[u8], _>((Bound::Unbounded, Bound::Included(c.as_slice())));
            keys.extend(before.cloned());
        } else {
            keys.extend(self.replica_keys_with_expire.iter().cloned());
        }
        debug_assert_eq!(keys.len(), total);
        let (mut examined, mut noexpire, mut expired) = (0u64, 0u64, 0u64);
        let mut last: Option<Vec<u8>> = None;
        for key in keys {
            examined += 1;
            let has_ttl = self
                .get_entry(&key)
                .is_some_and(|e| e.expire_at_ms.is_some());
            if has_ttl && self.key_is_expired(&key, env) {
                self.delete_expired(&key, env, fx, stats);
                self.replica_keys_with_expire.remove(&key);
                expired += 1;
            } else if has_ttl {
                noexpire += 1;
            } else {
                self.replica_keys_with_expire.remove(&key);
            }
            last = Some(key);
            if noexpire > REPLICA_NOEXPIRE_LIMIT || examined >= REPLICA_KEYS_PER_TICK {
                break;
            }
        }
        self.replica_expire_cursor = last;
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::db::Role;

    fn master(now_ms: i64) -> ExecEnv {
        ExecEnv {
            now_ms,
            role: Role::Master,
            from_master: false,
            profile: Profile::V7_0,
            loading: false,
            rand: 0,
        }
    }

    #[test]
    fn budget_follows_effort_formulas() {
        let b = ActiveExpireBudget::for_tick(10, 1);
        assert_eq!(
            (
                b.keys_per_loop(),
                b.time_limit_us(),
                b.acceptable_stale_perc()
            ),
            (20, 25_000, 10)
        );
        let b = ActiveExpireBudget::for_tick(10, 10);
        assert_eq!(
            (
                b.keys_per_loop(),
                b.time_limit_us(),
                b.acceptable_stale_perc()
            ),
            (65, 43_000, 1)
        );
        assert_eq!(
            ActiveExpireBudget::for_tick(0, 0),
            ActiveExpireBudget::for_tick(1, 1)
        );
    }

    // facts §12.2: three PSETEX 500 ms keys never touched are gone within 2 s.
    #[test]
    fn active_expiry_removes_untouched_keys_and_propagates_dels() {
        let mut db = Db::new();
        for k in [&b"a"[..], b"b", b"c"] {
            db.insert_raw(k, b"v", Some(500));
        }
        db.insert_raw(b"keep", b"v", None);
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        let b = ActiveExpireBudget::default();
        let r = db.active_expire_cycle(&master(400), &b, &mut fx, &mut st);
        assert_eq!((r.sampled, r.expired), (3, 0));
        assert_eq!(db.len(), 4);
        let mut now = 400;
        while db.len() > 1 && now < 2000 {
            now += 100;
            db.active_expire_cycle(&master(now), &b, &mut fx, &mut st);
        }
        assert_eq!(
            now, 600,
            "the first tick after the deadline expires all three"
        );
        assert_eq!(db.len(), 1);
        assert_eq!(st.expired_keys, 3);
        assert_eq!(fx.propagate.len(), 3);
        assert!(fx.propagate.iter().all(|c| c[0] == b"DEL"));
    }

    #[test]
    fn active_expiry_stops_when_few_sampled_keys_are_expired_and_resumes_after_cursor() {
        let mut db = Db::new();
        // 100 live keys with a TTL and 2 expired ones at the end of the order.
        for i in 0..100 {
            db.insert_raw(format!("live{i:03}").as_bytes(), b"v", Some(10_000));
        }
        db.insert_raw(b"zz1", b"v", Some(1));
        db.insert_raw(b"zz2", b"v", Some(1));
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        let b = ActiveExpireBudget::default();
        let r = db.active_expire_cycle(&master(100), &b, &mut fx, &mut st);
        assert_eq!((r.loops, r.sampled, r.expired), (1, 20, 0));
        let mut ticks = 1;
        while db.len() > 100 {
            db.active_expire_cycle(&master(100), &b, &mut fx, &mut st);
            ticks += 1;
        }
        assert_eq!(
            ticks, 6,
            "the cursor reaches the last 2 keys after 100 others"
        );
    }

    #[test]
    fn active_expiry_hits_the_time_cap_with_many_expired_keys() {
        let mut db = Db::new();
        for i in 0..60_000 {
            db.insert_raw(format!("k{i}").as_bytes(), b"v", Some(1));
        }
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        let r = db.active_expire_cycle(
            &master(100),
            &ActiveExpireBudget::default(),
            &mut fx,
            &mut st,
        );
        assert!(r.time_cap_reached);
        // Checked every 16 loops of 20 keys: first check past 25 000 µs.
        assert_eq!(r.expired, 25_280);
        assert_eq!(st.expired_time_cap_reached_count, 1);
        assert_eq!(db.len(), 60_000 - 25_280);
        assert_eq!(st.expired_stale_perc_text(), "5.00");
    }

    #[test]
    fn active_expiry_does_nothing_on_replicas() {
        let mut db = Db::new();
        db.insert_raw(b"k", b"v", Some(1));
        let mut e = master(100);
        e.role = Role::Replica { read_only: true };
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        db.active_expire_cycle(&e, &ActiveExpireBudget::default(), &mut fx, &mut st);
        assert_eq!(db.len(), 1);
    }
}
