//! The replication link under faults: partial and full resynchronization,
//! the backlog window, output-buffer limits (the replication storm),
//! min-replicas, timeouts and WAIT. Each test names what it mirrors.

use replilab_core::net::LinkCfg;
use replilab_core::profile::Profile;
use replilab_core::sim::Fault;
use replilab_harness::dsl::Lab;

fn pair_with(tune: impl Fn(&mut replilab_core::redis::RedisSpec)) -> Lab {
    let mut lab = Lab::master_with_replicas_conf(21, 1, Profile::V7_0, 1, |s| {
        s.conf.repl_diskless_sync_delay = 0;
        tune(s);
    });
    lab.wait_synced();
    lab
}

/// Cuts r1 off for `ms` while the master takes `writes` writes of `size` bytes.
fn disconnect_during_writes(lab: &mut Lab, ms: u64, writes: usize, size: usize) {
    let (m, r1) = (lab.id("m"), lab.id("r1"));
    lab.fault(Fault::Partition {
        groups: vec![vec![m], vec![r1]],
    });
    let value = "x".repeat(size);
    let step = ms / writes.max(1) as u64;
    for i in 0..writes {
        lab.cmd("m", &format!("SET key:{i} {value}"));
        lab.run_ms(step.max(1));
    }
    lab.fault(Fault::Heal);
}

/// Issue + replication-psync.tcl (facts §12.20): writes during a disconnect
/// longer than repl-timeout resume with +CONTINUE when the backlog still
/// covers them.
#[test]
fn a_short_disconnect_resumes_with_a_partial_resync() {
    let mut lab = pair_with(|s| s.conf.repl_timeout = 5);
    disconnect_during_writes(&mut lab, 8_000, 100, 100);
    lab.run_ms(5_000);
    assert_eq!(lab.info_all("m", "sync_partial_ok"), "1");
    assert_eq!(lab.info_all("m", "sync_full"), "1", "only the initial sync");
    assert_eq!(lab.offset("r1"), lab.offset("m"));
    assert_eq!(lab.redis("r1").db, lab.redis("m").db);
    assert_eq!(lab.trace_lines("partial sync for r1").len(), 1);
}

/// Issue + replication-psync.tcl (facts §12.20): when the writes overflow
/// repl-backlog-size the master answers +FULLRESYNC and counts sync_partial_err.
#[test]
fn overflowing_the_backlog_during_a_disconnect_forces_a_full_resync() {
    let mut lab = pair_with(|s| {
        s.conf.repl_timeout = 5;
        s.conf.repl_backlog_size = 16 * 1024;
    });
    disconnect_during_writes(&mut lab, 8_000, 200, 200);
    lab.run_ms(5_000);
    assert_eq!(lab.info_all("m", "sync_partial_err"), "1");
    assert_eq!(lab.info_all("m", "sync_full"), "2");
    assert!(!lab.trace_lines("lack of backlog").is_empty());
    assert_eq!(lab.offset("r1"), lab.offset("m"));
    assert_eq!(lab.redis("r1").db, lab.redis("m").db);
}

/// facts §3: the backlog holds between size and size + one 16 KB block (7.0).
#[test]
fn the_backlog_window_is_reported_in_info() {
    let mut lab = pair_with(|s| s.conf.repl_backlog_size = 16 * 1024);
    for i in 0..500 {
        lab.cmd("m", &format!("SET key:{i} {}", "y".repeat(100)));
    }
    let size: u64 = lab.info("m", "repl_backlog_size").parse().unwrap();
    let histlen: u64 = lab.info("m", "repl_backlog_histlen").parse().unwrap();
    let first: u64 = lab
        .info("m", "repl_backlog_first_byte_offset")
        .parse()
        .unwrap();
    let offset: u64 = lab.info("m", "master_repl_offset").parse().unwrap();
    assert_eq!(size, 16384);
    assert!(
        histlen >= size && histlen < size + 16384,
        "histlen {histlen}"
    );
    assert_eq!(first + histlen - 1, offset);
}

