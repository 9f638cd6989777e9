//! Seed 001: split brain from a false failure or a partition, what
//! `min-replicas-to-write` saves and when it does not, and Sentinel's rules.
//! Topology: 1 master, 5 replicas, 3 Sentinels (quorum 2), a LAN (1 ms),
//! a client writing `w:<n>` every 100 ms.

use replilab_core::client::{ClientSpec, Routing};
use replilab_core::net::LinkCfg;
use replilab_core::sim::Fault;
use replilab_harness::dsl::Lab;

const STALL_AT_S: u64 = 30;

/// Seed 001's deployment. `min_replicas`: (to-write, max-lag) on every server.
fn seed_001(seed: u64, min_replicas: Option<(u64, u64)>, parallel_syncs: u32) -> Lab {
    Lab::with_sentinels(
        seed,
        5,
        3,
        2,
        |s| {
            s.conf.repl_diskless_sync_delay = 0;
            if let Some((n, lag)) = min_replicas {
                s.conf.min_replicas_to_write = n;
                s.conf.min_replicas_max_lag = lag;
            }
        },
        |m| {
            m.down_after_ms = 10_000;
            m.failover_timeout_ms = 60_000;
            m.parallel_syncs = parallel_syncs;
        },
    )
}

fn fixed_client() -> ClientSpec {
    ClientSpec {
        routing: Routing::Fixed {
            host: "10.0.0.1".into(),
            port: 6379,
        },
        period_ms: 100,
        ..ClientSpec::default()
    }
}

fn sentinel_client() -> ClientSpec {
    let sentinels = (1..=3).map(|i| (format!("10.0.1.{i}"), 26379)).collect();
    ClientSpec {
        routing: Routing::Sentinel {
            sentinels,
            master: "mymaster".into(),
        },
        period_ms: 100,
        ..ClientSpec::default()
    }
}

fn stall_and_settle(lab: &mut Lab, stall_ms: u64) {
    lab.at_s(STALL_AT_S);
    lab.pause("m", stall_ms);
    lab.run_ms(60_000);
}

fn accounting_balances(r: &replilab_core::checker::Report) {
    assert_eq!(
        r.acked_writes,
        r.surviving_writes + r.lost_writes.len() as u64,
        "acknowledged = surviving + lost"
    );
}

/// Case 1: A 15 s stall with down-after 10 s and no min-replicas: Sentinel fails
/// over, the old master wakes and takes writes until it is converted, and
/// its full resync erases them.
#[test]
fn a_false_failure_without_min_replicas_loses_acknowledged_writes() {
    let mut lab = seed_001(1, None, 1);
    lab.add_client("app", fixed_client());
    stall_and_settle(&mut lab, 15_000);
    let events = lab.sentinel_events().join("\n");
    assert!(
        events.contains("+switch-master mymaster 10.0.0.1 6379"),
        "{events}"
    );
    assert!(
        events.contains("+convert-to-slave slave 10.0.0.1:6379"),
        "{events}"
    );
    let r = lab.check();
    accounting_balances(&r);
    assert!(!r.lost_writes.is_empty(), "expected lost writes");
    let wake_ms = (STALL_AT_S + 15) * 1000;
    for l in &r.lost_writes {
        assert_eq!(l.acked_by, "m");
        assert!(
            l.acked_ms >= wake_ms,
            "lost writes were acknowledged after the old master woke: {l:?}"
        );
        assert!(
            l.erased_by
                .starts_with("m flushed its data to load a full sync"),
            "{l:?}"
        );
    }
}

/// Case 2: The same with min-replicas-to-write 1 and max-lag 12: the waking
/// master has no good replica, refuses with NOREPLICAS, and nothing is lost.
/// (parallel-syncs 5: every replica has left the old master before it wakes.)
#[test]
fn min_replicas_makes_the_old_master_refuse_and_nothing_is_lost() {
    let mut lab = seed_001(2, Some((1, 12)), 5);
    lab.add_client("app", fixed_client());
    stall_and_settle(&mut lab, 15_000);
    let r = lab.check();
    accounting_balances(&r);
    assert!(r.lost_writes.is_empty(), "{:?}", r.lost_writes.first());
    let refusals = lab.trace_lines("NOREPLICAS Not enough good replicas to write.");
    assert!(!refusals.is_empty(), "the old master must refuse writes");
}

