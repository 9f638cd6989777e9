//! Liveness after healing: past the bound, every replica's link is up and
//! its offset catches up with its master's, or a named reason says why Redis
//! would not get there either.
//!
//! Observed over a window after `heal_ms + settle_ms`, sampled every 10 ms:
//! Sentinels' hellos and the masters' PINGs keep the stream moving, so a
//! replica is "caught up" when, with the same replication ID, its offset
//! equals one its master had at most one link delay (+100 ms) before.
//! The link must be `connected` at every sample (no handshake stuck, no
//! sync in progress, no flapping).

use std::collections::BTreeMap;

use replilab_core::net::NodeId;
use replilab_core::redis::{LinkState, RedisNode};
use replilab_core::sim::{Sim, SimError};
use replilab_core::trace::TraceKind;

use super::bound::NetBounds;
use super::props::{master_of, redis_ids};
use super::{Case, Failure};

/// One sample of one server: (time, replid, offset).
type Point = (u64, String, u64);

/// Runs the observation window and records a failure per replica that does
/// not catch up (first three).
pub fn observe(
    case: &Case,
    sim: &mut Sim,
    out: &mut Vec<Failure>,
    excused: &mut Vec<String>,
) -> Result<(), SimError> {
    let s = &case.scenario;
    let net = NetBounds::of(s);
    let lag = net.max_delay_ms + 100;
    let window = (4 * lag).max(5_000);
    let ids = redis_ids(sim, s);
    let mut hist: BTreeMap<NodeId, Vec<Point>> = BTreeMap::new();
    // Per replica: a sample where its link was not up, and whether it caught up.
    let mut down: BTreeMap<NodeId, String> = BTreeMap::new();
    let mut caught: BTreeMap<NodeId, bool> = BTreeMap::new();
    let start = sim.now_ms();
    let mut t = start;
    while t <= start + window {
        sim.run_until(t)?;
        for &id in &ids {
            if let Some(r) = sim.redis(id) {
                hist.entry(id).or_default().push((
                    t,
                    r.ids.replid.clone(),
                    r.ids.master_repl_offset,
                ));
            }
        }
        for &id in &ids {
            let Some(r) = sim.redis(id) else { continue };
            let Some(link) = &r.master else { continue };
            if link.state != LinkState::Connected {
                down.entry(id).or_insert_with(|| {
                    format!(
                        "link to {}:{} is {:?} at t={t} ms",
                        link.host, link.port, link.state
                    )
                });
                continue;
            }
            let Some((mid, _)) = master_of(sim, r) else {
                continue;
            };
            let ok = hist.get(&mid).is_some_and(|h| {
                h.iter()
                    .rev()
                    .take_while(|p| p.0 + lag >= t)
                    .any(|p| p.1 == r.ids.replid && p.2 == r.ids.master_repl_offset)
            });
            *caught.entry(id).or_default() |= ok;
        }
        t += 10;
    }
    let mut n = 0;
    for &id in &ids {
        let Some(r) = sim.redis(id) else {
            out.push(Failure {
                property: "liveness",
                detail: format!("{} is down after the heal", sim.name(id)),
            });
            continue;
        };
        let Some(link) = &r.master else { continue };
        let detail = if let Some(d) = down.get(&id) {
            d.clone()
        } else if !caught.get(&id).copied().unwrap_or(false) {
            let m =
                master_of(sim, r).map(|(_, m)| (m.ids.replid.clone(), m.ids.master_repl_offset));
            format!(
                "never caught up: at {}:{} while its master {}:{} is at {:?}",
                r.ids.replid, r.ids.master_repl_offset, link.host, link.port, m
            )
        } else {
            continue;
        };
        if let Some(why) = excuse(case, sim, id, r) {
            // Redis would not settle either: named, not judged.
            excused.push(format!("{}: {why} ({detail})", sim.name(id)));
            continue;
        }
        n += 1;
        if n <= 3 {
            out.push(Failure {
                property: "liveness",
                detail: format!(
                    "{} not settled {} ms after the heal (bound: {}): {detail}",
                    sim.name(id),
                    start - case.heal_ms,
                    case.settle_why
                ),
            });
        }
    }
    Ok(())
}