/// Issue + facts §4: a replica whose output buffer overflows during its full
/// sync is dropped, reconnects, fails to resume (no backlog for it) and
/// full-syncs again: the replication storm.
#[test]
fn an_output_buffer_limit_during_full_sync_loops_into_more_full_syncs() {
    let mut lab = Lab::master_with_replicas_conf(23, 1, Profile::V7_0, 1, |s| {
        s.conf.repl_diskless_sync = false;
        s.conf.repl_backlog_size = 16 * 1024;
        s.conf.client_output_buffer_limit_replica.hard_bytes = 64 * 1024;
        s.conf.client_output_buffer_limit_replica.soft_bytes = 0;
        s.rdb_save_bytes_per_ms = 2_000; // a slow disk: the fork takes seconds
    });
    lab.cmd("m", "DEBUG POPULATE 20000 key 100");
    // A steady write load (about 200 KB/s) while the replica tries to sync:
    // each fork takes over a second, so more than 64 KB piles up every time.
    let mut i = 0;
    let mut write_for = |lab: &mut Lab, ms: u64| {
        for _ in 0..ms / 5 {
            lab.cmd("m", &format!("SET w:{} {}", i % 5000, "z".repeat(1000)));
            lab.run_ms(5);
            i += 1;
        }
    };
    write_for(&mut lab, 15_000);
    let full: u64 = lab.info_all("m", "sync_full").parse().unwrap();
    assert!(full >= 3, "expected repeated full syncs, got {full}");
    assert!(lab.trace_lines("overcoming of output buffer limits").len() >= 2);
    // The fix: a limit that holds what accumulates during one sync. The load goes on.
    assert_eq!(
        lab.cmd(
            "m",
            "CONFIG SET client-output-buffer-limit \"replica 64mb 16mb 60\""
        ),
        "OK"
    );
    write_for(&mut lab, 15_000);
    let full_after: u64 = lab.info_all("m", "sync_full").parse().unwrap();
    assert!(
        full_after <= full + 1,
        "the storm stopped: {full} then {full_after} full syncs"
    );
    assert_eq!(lab.info("r1", "master_link_status"), "up");
    lab.run_ms(100);
    assert_eq!(lab.redis("r1").db, lab.redis("m").db);
}

/// Issue + replication-2.tcl (facts §12.17): with min-replicas-to-write 1 and
/// the only replica paused past min-replicas-max-lag, SET is refused with
/// the exact NOREPLICAS text while GET still works.
#[test]
fn min_replicas_refuses_writes_when_the_only_replica_lags() {
    let mut lab = pair_with(|_| {});
    lab.cmd("m", "CONFIG SET min-replicas-to-write 1");
    lab.cmd("m", "CONFIG SET min-replicas-max-lag 2");
    assert_eq!(lab.cmd("m", "SET k v"), "OK");
    assert_eq!(lab.cmd("m", "CONFIG SET min-replicas-to-write 2"), "OK");
    assert_eq!(
        lab.cmd("m", "SET k v"),
        "(error) NOREPLICAS Not enough good replicas to write."
    );
    lab.cmd("m", "CONFIG SET min-replicas-to-write 1");
    lab.pause("r1", 10_000);
    lab.run_ms(5_000);
    assert_eq!(
        lab.cmd("m", "SET k v2"),
        "(error) NOREPLICAS Not enough good replicas to write."
    );
    assert_eq!(lab.cmd("m", "GET k"), "\"v\"");
    assert_eq!(lab.info("m", "min_slaves_good_slaves"), "0");
    lab.run_ms(7_000);
    assert_eq!(
        lab.cmd("m", "SET k v3"),
        "OK",
        "writes resume once the replica acknowledges again"
    );
    lab.run_ms(10);
    // The setting has no effect on a replica.
    lab.cmd("r1", "CONFIG SET min-replicas-to-write 5");
    assert_eq!(lab.cmd("r1", "GET k"), "\"v3\"");
}

