//! Command semantics and propagation, checked against redis-server 7.0.15.
//!
//! Replies are compared as redis-cli prints them. Expected propagation was
//! captured with `redis-cli --replica` on a real 7.0.15 master (the stream a
//! replica receives), with `DEBUG SET-ACTIVE-EXPIRE 0` where keys had to stay
//! logically expired.

use super::cmds::test_support::Node;
use crate::profile::Profile;

fn m7() -> Node {
    Node::master(Profile::V7_0)
}

#[test]
fn set_option_errors_match_redis_7_0() {
    let mut n = m7();
    for (line, want) in [
        (
            "SET k v EX 0",
            "(error) ERR invalid expire time in 'set' command",
        ),
        (
            "SET k v EX -1",
            "(error) ERR invalid expire time in 'set' command",
        ),
        (
            "SET k v PX 0",
            "(error) ERR invalid expire time in 'set' command",
        ),
        (
            "SET k v EX 9999999999999999",
            "(error) ERR invalid expire time in 'set' command",
        ),
        (
            "SET k v EXAT 0",
            "(error) ERR invalid expire time in 'set' command",
        ),
        (
            "SET k v EX abc",
            "(error) ERR value is not an integer or out of range",
        ),
        ("SET k v EX 10 PX 10", "(error) ERR syntax error"),
        ("SET k v NX XX", "(error) ERR syntax error"),
        ("SET k v KEEPTTL EX 10", "(error) ERR syntax error"),
        ("SET k v EX 10 KEEPTTL", "(error) ERR syntax error"),
        ("SET k v EXAT 1 PX 5", "(error) ERR syntax error"),
        ("SET k v FOO", "(error) ERR syntax error"),
        ("SET k v PX", "(error) ERR syntax error"),
        ("SET k v EX 10 GET PX", "(error) ERR syntax error"),
        (
            "SETEX k 0 v",
            "(error) ERR invalid expire time in 'setex' command",
        ),
        (
            "SETEX k -5 v",
            "(error) ERR invalid expire time in 'setex' command",
        ),
        (
            "PSETEX k abc v",
            "(error) ERR value is not an integer or out of range",
        ),
        ("GETEX k EX 10", "(nil)"),
    ] {
        assert_eq!(n.cmd(line), want, "{line}");
    }
    assert!(n.take_stream().is_empty());
    assert_eq!(n.cmd("SET e v EX 10 EX 20"), "OK");
    assert_eq!(n.cmd("TTL e"), "(integer) 20");
    assert_eq!(n.cmd("SET e v nx nx"), "(nil)");
    assert_eq!(n.cmd("SET e v KEEPTTL KEEPTTL"), "OK");
    assert_eq!(
        n.take_stream(),
        ["SET e v PXAT 1020000", "SET e v KEEPTTL KEEPTTL"]
    );
}

#[test]
fn set_family_propagation_matches_redis_7_0_stream() {
    let mut n = m7();
    let cmds = [
        ("SET k v EX 100", "OK"),
        ("SET k v2 KEEPTTL", "OK"),
        ("SET k v3 GET", "\"v2\""),
        ("SET k v4 XX GET EX 50", "\"v3\""),
        ("SET k2 v NX GET", "(nil)"),
        ("SET k2 v2 NX GET", "\"v\""),
        ("SET k3 v EXAT 99999999999", "OK"),
        ("SET k4 v PXAT 99999999999999", "OK"),
        ("SETEX k5 100 v", "OK"),
        ("PSETEX k6 100000 v", "OK"),
        ("SETNX k7 v", "(integer) 1"),
        ("SETNX k7 v", "(integer) 0"),
        ("SET k8 v EXAT 1", "OK"),
        ("SET k10 v PX 100 NX", "OK"),
        ("SET k10 v PX 100 XX", "OK"),
        ("SET k10 v PX 100 NX", "(nil)"),
        ("SET n v PXAT 99999999999999 NX", "OK"),
        ("GET k", "\"v4\""),
    ];
    for (line, want) in cmds {
        assert_eq!(n.cmd(line), want, "{line}");
    }
    assert_eq!(
        n.take_stream(),
        [
            "SET k v PXAT 1100000",
            "SET k v2 KEEPTTL",
            "SET k v3",
            "SET k v4 PXAT 1050000",
            "SET k2 v NX",
            "SET k3 v PXAT 99999999999000",
            "SET k4 v PXAT 99999999999999",
            "SET k5 v PXAT 1100000",
            "SET k6 v PXAT 1100000",
            "SETNX k7 v",
            // 7.0.15 keeps a SET whose EXAT is in the past (no DEL at once).
            "SET k8 v PXAT 1000",
            "SET k10 v PXAT 1000100",
            "SET k10 v PXAT 1000100",
            "SET n v PXAT 99999999999999",
        ]
    );
    assert_eq!(n.db.len(), 10, "k8 is still there, logically expired");
    assert_eq!(n.cmd("GET k8"), "(nil)");
    assert_eq!(n.take_stream(), ["DEL k8"]);
}

