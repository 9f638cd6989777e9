//! Fidelity checks for scripting and WATCH (issue 8, flash sale): EVAL
//! replies and errors, NOSCRIPT, EXEC after a touched WATCH, and how a
//! script with two writes is propagated (offsets on master and replica).

use super::runner::{Check, Obs};
use super::side::{info_field, Setup, Side};

fn eval_replies(side: &mut dyn Side) -> Vec<Obs> {
    const LINES: &[&str] = &[
        "SET a x",
        "EVAL \"return redis.call('set', KEYS[1], ARGV[1])\" 1 k v",
        "EVAL \"return {1, 2, 3.7, nil, 5}\" 0",
        "EVAL \"return {1, 'a', false, true}\" 0",
        "EVAL \"return 3.99\" 0",
        "EVAL \"return {ok='fine'}\" 0",
        "EVAL \"return {err='bad thing'}\" 0",
        "EVAL \"return redis.error_reply('x')\" 0",
        "EVAL \"return redis.status_reply('HI')\" 0",
        "EVAL \"return redis.call('incr','a')\" 0",
        "EVAL \"return redis.pcall('incr','a')\" 0",
        "EVAL \"return foo\" 0",
        "EVAL \"x = 5\" 0",
        "EVAL \"return redis.call('nosuch')\" 0",
        "EVAL \"return redis.call('set','k')\" 0",
        "EVAL \"return redis.call('multi')\" 0",
        "EVAL \"error('boom')\" 0",
        "EVAL \"return 1 +\" 0",
        "EVAL \"return tostring(3.5) .. ' ' .. 10/2 .. ' ' .. 1e15 .. ' ' .. 2^53\" 0",
        "EVAL \"return string.format('%d %s %5.2f', 3.7, 'a', 2.5)\" 0",
        "EVAL \"return type(redis.call('get', 'nokey'))\" 0",
        "EVAL \"return 1\" -1",
        "EVAL \"return 1\" 3 a",
        "EVAL \"return 1\" x",
        "EVAL_RO \"return redis.call('set','k','v')\" 0",
        "SCRIPT LOAD \"return 1\"",
        "EVALSHA E0E1F9FABFC9D4800C877A703B823AC0578FF8DB 0",
        "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db ffff",
        "SCRIPT FLUSH",
        "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0",
        "SCRIPT KILL",
    ];
    let mut out: Vec<Obs> = LINES
        .iter()
        .map(|l| Obs::exact(format!("m: {l}"), side.cmd("m", l)))
        .collect();
    // Let r1 apply the master's writes before reading there.
    side.sleep_ms(200);
    for l in [
        "EVAL \"return redis.call('set','k','v')\" 0",
        "EVAL \"return redis.call('get','k')\" 0",
    ] {
        out.push(Obs::exact(format!("r1: {l}"), side.cmd("r1", l)));
    }
    out
}

fn watch_exec(side: &mut dyn Side) -> Vec<Obs> {
    let mut out = Vec::new();
    let mut run = |side: &mut dyn Side, row: &str, lines: &[&str]| {
        let replies: Vec<String> = lines.iter().map(|l| side.cmd("m", l)).collect();
        out.push(Obs::exact(row.to_string(), replies.join(" | ")));
    };
    run(
        side,
        "WATCH, untouched",
        &["SET k 1", "WATCH k", "MULTI", "INCR k", "EXEC"],
    );
    run(
        side,
        "WATCH, then SET",
        &["WATCH k", "SET k 5", "MULTI", "INCR k", "EXEC", "GET k"],
    );
    run(
        side,
        "WATCH inside MULTI",
        &["MULTI", "WATCH k", "PING", "EXEC"],
    );
    run(
        side,
        "UNWATCH clears",
        &["WATCH k", "SET k 2", "UNWATCH", "MULTI", "INCR k", "EXEC"],
    );
    run(
        side,
        "FLUSHALL touches existing keys",
        &["WATCH k", "FLUSHALL", "MULTI", "PING", "EXEC"],
    );
    run(
        side,
        "FLUSHALL of a missing key",
        &["WATCH nokey", "FLUSHALL", "MULTI", "PING", "EXEC"],
    );
    run(
        side,
        "a script touches",
        &[
            "SET k 1",
            "WATCH k",
            "EVAL \"return redis.call('incr', KEYS[1])\" 1 k",
            "MULTI",
            "PING",
            "EXEC",
        ],
    );
    run(
        side,
        "SET NX that fails does not touch",
        &["SET k 1", "WATCH k", "SET k 2 NX", "MULTI", "GET k", "EXEC"],
    );
    run(side, "expiry touches", &["SET e 1 PX 100", "WATCH e"]);
    side.sleep_ms(250);
    run(
        side,
        "EXEC after the watched key expired",
        &["MULTI", "PING", "EXEC"],
    );
    out
}

fn script_propagation(side: &mut dyn Side) -> Vec<Obs> {
    let off = |side: &mut dyn Side, node: &str| {
        let info = side.cmd(node, "INFO replication");
        info_field(&info, "master_repl_offset")
            .parse::<i64>()
            .unwrap_or(-1)
    };
    side.cmd("m", "SET warm 1");
    let a = off(side, "m");
    side.cmd(
        "m",
        "EVAL \"redis.call('set','a','1') redis.call('incr','a') return redis.call('get','a')\" 0",
    );
    let b = off(side, "m");
    side.cmd("m", "EVAL \"return redis.call('incr','a')\" 0");
    let c = off(side, "m");
    side.cmd("m", "EVAL \"return redis.call('get','a')\" 0");
    let d = off(side, "m");
    side.sleep_ms(300);
    vec![
        Obs::exact(
            "bytes for a 2-write script (MULTI/EXEC)",
            (b - a).to_string(),
        ),
        Obs::exact("bytes for a 1-write script", (c - b).to_string()),
        Obs::exact("bytes for a read-only script", (d - c).to_string()),
        Obs::exact("r1 GET a", side.cmd("r1", "GET a")),
        Obs::exact(
            "r1 master_repl_offset = m's",
            (off(side, "r1") == d).to_string(),
        ),
    ]
}

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "eval",
            setup: Setup::new(1),
            script: eval_replies,
        },
        Check {
            name: "watch",
            setup: Setup::new(1),
            script: watch_exec,
        },
        Check {
            name: "script propagation",
            // No replication PINGs while offsets are compared exactly.
            setup: Setup::new(1).conf("repl-ping-replica-period", "60"),
            script: script_propagation,
        },
    ]
}
