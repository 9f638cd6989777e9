//! Promotion, demotion and chains: replid/replid2 and PSYNC2.

use replilab_core::profile::Profile;
use replilab_core::sim::Fault;
use replilab_harness::dsl::Lab;

fn three(profile: Profile) -> Lab {
    let mut lab =
        Lab::master_with_replicas_conf(41, 2, profile, 1, |s| s.conf.repl_diskless_sync_delay = 0);
    lab.wait_synced();
    for i in 0..20 {
        lab.cmd("m", &format!("SET k{i} v{i}"));
    }
    lab.run_ms(100);
    lab
}

/// facts §1 "Promotion": REPLICAOF NO ONE shifts replid into replid2 with
/// second_repl_offset = offset + 1, and disconnects sub-replicas.
#[test]
fn promotion_shifts_the_replication_id_into_replid2() {
    let mut lab = three(Profile::V7_0);
    let old_id = lab.info("r1", "master_replid");
    let offset: u64 = lab.info("r1", "master_repl_offset").parse().unwrap();
    assert_eq!(lab.cmd("r1", "REPLICAOF NO ONE"), "OK");
    assert_eq!(lab.info("r1", "role"), "master");
    assert_eq!(lab.info("r1", "master_replid2"), old_id);
    assert_eq!(
        lab.info("r1", "second_repl_offset"),
        (offset + 1).to_string()
    );
    assert_ne!(lab.info("r1", "master_replid"), old_id);
}

/// Issue + psync2.tcl (facts §12.23): after a promotion the other replica and
/// the old master follow the new master with partial resyncs through replid2;
/// the new master counts no full sync.
#[test]
fn after_a_promotion_everyone_resumes_partially_through_replid2() {
    let mut lab = three(Profile::V7_0);
    lab.cmd("r1", "REPLICAOF NO ONE");
    lab.cmd("r2", "REPLICAOF 10.0.0.2 6379");
    lab.cmd("m", "REPLICAOF 10.0.0.2 6379");
    lab.run_ms(3_000);
    assert_eq!(lab.info_all("r1", "sync_full"), "0");
    assert_eq!(lab.info_all("r1", "sync_partial_ok"), "2");
    for n in ["m", "r2"] {
        assert_eq!(lab.info(n, "master_link_status"), "up", "{n}");
        assert_eq!(
            lab.info(n, "master_replid"),
            lab.info("r1", "master_replid"),
            "{n} adopted the new id"
        );
    }
    lab.cmd("r1", "SET after promotion");
    lab.run_ms(50);
    assert_eq!(lab.cmd("m", "GET after"), "\"promotion\"");
    assert_eq!(lab.offset("m"), lab.offset("r1"));
}

/// A demoted master that took writes after the promotion point cannot resume:
/// "Requested offset for second ID was X, but I can reply up to Y" → full sync.
#[test]
fn a_demoted_master_with_extra_writes_needs_a_full_resync() {
    let mut lab = three(Profile::V7_0);
    let (m, r1) = (lab.id("m"), lab.id("r1"));
    lab.fault(Fault::Partition {
        groups: vec![vec![m], vec![r1, lab.id("r2")]],
    });
    lab.cmd("r1", "REPLICAOF NO ONE");
    lab.cmd("m", "SET lost write");
    lab.fault(Fault::Heal);
    lab.cmd("m", "REPLICAOF 10.0.0.2 6379");
    lab.run_ms(3_000);
    assert!(!lab
        .trace_lines("Requested offset for second ID was")
        .is_empty());
    assert_eq!(lab.info_all("r1", "sync_full"), "1");
    assert_eq!(lab.cmd("m", "GET lost"), "(nil)", "the full sync erased it");
}

/// Under 3.0 (no PSYNC2) the same promotion makes everyone full-sync.
#[test]
fn without_psync2_a_promotion_costs_full_resyncs() {
    let mut lab = three(Profile::V3_0);
    lab.cmd("r1", "SLAVEOF NO ONE");
    lab.cmd("r2", "SLAVEOF 10.0.0.2 6379");
    lab.run_ms(3_000);
    assert_eq!(lab.info_all("r1", "sync_full"), "1");
    assert_eq!(lab.info("r2", "master_link_status"), "up");
    assert_eq!(lab.redis("r2").db, lab.redis("r1").db);
}

