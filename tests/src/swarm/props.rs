//! The swarm's properties, each with a name that failure lines print.
//!
//! - `event-budget`: the run ends within the simulator's event budget.
//! - `liveness`: after `heal_ms + settle_ms` (the bound, `Case::from_scenario`),
//!   observed for a window, every replica's link stays up and its offset
//!   catches up with its master's (equal to an offset its master had at most
//!   one link delay earlier, same replication ID), unless `excuse` names why
//!   Redis would not get there either.
//! - `one-promotion-per-epoch`: no two `+promoted-slave` in one failover epoch.
//! - `offsets-monotonic`: sampled every second, a process's
//!   `master_repl_offset` never decreases while its replication ID stays the
//!   same, except across a full sync it loaded (Redis: a replica re-synced from
//!   a lagging sub-master of the same history restarts at that one's offset).
//! - `in-sync-equal`: whenever a read-only replica's link is up with the same
//!   replication ID and offset as its master, their keyspaces are equal (keys,
//!   values, TTLs; before 7.0 only whether a TTL is set: a relative EXPIRE is
//!   re-anchored at the replica's clock, redis-facts §7).
//! - `losses-explained`: every acknowledged write missing at the end has a
//!   named cause in the checker (`LostWrite::erased_ms` set).

use std::collections::{BTreeMap, BTreeSet};

use replilab_core::action::Action;
use replilab_core::checker;
use replilab_core::net::NodeId;
use replilab_core::profile::Profile;
use replilab_core::redis::{LinkState, RedisNode};
use replilab_core::scenario::format::{Kind, Scenario};
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::sim::Sim;
use replilab_core::trace::TraceKind;

use super::{build_sim, Case, Failure, Outcome};

/// Nodes that were at some point writable replicas (`replica-read-only no`):
/// their clients' writes stay local (and are not passed to their replicas),
/// so they may differ from their master, as in Redis. Their data also
/// reaches the replicas that full-sync from them (the RDB holds the local
/// writes) under the master's replication ID: a later partial sync between
/// such a node and one that never had those writes is "in sync" with
/// different data, in Redis as in the lab (seed 3327). `Watch` follows that
/// taint through full syncs.
fn writable(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = s
        .nodes
        .iter()
        .filter(|n| n.config.get("replica-read-only").is_some_and(|v| v == "no"))
        .map(|n| n.name.clone())
        .collect();
    for a in &s.timeline {
        if let Action::Command { node, line } = &a.action {
            if line
                .to_ascii_lowercase()
                .starts_with("config set replica-read-only no")
            {
                out.push(node.clone());
            }
        }
    }
    out
}

/// What is sampled during the run.
#[derive(Default)]
struct Watch {
    /// (node, incarnation) → (replid, offset, full-sync loads seen so far).
    last: BTreeMap<(NodeId, u32), (String, u64, u64)>,
    loads: BTreeMap<NodeId, u64>,
    seen_trace: usize,
    /// (replica, replid, offset) last compared, to compare each state once.
    compared: BTreeMap<NodeId, (String, u64)>,
    /// Nodes whose data may hold a writable replica's local writes: the
    /// writable replicas, and whoever last full-synced from a tainted node.
    tainted: BTreeSet<NodeId>,
}

impl Watch {
    fn sample(&mut self, sim: &Sim, s: &Scenario, writable: &[String], out: &mut Vec<Failure>) {
        if self.seen_trace == 0 {
            self.tainted = writable.iter().filter_map(|n| sim.node_id(n)).collect();
        }
        for e in &sim.trace()[self.seen_trace..] {
            match &e.kind {
                TraceKind::Log { text }
                    if text == "MASTER <-> REPLICA sync: Loading DB in memory" =>
                {
                    *self.loads.entry(e.node).or_default() += 1;
                }
                TraceKind::Sync {
                    replica,
                    full: true,
                    ..
                } => {
                    let writable_replica = writable.contains(&sim.name(*replica));
                    if self.tainted.contains(&e.node) || writable_replica {
                        self.tainted.insert(*replica);
                    } else {
                        self.tainted.remove(replica);
                    }
                }
                _ => {}
            }
        }
        self.seen_trace = sim.trace().len();
        let pre70 = Profile::parse(&s.profile).is_some_and(|p| p != Profile::V7_0);
        for (i, slot) in sim.nodes().iter().enumerate() {
            let id = NodeId(i as u16);
            let Some(r) = sim.redis(id) else { continue };
            let loads = self.loads.get(&id).copied().unwrap_or(0);
            let now = (r.ids.replid.clone(), r.ids.master_repl_offset, loads);
            if let Some((replid, off, l)) = self.last.get(&(id, slot.incarnation)) {
                if *replid == now.0 && now.1 < *off && *l == loads {
                    out.push(Failure {
                        property: "offsets-monotonic",
                        detail: format!(
                            "{} went from offset {off} back to {} under replid {replid} at t={} ms without loading a full sync",
                            slot.name, now.1, sim.now_ms()
                        ),
                    });
                }
            }
            self.last.insert((id, slot.incarnation), now);
            if self.tainted.contains(&id) {
                continue;
            }
            let Some((mid, m)) = master_of(sim, r) else {
                continue;
            };
            let m_writable = self.tainted.contains(&mid);
            let in_sync = r
                .master
                .as_ref()
                .is_some_and(|l| l.state == LinkState::Connected)
                && m.ids.replid == r.ids.replid
                && m.ids.master_repl_offset == r.ids.master_repl_offset;
            let key = (r.ids.replid.clone(), r.ids.master_repl_offset);
            if !in_sync || m_writable || self.compared.get(&id) == Some(&key) {
                continue;
            }
            self.compared.insert(id, key);
            if let Some(diff) = keyspace_diff(r, m, pre70) {
                out.push(Failure {
                    property: "in-sync-equal",
                    detail: format!(
                        "{} and its master {} both at {}:{} at t={} ms, but {diff}",
                        slot.name,
                        sim.name(mid),
                        r.ids.replid,
                        r.ids.master_repl_offset,
                        sim.now_ms()
                    ),
                });
            }
        }
    }
}