/// Why Redis itself would not settle this replica, if it would not.
/// Link delays are the links' settings at the end of the run (latency + jitter).
pub fn excuse(case: &Case, sim: &Sim, id: NodeId, r: &RedisNode) -> Option<String> {
    let delay = |a: NodeId, b: NodeId| {
        let l = sim.net.link(a, b);
        l.latency_ms + l.jitter_ms
    };
    let link = r.master.as_ref()?;
    let Some((mid, m)) = master_of(sim, r) else {
        return Some(format!(
            "its master {}:{} runs no Redis server",
            link.host, link.port
        ));
    };
    // Follow the chain to its top: a cycle has none.
    let mut chain = vec![(id, r), (mid, m)];
    let mut top = m;
    while let Some((next, upper)) = master_of(sim, top) {
        if chain.iter().any(|&(n, _)| n == next) {
            let names: Vec<String> = chain
                .iter()
                .map(|&(n, _)| n)
                .chain([next])
                .map(|n| sim.name(n))
                .collect();
            return Some(format!("a replication cycle: {}", names.join(" -> ")));
        }
        chain.push((next, upper));
        top = upper;
    }
    let ping = top.conf.repl_ping_replica_period * 1000;
    // Each link of the chain, this replica's first: one that times out keeps
    // flapping, and every replica below it with it (a replica without its
    // master link answers its own replicas' PSYNC with -NOMASTERLINK; swarm
    // seed 79002: r1 -> r6 -> r3, r3's repl-timeout 4 s).
    for (i, pair) in chain.windows(2).enumerate() {
        let ((child, cr), (parent, pr)) = (pair[0], pair[1]);
        let timeout = cr.conf.repl_timeout.min(pr.conf.repl_timeout) * 1000;
        let d = delay(child, parent);
        // replicationCron checks once a second, in whole seconds (redis.conf:
        // "make sure that this value is greater than the value specified for
        // repl-ping-replica-period otherwise a timeout will be detected every
        // time there is low traffic between the master and the replica").
        let why = if timeout <= ping + 1000 + d {
            format!("repl-timeout {timeout} ms ≤ repl-ping-replica-period {ping} ms + 1 s + link delay: an idle link times out between PINGs")
        } else if timeout <= 1000 + d {
            // The master times out a replica whose REPLCONF ACK (every second) is late.
            format!("repl-timeout {timeout} ms ≤ the 1 s REPLCONF ACK period + link delay")
        } else {
            continue;
        };
        return Some(match i {
            0 => why,
            _ => format!(
                "upstream, {} -> {}: {why}",
                sim.name(child),
                sim.name(parent)
            ),
        });
    }
    // A Sentinel marks an instance down when no PONG came within down-after;
    // and it kills and reopens a link whose PING waits more than half of it
    // (sentinel.c `sentinelCheckSubjectivelyDown`, every 15 s at most), the
    // reconnection counting as unavailable time. So a round trip above
    // down-after/2 flaps: +sdown, +odown, a failover every ~15 s, forever
    // (seed 2328: 80 ms links, down-after 275 ms). Cluster nodes do the same
    // with cluster-node-timeout/2 (cluster.c `clusterCron`).
    let s = &case.scenario;
    let servers = redis_ids(sim, s);
    let worst_rtt = |from: &[NodeId]| {
        from.iter()
            .flat_map(|&a| servers.iter().map(move |&b| (a, b)))
            .map(|(a, b)| 2 * delay(a, b) + 100)
            .max()
            .unwrap_or(0)
    };
    let sentinels: Vec<NodeId> = s
        .nodes
        .iter()
        .filter(|n| n.monitor.is_some())
        .filter_map(|n| sim.node_id(&n.name))
        .collect();
    let rtt = worst_rtt(&sentinels);
    if let Some(m) = s
        .nodes
        .iter()
        .filter_map(|n| n.monitor.as_ref())
        .find(|m| m.down_after_ms <= 2 * rtt)
    {
        return Some(format!(
            "Sentinel down-after-milliseconds {} ≤ 2 round trips ({rtt} ms each): Sentinel kills slow links and sees instances down, failing over again and again",
            m.down_after_ms
        ));
    }
    if let Some(why) = split_elections(case, sim) {
        return Some(why);
    }
    let rtt = worst_rtt(&servers);
    if let Some(c) = s.cluster.as_ref().filter(|c| c.node_timeout_ms <= 2 * rtt) {
        return Some(format!(
            "cluster-node-timeout {} ≤ 2 round trips ({rtt} ms each): nodes drop slow links and flag each other PFAIL",
            c.node_timeout_ms
        ));
    }
    None
}

/// Sentinel elections that ended without a leader, when there were more
/// than the one the bound counts and the last one's retry reaches past it.
/// A Sentinel whose election fails (`-failover-abort-not-elected`: no
/// majority, for example 2 votes against 2 with four Sentinels) tries again
/// only 2×failover-timeout after its last try (sentinel.c
/// `sentinelStartFailoverIfNeeded`, "Next failover delay"), and nothing
/// bounds how many times the votes split (swarm seed 187545: epochs 1 and 2
/// split, epoch 3 elected a leader at 776 s, 3 s after the bound).
fn split_elections(case: &Case, sim: &Sim) -> Option<String> {
    use replilab_core::sentinel::SentinelEventKind as K;
    let mut epoch: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut tried: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut split = std::collections::BTreeSet::new();
    let mut last_split_try = 0;
    for e in sim.trace() {
        let TraceKind::Sentinel { event } = &e.kind else {
            continue;
        };
        match event.kind {
            K::NewEpoch => {
                epoch.insert(e.node, event.payload.parse().unwrap_or(0));
            }
            K::TryFailover => {
                tried.insert(e.node, e.t_ms);
            }
            K::FailoverAbortNotElected => {
                split.insert(epoch.get(&e.node).copied().unwrap_or(0));
                last_split_try = last_split_try.max(tried.get(&e.node).copied().unwrap_or(0));
            }
            _ => {}
        }
    }
    let s = &case.scenario;
    let timeout = s
        .nodes
        .iter()
        .filter_map(|n| n.monitor.as_ref())
        .map(|m| m.failover_timeout_ms)
        .max()
        .unwrap_or(0);
    // The bound's own allowance for reconfiguring the replicas after a failover.
    let reconf = 10_000 * redis_ids(sim, s).len() as u64 + 20_000;
    if split.len() < 2 || last_split_try + 2 * timeout + reconf <= case.heal_ms + case.settle_ms {
        return None;
    }
    let epochs: Vec<String> = split.iter().map(u64::to_string).collect();
    Some(format!(
        "Sentinel elections without a leader in epochs {} (-failover-abort-not-elected, the last tried at {last_split_try} ms): each delays the next try by 2×failover-timeout ({} ms), and the bound counts one",
        epochs.join(", "),
        2 * timeout
    ))
}