/// Chained replication: m → r1 → r2. r2 sees the identical stream and offsets.
#[test]
fn a_replica_of_a_replica_sees_the_identical_stream() {
    let mut lab = Lab::master_with_replicas_conf(43, 1, Profile::V7_0, 1, |s| {
        s.conf.repl_diskless_sync_delay = 0
    });
    let mut spec = replilab_core::redis::RedisSpec::new(Profile::V7_0);
    spec.conf.repl_diskless_sync_delay = 0;
    spec.replicaof = Some(("10.0.0.2".into(), 6379));
    lab.sim.add_node(
        "r2",
        "10.0.0.3",
        6379,
        replilab_core::node::NodeSpec::Redis(spec),
    );
    lab.run_ms(5_000);
    for i in 0..30 {
        lab.cmd("m", &format!("SET k{i} {i}"));
    }
    lab.run_ms(100);
    assert_eq!(lab.info("r2", "master_host"), "10.0.0.2");
    assert_eq!(lab.info("r2", "master_link_status"), "up");
    assert_eq!(lab.offset("r2"), lab.offset("m"));
    assert_eq!(
        lab.info("r2", "master_replid"),
        lab.info("m", "master_replid")
    );
    assert_eq!(lab.redis("r2").db, lab.redis("m").db);
    assert_eq!(
        lab.info("m", "connected_slaves"),
        "1",
        "the master feeds only r1"
    );
}

/// psync2.tcl (facts §12.22): the master role moves around five nodes many
/// times; with PSYNC2 only the initial syncs are full, and offsets agree.
#[test]
fn moving_the_master_role_around_needs_no_further_full_syncs() {
    let mut lab = Lab::master_with_replicas_conf(45, 4, Profile::V7_0, 1, |s| {
        s.conf.repl_diskless_sync_delay = 0;
        s.conf.repl_ping_replica_period = 1000;
    });
    lab.wait_synced();
    let names = ["m", "r1", "r2", "r3", "r4"];
    let hosts = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"];
    let mut master = 0;
    for round in 0..12 {
        for i in 0..10 {
            lab.cmd(names[master], &format!("SET r{round}:{i} x"));
        }
        lab.run_ms(200);
        let next = (master + 1 + round % 3) % 5;
        lab.cmd(names[next], "REPLICAOF NO ONE");
        for (j, n) in names.iter().enumerate() {
            if j != next {
                lab.cmd(n, &format!("REPLICAOF {} 6379", hosts[next]));
            }
        }
        lab.run_ms(2_000);
        master = next;
    }
    let total_full: u64 = names
        .iter()
        .map(|n| lab.info_all(n, "sync_full").parse::<u64>().unwrap())
        .sum();
    assert_eq!(total_full, 4, "only the four initial syncs");
    let off = lab.offset(names[master]);
    for n in names {
        assert_eq!(lab.offset(n), off, "{n}");
        assert_eq!(lab.redis(n).db, lab.redis(names[master]).db, "{n}");
    }
}

/// A crashed and restarted replica (no persistence) comes back empty with a
/// new run id and full-syncs.
#[test]
fn a_restarted_replica_has_a_new_run_id_and_full_syncs() {
    let mut lab = three(Profile::V7_0);
    let run_id = lab.redis("r1").run_id.clone();
    let r1 = lab.id("r1");
    lab.fault(Fault::Crash { node: r1 });
    assert!(lab
        .cmd("r1", "PING")
        .starts_with("Could not connect to Redis at 10.0.0.2:6379: Connection refused"));
    lab.fault(Fault::Restart { node: r1 });
    assert_eq!(lab.cmd("r1", "DBSIZE"), "(integer) 0");
    lab.run_ms(3_000);
    assert_ne!(lab.redis("r1").run_id, run_id);
    assert_eq!(lab.info_all("m", "sync_full"), "3");
    assert_eq!(lab.redis("r1").db, lab.redis("m").db);
}
