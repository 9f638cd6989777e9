//! Property: whatever the faults, once they heal and a quiet period passes,
//! every replica's keyspace and offset equal its master's.
//!
//! 1,000 seeded random schedules. A failure prints its seed; replay one with
//! `SIM_SEED=<seed> cargo test -p replilab-harness --test convergence_property`.

use replilab_core::action::LinkChange;
use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::node::NodeSpec;
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::rng::Rng;
use replilab_core::sim::{Fault, Sim, SimConfig};

const CASES: u64 = 1000;
const FAULT_WINDOW_MS: u64 = 40_000;
const QUIET_MS: u64 = 150_000;

fn build(seed: u64, rng: &mut Rng) -> (Sim, Vec<NodeId>) {
    let mut sim = Sim::new(SimConfig {
        seed,
        ..SimConfig::default()
    });
    let mut spec = RedisSpec::new(Profile::V7_0);
    spec.conf.repl_diskless_sync = rng.below(2) == 0;
    spec.conf.repl_diskless_sync_delay = rng.below(3);
    spec.conf.repl_timeout = 10 + rng.below(50);
    if rng.below(3) == 0 {
        spec.conf.repl_backlog_size = 16 * 1024; // small: some reconnects need full syncs
    }
    let mut ids = vec![sim.add_node("m", "10.0.0.1", 6379, NodeSpec::Redis(spec.clone()))];
    let replicas = 1 + rng.below(3) as usize;
    for i in 1..=replicas {
        let mut r = spec.clone();
        // Sometimes a chain: replica of the previous replica.
        let upstream = if i > 1 && rng.below(3) == 0 { i } else { 1 };
        r.replicaof = Some((format!("10.0.0.{upstream}"), 6379));
        ids.push(sim.add_node(
            &format!("r{i}"),
            &format!("10.0.0.{}", i + 1),
            6379,
            NodeSpec::Redis(r),
        ));
    }
    for (a, &x) in ids.iter().enumerate() {
        for &y in &ids[a + 1..] {
            let cfg = LinkCfg {
                latency_ms: 1 + rng.below(40),
                jitter_ms: rng.below(10),
                bandwidth_bytes_per_ms: 10_000 + rng.below(200_000),
            };
            sim.set_link(x, y, cfg);
        }
    }
    (sim, ids)
}

fn random_fault(rng: &mut Rng, ids: &[NodeId]) -> Fault {
    let pick = |rng: &mut Rng| ids[rng.below(ids.len() as u64) as usize];
    match rng.below(9) {
        0 | 1 => Fault::Pause {
            node: pick(rng),
            ms: 100 + rng.below(15_000),
        },
        2 => {
            let a = pick(rng);
            let rest: Vec<NodeId> = ids.iter().copied().filter(|&n| n != a).collect();
            Fault::Partition {
                groups: vec![vec![a], rest],
            }
        }
        3 => Fault::Cut {
            from: pick(rng),
            to: pick(rng),
        },
        4 => Fault::Heal,
        // Replicas crash and restart; the master too, rarely.
        5 => Fault::Crash {
            node: if rng.below(5) == 0 { ids[0] } else { pick(rng) },
        },
        6 => Fault::Restart { node: pick(rng) },
        7 => Fault::Skew {
            node: pick(rng),
            skew_ms: rng.below(4_000) as i64 - 2_000,
        },
        _ => {
            let (a, b) = (pick(rng), pick(rng));
            Fault::Link {
                a,
                b,
                change: LinkChange {
                    latency_ms: Some(1 + rng.below(200)),
                    jitter_ms: Some(rng.below(30)),
                    bandwidth_bytes_per_ms: Some(LinkCfg::default().bandwidth_bytes_per_ms),
                },
            }
        }
    }
}

fn random_write(rng: &mut Rng) -> String {
    let k = rng.below(40);
    match rng.below(7) {
        0 => format!("SET k{k} {} EX {}", rng.below(1000), 1 + rng.below(60)),
        1 => format!("INCR c{}", rng.below(5)),
        2 => format!("DEL k{k}"),
        3 => format!("EXPIRE k{k} {}", 1 + rng.below(30)),
        4 => format!(
            "SET big{} {}",
            rng.below(3),
            "x".repeat(rng.below(4000) as usize)
        ),
        _ => format!("SET k{k} v{}", rng.below(100_000)),
    }
}

