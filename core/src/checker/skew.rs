//! Data skew and hot keys, as plain data for the page and the checks:
//! keys, estimated memory and ops/s per node, keys per slot, and stale reads
//! of hot-key copies.
//!
//! Memory is an estimate: per key, its name and value bytes plus
//! `KEY_OVERHEAD_BYTES` (a dict entry, the key and value objects and their
//! sds headers on a 64-bit build); TTLs, fragmentation and allocator
//! rounding are not counted. It is meant for comparing nodes, not for
//! predicting `used_memory`.

use serde::Serialize;

use crate::client::{OpKind, Outcome};
use crate::cluster::{key_slot, SLOTS};
use crate::node::NodeState;
use crate::sim::Sim;

pub const KEY_OVERHEAD_BYTES: u64 = 56;

/// One cluster node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeSkew {
    pub name: String,
    /// "master" or "replica" (the node's own view).
    pub role: String,
    /// Slots it serves (masters; 0 for replicas).
    pub slots: u32,
    pub keys: u64,
    pub bytes: u64,
    /// Commands served per second over the last `OPS_WINDOW_S` seconds.
    pub ops_per_s: u64,
}

/// Keys in one slot (only slots that hold keys).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotSkew {
    pub slot: u16,
    pub node: String,
    pub keys: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SkewView {
    pub nodes: Vec<NodeSkew>,
    /// By slot number; masters' keyspaces only.
    pub slots: Vec<SlotSkew>,
}

impl SkewView {
    /// The view now (empty when the simulation has no cluster).
    pub fn of(sim: &Sim) -> SkewView {
        let mut view = SkewView::default();
        let mut per_slot = vec![(0u64, 0u64); SLOTS as usize];
        let mut owner = vec![usize::MAX; SLOTS as usize];
        for slot in sim.nodes() {
            let NodeState::Redis(r) = &slot.state else {
                continue;
            };
            let Some(st) = r.cluster.as_deref() else {
                continue;
            };
            let master = st.me().master.is_none();
            let (mut keys, mut bytes) = (0, 0);
            for (k, e) in r.db.iter() {
                let b = (k.len() + e.value.len()) as u64 + KEY_OVERHEAD_BYTES;
                keys += 1;
                bytes += b;
                if master {
                    let s = key_slot(k) as usize;
                    per_slot[s].0 += 1;
                    per_slot[s].1 += b;
                    owner[s] = view.nodes.len();
                }
            }
            view.nodes.push(NodeSkew {
                name: slot.name.clone(),
                role: if master { "master" } else { "replica" }.into(),
                slots: (st.ranges_of(st.myself).iter())
                    .map(|&(a, b)| u32::from(b - a) + 1)
                    .sum(),
                keys,
                bytes,
                ops_per_s: st.ops_per_s(sim.now_ms()),
            });
        }
        for (s, &(keys, bytes)) in per_slot.iter().enumerate() {
            if keys > 0 {
                let node = view
                    .nodes
                    .get(owner[s])
                    .map_or(String::new(), |n| n.name.clone());
                view.slots.push(SlotSkew {
                    slot: s as u16,
                    node,
                    keys,
                    bytes,
                });
            }
        }
        view
    }

    pub fn node(&self, name: &str) -> Option<&NodeSkew> {
        self.nodes.iter().find(|n| n.name == name)
    }
}

/// Reads of a hot-key copy `copy<i>:<key>` that returned something other
/// than the value of the last write of `<key>` acknowledged before the read
/// started: the copies are not updated when the original is written.
pub fn stale_copy_reads(sim: &Sim, client: Option<&str>) -> u64 {
    let mut stale = 0;
    for slot in sim.nodes() {
        let NodeState::Client(c) = &slot.state else {
            continue;
        };
        if client.is_some_and(|w| w != slot.name) {
            continue;
        }
        for (i, op) in c.history.iter().enumerate() {
            let (OpKind::Read { key }, Outcome::Ok(got)) = (&op.kind, &op.outcome) else {
                continue;
            };
            let Some(orig) = key
                .strip_prefix("copy")
                .and_then(|k| k.split_once(':'))
                .map(|x| x.1)
            else {
                continue;
            };
            let last =
                (0..i)
                    .rev()
                    .map(|j| &c.history[j])
                    .find_map(|w| match (&w.kind, &w.outcome) {
                        (OpKind::Write { key, value, .. }, Outcome::Ok(_))
                            if key == orig && w.complete_ms.is_some_and(|t| t <= op.invoke_ms) =>
                        {
                            Some(value)
                        }
                        _ => None,
                    });
            if last.is_some_and(|v| *got != format!("\"{v}\"")) {
                stale += 1;
            }
        }
    }
    stale
}

/// The value of an expectation `check = "cluster"` with this `field`:
/// `keys`, `bytes`, `ops_per_s`, `slots` of `node`; `max_keys_ratio_pct`
/// (the most loaded master's keys over the least loaded's, in percent);
/// `max_slot_keys` (keys in the fullest slot);
/// `moved`, `asked`, `stale_copy_reads` of the clients (or one `client`).
pub fn expect_value(
    sim: &Sim,
    field: &str,
    node: Option<&str>,
    client: Option<&str>,
) -> Result<i64, String> {
    let view = SkewView::of(sim);
    let n = || {
        node.and_then(|n| view.node(n))
            .ok_or_else(|| format!("`{field}` needs `node` (a cluster node)"))
    };
    let clients = || {
        sim.nodes().iter().filter_map(move |s| match &s.state {
            NodeState::Client(c) if client.is_none_or(|w| w == s.name) => c.cluster.as_deref(),
            _ => None,
        })
    };
    Ok(match field {
        "keys" => n()?.keys as i64,
        "bytes" => n()?.bytes as i64,
        "ops_per_s" => n()?.ops_per_s as i64,
        "slots" => i64::from(n()?.slots),
        "max_keys_ratio_pct" => {
            let m: Vec<u64> = view.nodes.iter().filter(|n| n.role == "master").map(|n| n.keys).collect();
            let (max, min) = (m.iter().max().copied().unwrap_or(0), m.iter().min().copied().unwrap_or(0));
            (max * 100 / min.max(1)) as i64
        }
        "max_slot_keys" => view.slots.iter().map(|s| s.keys).max().unwrap_or(0) as i64,
        "moved" => clients().map(|c| c.moved).sum::<u64>() as i64,
        "asked" => clients().map(|c| c.asked).sum::<u64>() as i64,
        "stale_copy_reads" => stale_copy_reads(sim, client) as i64,
        other => return Err(format!("unknown cluster field \"{other}\" (keys, bytes, ops_per_s, slots, max_keys_ratio_pct, max_slot_keys, moved, asked, stale_copy_reads)")),
    })
}

/// The fields `expect_value` knows (for validation).
pub const FIELDS: &[&str] = &[
    "keys",
    "bytes",
    "ops_per_s",
    "slots",
    "max_keys_ratio_pct",
    "max_slot_keys",
    "moved",
    "asked",
    "stale_copy_reads",
];
