//! Turning a scenario into a running simulation: hosts, links, and the
//! timeline as scheduled actions.

use crate::client::{ClientSpec, ReadFrom, Routing, Workload};
use crate::net::LinkCfg;
use crate::node::NodeSpec;
use crate::profile::Profile;
use crate::redis::RedisSpec;
use crate::sentinel::{MonitorSpec, SentinelSpec};
use crate::sim::{Fault, Sim, SimConfig};

use super::format::{Kind, NodeDef, Scenario};

/// The address each node gets: its own `host`, or 10.0.0.N / 10.0.1.N / 10.0.2.N.
pub fn addresses(s: &Scenario) -> Vec<(String, u16)> {
    let mut counters = [0u32; 3];
    s.nodes
        .iter()
        .map(|n| {
            let (i, net, port) = match n.kind {
                Kind::Redis => (0, 0, 6379),
                Kind::Sentinel => (1, 1, 26379),
                Kind::Client => (2, 2, 0),
            };
            counters[i] += 1;
            (
                n.host
                    .clone()
                    .unwrap_or_else(|| format!("10.0.{net}.{}", counters[i])),
                n.port.unwrap_or(port),
            )
        })
        .collect()
}

fn mbit(m: u64) -> u64 {
    (m.max(1) * 1_000_000 / 8 / 1000).max(1)
}

/// Builds the simulation. `seed` overrides the file's seed.
pub fn build(s: &Scenario, seed: Option<u64>) -> Sim {
    let mut sim = Sim::new(SimConfig {
        seed: seed.unwrap_or(s.seed),
        ..SimConfig::default()
    });
    sim.net.default_link = LinkCfg {
        latency_ms: s.network.latency_ms,
        jitter_ms: s.network.jitter_ms,
        bandwidth_bytes_per_ms: mbit(s.network.bandwidth_mbit),
    };
    let addrs = addresses(s);
    let addr_of = |name: &str| {
        s.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| addrs[i].clone())
    };
    let default_profile = Profile::parse(&s.profile).unwrap_or_default();
    let seed = seed.unwrap_or(s.seed);
    let cluster = s
        .cluster
        .as_ref()
        .map(|c| crate::scenario::cluster::specs(s, c, seed, &addr_of));
    // Servers first, then Sentinels, then clients: a real deployment starts that way.
    let mut order: Vec<usize> = (0..s.nodes.len()).collect();
    order.sort_unstable_by_key(|&i| {
        let rank = match s.nodes[i].kind {
            Kind::Redis => u8::from(s.nodes[i].replicaof.is_some()),
            Kind::Sentinel => 2,
            Kind::Client => 3,
        };
        (rank, i)
    });
    for i in order {
        let n = &s.nodes[i];
        let (host, port) = addrs[i].clone();
        let spec = match n.kind {
            Kind::Redis => {
                let mut spec = redis_spec(n, default_profile, &addr_of);
                spec.cluster = cluster
                    .iter()
                    .flatten()
                    .find(|c| c.0 == n.name)
                    .map(|c| c.1.clone());
                NodeSpec::Redis(spec)
            }
            Kind::Sentinel => NodeSpec::Sentinel(sentinel_spec(n, &addr_of)),
            Kind::Client => NodeSpec::Client(client_spec(n, &addr_of, s)),
        };
        let id = sim.add_node(&n.name, &host, port, spec);
        if n.skew_ms != 0 {
            sim.apply(Fault::Skew {
                node: id,
                skew_ms: n.skew_ms,
            });
        }
        if let Some(keys) = n.populate {
            let _ = sim.console(id, &format!("DEBUG POPULATE {keys}"));
        }
    }
    for l in &s.network.links {
        if let (Some(a), Some(b)) = (sim.node_id(&l.a), sim.node_id(&l.b)) {
            let bw = l
                .bandwidth_mbit
                .map_or(sim.net.default_link.bandwidth_bytes_per_ms, mbit);
            sim.set_link(
                a,
                b,
                LinkCfg {
                    latency_ms: l.latency_ms,
                    jitter_ms: l.jitter_ms,
                    bandwidth_bytes_per_ms: bw,
                },
            );
        }
    }
    for a in &s.timeline {
        // Validated by the loader: every time is given and every node exists.
        if let Some(at) = a.at_ms() {
            let _ = sim.schedule(at, &a.action, a.id.clone());
        }
    }
    sim
}

