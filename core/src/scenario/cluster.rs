//! The `[cluster]` table of a scenario: which servers form a cluster, their
//! slot ranges (default: the even split `redis-cli --cluster create` makes)
//! and the cluster settings; validation with clear errors; the specs each
//! server starts from.

use serde::{Deserialize, Serialize};

use crate::cluster::{ClusterSpec, PeerSpec, SLOTS};
use crate::rng::Rng;
use crate::scenario::format::{Kind, Scenario};

/// `[cluster]`: every Redis node of the scenario is a cluster node; nodes
/// with `replicaof` are replicas of that master.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterDef {
    /// `cluster-node-timeout` (ms); default 15000.
    #[serde(default = "node_timeout")]
    pub node_timeout_ms: u64,
    /// `cluster-require-full-coverage`: with a slot unserved, the whole
    /// cluster refuses queries; default true.
    #[serde(default = "yes")]
    pub require_full_coverage: bool,
    /// `cluster-allow-reads-when-down`: a node still serves reads while the
    /// cluster is down; default false.
    #[serde(default)]
    pub allow_reads_when_down: bool,
    /// `cluster-replica-validity-factor`: a replica disconnected longer than
    /// this many node timeouts (plus the ping period) may not fail over; 0:
    /// always may. Default 10.
    #[serde(default = "ten")]
    pub replica_validity_factor: u64,
    /// `[[cluster.slots]]`: explicit slot ranges; without any, the masters
    /// split the 16384 slots evenly, as `redis-cli --cluster create` does.
    #[serde(default, rename = "slots")]
    pub slots: Vec<SlotsDef>,
}

/// `[[cluster.slots]]`: `node` serves `ranges` (inclusive `[first, last]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotsDef {
    /// A master: a Redis node without `replicaof`.
    pub node: String,
    /// Its slots: `[[first, last], ...]`, inclusive, 0 to 16383; overlaps
    /// are errors, uncovered slots are allowed (`cluster_state:fail`).
    pub ranges: Vec<(u16, u16)>,
}

fn node_timeout() -> u64 {
    15_000
}
fn yes() -> bool {
    true
}
fn ten() -> u64 {
    10
}

/// The masters (Redis nodes without `replicaof`), in file order.
fn masters(s: &Scenario) -> Vec<&str> {
    s.nodes
        .iter()
        .filter(|n| n.kind == Kind::Redis && n.replicaof.is_none())
        .map(|n| n.name.as_str())
        .collect()
}

/// `redis-cli --cluster create`'s split of the slots over `n` masters.
pub fn even_split(n: usize) -> Vec<(u16, u16)> {
    let per = f64::from(SLOTS) / n.max(1) as f64;
    let (mut first, mut cursor) = (0u32, 0f64);
    (0..n)
        .map(|i| {
            let mut last = (cursor + per - 1.0).round() as u32;
            if last >= u32::from(SLOTS) || i == n - 1 {
                last = u32::from(SLOTS) - 1;
            }
            last = last.max(first);
            let r = (first as u16, last as u16);
            first = last + 1;
            cursor += per;
            r
        })
        .collect()
}

/// The slot ranges of each master (by name).
fn assignment<'a>(s: &'a Scenario, c: &'a ClusterDef) -> Vec<(&'a str, Vec<(u16, u16)>)> {
    let m = masters(s);
    if c.slots.is_empty() {
        let split = even_split(m.len());
        return m
            .into_iter()
            .zip(split)
            .map(|(n, r)| (n, vec![r]))
            .collect();
    }
    m.into_iter()
        .map(|n| {
            let r = c
                .slots
                .iter()
                .filter(|d| d.node == n)
                .flat_map(|d| d.ranges.clone());
            (n, r.collect())
        })
        .collect()
}

