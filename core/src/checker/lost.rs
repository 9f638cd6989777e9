//! Where the checker looks for a cluster client's writes: each key on the
//! final owner of its slot, not one final master.

use crate::cluster::key_slot;
use crate::net::NodeId;
use crate::node::NodeState;
use crate::sim::Sim;

/// The master that finally serves `key`'s slot, as the live node with the
/// highest `currentEpoch` sees the slot map.
pub fn owner(sim: &Sim, key: &[u8]) -> Option<NodeId> {
    let mut best: Option<&crate::cluster::ClusterState> = None;
    for n in sim.nodes() {
        if let NodeState::Redis(r) = &n.state {
            if let Some(st) = r.cluster.as_deref() {
                if best.is_none_or(|b| st.current_epoch > b.current_epoch) {
                    best = Some(st);
                }
            }
        }
    }
    let view = best?;
    let p = &view.nodes[view.owner(key_slot(key))?];
    sim.node_at(&p.host, p.port)
}