/// replication-2.tcl: refusals start only after the lag exceeds max-lag.
#[test]
fn min_replicas_refusals_start_after_max_lag_seconds() {
    let mut lab = pair_with(|_| {});
    lab.cmd("m", "CONFIG SET min-replicas-to-write 1");
    lab.cmd("m", "CONFIG SET min-replicas-max-lag 3");
    lab.pause("r1", 20_000);
    let start = lab.sim.now_ms();
    let mut first_refusal = None;
    for i in 0..100 {
        lab.run_ms(100);
        if lab.cmd("m", &format!("SET k{i} v")).contains("NOREPLICAS") {
            first_refusal = Some(lab.sim.now_ms() - start);
            break;
        }
    }
    let t = first_refusal.expect("writes were never refused");
    assert!((3_000..=5_100).contains(&t), "first refusal after {t} ms");
}

/// replication.tcl (facts §12.15): ROLE on master and replica.
#[test]
fn role_reports_offsets_and_link_state() {
    let mut lab = pair_with(|_| {});
    lab.cmd("m", "SET k v");
    lab.run_ms(1100);
    let role_m = lab.cmd("m", "ROLE");
    assert!(
        role_m.starts_with("1) \"master\"\n2) (integer) "),
        "{role_m}"
    );
    assert!(
        role_m.contains("3) 1) 1) \"10.0.0.2\"\n      2) \"6379\"\n      3) \""),
        "{role_m}"
    );
    let role_r = lab.cmd("r1", "ROLE");
    let off = lab.offset("r1");
    assert_eq!(role_r, format!("1) \"slave\"\n2) \"10.0.0.1\"\n3) (integer) 6379\n4) \"connected\"\n5) (integer) {off}"));
}

/// replication.tcl (facts §12.14): SLAVEOF inside MULTI; role is slave at once,
/// the link is down until the sync completes.
#[test]
fn replicaof_inside_multi_reports_the_link_down_then_syncs() {
    let mut lab = Lab::new(31);
    let spec = replilab_core::redis::RedisSpec::new(Profile::V7_0);
    lab.sim.add_node(
        "m",
        "10.0.0.1",
        6379,
        replilab_core::node::NodeSpec::Redis(spec.clone()),
    );
    lab.sim.add_node(
        "r1",
        "10.0.0.2",
        6379,
        replilab_core::node::NodeSpec::Redis(spec),
    );
    lab.cmd("m", "SET k v");
    lab.cmd("r1", "MULTI");
    lab.cmd("r1", "SLAVEOF 10.0.0.1 6379");
    lab.cmd("r1", "INFO replication");
    let exec = lab.cmd("r1", "EXEC");
    assert!(exec.contains("master_link_status:down"), "{exec}");
    assert!(lab.cmd("r1", "INFO replication").contains("role:slave"));
    lab.run_ms(8_000);
    assert_eq!(lab.info("r1", "master_link_status"), "up");
    assert_eq!(lab.cmd("r1", "GET k"), "\"v\"");
    // A fresh master demoted by REPLICAOF tries its own history first: a failed partial.
    assert_eq!(lab.info_all("m", "sync_partial_err"), "1");
}

/// replication.tcl (facts §12.19): during the diskless delay the replica's
/// ROLE says handshake and the master lists it as wait_bgsave.
#[test]
fn during_the_diskless_delay_the_replica_waits_in_handshake() {
    let mut lab = Lab::master_with_replicas(33, 1, Profile::V7_0, 1);
    lab.run_ms(2_000);
    assert!(lab.cmd("r1", "ROLE").contains("4) \"handshake\""));
    assert!(lab.info("m", "slave0").contains("state=wait_bgsave"));
    lab.run_ms(5_000);
    assert!(lab.cmd("r1", "ROLE").contains("4) \"connected\""));
}

