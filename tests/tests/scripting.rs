//! EVAL/EVALSHA/SCRIPT and WATCH on the lab, against what redis-server
//! 7.0.15 answered on loopback (eval.c, script.c, multi.c).

use replilab_core::profile::Profile;
use replilab_harness::dsl::Lab;

fn pair() -> Lab {
    let mut lab = Lab::master_with_replicas_conf(7, 1, Profile::V7_0, 1, |s| {
        s.conf.repl_diskless_sync_delay = 0
    });
    lab.wait_synced();
    lab
}

#[test]
fn eval_evalsha_and_script_replies_match_redis_7() {
    let mut lab = pair();
    assert_eq!(
        lab.cmd(
            "m",
            "EVAL \"return redis.call('set', KEYS[1], ARGV[1])\" 1 k v"
        ),
        "OK"
    );
    assert_eq!(
        lab.cmd("m", "EVAL \"return {1, 2, 3.7, nil, 5}\" 0"),
        "1) (integer) 1\n2) (integer) 2\n3) (integer) 3"
    );
    assert_eq!(
        lab.cmd("m", "EVALSHA ffffffffffffffffffffffffffffffffffffffff 0"),
        "(error) NOSCRIPT No matching script. Please use EVAL."
    );
    assert_eq!(
        lab.cmd("m", "EVAL \"return 1\" -1"),
        "(error) ERR Number of keys can't be negative"
    );
    assert_eq!(
        lab.cmd("m", "EVAL \"return 1\" 3 a"),
        "(error) ERR Number of keys can't be greater than number of args"
    );
    assert_eq!(
        lab.cmd("m", "EVAL \"return 1\" x"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(
        lab.cmd("m", "SCRIPT LOAD \"return 1\""),
        "\"e0e1f9fabfc9d4800c877a703b823ac0578ff8db\""
    );
    assert_eq!(
        lab.cmd("m", "EVALSHA E0E1F9FABFC9D4800C877A703B823AC0578FF8DB 0"),
        "(integer) 1"
    );
    assert_eq!(
        lab.cmd(
            "m",
            "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db x"
        ),
        "1) (integer) 1\n2) (integer) 0"
    );
    assert_eq!(lab.cmd("m", "SCRIPT FLUSH"), "OK");
    assert_eq!(
        lab.cmd("m", "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0"),
        "(error) NOSCRIPT No matching script. Please use EVAL."
    );
    assert_eq!(
        lab.cmd("m", "SCRIPT KILL"),
        "(error) NOTBUSY No scripts in execution right now."
    );
    // EVAL caches the script too.
    lab.cmd("m", "EVAL \"return 2\" 0");
    assert_eq!(
        lab.cmd(
            "m",
            "SCRIPT EXISTS 7f923f79fe76194c868d7e1d0820de36700eb649"
        ),
        "1) (integer) 1"
    );
    lab.cmd("m", "SET a x");
    assert_eq!(lab.cmd("m", "EVAL \"return redis.call('incr','a')\" 0"), "(error) ERR value is not an integer or out of range script: c9f3dee5d73c1008119b4067129338abc98620f3, on @user_script:1.");
    assert_eq!(
        lab.cmd("m", "EVAL \"return redis.pcall('incr','a')\" 0"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(lab.cmd("m", "EVAL \"return redis.call('nosuch')\" 0"), "(error) ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.");
    assert_eq!(lab.cmd("m", "EVAL \"return redis.call('set','k')\" 0"), "(error) ERR Wrong number of args calling Redis command from script script: 1384d01567825fcb30138260ab76c5f9a2eebfec, on @user_script:1.");
    assert_eq!(lab.cmd("m", "EVAL \"return redis.call('multi')\" 0"), "(error) ERR This Redis command is not allowed from script script: c329a1a294be6bf95b44144f7502610661ae925a, on @user_script:1.");
    assert_eq!(lab.cmd("m", "EVAL \"return 1 +\" 0"), "(error) ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'");
    assert_eq!(lab.cmd("m", "EVAL_RO \"return redis.call('set','k','v')\" 0"), "(error) ERR Write commands are not allowed from read-only scripts. script: d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.");
}

#[test]
fn scripts_write_nothing_on_a_read_only_replica_and_respect_min_replicas() {
    let mut lab = pair();
    assert_eq!(lab.cmd("r1", "EVAL \"return redis.call('set','k','v')\" 0"), "(error) READONLY You can't write against a read only replica. script: d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.");
    assert_eq!(lab.cmd("r1", "EVAL \"return 1\" 0"), "(integer) 1");
    lab.cmd("m", "CONFIG SET min-replicas-to-write 3");
    assert_eq!(lab.cmd("m", "EVAL \"return redis.call('set','k','v')\" 0"), "(error) NOREPLICAS Not enough good replicas to write. script: d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.");
    assert_eq!(
        lab.cmd("m", "EVAL \"return redis.call('get','k')\" 0"),
        "(nil)"
    );
}

/// Redis 7 replicates a script's effects, wrapped in MULTI/EXEC when more
/// than one; the replica applies them and the offsets agree.
#[test]
fn scripts_propagate_their_effects_in_multi_exec() {
    let mut lab = pair();
    let before = lab.offset("m");
    lab.cmd(
        "m",
        "EVAL \"redis.call('set','a','1') redis.call('incr','a') return redis.call('get','a')\" 0",
    );
    lab.run_ms(50);
    let fed = lab.trace_lines(" feed ");
    let tail: Vec<&String> = fed.iter().rev().take(4).collect();
    assert!(
        tail[3].contains("MULTI") && tail[0].contains("EXEC"),
        "{tail:?}"
    );
    assert_eq!(lab.cmd("r1", "GET a"), "\"2\"");
    assert_eq!(lab.offset("r1"), lab.offset("m"));
    // SELECT (23) + MULTI (15) + SET a 1 (27) + INCR a (21) + EXEC (14).
    assert_eq!(lab.offset("m") - before, 23 + 15 + 27 + 21 + 14);
    // One write: no wrapper.
    let before = lab.offset("m");
    lab.cmd("m", "EVAL \"return redis.call('incr','a')\" 0");
    assert_eq!(lab.offset("m") - before, 21);
    // A read-only script propagates nothing.
    let before = lab.offset("m");
    lab.cmd("m", "EVAL \"return redis.call('get','a')\" 0");
    assert_eq!(lab.offset("m"), before);
}

#[test]
fn watch_fails_exec_after_a_touch_and_clears_after_exec_discard_unwatch() {
    let mut lab = pair();
    let exec_after = |lab: &mut Lab, between: &str| {
        lab.cmd("m", "SET k 1");
        lab.cmd("m", "WATCH k");
        if !between.is_empty() {
            lab.cmd("m", between);
        }
        lab.cmd("m", "MULTI");
        lab.cmd("m", "INCR k");
        lab.cmd("m", "EXEC")
    };
    assert_eq!(exec_after(&mut lab, ""), "1) (integer) 2");
    assert_eq!(exec_after(&mut lab, "SET k 5"), "(nil)");
    assert_eq!(lab.cmd("m", "GET k"), "\"5\"");
    assert_eq!(exec_after(&mut lab, "UNWATCH"), "1) (integer) 2");
    assert_eq!(exec_after(&mut lab, "FLUSHALL"), "(nil)");
    assert_eq!(exec_after(&mut lab, "GET k"), "1) (integer) 2");
    assert_eq!(
        exec_after(&mut lab, "EVAL \"return redis.call('del', KEYS[1])\" 1 k"),
        "(nil)"
    );
    // A failed write does not touch (SET NX on an existing key).
    assert_eq!(exec_after(&mut lab, "SET k 9 NX"), "1) (integer) 2");
    // After EXEC the watch is gone.
    lab.cmd("m", "SET k 1");
    assert_eq!(lab.cmd("m", "EXEC"), "(error) ERR EXEC without MULTI");
    lab.cmd("m", "WATCH k");
    lab.cmd("m", "MULTI");
    assert_eq!(
        lab.cmd("m", "WATCH k"),
        "(error) ERR WATCH inside MULTI is not allowed"
    );
    assert_eq!(lab.cmd("m", "DISCARD"), "OK");
    lab.cmd("m", "SET k 3");
    lab.cmd("m", "MULTI");
    lab.cmd("m", "GET k");
    assert_eq!(lab.cmd("m", "EXEC"), "1) \"3\"");
    // FLUSHALL touches only keys that exist.
    lab.cmd("m", "WATCH nokey");
    lab.cmd("m", "FLUSHALL");
    lab.cmd("m", "MULTI");
    lab.cmd("m", "PING");
    assert_eq!(lab.cmd("m", "EXEC"), "1) PONG");
}

#[test]
fn watch_sees_expiry_and_the_replication_stream() {
    let mut lab = pair();
    lab.cmd("m", "SET k v PX 100");
    lab.cmd("m", "WATCH k");
    lab.run_ms(200);
    lab.cmd("m", "MULTI");
    lab.cmd("m", "PING");
    assert_eq!(lab.cmd("m", "EXEC"), "(nil)");
    // On a replica, the master's writes touch keys watched there.
    lab.cmd("m", "SET j 1");
    lab.run_ms(50);
    lab.cmd("r1", "WATCH j");
    lab.cmd("m", "SET j 2");
    lab.run_ms(50);
    lab.cmd("r1", "MULTI");
    lab.cmd("r1", "GET j");
    assert_eq!(lab.cmd("r1", "EXEC"), "(nil)");
    lab.cmd("r1", "WATCH j");
    lab.cmd("r1", "MULTI");
    lab.cmd("r1", "GET j");
    assert_eq!(lab.cmd("r1", "EXEC"), "1) \"2\"");
}