/// The node a replica's link points at, when it runs Redis.
pub fn master_of<'a>(sim: &'a Sim, r: &RedisNode) -> Option<(NodeId, &'a RedisNode)> {
    let link = r.master.as_ref()?;
    let i = sim
        .nodes()
        .iter()
        .position(|n| (n.host == link.host || n.name == link.host) && n.port == link.port)?;
    let id = NodeId(i as u16);
    Some((id, sim.redis(id)?))
}

/// The first difference between two keyspaces, in words.
fn keyspace_diff(r: &RedisNode, m: &RedisNode, ttl_presence_only: bool) -> Option<String> {
    let same = |a: &replilab_core::data::Entry, b: &replilab_core::data::Entry| {
        a.value == b.value
            && if ttl_presence_only {
                a.expire_at_ms.is_some() == b.expire_at_ms.is_some()
            } else {
                a.expire_at_ms == b.expire_at_ms
            }
    };
    let show = |k: &[u8]| {
        String::from_utf8_lossy(k)
            .chars()
            .take(40)
            .collect::<String>()
    };
    for (k, e) in r.db.iter() {
        match m.db.get_entry(k) {
            None => return Some(format!("key '{}' is only on the replica", show(k))),
            Some(me) if !same(e, me) => {
                return Some(format!(
                    "key '{}' differs (replica {:?} ttl {:?}, master {:?} ttl {:?})",
                    show(k),
                    String::from_utf8_lossy(&e.value)
                        .chars()
                        .take(20)
                        .collect::<String>(),
                    e.expire_at_ms,
                    String::from_utf8_lossy(&me.value)
                        .chars()
                        .take(20)
                        .collect::<String>(),
                    me.expire_at_ms
                ))
            }
            _ => {}
        }
    }
    (r.db.len() != m.db.len()).then(|| {
        let k =
            m.db.iter()
                .find(|(k, _)| r.db.get_entry(k).is_none())
                .map_or(String::new(), |(k, _)| show(k));
        format!(
            "key '{k}' is only on the master ({} vs {} keys)",
            r.db.len(),
            m.db.len()
        )
    })
}

/// Runs the case, sampling every second, then observes the end and judges.
pub fn check(case: &Case) -> Outcome {
    check_with(case, build_sim(case))
}