/// 2b. The wake-up race: with parallel-syncs 1 one replica is still attached
/// when the master wakes. Its ACKs, queued during the stall, are read first
/// and count as fresh, and the good-replica count is only refreshed once a
/// second (`refreshGoodSlavesCount`), so writes read at the instant of
/// waking can still be accepted, and are later lost.
#[test]
fn min_replicas_can_let_writes_through_at_the_instant_the_master_wakes() {
    let mut lab = seed_001(2, Some((1, 12)), 1);
    lab.add_client("app", fixed_client());
    stall_and_settle(&mut lab, 15_000);
    let r = lab.check();
    accounting_balances(&r);
    let wake_ms = (STALL_AT_S + 15) * 1000;
    assert!(!r.lost_writes.is_empty());
    for l in &r.lost_writes {
        assert!(
            l.acked_ms >= wake_ms && l.acked_ms < wake_ms + 1_000,
            "only around the wake-up: {l:?}"
        );
    }
    assert!(
        !lab.trace_lines("NOREPLICAS Not enough good replicas to write.")
            .is_empty(),
        "then it refuses"
    );
}

/// Case 3: Seed 001's question: a 12 s stall with min-replicas-max-lag 15,
/// down-after 10 s, a 5 s failover. The master wakes before its replicas'
/// lag reaches 15 s, so min-replicas does not stop it, and writes are lost.
#[test]
fn min_replicas_with_max_lag_longer_than_the_stall_does_not_save_writes() {
    let mut lab = seed_001(3, Some((1, 15)), 1);
    lab.add_client("app", fixed_client());
    stall_and_settle(&mut lab, 12_000);
    let events = lab.sentinel_events().join("\n");
    assert!(
        events.contains("+switch-master"),
        "the failover still happens:\n{events}"
    );
    let r = lab.check();
    accounting_balances(&r);
    assert!(
        !r.lost_writes.is_empty(),
        "writes are lost even with min-replicas on"
    );
    // Why: when the master woke (t = 42 s) its replicas had been silent only
    // 12 s < min-replicas-max-lag 15 s, so they still counted as good.
    let first = &r.lost_writes[0];
    assert!(
        first.acked_ms >= 42_000 && first.acked_ms < 42_000 + 15_000,
        "{first:?}"
    );
}

/// Case 4: A partition: master + client on one side, Sentinels + replicas on the
/// other. Two masters take writes; after healing, the old master's are lost.
#[test]
fn a_partition_makes_two_masters_and_loses_the_minority_writes() {
    let mut lab = seed_001(4, None, 1);
    lab.add_client("app", fixed_client());
    lab.at_s(STALL_AT_S);
    let minority = vec![lab.id("m"), lab.id("app")];
    let majority: Vec<_> = ["r1", "r2", "r3", "r4", "r5", "s1", "s2", "s3"]
        .iter()
        .map(|n| lab.id(n))
        .collect();
    lab.fault(Fault::Partition {
        groups: vec![minority, majority],
    });
    lab.run_ms(30_000);
    let masters = ["m", "r1", "r2", "r3", "r4", "r5"]
        .iter()
        .filter(|n| lab.info(n, "role") == "master")
        .count();
    assert_eq!(masters, 2, "split brain: two masters");
    lab.fault(Fault::Heal);
    lab.run_ms(40_000);
    let r = lab.check();
    accounting_balances(&r);
    assert!(!r.lost_writes.is_empty());
    assert!(r.lost_writes.iter().all(|l| l.acked_by == "m"));
}

/// Case 5: A majority of Sentinels unreachable: with quorum 2 there is no ODOWN;
/// with quorum 1 there is ODOWN but no leader can be elected.
#[test]
fn without_a_majority_of_sentinels_no_failover_happens() {
    for quorum in [2, 1] {
        let mut lab = Lab::with_sentinels(
            5,
            5,
            3,
            quorum,
            |s| s.conf.repl_diskless_sync_delay = 0,
            |m| {
                m.down_after_ms = 10_000;
                m.failover_timeout_ms = 60_000;
            },
        );
        lab.at_s(20);
        let (s2, s3) = (lab.id("s2"), lab.id("s3"));
        lab.fault(Fault::Crash { node: s2 })
            .fault(Fault::Crash { node: s3 });
        lab.pause("m", 30_000);
        lab.run_ms(40_000);
        let events = lab.sentinel_events().join("\n");
        assert!(events.contains("s1 +sdown master mymaster"), "{events}");
        assert!(
            !events.contains("+switch-master"),
            "quorum {quorum}: no failover\n{events}"
        );
        if quorum == 2 {
            assert!(
                !events.contains("+odown"),
                "one Sentinel cannot reach quorum 2"
            );
        } else {
            assert!(events.contains("+odown master mymaster 10.0.0.1 6379 #quorum 1/1"));
            assert!(
                events.contains("-failover-abort-not-elected"),
                "a leader needs 2 of 3 votes:\n{events}"
            );
        }
    }
}

