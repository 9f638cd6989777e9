//! The swarm's generator: a pure function seed → [`Case`], a scenario in the
//! lesson format (`crate::scenario::format`) that `replilab run` can
//! replay from its TOML text.
//!
//! Only `crate::rng::Rng` draws (64-bit, fixed algorithm), no floats,
//! no `usize` draws, no maps iterated in hash order: the same seed gives the
//! same scenario on every platform, so the wasm build can regenerate it.
//! This file draws the deployment (topology, network, settings, clients);
//! `faults.rs` draws the timeline; `Case::from_scenario` reads back what the
//! properties need from the scenario alone.

use crate::client::{ClusterWorkload, SaleSpec, Strategy};
use crate::rng::Rng;
use crate::scenario::cluster::ClusterDef;
use crate::scenario::format::{
    Kind, LinkDef, MonitorDef, Network, NodeDef, Scenario, Text, FORMAT,
};

/// Draws on top of the core's RNG.
pub struct G(pub Rng);

impl G {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.0.below(hi.saturating_sub(lo) + 1)
    }
    /// True with probability `num/den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.0.below(den) < num
    }
    /// Spread over the orders of magnitude of `lo..=hi` (integer-only: a bit
    /// length first, then a value of that length), so 1 mbit is as likely as 1 Gbit.
    pub fn log_range(&mut self, lo: u64, hi: u64) -> u64 {
        let lo = lo.max(1);
        let bits = |x: u64| 64 - x.leading_zeros() as u64;
        let k = self.range(bits(lo), bits(hi));
        let (a, b) = (1u64 << (k - 1), (1u64 << (k - 1)).saturating_mul(2) - 1);
        self.range(a.max(lo), b.min(hi))
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.0.below(v.len() as u64) as usize]
    }
}

/// One setting as CONFIG SET takes it, over the range the lab accepts.
/// `protected-mode` is left out: with it a server refuses every other host
/// (replicas, Sentinels, clients), so nothing in the run could work.
pub fn setting(g: &mut G) -> (String, String) {
    let yes_no = |g: &mut G| if g.chance(1, 2) { "yes" } else { "no" }.to_string();
    let (name, value) = match g.below(17) {
        0 => (
            "repl-backlog-size",
            match g.below(3) {
                0 => g.pick(&["1", "16kb", "64kb", "1mb", "64mb"]).to_string(),
                _ => g.log_range(1, 64 << 20).to_string(),
            },
        ),
        1 => (
            "repl-backlog-ttl",
            g.pick(&[0, 1, 2, 5, 30, 3600]).to_string(),
        ),
        // Mostly as deployed (repl-timeout well above the PING period), sometimes anything.
        2 | 3 if g.chance(3, 4) => ("repl-timeout", g.range(15, 60).to_string()),
        2 | 3 => ("repl-timeout", g.log_range(1, 60).to_string()),
        4 if g.chance(3, 4) => ("repl-ping-replica-period", g.range(1, 10).to_string()),
        4 => ("repl-ping-replica-period", g.log_range(1, 20).to_string()),
        5 => ("repl-diskless-sync", yes_no(g)),
        6 => ("repl-diskless-sync-delay", g.range(0, 10).to_string()),
        7 => ("repl-diskless-sync-max-replicas", g.range(0, 3).to_string()),
        8 => ("min-replicas-to-write", g.range(0, 3).to_string()),
        9 => ("min-replicas-max-lag", g.range(0, 20).to_string()),
        10 => (
            "replica-read-only",
            if g.chance(1, 4) { "no" } else { "yes" }.into(),
        ),
        11 => ("replica-serve-stale-data", yes_no(g)),
        12 => (
            "replica-priority",
            g.pick(&[0, 1, 10, 100, 100, 200]).to_string(),
        ),
        13 => ("replica-announced", yes_no(g)),
        14 => ("replica-lazy-flush", yes_no(g)),
        15 => {
            let class = if g.chance(1, 5) { "pubsub" } else { "replica" };
            let hard = if g.chance(1, 6) {
                0
            } else {
                g.log_range(16 << 10, 512 << 20)
            };
            let soft = if g.chance(1, 3) {
                0
            } else {
                g.log_range(1 << 10, hard.max(1 << 10))
            };
            let secs = g.range(0, 120);
            (
                "client-output-buffer-limit",
                format!("{class} {hard} {soft} {secs}"),
            )
        }
        _ => match g.below(3) {
            0 => ("hz", g.log_range(1, 100).to_string()),
            1 => ("active-expire-effort", g.range(1, 10).to_string()),
            _ => ("repl-timeout", g.log_range(1, 60).to_string()),
        },
    };
    (name.to_string(), value)
}