pub fn check_with(case: &Case, mut sim: Sim) -> Outcome {
    let s = &case.scenario;
    let writable = writable(s);
    let end_ms = s.duration_s * 1000;
    let mut failures = Vec::new();
    let mut watch = Watch::default();
    let mut t = 0;
    let mut trace_hash = String::new();
    let mut excused = Vec::new();
    let mut stats: BTreeMap<&'static str, u64> = BTreeMap::new();
    let budget = |e: replilab_core::sim::SimError, failures: &mut Vec<Failure>| {
        failures.push(Failure {
            property: "event-budget",
            detail: e.to_string(),
        })
    };
    while t < end_ms {
        t = (t + 1000).min(end_ms);
        if let Err(e) = sim.run_until(t) {
            budget(e, &mut failures);
            break;
        }
        watch.sample(&sim, s, &writable, &mut failures);
    }
    if failures.iter().all(|f| f.property != "event-budget") {
        trace_hash = format!("{:016x}", sim.trace_hash());
        if let Err(e) = super::liveness::observe(case, &mut sim, &mut failures, &mut excused) {
            budget(e, &mut failures);
        }
        failures.extend(one_promotion_per_epoch(&sim));
        let report = checker::check(&sim);
        failures.extend(losses_explained(&report));
        stats.insert("acked writes", report.acked_writes);
        for l in &report.lost_writes {
            let cause = if l.erased_by.contains("full sync") {
                "lost: full sync"
            } else if l.erased_by.contains("crashed") {
                "lost: crash"
            } else if l.erased_by.contains("FLUSH") {
                "lost: FLUSHALL"
            } else if l.erased_by.contains("writable replica") {
                "lost: writable replica"
            } else if l.erased_by.contains("a failover made") {
                "lost: failover"
            } else if l.erased_by.contains("replication cycle") {
                "lost: replication cycle"
            } else {
                "lost: no cause"
            };
            *stats.entry(cause).or_default() += 1;
        }
        stats.insert("full syncs", report.full_syncs);
        stats.insert("partial syncs", report.partial_syncs);
        stats.insert("elected promotions", promotions(&sim).len() as u64);
        for e in sim.trace() {
            if let TraceKind::Fault { text } = &e.kind {
                let kind = match text.split(' ').next().unwrap_or("") {
                    "crash" => "crashes",
                    "partition" | "oneway" => "cuts",
                    "pause" | "DEBUG" => "pauses",
                    "skew" | "jump" => "clock changes",
                    _ => continue,
                };
                *stats.entry(kind).or_default() += 1;
            }
        }
    }
    // Report each property's first few failures only.
    let mut per: BTreeMap<&str, u32> = BTreeMap::new();
    failures.retain(|f| {
        let n = per.entry(f.property).or_default();
        *n += 1;
        *n <= 3
    });
    Outcome {
        seed: case.seed,
        failures,
        trace_hash,
        excused,
        stats,
        events: sim.events_processed(),
        sim: Some(sim),
    }
}

/// (epoch, promoted replica, Sentinel) for every `+promoted-slave` of an
/// elected leader, by the epoch of the leader's own `+try-failover` (a
/// Sentinel can learn a newer epoch by voting while its older failover is
/// still running). Failovers forced with `SENTINEL FAILOVER` are left out:
/// Redis documents them as "without asking for agreement to other
/// Sentinels" (sentinel.c `sentinelFailoverWaitStart` skips the leader check
/// when `SRI_FORCE_FAILOVER` is set), so two Sentinels forced at once both
/// promote in the same epoch, in Redis as in the lab (found by seed 1757).
pub fn promotions(sim: &Sim) -> Vec<(u64, String, String)> {
    let mut last_epoch: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut failover_epoch: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut forced: BTreeMap<NodeId, bool> = BTreeMap::new();
    let mut out = Vec::new();
    for e in sim.trace() {
        if let TraceKind::Exec { cmd, reply, .. } = &e.kind {
            // The FAILOVER command's reply comes right after its +try-failover.
            if reply == "OK" && cmd.to_ascii_uppercase().starts_with("SENTINEL FAILOVER") {
                forced.insert(e.node, true);
            }
            continue;
        }
        let TraceKind::Sentinel { event } = &e.kind else {
            continue;
        };
        use SentinelEventKind as K;
        match event.kind {
            K::NewEpoch => {
                last_epoch.insert(e.node, event.payload.parse().unwrap_or(0));
            }
            K::TryFailover => {
                failover_epoch.insert(e.node, last_epoch.get(&e.node).copied().unwrap_or(0));
                forced.insert(e.node, false);
            }
            K::PromotedSlave if forced.get(&e.node) != Some(&true) => {
                let epoch = failover_epoch.get(&e.node).copied().unwrap_or(0);
                // payload: `slave <name> <ip> <port> @ <master> <ip> <port>`
                let who = event.payload.split(' ').nth(1).unwrap_or("").to_string();
                out.push((epoch, who, sim.name(e.node)));
            }
            _ => {}
        }
    }
    out
}

fn one_promotion_per_epoch(sim: &Sim) -> Vec<Failure> {
    let mut per_epoch: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (epoch, who, by) in promotions(sim) {
        per_epoch
            .entry(epoch)
            .or_default()
            .push(format!("{who} by {by}"));
    }
    per_epoch
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(epoch, v)| Failure {
            property: "one-promotion-per-epoch",
            detail: format!("epoch {epoch} promoted {}", v.join(", ")),
        })
        .collect()
}

fn losses_explained(report: &checker::Report) -> Vec<Failure> {
    report
        .lost_writes
        .iter()
        .filter(|l| l.erased_ms.is_none())
        .map(|l| Failure {
            property: "losses-explained",
            detail: format!(
                "{}'s {} acknowledged by {} at t={} ms ({}:{}) is missing: {}",
                l.client, l.cmd, l.acked_by, l.acked_ms, l.replid, l.offset, l.erased_by
            ),
        })
        .collect()
}

/// Redis nodes by kind, for the liveness observer.
pub fn redis_ids(sim: &Sim, s: &Scenario) -> Vec<NodeId> {
    s.nodes
        .iter()
        .filter(|n| n.kind == Kind::Redis)
        .filter_map(|n| sim.node_id(&n.name))
        .collect()
}
