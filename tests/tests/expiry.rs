//! Expiry through the whole simulation: lazy and active expiry on the
//! master, DELs in the stream, replicas hiding logically expired keys, and
//! TTL propagation by version profile. Each test names the Redis test (from
//! redis 7.2 `tests/`) or facts-sheet item it mirrors.

use replilab_core::profile::Profile;
use replilab_harness::dsl::Lab;

/// Master and one replica, 1 ms apart, replica online and streaming.
fn pair(profile: Profile) -> Lab {
    let mut lab =
        Lab::master_with_replicas_conf(11, 1, profile, 1, |s| s.conf.repl_diskless_sync_delay = 0);
    lab.wait_synced();
    lab
}

/// expire.tcl "Redis should lazy expire keys" (facts §12.1).
#[test]
fn lazy_expiry_keeps_keys_until_they_are_accessed() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    for k in ["key1", "key2", "key3"] {
        lab.cmd("m", &format!("PSETEX {k} 500 a"));
    }
    let size0 = lab.cmd("m", "DBSIZE");
    lab.run_ms(1000);
    let size1 = lab.cmd("m", "DBSIZE");
    lab.cmd("m", "MGET key1 key2 key3");
    let size2 = lab.cmd("m", "DBSIZE");
    assert_eq!(
        [size0, size1, size2],
        ["(integer) 3", "(integer) 3", "(integer) 0"]
    );
}

/// expire.tcl "Redis should actively expire keys incrementally" (facts §12.2).
#[test]
fn active_expiry_removes_keys_nobody_touches_within_two_seconds() {
    let mut lab = pair(Profile::V7_0);
    for k in ["key1", "key2", "key3"] {
        lab.cmd("m", &format!("PSETEX {k} 500 a"));
    }
    lab.run_ms(2000);
    assert_eq!(lab.cmd("m", "DBSIZE"), "(integer) 0");
    // The replica deleted them only because the master's DELs arrived.
    assert_eq!(lab.cmd("r1", "DBSIZE"), "(integer) 0");
    assert_eq!(lab.trace_lines("r1 apply DEL").len(), 3);
}

/// expire.tcl "EXPIRE should not resurrect keys (issue #1026)" (facts §12.3).
#[test]
fn expire_does_not_resurrect_an_expired_key() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    lab.cmd("m", "SET foo bar");
    lab.cmd("m", "PEXPIRE foo 500");
    lab.run_ms(1000);
    lab.cmd("m", "EXPIRE foo 10");
    assert_eq!(lab.cmd("m", "EXISTS foo"), "(integer) 0");
}

/// expire.tcl "All TTL in commands are propagated as absolute timestamp in
/// replication stream" (facts §12.4).
#[test]
fn every_ttl_is_propagated_as_an_absolute_time_in_7_0() {
    let mut lab = pair(Profile::V7_0);
    for line in [
        "SET a 1 EX 100",
        "SET b 1 PX 100000",
        "SETEX c 100 1",
        "PSETEX d 100000 1",
        "SET e 1",
        "EXPIRE e 100",
        "SET f 1",
        "PEXPIRE f 100000",
    ] {
        lab.cmd("m", line);
    }
    lab.cmd("m", "EXPIREAT e 1"); // in the past: deletes, propagated as DEL
    lab.run_ms(50);
    let applied: Vec<String> = lab
        .trace_lines("r1 apply")
        .into_iter()
        .map(|l| l.split(" apply ").nth(1).unwrap().to_string())
        .collect();
    let shapes: Vec<&str> = applied
        .iter()
        .map(|a| a.split(" (").next().unwrap())
        .collect();
    for (i, key) in ["a", "b", "c", "d"].iter().enumerate() {
        assert!(
            shapes
                .iter()
                .any(|s| s.starts_with(&format!("SET \"{key}\" \"1\" \"PXAT\""))),
            "{key}: {shapes:?} ({i})"
        );
    }
    assert!(shapes.iter().any(|s| s.starts_with("PEXPIREAT \"e\"")));
    assert!(shapes.iter().any(|s| s.starts_with("PEXPIREAT \"f\"")));
    assert!(shapes.contains(&"DEL \"e\""), "{shapes:?}");
}