/// Case 6: A replica with replica-priority 0 is never promoted, even when it has
/// the highest offset.
#[test]
fn a_priority_zero_replica_is_never_promoted() {
    let mut lab = seed_001(6, None, 1);
    lab.add_client("app", fixed_client());
    lab.at_s(5);
    lab.cmd("r1", "CONFIG SET replica-priority 0");
    // r1 is the closest replica: it always has the highest offset.
    let m = lab.id("m");
    for r in ["r2", "r3", "r4", "r5"] {
        let id = lab.id(r);
        lab.sim.set_link(
            m,
            id,
            LinkCfg {
                latency_ms: 150,
                ..LinkCfg::default()
            },
        );
    }
    stall_and_settle(&mut lab, 15_000);
    let events = lab.sentinel_events().join("\n");
    let selected = events
        .lines()
        .find(|l| l.contains("+selected-slave"))
        .expect("a replica was selected");
    assert!(!selected.contains("10.0.0.2:6379"), "{selected}");
    assert_eq!(lab.info("r1", "role"), "slave");
}

/// Case 7: After the failover the remaining replicas resync partially through
/// replid2; the demoted old master needs a full resync.
#[test]
fn after_failover_replicas_resync_partially_and_the_old_master_fully() {
    let mut lab = seed_001(7, None, 1);
    lab.add_client("app", fixed_client());
    stall_and_settle(&mut lab, 15_000);
    let new_master = lab.check().final_master.expect("a final master");
    let syncs = lab.trace_lines(&format!("{new_master} partial sync for"));
    assert_eq!(
        syncs.len(),
        4,
        "four replicas continue partially: {syncs:?}"
    );
    let full = lab.trace_lines(&format!("{new_master} full sync for m"));
    assert_eq!(full.len(), 1, "the old master resyncs fully: {full:?}");
}

/// Case 8: A Sentinel-aware client in case 1 loses nothing acknowledged and is
/// unavailable only while the master is stalled and the failover runs.
/// (parallel-syncs 5: the failover completes before the old master wakes.)
#[test]
fn a_sentinel_aware_client_loses_nothing_and_waits_only_for_the_failover() {
    let mut lab = seed_001(8, None, 5);
    lab.add_client("app", sentinel_client());
    stall_and_settle(&mut lab, 15_000);
    let r = lab.check();
    accounting_balances(&r);
    assert!(r.lost_writes.is_empty(), "{:?}", r.lost_writes.first());
    let longest = r.longest_unavailable_ms();
    println!(
        "sentinel-aware client: longest write-unavailability window {longest} ms; windows {:?}",
        r.unavailable
    );
    assert!(
        (10_000..15_000).contains(&longest),
        "unavailable {longest} ms"
    );
    assert!(r.acked_writes > 700);
}

/// 8b. With parallel-syncs 1 the failover ends after the old master wakes:
/// even a Sentinel-aware client writes to it in that gap, and those writes are lost.
#[test]
fn a_sentinel_aware_client_can_lose_the_writes_of_the_gap_before_switch_master() {
    let mut lab = seed_001(8, None, 1);
    lab.add_client("app", sentinel_client());
    stall_and_settle(&mut lab, 15_000);
    let r = lab.check();
    accounting_balances(&r);
    let switch_ms = lab
        .sentinel_events()
        .iter()
        .find(|l| l.contains("+switch-master"))
        .map(|l| (l.split(' ').next().unwrap().parse::<f64>().unwrap() * 1000.0) as u64)
        .unwrap();
    for l in &r.lost_writes {
        assert!(
            l.acked_ms >= 45_000 && l.acked_ms <= switch_ms + 200,
            "lost only in the gap: {l:?}"
        );
    }
}