#[test]
fn write_over_an_expired_key_wraps_del_and_write_in_multi() {
    let mut n = m7();
    n.cmd("PSETEX x4 50 v");
    n.cmd("PSETEX x5 50 v");
    n.take_stream();
    n.advance(100);
    assert_eq!(n.cmd("SET x4 v NX"), "OK");
    assert_eq!(n.cmd("APPEND x5 zz"), "(integer) 2");
    assert_eq!(
        n.take_stream(),
        [
            "MULTI",
            "DEL x4",
            "SET x4 v NX",
            "EXEC",
            "MULTI",
            "DEL x5",
            "APPEND x5 zz",
            "EXEC"
        ]
    );
    assert_eq!(n.stats.expired_keys, 2);
}

#[test]
fn expire_family_replies_and_propagation_match_redis_7_0() {
    let mut n = m7();
    let cmds = [
        ("SET e v", "OK"),
        ("EXPIRE e 10", "(integer) 1"),
        ("EXPIRE e -1", "(integer) 1"),
        ("SET f v", "OK"),
        ("PEXPIRE f 0", "(integer) 1"),
        ("EXPIREAT e 1", "(integer) 0"),
        ("SET g v", "OK"),
        ("EXPIREAT g 1", "(integer) 1"),
        ("SET h v", "OK"),
        ("EXPIRE h 100 NX", "(integer) 1"),
        ("EXPIRE h 200 NX", "(integer) 0"),
        ("EXPIRE h 50 GT", "(integer) 0"),
        ("EXPIRE h 500 GT", "(integer) 1"),
        ("EXPIRE h 600 LT", "(integer) 0"),
        ("EXPIRE h 60 LT", "(integer) 1"),
        ("EXPIRE h 60 XX", "(integer) 1"),
        ("EXPIRE nokey 60", "(integer) 0"),
        (
            "EXPIRE h 60 NX XX",
            "(error) ERR NX and XX, GT or LT options at the same time are not compatible",
        ),
        (
            "EXPIRE h 60 nx GT",
            "(error) ERR NX and XX, GT or LT options at the same time are not compatible",
        ),
        (
            "EXPIRE h 60 GT LT",
            "(error) ERR GT and LT options at the same time are not compatible",
        ),
        ("EXPIRE h 60 FOO", "(error) ERR Unsupported option FOO"),
        ("EXPIRE h abc FOO", "(error) ERR Unsupported option FOO"),
        (
            "EXPIRE h abc",
            "(error) ERR value is not an integer or out of range",
        ),
        (
            "EXPIRE h 9999999999999999",
            "(error) ERR invalid expire time in 'expire' command",
        ),
        (
            "PEXPIRE h 9223372036854775807",
            "(error) ERR invalid expire time in 'pexpire' command",
        ),
        ("EXPIREAT h 9223372036854775", "(integer) 1"),
        ("SET i v", "OK"),
        ("EXPIRE i 100 GT", "(integer) 0"),
        ("EXPIRE i 100 LT", "(integer) 1"),
        ("PERSIST i", "(integer) 1"),
        ("PERSIST i", "(integer) 0"),
        ("TTL i", "(integer) -1"),
        ("TTL nokey", "(integer) -2"),
        ("EXPIRETIME h", "(integer) 9223372036854775"),
        ("PEXPIRETIME h", "(integer) 9223372036854775000"),
        ("EXPIRETIME i", "(integer) -1"),
        ("EXPIRETIME nokey", "(integer) -2"),
        ("PTTL h", "(integer) 9223372036853775000"),
    ];
    for (line, want) in cmds {
        assert_eq!(n.cmd(line), want, "{line}");
    }
    assert_eq!(
        n.take_stream(),
        [
            "SET e v",
            "PEXPIREAT e 1010000",
            "DEL e",
            "SET f v",
            "DEL f",
            "SET g v",
            "DEL g",
            "SET h v",
            "PEXPIREAT h 1100000 NX",
            "PEXPIREAT h 1500000 GT",
            "PEXPIREAT h 1060000 LT",
            "PEXPIREAT h 1060000 XX",
            "PEXPIREAT h 9223372036854775000",
            "SET i v",
            "PEXPIREAT i 1100000 LT",
            "PERSIST i",
        ]
    );
}

