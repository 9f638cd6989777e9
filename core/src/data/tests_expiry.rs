//! Expiry behaviours stated by Redis's own tests (facts sheet §12), proven at
//! the data layer: a master `Node` and replicas fed with its stream.

use super::cmds::test_support::Node;
use super::{ActiveExpireBudget, Effects, KeyEvent, Role};
use crate::profile::Profile;

fn cycle(n: &mut Node) {
    let mut fx = Effects::default();
    let env = n.env;
    n.db.active_expire_cycle(&env, &ActiveExpireBudget::default(), &mut fx, &mut n.stats);
    for c in fx.take_propagation() {
        n.stream.push(
            c.iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
}

// §12.1: active expiry off, 3 keys PSETEX 500; after 1 s DBSIZE is 3; after
// an MGET of the three, 0.
#[test]
fn lazy_expiry_deletes_only_on_access() {
    let mut m = Node::master(Profile::V7_0);
    for k in ["key1", "key2", "key3"] {
        m.cmd(&format!("PSETEX {k} 500 a"));
    }
    let before = m.cmd("DBSIZE");
    m.advance(1000);
    let after_wait = m.cmd("DBSIZE");
    m.cmd("MGET key1 key2 key3");
    let after_mget = m.cmd("DBSIZE");
    assert_eq!(
        [before, after_wait, after_mget],
        ["(integer) 3", "(integer) 3", "(integer) 0"]
    );
}

// §12.2: with active expiry on, untouched keys disappear within 2 s.
#[test]
fn active_expiry_removes_untouched_keys_within_two_seconds() {
    let mut m = Node::master(Profile::V7_0);
    for k in ["key1", "key2", "key3"] {
        m.cmd(&format!("PSETEX {k} 500 a"));
    }
    m.take_stream();
    for _ in 0..20 {
        m.advance(100);
        cycle(&mut m);
    }
    assert_eq!(m.cmd("DBSIZE"), "(integer) 0");
    assert_eq!(m.stats.expired_keys, 3);
    assert_eq!(
        m.take_stream(),
        ["DEL key1", "DEL key2", "DEL key3"],
        "active expiry DELs are not wrapped"
    );
}

// §12.3 (#1026): an EXPIRE on a logically expired key does not resurrect it.
#[test]
fn expire_does_not_resurrect_an_expired_key() {
    let mut m = Node::master(Profile::V7_0);
    m.cmd("SET foo bar");
    m.cmd("PEXPIRE foo 500");
    m.advance(1000);
    assert_eq!(m.cmd("EXPIRE foo 10"), "(integer) 0");
    assert_eq!(m.cmd("EXISTS foo"), "(integer) 0");
}

// §12.4 and §12.7: every TTL command reaches the replica as an absolute time,
// so PEXPIRETIME agrees on master and replica even when applied late.
#[test]
fn absolute_ttls_make_pexpiretime_identical_on_a_late_replica() {
    let mut m = Node::master(Profile::V7_0);
    let mut r = Node::replica(true, Profile::V7_0);
    for line in [
        "SET a v EX 100",
        "SET b v PX 100000",
        "SET c v EXAT 2000",
        "SET d v PXAT 2000000",
        "SETEX e 100 v",
        "PSETEX f 100000 v",
        "SET g v",
        "EXPIRE g 100",
        "SET h v",
        "PEXPIRE h 100000",
        "SET i v",
        "EXPIREAT i 2000",
        "SET j v",
        "PEXPIREAT j 2000000",
        "SET k v",
        "GETEX k EX 100",
    ] {
        m.cmd(line);
    }
    r.at(m.env.now_ms + 5000).feed(&mut m);
    for k in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
        let line = format!("PEXPIRETIME {k}");
        assert_eq!(m.cmd(&line), r.cmd(&line), "{k}");
    }
    assert_eq!(m.db, r.db);
    assert_eq!(m.db.digest(), r.db.digest());
}

// §7 "clock skew": before 7.0 a relative EXPIRE is re-anchored at the
// replica's receive time, so replication lag stretches the replica's TTL.
#[test]
fn relative_expire_stretches_on_a_late_6_2_replica_but_not_on_7_0() {
    for (profile, stretched) in [
        (Profile::V6_2, true),
        (Profile::V3_0, true),
        (Profile::V7_0, false),
    ] {
        let mut m = Node::master(profile);
        let mut r = Node::replica(true, profile);
        m.cmd("SET k v");
        m.cmd("EXPIRE k 10");
        m.cmd("SET s v EX 10");
        r.at(m.env.now_ms + 3000).feed(&mut m);
        let deadline = |n: &Node, k: &[u8]| n.db.get_entry(k).and_then(|e| e.expire_at_ms);
        for k in [&b"k"[..], b"s"] {
            let (md, rd) = (deadline(&m, k), deadline(&r, k));
            assert_eq!(rd != md, stretched, "{profile:?} {k:?}");
            if stretched {
                assert_eq!(rd.zip(md).map(|(a, b)| a - b), Some(3000));
            }
        }
    }
}

// §12.5: SET EX, GETEX PERSIST, plain GETEX, GETEX EXAT <past>.
#[test]
fn getex_stream_is_set_pxat_persist_del() {
    let mut m = Node::master(Profile::V7_0);
    m.cmd("SET foo bar EX 100");
    m.cmd("GETEX foo PERSIST");
    m.cmd("GETEX foo");
    m.cmd("GETEX foo EXAT 1");
    assert_eq!(
        m.take_stream(),
        ["SET foo bar PXAT 1100000", "PERSIST foo", "DEL foo"]
    );
}

// §12.6: a GET that lazily expires a key propagates only the DEL.
#[test]
fn lazily_expiring_get_propagates_only_del() {
    let mut m = Node::master(Profile::V7_0);
    m.cmd("SET foo bar PX 1");
    m.take_stream();
    m.advance(10);
    assert_eq!(m.cmd("GET foo"), "(nil)");
    assert_eq!(m.take_stream(), ["DEL foo"]);
    assert!(matches!(&m.events[..], [KeyEvent::Expired { key }] if key == b"foo"));
}

// §12.8: on a writable replica, `SET foo bar PX 1` is expired by the replica.
#[test]
fn writable_replica_expires_keys_its_clients_gave_a_ttl() {
    let mut r = Node::replica(false, Profile::V7_0);
    assert_eq!(r.cmd("SET foo bar PX 1"), "OK");
    assert_eq!(r.db.replica_tracked_keys(), 1);
    r.advance(10);
    let (mut fx, env) = (Effects::default(), r.env);
    assert_eq!(r.db.expire_replica_keys(&env, &mut fx, &mut r.stats), 1);
    assert_eq!(r.stats.expired_keys, 1);
    assert!(fx.propagate.is_empty(), "a replica never propagates");
    assert_eq!(r.cmd("GET foo"), "(nil)");
    assert_eq!(r.db.replica_tracked_keys(), 0);
}

// §12.9: replica view of keys the master let expire (active expiry off).
#[test]
fn replica_hides_expired_keys_but_counts_them_and_writable_writes_delete_them() {
    let mut m = Node::master(Profile::V7_0);
    let mut r = Node::replica(true, Profile::V7_0);
    m.cmd("SET key1 v PX 10");
    m.cmd("SET key2 v PX 10");
    r.feed(&mut m);
    r.advance(100);
    assert_eq!(r.cmd("DBSIZE"), "(integer) 2");
    assert_eq!(r.cmd("EXISTS key1 key2"), "(integer) 0");
    assert_eq!(r.cmd("GET key1"), "(nil)");
    assert_eq!(r.cmd("TTL key1"), "(integer) -2");
    assert_eq!(r.cmd("KEYS *"), "(empty array)");
    assert_eq!(r.cmd("SCAN 0"), "1) \"0\"\n2) (empty array)");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 2");
    r.env.role = Role::Replica { read_only: false };
    assert_eq!(r.cmd("INCR key1"), "(integer) 1");
    assert_eq!(r.cmd("TTL key1"), "(integer) -1");
    assert_eq!(r.cmd("GET key2"), "(nil)");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 2");
    assert_eq!(r.stats.expired_keys, 1);
    assert!(r.take_stream().is_empty());
}

// §7: a 3.0 replica returns the stale value (and TTL 0).
#[test]
fn replica_3_0_returns_stale_values() {
    let mut m = Node::master(Profile::V3_0);
    let mut r = Node::replica(true, Profile::V3_0);
    m.cmd("SET k v PX 10");
    r.feed(&mut m);
    r.advance(100);
    assert_eq!(r.cmd("GET k"), "\"v\"");
    assert_eq!(r.cmd("EXISTS k"), "(integer) 1");
    assert_eq!(r.cmd("TTL k"), "(integer) 0");
    assert_eq!(
        r.cmd("KEYS *"),
        "(empty array)",
        "3.0 KEYS skipped expired keys on replicas"
    );
}

// §12.11: writable replica, 3 keys EX 5 created on it: DBSIZE 0 after 6 s.
#[test]
fn writable_replica_own_ttl_keys_vanish_after_their_ttl() {
    let mut r = Node::replica(false, Profile::V7_0);
    for k in ["a", "b", "c"] {
        r.cmd(&format!("SET {k} v EX 5"));
    }
    assert_eq!(r.cmd("DBSIZE"), "(integer) 3");
    for _ in 0..60 {
        r.advance(100);
        let (mut fx, env) = (Effects::default(), r.env);
        r.db.expire_replica_keys(&env, &mut fx, &mut r.stats);
    }
    assert_eq!(r.cmd("DBSIZE"), "(integer) 0");
    // A 3.0 replica never tracked them (3.2 leaked such keys).
    let mut old = Node::replica(false, Profile::V3_0);
    old.cmd("SET a v EX 5");
    old.advance(6000);
    let (mut fx, env) = (Effects::default(), old.env);
    old.db.expire_replica_keys(&env, &mut fx, &mut old.stats);
    assert_eq!(old.cmd("DBSIZE"), "(integer) 1");
}

// §12.12: a write from the master on a key that is logically expired on the
// replica does not delete it: clients still see it missing, the key stays.
#[test]
fn master_write_on_a_replica_expired_key_keeps_it() {
    let mut r = Node::replica(true, Profile::V7_0);
    r.apply("SET foo 1 PXAT 1000");
    assert_eq!(r.apply("INCR foo"), "(integer) 2");
    assert_eq!(r.cmd("EXISTS foo"), "(integer) 0");
    assert_eq!(
        r.db.get_entry(b"foo").map(|e| e.value.to_vec()),
        Some(b"2".to_vec())
    );
    assert_eq!(r.stats.expired_keys, 0);
}

// §7 checkAlreadyExpired: a past TTL from the master is kept on the replica
// (until the master's DEL); on the master it deletes at once.
#[test]
fn past_ttl_deletes_on_master_but_is_kept_on_replica() {
    let mut r = Node::replica(true, Profile::V7_0);
    r.apply("SET k v");
    assert_eq!(r.apply("PEXPIREAT k 5"), "(integer) 1");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 1");
    assert_eq!(r.cmd("GET k"), "(nil)");
    r.apply("DEL k");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 0");
    let mut m = Node::master(Profile::V7_0);
    m.env.loading = true;
    m.cmd("SET k v");
    assert_eq!(m.cmd("PEXPIREAT k 5"), "(integer) 1");
    assert_eq!(m.db.len(), 1, "nothing is deleted while loading");
}

// Clock skew (7.0): a replica whose clock runs ahead hides keys earlier, but
// deletion still follows the master's DEL.
#[test]
fn replica_clock_ahead_hides_keys_before_the_master_expires_them() {
    let mut m = Node::master(Profile::V7_0);
    let mut r = Node::replica(true, Profile::V7_0);
    m.cmd("SET k v PX 1000");
    r.at(m.env.now_ms + 2000).feed(&mut m);
    assert_eq!(m.cmd("GET k"), "\"v\"");
    assert_eq!(r.cmd("GET k"), "(nil)");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 1");
}

// §12.16: FLUSHDB/FLUSHALL on an empty db are replicated and applied.
#[test]
fn flushes_of_an_empty_db_are_replicated() {
    let mut m = Node::master(Profile::V7_0);
    let mut r = Node::replica(true, Profile::V7_0);
    r.apply("SET only-on-replica v");
    m.cmd("FLUSHDB");
    m.cmd("FLUSHALL");
    assert_eq!(m.stream, ["FLUSHDB", "FLUSHALL"]);
    r.feed(&mut m);
    assert_eq!(r.cmd("DBSIZE"), "(integer) 0");
}

// §12.13 at the data layer: a write on an expired key streams DEL then the write.
#[test]
fn write_on_expired_key_streams_del_then_write_and_converges() {
    let mut m = Node::master(Profile::V7_0);
    let mut r = Node::replica(true, Profile::V7_0);
    m.cmd("SET s foo");
    m.cmd("PEXPIRE s 1");
    r.feed(&mut m);
    m.advance(10);
    r.advance(10);
    m.cmd("SET s foo");
    assert_eq!(m.stream, ["MULTI", "DEL s", "SET s foo", "EXEC"]);
    r.feed(&mut m);
    assert_eq!(r.cmd("TYPE s"), "string");
    assert_eq!(m.db, r.db);
}

// Checked on redis-server 7.0.15: on a writable replica, DEL of a logically
// expired key answers 1 and GETDEL answers nil, and both remove the key.
#[test]
fn writable_replica_del_and_getdel_remove_hidden_expired_keys() {
    let mut r = Node::replica(false, Profile::V7_0);
    r.apply("SET a v PXAT 5");
    r.apply("SET b v PXAT 5");
    assert_eq!(r.cmd("DEL a"), "(integer) 1");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 1");
    assert_eq!(r.cmd("GETDEL b"), "(nil)");
    assert_eq!(r.cmd("DBSIZE"), "(integer) 0");
}
