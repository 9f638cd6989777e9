//! Acknowledged writes a cluster lost: the checker's `lost_writes` for a
//! cluster, where each key has its own final master (its slot's owner).

use super::key_slot;
use crate::client::{OpKind, Outcome};
use crate::sim::{NodeState, Sim};

/// Keys whose last acknowledged write (by any cluster client) is not what
/// the final owner of the key's slot holds. The final owners are taken from
/// the live node with the highest `currentEpoch`.
pub fn lost_writes(sim: &Sim) -> u64 {
    let mut best: Option<(u64, &super::ClusterState)> = None;
    for n in sim.nodes() {
        if let NodeState::Redis(r) = &n.state {
            if let Some(st) = r.cluster.as_deref() {
                if best.is_none_or(|b| st.current_epoch > b.0) {
                    best = Some((st.current_epoch, st));
                }
            }
        }
    }
    let Some((_, view)) = best else { return 0 };
    let mut last: Vec<(&str, &str)> = Vec::new();
    for n in sim.nodes() {
        let NodeState::Client(c) = &n.state else {
            continue;
        };
        if c.cluster.is_none() {
            continue;
        }
        for op in &c.history {
            if let (OpKind::Write { key, value, .. }, Outcome::Ok(_)) = (&op.kind, &op.outcome) {
                match last.iter_mut().find(|x| x.0 == key) {
                    Some(x) => x.1 = value,
                    None => last.push((key, value)),
                }
            }
        }
    }
    let mut lost = 0;
    for (key, value) in last {
        let owner = view.owner(key_slot(key.as_bytes()));
        let db = owner.and_then(|o| {
            let p = &view.nodes[o];
            sim.nodes().iter().find_map(|n| match &n.state {
                NodeState::Redis(r) if n.host == p.host && n.port == p.port => Some(&r.db),
                _ => None,
            })
        });
        let held = db.and_then(|d| d.get_entry(key.as_bytes()));
        if held.is_none_or(|e| e.value != value.as_bytes()) {
            lost += 1;
        }
    }
    lost
}