#[test]
fn ttl_rounds_to_the_nearest_second() {
    let mut n = m7();
    n.cmd("PSETEX k 1499 v");
    assert_eq!(n.cmd("TTL k"), "(integer) 1");
    n.cmd("PSETEX k 1500 v");
    assert_eq!(n.cmd("TTL k"), "(integer) 2");
    assert_eq!(n.cmd("PTTL k"), "(integer) 1500");
}

#[test]
fn getex_and_getdel_propagation_match_redis_7_0() {
    let mut n = m7();
    let cmds = [
        ("SET h v", "OK"),
        ("GETEX h", "\"v\""),
        ("GETEX h PERSIST", "\"v\""),
        ("EXPIRE h 1000", "(integer) 1"),
        ("GETEX h PERSIST", "\"v\""),
        ("GETEX h EX 100", "\"v\""),
        ("GETEX h PX 100000", "\"v\""),
        ("GETEX h EXAT 99999999999", "\"v\""),
        ("GETEX h PXAT 99999999999999", "\"v\""),
        ("GETEX h EX 10 PX 10", "(error) ERR syntax error"),
        ("GETEX h EX 10 PERSIST", "(error) ERR syntax error"),
        ("GETEX h FOO", "(error) ERR syntax error"),
        (
            "GETEX h EX 0",
            "(error) ERR invalid expire time in 'getex' command",
        ),
        (
            "GETEX h PX -1",
            "(error) ERR invalid expire time in 'getex' command",
        ),
        ("GETEX h EXAT 1", "\"v\""),
        ("GETEX h EX 0", "(nil)"),
        ("SET j v", "OK"),
        ("GETDEL j", "\"v\""),
        ("GETDEL j", "(nil)"),
    ];
    for (line, want) in cmds {
        assert_eq!(n.cmd(line), want, "{line}");
    }
    assert_eq!(
        n.take_stream(),
        [
            "SET h v",
            "PEXPIREAT h 2000000",
            "PERSIST h",
            "PEXPIREAT h 1100000",
            "PEXPIREAT h 1100000",
            "PEXPIREAT h 99999999999000",
            "PEXPIREAT h 99999999999999",
            "DEL h",
            "SET j v",
            "DEL j",
        ]
    );
}

#[test]
fn mget_of_expired_keys_wraps_dels_but_scan_does_not() {
    let mut n = m7();
    for k in ["a", "b", "c", "s1", "s2"] {
        n.cmd(&format!("PSETEX {k} 100 v"));
    }
    n.cmd("SET p v");
    n.take_stream();
    n.advance(200);
    assert_eq!(
        n.cmd("MGET a b c p"),
        "1) (nil)\n2) (nil)\n3) (nil)\n4) \"v\""
    );
    assert_eq!(
        n.take_stream(),
        ["MULTI", "DEL a", "DEL b", "DEL c", "EXEC"]
    );
    assert_eq!(n.cmd("KEYS *"), "1) \"p\"", "KEYS skips expired keys");
    assert_eq!(n.db.len(), 3, "KEYS does not delete on 7.0");
    assert_eq!(n.cmd("SCAN 0"), "1) \"0\"\n2) 1) \"p\"");
    assert_eq!(n.take_stream(), ["DEL s1", "DEL s2"]);
    assert_eq!(n.cmd("DBSIZE"), "(integer) 1");
}

