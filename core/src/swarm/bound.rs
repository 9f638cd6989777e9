//! The times the swarm's properties use, read from a scenario alone: when
//! the faults heal (the last `heal`) and the liveness bound after it.
//! Depends on `replilab_core` only, like `gen.rs` and `faults.rs`: the three
//! can move into the core as they are, for the wasm determinism check.

use crate::action::Action;
use crate::data::split_args;
use crate::scenario::format::{Kind, NodeDef, Scenario};

/// When the faults end and how long the deployment then has to settle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The last `heal`: every cut heals, crashed processes restart, clocks
    /// are set right, clients have stopped.
    pub heal_ms: u64,
    /// The liveness bound: by `heal_ms + settle_ms` every replica is caught up.
    pub settle_ms: u64,
    /// How the bound was computed, for failure reports.
    pub why: String,
}

/// The worst delay and the narrowest bandwidth any path has during the run.
pub struct NetBounds {
    /// Latency + jitter, ms.
    pub max_delay_ms: u64,
    pub min_bytes_per_ms: u64,
}

impl NetBounds {
    /// The largest latency plus the largest jitter any link has at any time
    /// (a changed latency may meet a jitter set elsewhere on that link).
    pub fn of(s: &Scenario) -> NetBounds {
        let mbit = |m: u64| (m.max(1) * 125).max(1);
        let (mut lat, mut jit) = (s.network.latency_ms, s.network.jitter_ms);
        let mut bw = mbit(s.network.bandwidth_mbit);
        for l in &s.network.links {
            lat = lat.max(l.latency_ms);
            jit = jit.max(l.jitter_ms);
            bw = bw.min(l.bandwidth_mbit.map_or(bw, mbit));
        }
        for a in &s.timeline {
            if let Action::Link { change, .. } = &a.action {
                lat = lat.max(change.latency_ms.unwrap_or(0));
                jit = jit.max(change.jitter_ms.unwrap_or(0));
                bw = bw.min(change.bandwidth_bytes_per_ms.unwrap_or(bw));
            }
        }
        NetBounds {
            max_delay_ms: lat + jit,
            min_bytes_per_ms: bw,
        }
    }
}

/// Every value a setting takes in the scenario: node configs, then the
/// timeline's `CONFIG SET`s.
pub fn setting_values(s: &Scenario, name: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .nodes
        .iter()
        .filter_map(|n| n.config.get(name).cloned())
        .collect();
    for a in &s.timeline {
        if let Action::Command { line, .. } = &a.action {
            let argv = split_args(line).unwrap_or_default();
            let text = |i: usize| String::from_utf8_lossy(&argv[i]).to_ascii_lowercase();
            if argv.len() == 4 && text(0) == "config" && text(1) == "set" && text(2) == name {
                out.push(String::from_utf8_lossy(&argv[3]).into_owned());
            }
        }
    }
    out
}

fn max_setting(s: &Scenario, name: &str, default: u64) -> u64 {
    setting_values(s, name)
        .iter()
        .filter_map(|v| v.parse().ok())
        .fold(default, u64::max)
}

/// The heal time and the liveness bound of a scenario built like the swarm's.
pub fn bound(s: &Scenario) -> Bound {
    let heal_ms = s
        .timeline
        .iter()
        .filter(|a| a.action == Action::Heal)
        .filter_map(|a| a.at_ms())
        .max()
        .unwrap_or(0);
    let count = |k: Kind| s.nodes.iter().filter(|n| n.kind == k).count() as u64;
    let n_redis = count(Kind::Redis);
    let repl_timeout = max_setting(s, "repl-timeout", 60) * 1000;
    let ping = max_setting(s, "repl-ping-replica-period", 10) * 1000;
    let delay = max_setting(s, "repl-diskless-sync-delay", 5) * 1000;
    let net = NetBounds::of(s);
    // Bytes a full sync may carry: the populated keys and every write.
    let mut data: u64 = s.nodes.iter().filter_map(|n| n.populate).sum::<u64>() * 64;
    for c in s.nodes.iter().filter(|n| n.kind == Kind::Client) {
        data += heal_ms / c.period_ms.unwrap_or(100).max(1) * 64;
        if let Some(crate::client::ClusterWorkload::Bigkey { bytes, .. }) = &c.cluster_workload {
            data += bytes;
        }
    }
    let rate = |v: Option<u64>, d: u64| v.map_or(d, |mb| (mb * 1000).max(1));
    let slowest = |f: fn(&NodeDef) -> Option<u64>, d| {
        s.nodes.iter().map(|n| rate(f(n), d)).min().unwrap_or(d)
    };
    let save = slowest(|n| n.rdb_save_mb_s, 200_000);
    let load = slowest(|n| n.rdb_load_mb_s, 300_000);
    let sync = delay
        + data / net.min_bytes_per_ms.max(1)
        + data / save
        + data / load
        + 20 * net.max_delay_ms
        + 2_000;
    let sentinel = s
        .nodes
        .iter()
        .filter_map(|n| n.monitor.as_ref())
        .map(|m| {
            30_000 + 2 * m.down_after_ms + 2 * m.failover_timeout_ms + 10_000 * n_redis + 20_000
        })
        .max()
        .unwrap_or(0);
    let cluster = s
        .cluster
        .as_ref()
        .map_or(0, |c| 4 * c.node_timeout_ms + 10_000);
    let settle_ms = 2 * repl_timeout + ping + sentinel + cluster + n_redis * sync + 10_000;
    let settle_why = format!(
        "2×repl-timeout {repl_timeout} + ping period {ping} + Sentinel (TILT 30 s, 2×down-after, 2×failover-timeout, 10 s per replica reconf) {sentinel} + cluster (4×node-timeout) {cluster} + {n_redis} chained full syncs × {sync} (diskless delay {delay}, ~{data} B at {} B/ms, RDB save/load) + 10 s",
        net.min_bytes_per_ms
    );
    Bound {
        heal_ms,
        settle_ms: settle_ms.div_ceil(1000) * 1000,
        why: settle_why,
    }
}