/// expire.tcl "GETEX propagate as to replica as PERSIST, DEL, or nothing" (facts §12.5).
#[test]
fn getex_propagates_as_persist_del_or_nothing() {
    let mut lab = pair(Profile::V7_0);
    let before = lab.trace_lines("r1 apply").len();
    lab.cmd("m", "SET foo bar EX 100");
    lab.cmd("m", "GETEX foo PERSIST");
    lab.cmd("m", "GETEX foo");
    lab.cmd("m", "GETEX foo EXAT 1");
    lab.run_ms(50);
    let applied: Vec<String> = lab.trace_lines("r1 apply")[before..]
        .iter()
        .map(|l| {
            l.split(" apply ")
                .nth(1)
                .unwrap()
                .split(" (")
                .next()
                .unwrap()
                .to_string()
        })
        .filter(|c| !c.starts_with("SELECT"))
        .collect();
    assert_eq!(applied.len(), 3, "{applied:?}");
    assert!(applied[0].starts_with("SET \"foo\" \"bar\" \"PXAT\""));
    assert_eq!(applied[1], "PERSIST \"foo\"");
    assert_eq!(applied[2], "DEL \"foo\"");
}

/// expire.tcl "Redis should not propagate the read command on lazy expire" (facts §12.6).
#[test]
fn a_read_that_lazily_expires_a_key_propagates_only_del() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    lab.cmd("m", "SET foo bar PX 1");
    lab.run_ms(20);
    let before = lab.trace_lines("m feed").len();
    assert_eq!(lab.cmd("m", "GET foo"), "(nil)");
    let fed = &lab.trace_lines("m feed")[before..];
    assert_eq!(fed.len(), 1, "{fed:?}");
    assert!(fed[0].contains("feed DEL \"foo\""));
}

/// expire.tcl "For all replicated TTL-related commands, absolute expire times
/// are identical on primary and replica" (facts §12.7).
#[test]
fn absolute_expire_times_are_identical_on_master_and_replica() {
    let mut lab = pair(Profile::V7_0);
    for line in [
        "SET a 1 EX 100",
        "SETEX b 100 1",
        "SET c 1",
        "EXPIRE c 100",
        "SET d 1",
        "PEXPIREAT d 1900000000000",
        "SET e 1 PX 100000",
        "SET f 1",
        "GETEX f EX 100",
    ] {
        lab.cmd("m", line);
        lab.run_ms(3);
    }
    lab.run_ms(50);
    for k in ["a", "b", "c", "d", "e", "f"] {
        assert_eq!(
            lab.cmd("m", &format!("PEXPIRETIME {k}")),
            lab.cmd("r1", &format!("PEXPIRETIME {k}")),
            "key {k}"
        );
    }
}

/// replication-3.tcl / replication-4.tcl: a replica answers a logically
/// expired key as missing, but DBSIZE still counts it (facts §12.9).
#[test]
fn replica_hides_a_logically_expired_key_but_dbsize_counts_it() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    lab.cmd("m", "SET key1 a PX 10");
    lab.cmd("m", "SET key2 b PX 10");
    lab.run_ms(100);
    assert_eq!(lab.cmd("r1", "DBSIZE"), "(integer) 2");
    assert_eq!(lab.cmd("r1", "EXISTS key1 key2"), "(integer) 0");
    assert_eq!(lab.cmd("r1", "GET key1"), "(nil)");
    assert_eq!(lab.cmd("r1", "TTL key1"), "(integer) -2");
    assert_eq!(
        lab.cmd("r1", "DBSIZE"),
        "(integer) 2",
        "reads on a replica never delete"
    );
    // Made writable, a write deletes the expired key locally and starts afresh.
    lab.cmd("r1", "CONFIG SET replica-read-only no");
    assert_eq!(lab.cmd("r1", "INCR key1"), "(integer) 1");
    assert_eq!(lab.cmd("r1", "TTL key1"), "(integer) -1");
}

