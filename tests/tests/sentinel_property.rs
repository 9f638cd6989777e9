//! Property over 500 seeded fault schedules with Sentinels and clients:
//! at most one replica is promoted per epoch, the checker's accounting
//! balances, and after healing every replica converges to the final master.
//! Replay one with `SIM_SEED=<seed> cargo test -p replilab-harness --test sentinel_property`.

use std::collections::BTreeMap;

use replilab_core::action::LinkChange;
use replilab_core::checker;
use replilab_core::client::{ClientSpec, Routing};
use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::node::NodeState;
use replilab_core::rng::Rng;
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::sim::{Fault, Sim};
use replilab_core::trace::TraceKind;
use replilab_harness::dsl::Lab;

const CASES: u64 = 500;
const FAULTS_UNTIL_MS: u64 = 50_000;

fn build(seed: u64) -> (Lab, Vec<NodeId>, Vec<NodeId>) {
    let mut lab = Lab::with_sentinels(
        seed,
        3,
        3,
        2,
        |s| s.conf.repl_diskless_sync_delay = 0,
        |m| {
            m.down_after_ms = 5_000;
            m.failover_timeout_ms = 20_000;
        },
    );
    lab.add_client(
        "fixed",
        ClientSpec {
            routing: Routing::Fixed {
                host: "10.0.0.1".into(),
                port: 6379,
            },
            prefix: "f".into(),
            stop_ms: Some(FAULTS_UNTIL_MS + 5_000),
            ..ClientSpec::default()
        },
    );
    let sentinels = (1..=3).map(|i| (format!("10.0.1.{i}"), 26379)).collect();
    lab.add_client(
        "aware",
        ClientSpec {
            routing: Routing::Sentinel {
                sentinels,
                master: "mymaster".into(),
            },
            prefix: "a".into(),
            stop_ms: Some(FAULTS_UNTIL_MS + 5_000),
            ..ClientSpec::default()
        },
    );
    let servers: Vec<NodeId> = ["m", "r1", "r2", "r3"].iter().map(|n| lab.id(n)).collect();
    let sentinels: Vec<NodeId> = ["s1", "s2", "s3"].iter().map(|n| lab.id(n)).collect();
    (lab, servers, sentinels)
}

fn random_fault(rng: &mut Rng, servers: &[NodeId], sentinels: &[NodeId], all: &[NodeId]) -> Fault {
    let pick = |rng: &mut Rng, v: &[NodeId]| v[rng.below(v.len() as u64) as usize];
    match rng.below(8) {
        0 | 1 => Fault::Pause {
            node: pick(rng, servers),
            ms: 1_000 + rng.below(15_000),
        },
        2 => {
            let a = pick(rng, all);
            let rest: Vec<NodeId> = all.iter().copied().filter(|&n| n != a).collect();
            Fault::Partition {
                groups: vec![vec![a], rest],
            }
        }
        3 => Fault::Heal,
        4 => Fault::Crash {
            node: pick(rng, servers),
        },
        5 => Fault::Restart {
            node: pick(rng, servers),
        },
        6 => Fault::Crash {
            node: pick(rng, sentinels),
        },
        _ => Fault::Link {
            a: pick(rng, all),
            b: pick(rng, all),
            change: LinkChange {
                latency_ms: Some(1 + rng.below(100)),
                jitter_ms: Some(LinkCfg::default().jitter_ms),
                bandwidth_bytes_per_ms: Some(LinkCfg::default().bandwidth_bytes_per_ms),
            },
        },
    }
}

/// (epoch, promoted replica) for every `+promoted-slave`, by the epoch of
/// the leader's own `+try-failover` (a Sentinel can learn a newer epoch by
/// voting while its older failover is still running).
fn promotions(sim: &Sim) -> Vec<(u64, String)> {
    let mut last_epoch: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut failover_epoch: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for e in sim.trace() {
        let TraceKind::Sentinel { event } = &e.kind else {
            continue;
        };
        match event.kind {
            SentinelEventKind::NewEpoch => {
                last_epoch.insert(e.node, event.payload.parse().unwrap_or(0));
            }
            SentinelEventKind::TryFailover => {
                failover_epoch.insert(e.node, last_epoch.get(&e.node).copied().unwrap_or(0));
            }
            SentinelEventKind::PromotedSlave => {
                let epoch = failover_epoch.get(&e.node).copied().unwrap_or(0);
                out.push((
                    epoch,
                    event.payload.split(' ').nth(1).unwrap_or("").to_string(),
                ));
            }
            _ => {}
        }
    }
    out
}

