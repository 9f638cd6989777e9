//! The Sentinel checks of the fidelity suite: one script, run on the lab
//! (`dsl::Lab`, Sentinels at 10.0.1.x:26379) and on real redis-sentinel
//! 7.0.15 (three processes on 127.0.0.1), compared row by row.
//!
//! Topology on both sides: master `m`, replicas `r1`, `r2`, Sentinels
//! `s1..s3` (quorum 2, down-after 5 s, failover-timeout 30 s), every Redis
//! with `repl-diskless-sync-delay 0`; the Sentinels start once the replicas
//! are online. A writer writes `w:<n>` every 100 ms to m's fixed address.
//! The master stalls for 10 s (SIGSTOP / `Fault::Pause`): a false failure.
//!
//! Addresses and run ids are normalised before comparing: `host port` and
//! `host:port` of a node become its name (`m`, `r1`, `s2`), 40-hex run ids
//! become `<id>`. Which replica is promoted, and which Sentinel leads, is
//! random on the real side, so rows name roles, not instances.
//!
//! This module: the side trait, normalisation and the two checks' runner;
//! `sentinel_script`: the script both sides run (the checks);
//! `sentinel_sides`: the lab side (`LabSentinels`) and the real side
//! (`RealSentinels`).

use std::time::Instant;

use super::runner::{pair_rows, panic_text, Obs, Row};
use super::sentinel_script::script;
use super::sentinel_sides::{LabSentinels, RealSentinels};

pub const DOWN_AFTER_MS: u64 = 5_000;
pub const FAILOVER_TIMEOUT_MS: u64 = 30_000;
pub const STALL_MS: u64 = 10_000;
pub(super) const SENTINELS: [&str; 3] = ["s1", "s2", "s3"];

/// What a writer's run came to.
pub struct WriterOutcome {
    pub acked: u64,
    pub lost: u64,
    pub noreplicas: u64,
    pub readonly: u64,
}

/// One side of a Sentinel check.
pub trait SentinelSide {
    /// A line typed at redis-cli on `node` (m, r1, r2, s1..s3).
    fn cmd(&mut self, node: &str, line: &str) -> String;
    fn sleep_ms(&mut self, ms: u64);
    fn now_ms(&self) -> i64;
    /// Events so far: (ms, Sentinel, normalised text).
    fn events(&mut self) -> Vec<(i64, String, String)>;
    /// Every event Sentinel `s` logged so far, normalised (real: its log file,
    /// which also holds what came before anyone could subscribe).
    fn logged(&mut self, s: &str) -> Vec<String>;
    /// The master stalls for `ms` from now (it wakes on its own while the
    /// side sleeps or runs commands).
    fn pause_master(&mut self, ms: u64);
    fn kill(&mut self, node: &str);
    fn start_writer(&mut self);
    /// Stops the writer; acknowledged writes missing from the final master.
    fn writer_outcome(&mut self) -> Result<WriterOutcome, String>;
    /// Node names for addresses, `<id>` for run ids.
    fn normalize(&self, text: &str) -> String;
}

/// `host port` / `host:port` of each (host, port, name) → name; run ids → `<id>`.
pub(super) fn normalize_with(text: &str, nodes: &[(String, u16, String)]) -> String {
    let mut t = text.to_string();
    for (h, p, n) in nodes {
        for pat in [format!("{h}:{p}"), format!("{h} {p}")] {
            let mut out = String::new();
            let mut rest = t.as_str();
            while let Some(i) = rest.find(&pat) {
                let end = i + pat.len();
                let glued = rest[end..].starts_with(|c: char| c.is_ascii_digit())
                    || rest[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.');
                out.push_str(&rest[..i]);
                out.push_str(if glued { &pat } else { n });
                rest = &rest[end..];
            }
            out.push_str(rest);
            t = out;
        }
    }
    t.split(' ')
        .map(|w| {
            if w.len() == 40 && w.chars().all(|c| c.is_ascii_hexdigit()) {
                "<id>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The quoted items of a reply as redis-cli prints it (`1) "a"` lines).
pub(super) fn items(reply: &str) -> Vec<String> {
    reply
        .lines()
        .filter_map(|l| {
            let (_, v) = l.split_once(") ")?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .collect()
}

/// `SENTINEL MASTER` as (key, value) pairs.
pub(super) fn pairs(reply: &str) -> Vec<(String, String)> {
    let it = items(reply);
    it.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

/// The node at the address a `get-master-addr-by-name` reply names.
pub(super) fn addr_reply(side: &dyn SentinelSide, reply: &str) -> String {
    match items(reply).as_slice() {
        [h, p] => {
            let name = side.normalize(&format!("{h} {p}"));
            format!("1) host of {name} 2) port of {name}")
        }
        _ => reply.to_string(),
    }
}

/// `+type` plus the instance kind when the payload starts with one.
pub(super) fn event_type(text: &str) -> String {
    let mut w = text.split(' ');
    let ty = w.next().unwrap_or("");
    match w.next() {
        Some(k @ ("master" | "slave" | "sentinel")) => format!("{ty} {k}"),
        _ => ty.to_string(),
    }
}

pub(super) fn poll(
    side: &mut dyn SentinelSide,
    budget_ms: i64,
    mut ok: impl FnMut(&mut dyn SentinelSide) -> bool,
) -> bool {
    let start = side.now_ms();
    loop {
        if ok(side) {
            return true;
        }
        if side.now_ms() - start > budget_ms {
            return false;
        }
        side.sleep_ms(200);
    }
}

fn guarded<S: SentinelSide>(
    start: impl FnOnce() -> Result<S, String>,
    full: bool,
) -> Result<Vec<Obs>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut side = start()?;
        Ok(script(&mut side, full))
        // `side` drops here, also on panic: processes killed by PID.
    }))
    .unwrap_or_else(|p| Err(format!("<panicked: {}>", panic_text(p))))
}

/// The two Sentinel checks; real runs take about 30 s and 20 s.
pub fn run_sentinel_checks(seed: u64) -> Vec<Row> {
    let mut rows = vec![];
    for (name, full, min) in [
        ("sentinel false failure", true, false),
        ("sentinel min-replicas", false, true),
    ] {
        let t = Instant::now();
        let lab = guarded(|| LabSentinels::start(seed, min), full);
        let real = guarded(|| RealSentinels::start(min), full);
        let r = pair_rows(name, lab, real);
        println!(
            "check {name:<20} {:>3} rows in {:.1}s",
            r.len(),
            t.elapsed().as_secs_f64()
        );
        rows.extend(r);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_run_ids_are_normalised() {
        let nodes = vec![
            ("127.0.0.1".to_string(), 6000, "m".to_string()),
            ("127.0.0.1".to_string(), 60001, "r1".to_string()),
        ];
        assert_eq!(
            normalize_with(
                "+slave slave 127.0.0.1:60001 127.0.0.1 60001 @ mymaster 127.0.0.1 6000",
                &nodes
            ),
            "+slave slave r1 r1 @ mymaster m"
        );
        assert_eq!(
            normalize_with(&format!("+vote-for-leader {} 1", "ab".repeat(20)), &nodes),
            "+vote-for-leader <id> 1"
        );
        assert_eq!(event_type("+sdown master mymaster m"), "+sdown master");
        assert_eq!(event_type("+new-epoch 1"), "+new-epoch");
    }
}
