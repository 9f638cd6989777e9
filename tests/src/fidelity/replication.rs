//! The replication checks of the fidelity suite: exact reply and error
//! texts, ROLE, INFO replication fields and their order, offsets and the
//! replication stream a replica applies; `checks()` lists them with those of
//! `replication_timing` (late TTLs, expired keys on replicas, min-replicas,
//! partial vs full resync, WAIT).

use super::replication_timing::{
    expired_on_replica, first_write_after_sync, full_resync, late_ttl, link_kill_from_replica,
    min_replicas, partial_resync, wait_replies,
};
use super::runner::{Check, Obs};
use super::side::{info_field, Setup, Side};

// ------------------------------------------------------------------ helpers

pub(super) fn int_of(reply: &str) -> Option<i64> {
    reply.trim().trim_start_matches("(integer) ").parse().ok()
}

/// A `INFO <section>` field as a number.
pub(super) fn stat(side: &mut dyn Side, node: &str, section: &str, field: &str) -> String {
    let info = side.cmd(node, &format!("INFO {section}"));
    info_field(&info, field)
}

/// INFO field names in order (the `# Section` header left out).
fn field_names(info: &str) -> String {
    info.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(':').next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join(",")
}

/// INFO replication with what legitimately differs between two runs hidden:
/// addresses, replication IDs (unless all zeros), lag and seconds-ago values.
fn info_values(side: &dyn Side, info: &str) -> String {
    let text = side.hide_addresses(info);
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap_or((l, ""));
            let v = match k {
                "master_replid" | "master_replid2" if v != "0".repeat(40) => "<replid>".to_string(),
                "master_last_io_seconds_ago" | "master_link_down_since_seconds" => "<s>".into(),
                _ if k.starts_with("slave") && v.contains(",lag=") => {
                    v.split(",lag=").next().unwrap_or(v).to_string() + ",lag=<s>"
                }
                _ => v.to_string(),
            };
            format!("{k}:{v}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------------ checks

/// Exact reply and error texts for a batch of commands, as redis-cli prints them.
fn replies(side: &mut dyn Side) -> Vec<Obs> {
    const MASTER: &[&str] = &[
        "PING",
        "SET k v",
        "SET k v NX",
        "SET k v2 XX GET",
        "GET k",
        "SET k v EX 0",
        "SET k v EX 10 PX 10",
        "SET k v KEEPTTL EX 5",
        "SET k",
        "SET k v EX abc",
        "SET k v PX -5",
        "SETNX k v",
        "SETEX k 0 v",
        "SET n 9223372036854775807",
        "INCR n",
        "INCRBY n abc",
        "DECRBY n x",
        "INCR k",
        "FOO bar baz",
        "GETEX k PERSIST EX 10",
        "EXPIRE k 100 NX",
        "EXPIRE k 100 NX",
        "EXPIRE k 50 GT",
        "EXPIRE k 50 LT",
        "EXPIRE k 10 NX XX",
        "EXPIRE k 10 GT LT",
        "EXPIRE k abc",
        "EXPIRE missing 10",
        "TTL k",
        "PTTL missing",
        "PERSIST k",
        "TTL k",
        "EXPIRETIME k",
        "MSET a 1 b",
        "MSET a 1 b 2",
        "MGET a missing b",
        "EXISTS a a missing",
        "DEL a b missing",
        "ECHO \"a\\tb\\x01\"",
        "TYPE k",
        "STRLEN k",
        "APPEND k xyz",
        "GETDEL k",
        "GET",
        "WAIT 1",
        "SELECT 1",
        "SELECT 0",
        "DBSIZE",
        "CONFIG GET repl-backlog-size",
        "CONFIG GET min-slaves-max-lag",
        "CONFIG GET client-output-buffer-limit",
        "CONFIG SET repl-backlog-size abc",
        "CONFIG SET no-such-param 1",
        "CONFIG GET no-such-param",
        "CONFIG SET min-replicas-to-write -1",
    ];
    let mut out = Vec::new();
    for line in MASTER {
        let r = side.cmd("m", line);
        out.push(Obs::exact(format!("m> {line}"), r));
    }
    side.sleep_ms(200);
    for line in [
        "SET x 1",
        "WAIT 1 0",
        "GET n",
        "DBSIZE",
        "CLIENT KILL TYPE master",
    ] {
        let r = side.cmd("r1", line);
        out.push(Obs::exact(format!("r1> {line}"), r));
    }
    out
}

/// ROLE on both, addresses hidden (no pings: offsets are exact).
fn role(side: &mut dyn Side) -> Vec<Obs> {
    side.cmd("m", "SET k v");
    side.sleep_ms(1500); // one ACK period
    let m = side.cmd("m", "ROLE");
    let r = side.cmd("r1", "ROLE");
    vec![
        Obs::exact("m> ROLE", side.hide_addresses(&m)),
        Obs::exact("r1> ROLE", side.hide_addresses(&r)),
    ]
}

/// INFO replication: the field set and order, and the values (normalised).
fn info_replication(side: &mut dyn Side) -> Vec<Obs> {
    side.cmd("m", "SET k v");
    side.sleep_ms(1200);
    let m = side.cmd("m", "INFO replication");
    let r = side.cmd("r1", "INFO replication");
    let mut out = vec![
        Obs::exact("master fields", field_names(&m)),
        Obs::exact("connected replica fields", field_names(&r)),
        Obs::exact("master values", info_values(side, &m)),
        Obs::exact("connected replica values", info_values(side, &r)),
    ];
    side.crash("m");
    side.sleep_ms(1500);
    let d = side.cmd("r1", "INFO replication");
    out.push(Obs::exact("disconnected replica fields", field_names(&d)));
    out.push(Obs::exact(
        "disconnected replica values",
        info_values(side, &d),
    ));
    out
}

/// Offsets after the same writes: the first write after a replica attaches
/// carries a SELECT (23 bytes); SET foo bar is 31, DEL foo 22.
fn offsets(side: &mut dyn Side) -> Vec<Obs> {
    let off =
        |side: &mut dyn Side, node: &str| stat(side, node, "replication", "master_repl_offset");
    let start = off(side, "m");
    side.cmd("m", "SET foo bar");
    let one = off(side, "m");
    side.cmd("m", "SET foo bar");
    side.cmd("m", "DEL foo");
    side.cmd("m", "DEL foo"); // nothing to delete: nothing propagated
    let two = off(side, "m");
    side.sleep_ms(300);
    let r = stat(side, "r1", "replication", "slave_repl_offset");
    let ro = off(side, "r1");
    vec![
        Obs::exact("master offset after the sync", start),
        Obs::exact("after SELECT + SET", one),
        Obs::exact("after SET, DEL, DEL of nothing", two),
        Obs::exact("replica slave_repl_offset", r),
        Obs::exact("replica master_repl_offset", ro),
    ]
}

/// The stream as r1 applies it: TTLs become PXAT / PEXPIREAT, a past TTL DEL.
fn stream_rewriting(side: &mut dyn Side) -> Vec<Obs> {
    side.mark_stream();
    let t0 = side.clock_ms("m");
    for line in [
        "SET a 1 EX 100",
        "SET b 1 PX 100000",
        "SETEX c 100 1",
        "PSETEX d 100000 1",
        "SET e 1",
        "EXPIRE e 100",
        "PEXPIRE e 200000",
        "EXPIREAT e 1",
        "SET f 1",
        "GETEX f EX 100",
        "GETEX f PERSIST",
        "GETEX f",
        "GETEX f PXAT 1",
        "SET g 1 PXAT 99999999999999",
        "EXPIRE missing 10",
    ] {
        side.cmd("m", line);
    }
    side.sleep_ms(300);
    let entries = side.stream();
    // Absolute times shown relative to the start, in whole seconds.
    let rel = |ts: &str| match ts.parse::<i64>() {
        Ok(t) if t > t0 && t < t0 + 10_000_000 => {
            format!("now+{}s", ((t - t0) as f64 / 1000.0).round() as i64)
        }
        _ => ts.to_string(),
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let shown: Vec<String> = e.iter().map(|a| rel(a)).collect();
            Obs::exact(format!("r1 applies #{}", i + 1), shown.join(" "))
        })
        .collect()
}

/// The replication checks, each with its setup.
pub fn checks() -> Vec<Check> {
    // No replication PINGs during the checks that compare offsets exactly.
    let quiet = || Setup::new(1).conf("repl-ping-replica-period", "60");
    vec![
        Check {
            name: "replies",
            setup: Setup::new(1),
            script: replies,
        },
        Check {
            name: "role",
            setup: quiet(),
            script: role,
        },
        Check {
            name: "info replication",
            setup: quiet(),
            script: info_replication,
        },
        Check {
            name: "offsets",
            setup: quiet(),
            script: offsets,
        },
        Check {
            name: "stream",
            setup: quiet().watch_stream(),
            script: stream_rewriting,
        },
        Check {
            name: "late ttl",
            setup: Setup::new(1),
            script: late_ttl,
        },
        Check {
            name: "expired on replica",
            setup: Setup::new(1),
            script: expired_on_replica,
        },
        Check {
            name: "min-replicas",
            setup: Setup::new(1),
            script: min_replicas,
        },
        Check {
            name: "first write after sync",
            setup: Setup::new(1).no_settle(),
            script: first_write_after_sync,
        },
        Check {
            name: "link kill",
            setup: Setup::new(1),
            script: link_kill_from_replica,
        },
        Check {
            name: "partial resync",
            setup: Setup::new(1),
            script: partial_resync,
        },
        Check {
            name: "full resync",
            setup: Setup::new(1).conf("repl-backlog-size", "16384"),
            script: full_resync,
        },
        Check {
            name: "wait",
            setup: Setup::new(1),
            script: wait_replies,
        },
    ]
}