fn run_case(seed: u64) -> Result<(u64, u64), String> {
    let mut rng = Rng::new(seed ^ 0x5e17);
    let (mut lab, servers, sentinels) = build(seed);
    let all: Vec<NodeId> = (0..lab.sim.nodes().len() as u16).map(NodeId).collect();
    let mut t = 10_000;
    while t < FAULTS_UNTIL_MS {
        t += 500 + rng.below(4_000);
        lab.sim.run_until(t).map_err(|e| e.to_string())?;
        let f = random_fault(&mut rng, &servers, &sentinels, &all);
        lab.sim.apply(f);
    }
    lab.sim.apply(Fault::Heal);
    for &n in &all {
        lab.sim.apply(Fault::Restart { node: n });
    }
    // The clients stop writing; Sentinel gets time to fix every replica
    // (+fix-slave-config waits failover-timeout).
    lab.sim.run_for(100_000).map_err(|e| e.to_string())?;
    let mut per_epoch: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (epoch, who) in promotions(&lab.sim) {
        per_epoch.entry(epoch).or_default().push(who);
    }
    if let Some((epoch, who)) = per_epoch.iter().find(|(_, v)| v.len() > 1) {
        return Err(format!("epoch {epoch} promoted {who:?}"));
    }
    let report = checker::check(&lab.sim);
    if report.acked_writes != report.surviving_writes + report.lost_writes.len() as u64 {
        return Err("checker accounting does not balance".into());
    }
    let final_master = checker::final_master(&lab.sim).ok_or("no final master")?;
    let fm = lab.sim.redis(final_master).ok_or("final master down")?;
    if !fm.is_master() {
        return Err(format!(
            "final master {} is a replica",
            lab.sim.name(final_master)
        ));
    }
    let (fhost, fport) = (lab.sim.node(final_master).unwrap().host.clone(), 6379);
    for &id in &servers {
        if id == final_master {
            continue;
        }
        let NodeState::Redis(r) = &lab.sim.node(id).unwrap().state else {
            return Err("server down".into());
        };
        let name = lab.sim.name(id);
        let link = r
            .master
            .as_ref()
            .ok_or(format!("{name} is also a master"))?;
        if link.host != fhost || link.port != fport || !link.is_connected() {
            return Err(format!(
                "{name} follows {}:{} ({:?}), not the final master {fhost}",
                link.host, link.port, link.state
            ));
        }
        if r.db != fm.db {
            let only_r: Vec<String> =
                r.db.iter()
                    .filter(|(k, e)| fm.db.get_entry(k) != Some(e))
                    .take(3)
                    .map(|(k, _)| String::from_utf8_lossy(k).to_string())
                    .collect();
            let only_m: Vec<String> = fm
                .db
                .iter()
                .filter(|(k, e)| r.db.get_entry(k) != Some(e))
                .take(3)
                .map(|(k, _)| String::from_utf8_lossy(k).to_string())
                .collect();
            return Err(format!(
                "{name}'s keyspace differs from the final master's ({} vs {} keys; offsets {} vs {}; only on {name}: {only_r:?}; only on master: {only_m:?})",
                r.db.len(),
                fm.db.len(),
                r.ids.master_repl_offset,
                fm.ids.master_repl_offset
            ));
        }
    }
    Ok((report.acked_writes, report.lost_writes.len() as u64))
}

#[test]
fn under_random_faults_sentinel_promotes_once_per_epoch_and_everyone_converges() {
    let seeds = replilab_harness::dsl::property_seeds(CASES);
    let (mut acked, mut lost, mut failures) = (0, 0, Vec::new());
    for &seed in &seeds {
        match run_case(seed) {
            Ok((a, l)) => {
                acked += a;
                lost += l;
            }
            Err(e) => failures.push(format!("seed={seed}: {e}")),
        }
    }
    println!(
        "{} schedules: {acked} acknowledged writes, {lost} lost",
        seeds.len()
    );
    replilab_harness::dsl::assert_no_failures(&failures, seeds.len(), "failed");
}