#[test]
fn profile_6_2_propagates_relative_set_and_expire_as_typed() {
    let mut n = Node::master(Profile::V6_2);
    n.cmd("SET a v EX 10");
    n.cmd("SET b v PXAT 5000000");
    n.cmd("SETEX c 5 v");
    n.cmd("PSETEX d 700 v");
    n.cmd("EXPIRE a 100");
    n.cmd("PEXPIREAT b 6000000");
    n.cmd("GETEX c EX 20");
    n.cmd("GETEX d EXAT 9000");
    n.cmd("SET e v");
    n.cmd("EXPIRE e -1");
    n.cmd("SET f v GET");
    assert_eq!(
        n.take_stream(),
        [
            "SET a v PX 10000",
            "SET b v PXAT 5000000",
            "SET c v PX 5000",
            "SET d v PX 700",
            "EXPIRE a 100",
            "PEXPIREAT b 6000000",
            "PEXPIRE c 20000",
            "PEXPIREAT d 9000000",
            "SET e v",
            "DEL e",
            "SET f v",
        ]
    );
}

#[test]
fn profile_3_0_propagates_ttl_commands_as_typed() {
    let mut n = Node::master(Profile::V3_0);
    n.cmd("SET a v EX 10");
    n.cmd("SETEX c 5 v");
    n.cmd("PSETEX d 700 v");
    n.cmd("EXPIRE a 100");
    n.cmd("PEXPIRE a -5");
    assert_eq!(
        n.take_stream(),
        [
            "SET a v EX 10",
            "SETEX c 5 v",
            "PSETEX d 700 v",
            "EXPIRE a 100",
            "DEL a"
        ]
    );
}

#[test]
fn incr_family_matches_redis_7_0() {
    let mut n = m7();
    let cmds = [
        ("INCR n", "(integer) 1"),
        ("INCRBY n 5", "(integer) 6"),
        ("DECR n", "(integer) 5"),
        ("DECRBY n 10", "(integer) -5"),
        (
            "INCRBY n abc",
            "(error) ERR value is not an integer or out of range",
        ),
        (
            "INCRBY n ' 1'",
            "(error) ERR value is not an integer or out of range",
        ),
        ("SET n 9223372036854775807", "OK"),
        (
            "INCR n",
            "(error) ERR increment or decrement would overflow",
        ),
        (
            "DECRBY n -1",
            "(error) ERR increment or decrement would overflow",
        ),
        (
            "DECRBY n -9223372036854775808",
            "(error) ERR decrement would overflow",
        ),
        ("SET n 0", "OK"),
        (
            "INCRBY n -9223372036854775808",
            "(integer) -9223372036854775808",
        ),
        (
            "DECR n",
            "(error) ERR increment or decrement would overflow",
        ),
        ("SET s hello", "OK"),
        (
            "INCR s",
            "(error) ERR value is not an integer or out of range",
        ),
        ("SET z 007", "OK"),
        (
            "INCR z",
            "(error) ERR value is not an integer or out of range",
        ),
        ("SET z -0", "OK"),
        (
            "INCR z",
            "(error) ERR value is not an integer or out of range",
        ),
        ("SET t 10 EX 100", "OK"),
        ("INCR t", "(integer) 11"),
        ("TTL t", "(integer) 100"),
        ("GET t", "\"11\""),
    ];
    for (line, want) in cmds {
        assert_eq!(n.cmd(line), want, "{line}");
    }
}