/// Checks the table: (index of the offending `[[cluster.slots]]` or None, message).
pub fn validate(s: &Scenario, c: &ClusterDef) -> Result<(), (Option<usize>, String)> {
    if c.node_timeout_ms == 0 {
        return Err((
            None,
            "[cluster]: `node_timeout_ms` must be at least 1".into(),
        ));
    }
    let m = masters(s);
    if m.is_empty() {
        return Err((
            None,
            "[cluster]: the cluster needs at least one Redis node without `replicaof` (a master)"
                .into(),
        ));
    }
    for n in s.nodes.iter().filter(|n| n.kind == Kind::Redis) {
        if let Some(r) = &n.replicaof {
            if !m.contains(&r.as_str()) {
                return Err((None, format!("[cluster]: node '{}' replicates '{r}', which is not a cluster master (cluster replicas replicate a master directly)", n.name)));
            }
        }
    }
    let mut owner = vec![u16::MAX; SLOTS as usize];
    for (i, d) in c.slots.iter().enumerate() {
        let Some(mi) = m.iter().position(|x| *x == d.node) else {
            return Err((
                Some(i),
                format!(
                    "unknown master '{}' in `node` (masters: {})",
                    d.node,
                    m.join(", ")
                ),
            ));
        };
        for &(a, b) in &d.ranges {
            if a > b || b >= SLOTS {
                return Err((
                    Some(i),
                    format!("bad range [{a}, {b}]: slots are 0-16383, first <= last"),
                ));
            }
            for slot in a..=b {
                let o = owner[slot as usize];
                if o != u16::MAX {
                    return Err((
                        Some(i),
                        format!(
                            "slot {slot} is given to both '{}' and '{}'",
                            m[o as usize], d.node
                        ),
                    ));
                }
                owner[slot as usize] = mi as u16;
            }
        }
    }
    Ok(())
}

/// Slots no master serves (allowed: the cluster then reports `cluster_state:fail`
/// when full coverage is required).
pub fn uncovered(s: &Scenario, c: &ClusterDef) -> u32 {
    let covered: u32 = assignment(s, c)
        .iter()
        .flat_map(|(_, r)| r.iter().map(|(a, b)| u32::from(b - a) + 1))
        .sum();
    u32::from(SLOTS).saturating_sub(covered)
}

/// Each Redis node's cluster spec, by node name. Node ids come from an RNG
/// seeded by the run's seed (a stream of its own, so other draws are unchanged).
pub fn specs(
    s: &Scenario,
    c: &ClusterDef,
    seed: u64,
    addr_of: &dyn Fn(&str) -> Option<(String, u16)>,
) -> Vec<(String, ClusterSpec)> {
    let mut rng = Rng::new(seed ^ 0xC1A5_7E25_10F5_1075);
    let redis: Vec<_> = s.nodes.iter().filter(|n| n.kind == Kind::Redis).collect();
    let ids: Vec<String> = redis.iter().map(|_| rng.hex40()).collect();
    let id_of = |name: &str| {
        redis
            .iter()
            .position(|n| n.name == name)
            .map(|i| ids[i].clone())
    };
    let slots = assignment(s, c);
    let peers: Vec<PeerSpec> = redis
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (host, port) = addr_of(&n.name).unwrap_or_default();
            let ranges = slots.iter().find(|x| x.0 == n.name).map(|x| x.1.clone());
            let mi = masters(s).iter().position(|m| *m == n.name);
            PeerSpec {
                id: ids[i].clone(),
                host,
                port,
                master: n.replicaof.as_deref().and_then(id_of),
                slots: ranges.unwrap_or_default(),
                config_epoch: mi.map_or(0, |m| m as u64 + 1),
            }
        })
        .collect();
    redis
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let spec = ClusterSpec {
                myid: ids[i].clone(),
                node_timeout_ms: c.node_timeout_ms,
                require_full_coverage: c.require_full_coverage,
                allow_reads_when_down: c.allow_reads_when_down,
                replica_validity_factor: c.replica_validity_factor,
                nodes: peers.clone(),
                current_epoch: 0,
                last_vote_epoch: 0,
            };
            (n.name.clone(), spec)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_split_matches_redis_cli() {
        assert_eq!(
            even_split(3),
            vec![(0, 5460), (5461, 10922), (10923, 16383)]
        );
        assert_eq!(even_split(1), vec![(0, 16383)]);
        assert_eq!(even_split(2), vec![(0, 8191), (8192, 16383)]);
    }
}