/// The same key on a 3.0 replica: before 3.2 replicas returned the stale value.
#[test]
fn a_3_0_replica_returns_the_expired_value() {
    let mut lab = pair(Profile::V3_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    lab.cmd("m", "SET key1 a PX 10");
    lab.run_ms(100);
    assert_eq!(lab.cmd("r1", "GET key1"), "\"a\"");
    assert_eq!(lab.cmd("m", "GET key1"), "(nil)");
    lab.run_ms(50);
    assert_eq!(
        lab.cmd("r1", "GET key1"),
        "(nil)",
        "the master's DEL arrived"
    );
}

/// expire.tcl "expired key which is created in writeable replicas should be
/// deleted by active expiry" (facts §12.11).
#[test]
fn a_writable_replica_expires_the_keys_its_own_clients_set() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("r1", "CONFIG SET replica-read-only no");
    for k in ["k1", "k2", "k3"] {
        lab.cmd("r1", &format!("SET {k} v EX 5"));
    }
    lab.run_ms(6000);
    assert_eq!(lab.cmd("r1", "DBSIZE"), "(integer) 0");
}

/// replication-4.tcl: a write from the master to a key that is already
/// logically expired on the replica does not delete it there (facts §12.12).
#[test]
fn the_masters_stream_never_sees_keys_as_expired() {
    let mut lab = pair(Profile::V7_0);
    lab.cmd("m", "DEBUG SET-ACTIVE-EXPIRE 0");
    lab.cmd("m", "SET k 1 PX 50");
    lab.run_ms(10);
    // Skew the replica's clock forward: for it, k is already expired.
    let r1 = lab.id("r1");
    lab.fault(replilab_core::sim::Fault::Skew {
        node: r1,
        skew_ms: 10_000,
    });
    assert_eq!(lab.cmd("r1", "EXISTS k"), "(integer) 0");
    lab.cmd("m", "INCR k");
    lab.run_ms(10);
    assert_eq!(
        lab.cmd("r1", "DBSIZE"),
        "(integer) 1",
        "applied, not deleted"
    );
    assert_eq!(lab.cmd("r1", "EXISTS k"), "(integer) 0");
}

/// Issue: under 7.0 a paused replica that applies `EXPIRE k 5` three seconds
/// late keeps the master's deadline; under 3.2–6.2 its TTL is stretched.
#[test]
fn a_late_expire_keeps_the_masters_deadline_in_7_0_but_is_stretched_before() {
    for (profile, expected_ms) in [(Profile::V7_0, 2000), (Profile::V6_2, 5000)] {
        let mut lab = pair(profile);
        lab.cmd("m", "SET k v");
        lab.run_ms(50);
        lab.pause("r1", 3000);
        lab.cmd("m", "EXPIRE k 5");
        lab.run_ms(3010);
        let pttl: i64 = lab
            .cmd("r1", "PTTL k")
            .trim_start_matches("(integer) ")
            .parse()
            .unwrap();
        assert!(
            (pttl - expected_ms).abs() <= 20,
            "{profile:?}: replica PTTL {pttl}, expected about {expected_ms}"
        );
    }
}

/// replication.tcl: FLUSHALL is replicated even when the db is already empty (facts §12.16).
#[test]
fn flushall_is_replicated_even_on_an_empty_database() {
    let mut lab = pair(Profile::V7_0);
    let before = lab.offset("m");
    lab.cmd("m", "FLUSHALL");
    lab.cmd("m", "FLUSHALL");
    assert!(lab.offset("m") > before);
    lab.run_ms(20);
    assert_eq!(lab.trace_lines("r1 apply FLUSHALL").len(), 2);
}