/// What the schedules exercised, summed over all cases.
#[derive(Default)]
struct Tally {
    faults: u64,
    writes: u64,
    sync_full: u64,
    sync_partial_ok: u64,
    sync_partial_err: u64,
}

/// Runs one schedule; Err describes the divergence.
fn run_case(seed: u64, tally: &mut Tally) -> Result<(), String> {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let (mut sim, ids) = build(seed, &mut rng);
    let mut t = 0;
    while t < FAULT_WINDOW_MS {
        t += 50 + rng.below(700);
        sim.run_until(t).map_err(|e| e.to_string())?;
        if rng.below(4) == 0 {
            let f = random_fault(&mut rng, &ids);
            sim.apply(f);
            tally.faults += 1;
        } else {
            let line = random_write(&mut rng);
            let _ = sim.console(ids[0], &line);
            tally.writes += 1;
        }
    }
    // Heal everything: cuts, clocks, crashed processes; then a quiet period.
    sim.apply(Fault::Heal);
    for &id in &ids {
        sim.apply(Fault::Skew {
            node: id,
            skew_ms: 0,
        });
        sim.apply(Fault::Restart { node: id });
    }
    sim.run_for(QUIET_MS).map_err(|e| e.to_string())?;
    // Judge at the first instant with nothing in flight (a stream PING leaves every 10 s).
    let mut verdict = converged(&sim, &ids);
    for _ in 0..300 {
        if verdict.is_ok() {
            break;
        }
        sim.run_for(10).map_err(|e| e.to_string())?;
        verdict = converged(&sim, &ids);
    }
    for &id in &ids {
        if let Some(r) = sim.redis(id) {
            tally.sync_full += r.stats.sync_full;
            tally.sync_partial_ok += r.stats.sync_partial_ok;
            tally.sync_partial_err += r.stats.sync_partial_err;
        }
    }
    if std::env::var("SIM_TRACE").is_ok() {
        let names = |id| sim.name(id);
        for e in sim.trace() {
            let l = e.line(&names);
            if l.contains(" log ")
                || l.contains(" fault ")
                || l.contains(" sync ")
                || l.contains(" role ")
            {
                println!("{l}");
            }
        }
    }
    verdict
}

fn converged(sim: &Sim, ids: &[NodeId]) -> Result<(), String> {
    let master = sim.redis(ids[0]).ok_or("master is down after the heal")?;
    for &id in &ids[1..] {
        let r = sim.redis(id).ok_or("replica is down after the heal")?;
        let name = sim.name(id);
        let link = r
            .master
            .as_ref()
            .map(|m| format!("{:?}", m.state))
            .unwrap_or_default();
        if r.ids.master_repl_offset != master.ids.master_repl_offset {
            return Err(format!(
                "{name}: offset {} != master {} (link {link})",
                r.ids.master_repl_offset, master.ids.master_repl_offset
            ));
        }
        if r.db != master.db {
            return Err(format!(
                "{name}: keyspace differs ({} keys vs {}; link {link})",
                r.db.len(),
                master.db.len()
            ));
        }
        if r.ids.replid != master.ids.replid {
            return Err(format!("{name}: replid differs"));
        }
    }
    Ok(())
}

#[test]
fn after_faults_heal_every_replica_converges_to_its_master() {
    let seeds = replilab_harness::dsl::property_seeds(CASES);
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    for &seed in &seeds {
        if let Err(e) = run_case(seed, &mut tally) {
            failures.push(format!("seed={seed}: {e}"));
        }
    }
    println!(
        "{} schedules: {} faults, {} writes; resyncs seen by the last processes: {} full, {} partial ok, {} partial err",
        seeds.len(),
        tally.faults,
        tally.writes,
        tally.sync_full,
        tally.sync_partial_ok,
        tally.sync_partial_err
    );
    replilab_harness::dsl::assert_no_failures(&failures, seeds.len(), "diverged");
}