/// The whole scenario of one seed; it lasts until the liveness bound.
pub fn generate(seed: u64) -> Scenario {
    let mut g = G(Rng::new(seed ^ 0x5_3A2A_F00D));
    let cluster = g.chance(1, 8);
    let profile = if cluster {
        "7.0"
    } else {
        *g.pick(&["3.0", "6.2", "7.0", "7.0"])
    };
    let mut nodes = Vec::new();
    let masters = redis_nodes(&mut g, cluster, &mut nodes);
    let n_redis = nodes.len() as u64;
    let sentinels = if cluster { 0 } else { g.range(0, 5) };
    if sentinels > 0 {
        let quorum = g.range(1, sentinels + 1);
        let down_after_ms = if g.chance(3, 4) {
            g.log_range(2_000, 30_000)
        } else {
            g.log_range(100, 30_000)
        };
        let failover_timeout_ms = if g.chance(1, 10) {
            180_000
        } else {
            g.log_range(1_000, 60_000)
        };
        let parallel_syncs = g.range(1, n_redis.max(2) - 1) as u32;
        for i in 1..=sentinels {
            let mut s = NodeDef::new(&format!("s{i}"), Kind::Sentinel);
            s.monitor = Some(MonitorDef {
                master: "m".into(),
                name: "mymaster".into(),
                // Sometimes one Sentinel is configured apart (any quorum goes).
                quorum: if g.chance(1, 8) {
                    g.range(1, sentinels + 1)
                } else {
                    quorum
                } as u32,
                down_after_ms,
                failover_timeout_ms,
                parallel_syncs,
            });
            nodes.push(s);
        }
    }
    let fault_from_ms = g.range(0, 10) * 1000;
    let heal_ms = fault_from_ms + g.range(5, 60) * 1000;
    clients(
        &mut g,
        &mut nodes,
        &masters,
        cluster,
        sentinels > 0,
        heal_ms,
    );
    let network = network(&mut g, &nodes);
    let cluster = cluster.then(|| ClusterDef {
        node_timeout_ms: g.log_range(200, 15_000),
        require_full_coverage: g.chance(3, 4),
        allow_reads_when_down: g.chance(1, 4),
        replica_validity_factor: g.range(0, 10),
        slots: Vec::new(),
    });
    let mut s = Scenario {
        format: FORMAT.into(),
        id: format!("swarm-{seed}"),
        title: Text {
            en: format!("Swarm seed {seed}"),
            zh: format!("随机场景 {seed}"),
        },
        summary: Text::default(),
        source: Text {
            en: format!("replilab swarm --seed {seed}"),
            zh: String::new(),
        },
        minutes: 0,
        seed,
        duration_s: 1,
        profile: profile.into(),
        network,
        cluster,
        nodes,
        timeline: Vec::new(),
        steps: Vec::new(),
        expects: Vec::new(),
    };
    s.timeline = super::faults::timeline(&mut g, &s, fault_from_ms, heal_ms);
    let b = super::bound::bound(&s);
    s.duration_s = (b.heal_ms + b.settle_ms).div_ceil(1000);
    s
}

/// Redis nodes: `m` and replicas `r1..` in chains, or a cluster of masters
/// `m1..` each with replicas. Returns the masters' names.
fn redis_nodes(g: &mut G, cluster: bool, nodes: &mut Vec<NodeDef>) -> Vec<String> {
    let base: Vec<(String, String)> = (0..g.below(3)).map(|_| setting(g)).collect();
    let mut add = |g: &mut G, name: String, replicaof: Option<String>| {
        let mut n = NodeDef::new(&name, Kind::Redis);
        n.replicaof = replicaof;
        for (k, v) in base
            .iter()
            .cloned()
            .chain((0..g.below(3)).map(|_| setting(g)))
        {
            n.config.insert(k, v);
        }
        if g.chance(1, 6) {
            n.rdb_save_mb_s = Some(g.log_range(1, 1000));
        }
        if g.chance(1, 6) {
            n.rdb_load_mb_s = Some(g.log_range(1, 1000));
        }
        nodes.push(n);
    };
    let mut masters = Vec::new();
    if cluster {
        let m = g.range(1, 3);
        for i in 1..=m {
            masters.push(format!("m{i}"));
            add(g, format!("m{i}"), None);
        }
        let mut r = 0;
        for i in 1..=m {
            for _ in 0..g.range(0, 2) {
                r += 1;
                add(g, format!("r{r}"), Some(format!("m{i}")));
            }
        }
    } else {
        masters.push("m".to_string());
        add(g, "m".into(), None);
        for i in 1..g.range(1, 9) {
            // Most replicas follow the master; some follow another replica (a chain).
            let up = if i == 1 || g.chance(3, 5) {
                "m".to_string()
            } else {
                format!("r{}", g.range(1, i - 1))
            };
            add(g, format!("r{i}"), Some(up));
        }
    }
    for m in &masters {
        if g.chance(1, 4) {
            if let Some(n) = nodes.iter_mut().find(|n| &n.name == m) {
                n.populate = Some(g.log_range(1, 20_000));
            }
        }
    }
    masters
}