fn redis_spec(
    n: &NodeDef,
    default: Profile,
    addr_of: &dyn Fn(&str) -> Option<(String, u16)>,
) -> RedisSpec {
    let profile = n
        .profile
        .as_deref()
        .and_then(Profile::parse)
        .unwrap_or(default);
    let mut spec = RedisSpec::new(profile);
    for (k, v) in &n.config {
        let _ = spec.conf.config_set(k, v);
    }
    spec.replicaof = n.replicaof.as_deref().and_then(addr_of);
    if let Some(v) = n.rdb_save_mb_s {
        spec.rdb_save_bytes_per_ms = (v * 1000).max(1);
    }
    if let Some(v) = n.rdb_load_mb_s {
        spec.rdb_load_bytes_per_ms = (v * 1000).max(1);
    }
    spec
}

fn sentinel_spec(n: &NodeDef, addr_of: &dyn Fn(&str) -> Option<(String, u16)>) -> SentinelSpec {
    let monitors = n
        .monitor
        .iter()
        .filter_map(|m| {
            let (host, port) = addr_of(&m.master)?;
            Some(MonitorSpec {
                name: m.name.clone(),
                host,
                port,
                quorum: m.quorum,
                down_after_ms: m.down_after_ms,
                failover_timeout_ms: m.failover_timeout_ms,
                parallel_syncs: m.parallel_syncs,
                ..MonitorSpec::default()
            })
        })
        .collect();
    SentinelSpec {
        monitors,
        protected_mode: n.protected_mode,
        ..SentinelSpec::default()
    }
}

fn client_spec(
    n: &NodeDef,
    addr_of: &dyn Fn(&str) -> Option<(String, u16)>,
    s: &Scenario,
) -> ClientSpec {
    let routing = match n.routing.as_deref() {
        Some("sentinel") => {
            let sentinels = s
                .nodes
                .iter()
                .filter(|x| x.kind == Kind::Sentinel)
                .filter_map(|x| addr_of(&x.name))
                .collect();
            let master = s
                .nodes
                .iter()
                .find_map(|x| x.monitor.as_ref().map(|m| m.name.clone()))
                .unwrap_or_else(|| "mymaster".into());
            Routing::Sentinel { sentinels, master }
        }
        _ => {
            let (host, port) = n
                .target
                .as_deref()
                .and_then(addr_of)
                .unwrap_or(("10.0.0.1".into(), 6379));
            Routing::Fixed { host, port }
        }
    };
    let read_from = match n.read_from.as_deref().and_then(addr_of) {
        Some((host, port)) => ReadFrom::Replica { host, port },
        None => ReadFrom::Master,
    };
    let workload = match n.workload.as_deref() {
        Some("write_then_read") => Workload::WriteThenRead,
        Some("counter") => Workload::Counter,
        Some("expiring") => Workload::Expiring {
            ttl_ms: n.ttl_ms.unwrap_or(1000),
            read_after_ms: n.read_after_ms.unwrap_or(2000),
        },
        Some("buyers") => Workload::Buyers(n.sale.clone().unwrap_or_default()),
        _ => Workload::Writer,
    };
    let d = ClientSpec::default();
    ClientSpec {
        routing,
        read_from,
        workload,
        period_ms: n.period_ms.unwrap_or(d.period_ms),
        wait: n.wait,
        timeout_ms: n.timeout_ms.unwrap_or(d.timeout_ms),
        start_ms: n.start_s.unwrap_or(0) * 1000,
        stop_ms: n.stop_s.map(|s| s * 1000),
        prefix: n.prefix.clone().unwrap_or(d.prefix),
        cluster: (n.routing.as_deref() == Some("cluster")).then(|| {
            crate::client::ClusterClientSpec {
                seeds: s
                    .nodes
                    .iter()
                    .filter(|x| x.kind == Kind::Redis)
                    .filter_map(|x| addr_of(&x.name))
                    .collect(),
                workload: n
                    .cluster_workload
                    .clone()
                    .unwrap_or(crate::client::ClusterWorkload::Spread),
                max_redirects: 5,
            }
        }),
    }
}