#[test]
fn append_strlen_mset_and_arity_inside_commands() {
    let mut n = m7();
    assert_eq!(n.cmd("SET s hello"), "OK");
    assert_eq!(n.cmd("APPEND s world"), "(integer) 10");
    assert_eq!(n.cmd("APPEND new xx"), "(integer) 2");
    assert_eq!(n.cmd("STRLEN s"), "(integer) 10");
    assert_eq!(n.cmd("STRLEN nokey"), "(integer) 0");
    assert_eq!(
        n.cmd("MSET a"),
        "(error) ERR wrong number of arguments for 'mset' command"
    );
    assert_eq!(
        n.cmd("MSET a b c"),
        "(error) ERR wrong number of arguments for 'mset' command"
    );
    assert_eq!(n.cmd("MSET a 1 b 2"), "OK");
    assert_eq!(
        n.cmd("PING a b"),
        "(error) ERR wrong number of arguments for 'ping' command"
    );
    assert_eq!(n.cmd("PING"), "PONG");
    assert_eq!(n.cmd("PING \"hi there\""), "\"hi there\"");
    assert_eq!(n.cmd("ECHO \"\""), "\"\"");
    assert_eq!(n.cmd("SELECT 99"), "(error) ERR DB index is out of range");
    assert_eq!(n.cmd("SELECT -1"), "(error) ERR DB index is out of range");
    assert_eq!(
        n.cmd("SELECT abc"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(n.cmd("SELECT 15"), "OK");
    assert_eq!(
        n.cmd("GET"),
        "(error) ERR wrong number of arguments for 'get' command"
    );
    assert_eq!(
        n.cmd("foo a b"),
        "(error) ERR unknown command 'foo', with args beginning with: 'a' 'b' "
    );
    assert_eq!(
        n.take_stream(),
        [
            "SET s hello",
            "APPEND s world",
            "APPEND new xx",
            "MSET a 1 b 2"
        ]
    );
}

#[test]
fn del_unlink_exists_type_and_flush() {
    let mut n = m7();
    n.cmd("MSET a 1 b 2");
    assert_eq!(n.cmd("EXISTS a a z"), "(integer) 2");
    assert_eq!(n.cmd("TYPE a"), "string");
    assert_eq!(n.cmd("TYPE z"), "none");
    assert_eq!(n.cmd("UNLINK a b c"), "(integer) 2");
    assert_eq!(n.cmd("DEL a"), "(integer) 0");
    assert_eq!(n.cmd("PERSIST b"), "(integer) 0");
    assert_eq!(n.cmd("FLUSHDB"), "OK");
    assert_eq!(n.cmd("FLUSHALL ASYNC"), "OK");
    assert_eq!(n.cmd("FLUSHDB sync"), "OK");
    assert_eq!(n.cmd("FLUSHALL FOO"), "(error) ERR syntax error");
    assert_eq!(n.cmd("FLUSHDB a b"), "(error) ERR syntax error");
    // facts §12.16: flushes of an empty db are still replicated.
    assert_eq!(
        n.take_stream(),
        [
            "MSET a 1 b 2",
            "UNLINK a b c",
            "FLUSHDB",
            "FLUSHALL ASYNC",
            "FLUSHDB sync"
        ]
    );
}

#[test]
fn del_of_an_expired_key_propagates_only_the_expiry_del() {
    let mut n = m7();
    n.cmd("PSETEX d1 50 v");
    n.take_stream();
    n.advance(100);
    assert_eq!(n.cmd("DEL d1"), "(integer) 0");
    assert_eq!(n.take_stream(), ["DEL d1"]);
}

#[test]
fn keyspace_hits_and_misses_count_like_redis_7_0() {
    // Per command (hits, misses), captured with CONFIG RESETSTAT / INFO stats.
    let cases: &[(&str, u64, u64)] = &[
        ("GET a", 1, 0),
        ("GET z", 0, 1),
        ("EXISTS a z", 1, 1),
        ("TTL a", 1, 0),
        ("TYPE a", 1, 0),
        ("STRLEN a", 1, 0),
        ("MGET a z", 1, 1),
        ("GETEX a", 1, 0),
        ("GETDEL z", 0, 1),
        ("SET a 2 GET", 1, 0),
        ("APPEND a x", 0, 0),
        ("INCR z", 0, 0),
        ("EXPIRETIME a", 1, 0),
        ("PERSIST a", 0, 0),
        ("EXPIRE a 100", 0, 0),
        ("KEYS *", 0, 0),
        ("SCAN 0", 0, 0),
        ("RANDOMKEY", 0, 0),
        ("SETNX a 1", 0, 0),
        ("DEL a z", 0, 0),
        ("TTL zz", 0, 1),
    ];
    let mut n = m7();
    n.cmd("SET a 1");
    for (line, hits, misses) in cases {
        n.stats = Default::default();
        n.cmd(line);
        assert_eq!(
            (n.stats.keyspace_hits, n.stats.keyspace_misses),
            (*hits, *misses),
            "{line}"
        );
    }
}

#[test]
fn keys_patterns_and_scan_paging() {
    let mut n = m7();
    n.cmd("MSET k1 1 k2 2 k3 3 k10 10 x4 4 t u");
    assert_eq!(n.cmd("KEYS k?"), "1) \"k1\"\n2) \"k2\"\n3) \"k3\"");
    assert_eq!(n.cmd("KEYS k[^2]*"), "1) \"k1\"\n2) \"k10\"\n3) \"k3\"");
    assert_eq!(n.cmd("KEYS nomatch"), "(empty array)");
    assert_eq!(
        n.cmd("SCAN 0 COUNT 4"),
        "1) \"4\"\n2) 1) \"k1\"\n   2) \"k10\"\n   3) \"k2\"\n   4) \"k3\""
    );
    assert_eq!(
        n.cmd("SCAN 4 COUNT 4"),
        "1) \"0\"\n2) 1) \"t\"\n   2) \"x4\""
    );
    assert_eq!(
        n.cmd("SCAN 0 MATCH k* COUNT 5"),
        "1) \"5\"\n2) 1) \"k1\"\n   2) \"k10\"\n   3) \"k2\"\n   4) \"k3\""
    );
    assert_eq!(n.cmd("SCAN 0 TYPE STRING MATCH t"), "1) \"0\"\n2) 1) \"t\"");
    assert_eq!(n.cmd("SCAN 0 TYPE foo"), "1) \"0\"\n2) (empty array)");
    assert_eq!(n.cmd("SCAN -1"), "1) \"0\"\n2) (empty array)");
    assert_eq!(n.cmd("SCAN abc"), "(error) ERR invalid cursor");
    assert_eq!(n.cmd("SCAN ''"), "(error) ERR invalid cursor");
    assert_eq!(
        n.cmd("SCAN 18446744073709551616"),
        "(error) ERR invalid cursor"
    );
    assert_eq!(n.cmd("SCAN 0 COUNT 0"), "(error) ERR syntax error");
    assert_eq!(n.cmd("SCAN 0 COUNT -1"), "(error) ERR syntax error");
    assert_eq!(
        n.cmd("SCAN 0 COUNT x"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(n.cmd("SCAN 0 FOO"), "(error) ERR syntax error");
    assert_eq!(n.cmd("SCAN 0 MATCH"), "(error) ERR syntax error");
}

#[test]
fn scan_resumes_correctly_when_it_expires_keys() {
    let mut n = m7();
    n.cmd("MSET a 1 d 4");
    n.cmd("PSETEX b 10 v");
    n.cmd("PSETEX c 10 v");
    n.advance(20);
    assert_eq!(n.cmd("SCAN 0 COUNT 3"), "1) \"1\"\n2) 1) \"a\"");
    assert_eq!(n.cmd("SCAN 1 COUNT 3"), "1) \"0\"\n2) 1) \"d\"");
}

#[test]
fn randomkey_is_deterministic_and_skips_expired_keys() {
    let mut n = m7();
    assert_eq!(n.cmd("RANDOMKEY"), "(nil)");
    n.cmd("MSET a 1 b 2 c 3");
    n.env.rand = 4; // 4 % 3 = 1 -> "b"
    assert_eq!(n.cmd("RANDOMKEY"), "\"b\"");
    n.cmd("PSETEX b 10 v");
    n.cmd("PSETEX c 10 v");
    n.take_stream();
    n.advance(20);
    assert_eq!(
        n.cmd("RANDOMKEY"),
        "\"a\"",
        "walks past b and c, deleting them"
    );
    assert_eq!(n.take_stream(), ["DEL b", "DEL c"]);
    // A replica whose keys are all logically expired returns one anyway.
    let mut r = Node::replica(true, Profile::V7_0);
    r.apply("SET x v PXAT 5");
    assert_eq!(r.cmd("RANDOMKEY"), "\"x\"");
}
