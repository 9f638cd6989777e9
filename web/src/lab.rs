//! The session as components hold it: behind a shared cell, plus a version
//! number so that `Lab` equality (and so a component's re-render) follows
//! the simulation's changes. Components render from a borrow.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::net::NodeId;
use replilab_core::sim::{NodeState, Sim};
use replilab_core::trace::{TraceEvent, TraceKind};

use crate::session::Session;

#[derive(Clone)]
pub struct Lab {
    pub session: Rc<RefCell<Session>>,
    /// Equality of `Lab` is equality of versions (and of the session).
    pub version: u64,
}

impl PartialEq for Lab {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.session, &other.session)
    }
}

/// Whether the event list shows this event (messages are for the diagram).
pub fn listed(ev: &TraceEvent) -> bool {
    matches!(
        ev.kind,
        TraceKind::Exec { .. }
            | TraceKind::Apply { .. }
            | TraceKind::Feed { .. }
            | TraceKind::Role { .. }
            | TraceKind::Sync { .. }
            | TraceKind::Expired { .. }
            | TraceKind::Fault { .. }
            | TraceKind::Sentinel { .. }
            | TraceKind::Log { .. }
    )
}

/// Events worth jumping to (Shift+arrows) and marking on the scrubber.
pub fn landmark(ev: &TraceEvent) -> bool {
    matches!(
        ev.kind,
        TraceKind::Role { .. } | TraceKind::Sync { .. } | TraceKind::Fault { .. }
    ) || matches!(&ev.kind, TraceKind::Sentinel { event } if event.starts_with("+sdown") || event.starts_with("+odown") || event.starts_with("+switch-master") || event.starts_with("+convert-to-slave"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Master,
    Replica,
    Sentinel,
    Client,
}

pub fn role_of(sim: &Sim, id: NodeId) -> Option<Role> {
    let slot = sim.node(id)?;
    Some(match &slot.state {
        NodeState::Redis(r) if r.is_master() => Role::Master,
        NodeState::Redis(_) => Role::Replica,
        NodeState::Sentinel(_) => Role::Sentinel,
        NodeState::Client(_) => Role::Client,
        NodeState::Down => match &slot.spec {
            replilab_core::sim::NodeSpec::Redis(s) if s.replicaof.is_none() => Role::Master,
            replilab_core::sim::NodeSpec::Redis(_) => Role::Replica,
            replilab_core::sim::NodeSpec::Sentinel(_) => Role::Sentinel,
            replilab_core::sim::NodeSpec::Client(_) => Role::Client,
        },
    })
}

/// The node listening on host:port.
pub fn node_at(sim: &Sim, host: &str, port: u16) -> Option<NodeId> {
    sim.nodes()
        .iter()
        .position(|n| (n.host == host || n.name == host) && n.port == port)
        .map(|i| NodeId(i as u16))
}

/// Status as the map shows it.
pub fn status(sim: &Sim, id: NodeId) -> &'static str {
    match sim.node(id) {
        Some(n) if matches!(n.state, NodeState::Down) => "crashed",
        Some(n) if n.paused => "paused",
        _ => "running",
    }
}