/// 0-4 clients of every routing and workload; they stop when the faults heal.
fn clients(
    g: &mut G,
    nodes: &mut Vec<NodeDef>,
    masters: &[String],
    cluster: bool,
    sentinels: bool,
    heal_ms: u64,
) {
    let redis: Vec<String> = nodes
        .iter()
        .filter(|n| n.kind == Kind::Redis)
        .map(|n| n.name.clone())
        .collect();
    for i in 1..=g.range(0, 4) {
        let mut c = NodeDef::new(&format!("c{i}"), Kind::Client);
        let routing = match g.below(4) {
            0 | 1 if cluster => "cluster",
            0 | 1 if sentinels => "sentinel",
            _ => "fixed",
        };
        c.routing = Some(routing.into());
        if routing == "fixed" {
            c.target = Some(if g.chance(2, 3) {
                g.pick(masters).clone()
            } else {
                g.pick(&redis).clone()
            });
        }
        if routing != "cluster" && redis.len() > 1 && g.chance(1, 3) {
            c.read_from = Some(g.pick(&redis[1..]).clone());
        }
        if routing == "cluster" {
            c.cluster_workload = Some(match g.below(5) {
                0 => ClusterWorkload::Spread,
                1 => ClusterWorkload::Tagged {
                    tag: format!("t{}", g.below(100)),
                },
                2 => ClusterWorkload::Bigkey {
                    key: format!("big{i}"),
                    bytes: g.log_range(1, 1 << 20),
                },
                3 => ClusterWorkload::HotRead {
                    key: format!("hot{i}"),
                },
                _ => ClusterWorkload::HotCopies {
                    key: format!("hot{i}"),
                    copies: g.range(1, 8) as u32,
                    write_every: g.range(0, 10) as u32,
                },
            });
        } else {
            let w = *g.pick(&[
                "writer",
                "writer",
                "write_then_read",
                "counter",
                "expiring",
                "buyers",
            ]);
            c.workload = Some(w.into());
            if w == "expiring" {
                c.ttl_ms = Some(g.log_range(10, 20_000));
                c.read_after_ms = Some(g.log_range(10, 20_000));
            }
            if w == "buyers" {
                c.sale = Some(SaleSpec {
                    strategy: *g.pick(&[
                        Strategy::Naive,
                        Strategy::Script,
                        Strategy::Lock,
                        Strategy::Multi,
                        Strategy::Watch,
                    ]),
                    buyers: g.log_range(1, 300) as u32,
                    stock: g.range(0, 100) as i64,
                    key: format!("stock{i}"),
                    arrival_ms: g.log_range(1, 10_000),
                    work_ms: g.range(0, 500),
                    lock_ttl_ms: g.log_range(1, 5_000),
                    retry_ms: g.log_range(1, 500),
                    safe_release: g.chance(1, 2),
                });
            }
        }
        c.prefix = Some(format!("c{i}"));
        c.period_ms = Some(g.log_range(5, 1000));
        if g.chance(1, 2) {
            c.timeout_ms = Some(g.log_range(20, 5000));
        }
        if g.chance(1, 5) {
            c.wait = Some((
                g.range(0, 3) as u32,
                g.pick(&[0, 10, 100, 1000, 3000]).to_owned(),
            ));
        }
        if g.chance(1, 3) {
            c.start_s = Some(g.range(0, 5));
        }
        c.stop_s = Some(heal_ms / 1000);
        nodes.push(c);
    }
}

/// Default link, then a few pairs that differ (slow, lossy-looking, narrow).
fn network(g: &mut G, nodes: &[NodeDef]) -> Network {
    let latency = |g: &mut G| {
        if g.chance(1, 6) {
            0
        } else {
            g.log_range(1, 200)
        }
    };
    let jitter = |g: &mut G| {
        if g.chance(1, 3) {
            0
        } else {
            g.log_range(1, 50)
        }
    };
    let bandwidth = |g: &mut G| g.log_range(1, 10_000);
    let mut net = Network {
        latency_ms: latency(g),
        jitter_ms: jitter(g),
        bandwidth_mbit: bandwidth(g),
        links: Vec::new(),
    };
    for _ in 0..g.range(0, 3) {
        let a = g.pick(nodes).name.clone();
        let b = g.pick(nodes).name.clone();
        if a != b {
            net.links.push(LinkDef {
                a,
                b,
                latency_ms: latency(g),
                jitter_ms: jitter(g),
                bandwidth_mbit: g.chance(1, 2).then(|| bandwidth(g)),
            });
        }
    }
    net
}