/// replication.tcl (facts §12.19): a master stalled by DEBUG SLEEP longer than
/// the replica's repl-timeout during the handshake: "Timeout connecting to the MASTER".
#[test]
fn a_stalled_master_times_out_the_handshake() {
    let mut lab =
        Lab::master_with_replicas_conf(35, 1, Profile::V7_0, 1, |s| s.conf.repl_timeout = 5);
    lab.pause("m", 10_000);
    lab.run_ms(12_000);
    assert!(!lab
        .trace_lines("Timeout connecting to the MASTER")
        .is_empty());
    lab.run_ms(10_000);
    assert_eq!(
        lab.info("r1", "master_link_status"),
        "up",
        "it retries after the master wakes"
    );
}

/// repl-timeout on a connected link: a master that stops talking is dropped
/// by the replica, and the replica is dropped by the master.
#[test]
fn a_silent_link_is_dropped_after_repl_timeout_on_both_sides() {
    let mut lab = pair_with(|s| s.conf.repl_timeout = 5);
    let (m, r1) = (lab.id("m"), lab.id("r1"));
    lab.fault(Fault::Partition {
        groups: vec![vec![m], vec![r1]],
    });
    lab.run_ms(8_000);
    assert_eq!(lab.info("r1", "master_link_status"), "down");
    assert!(!lab
        .trace_lines("MASTER timeout: no data nor PING received")
        .is_empty());
    assert!(!lab.trace_lines("Disconnecting timedout replica").is_empty());
    assert_eq!(lab.info("m", "connected_slaves"), "0");
}

/// replication.tcl "WAIT should acknowledge 1 additional copy of the data".
#[test]
fn wait_counts_replicas_that_acknowledged_the_clients_writes() {
    let mut lab = pair_with(|_| {});
    lab.cmd("m", "SET k v");
    assert_eq!(lab.cmd("m", "WAIT 1 1000"), "(integer) 1");
    lab.pause("r1", 5_000);
    lab.cmd("m", "SET k v2");
    let before = lab.sim.now_ms();
    assert_eq!(lab.cmd("m", "WAIT 1 2000"), "(integer) 0");
    assert!(lab.sim.now_ms() - before >= 2_000);
    assert_eq!(lab.cmd("r1", "WAIT 1 0"), "(error) ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.");
}

/// WAIT makes the master send REPLCONF GETACK * (37 bytes) into the stream.
#[test]
fn a_blocking_wait_sends_getack_into_the_stream() {
    let mut lab = pair_with(|s| s.conf.repl_ping_replica_period = 1000);
    lab.sim.set_link(
        lab.id("m"),
        lab.id("r1"),
        LinkCfg {
            latency_ms: 200,
            ..LinkCfg::default()
        },
    );
    lab.cmd("m", "SET k v");
    let before = lab.offset("m");
    assert_eq!(lab.cmd("m", "WAIT 1 5000"), "(integer) 1");
    assert_eq!(lab.offset("m") - before, 37);
}

/// A diskless full sync whose fork child finishes in the same millisecond
/// as a serverCron tick: the cron must not reap the child (and drop the
/// payload) before the RDB has gone out, or the replica waits forever
/// (found writing the healthy-failover lesson: seed 1, r2 stuck with 0 keys).
#[test]
fn a_diskless_sync_finishing_on_a_cron_tick_still_delivers_the_rdb() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let src = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .find(|t| t.contains("\nid = \"healthy-failover\""))
        .expect("the healthy-failover lesson");
    let mut s = replilab_core::scenario::parse(&src).unwrap();
    s.duration_s = 10;
    s.steps.clear();
    s.expects.clear();
    let (sim, _) = replilab_core::scenario::run(&s, Some(1)).unwrap();
    let m = sim.lookup("m").unwrap();
    for r in ["r1", "r2", "r3"] {
        let id = sim.lookup(r).unwrap();
        let node = sim.redis(id).unwrap();
        let info = node.info_replication(sim.clock_ms(id));
        assert!(info.contains("master_link_status:up"), "{r}: {info}");
        assert_eq!(node.db, sim.redis(m).unwrap().db, "{r}");
    }
}
