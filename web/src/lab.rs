//! The session as components hold it: behind a shared cell, plus a version
//! number so that `Lab` equality (and so a component's re-render) follows
//! the simulation's changes. Components render from a borrow.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::sim::Sim;
use replilab_core::trace::{TraceEvent, TraceKind};

use replilab_core::timeline::Session;

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
    ) || matches!(&ev.kind, TraceKind::Sentinel { event } if matches!(
        event.kind,
        SentinelEventKind::Sdown
            | SentinelEventKind::Odown
            | SentinelEventKind::SwitchMaster
            | SentinelEventKind::ConvertToSlave
    ))
}

/// What Shift+←/→ jumps to: any landmark, or events of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Jump {
    #[default]
    Landmark,
    Role,
    Sync,
    Fault,
    Sentinel,
    Command,
}

/// Whether a figure computed over the whole run at version `cached` must be
/// computed again at `version`: always when paused, at most every 8
/// versions while playing (the checker reads every write of the run).
pub fn whole_run_stale(cached: u64, version: u64, playing: bool) -> bool {
    cached == u64::MAX
        || version < cached
        || (!playing && version != cached)
        || version >= cached.saturating_add(8)
}

/// The trace the page keeps behind the playhead (and ahead of it after a
/// scrub back): the diagram's widest window (60 s) and its look-back
/// (60 s). Older events are dropped, and regenerated when a scrub needs
/// them (`timeline/history.rs`); the run's record keeps the rest.
pub const TRACE_KEEP_MS: u64 = 120_000;

pub const JUMPS: [Jump; 6] = [
    Jump::Landmark,
    Jump::Role,
    Jump::Sync,
    Jump::Fault,
    Jump::Sentinel,
    Jump::Command,
];

impl Jump {
    pub fn code(self) -> &'static str {
        match self {
            Jump::Landmark => "landmark",
            Jump::Role => "role",
            Jump::Sync => "sync",
            Jump::Fault => "fault",
            Jump::Sentinel => "sentinel",
            Jump::Command => "exec",
        }
    }
    pub fn from_code(s: &str) -> Option<Jump> {
        JUMPS.into_iter().find(|j| j.code() == s)
    }
    pub fn label(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            Jump::Landmark => T {
                en: "any landmark",
                zh: "任意关键事件",
            },
            Jump::Role => T {
                en: "role changes",
                zh: "角色变化",
            },
            Jump::Sync => T {
                en: "syncs",
                zh: "同步",
            },
            Jump::Fault => T {
                en: "faults",
                zh: "故障",
            },
            Jump::Sentinel => T {
                en: "Sentinel events",
                zh: "哨兵事件",
            },
            Jump::Command => T {
                en: "client commands",
                zh: "客户端命令",
            },
        }
    }
    pub fn matches(self, ev: &TraceEvent) -> bool {
        match self {
            Jump::Landmark => landmark(ev),
            Jump::Role => matches!(ev.kind, TraceKind::Role { .. }),
            Jump::Sync => matches!(ev.kind, TraceKind::Sync { .. }),
            Jump::Fault => matches!(ev.kind, TraceKind::Fault { .. }),
            Jump::Sentinel => matches!(ev.kind, TraceKind::Sentinel { .. }),
            Jump::Command => matches!(ev.kind, TraceKind::Exec { .. }),
        }
    }
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
            replilab_core::node::NodeSpec::Redis(s) if s.replicaof.is_none() => Role::Master,
            replilab_core::node::NodeSpec::Redis(_) => Role::Replica,
            replilab_core::node::NodeSpec::Sentinel(_) => Role::Sentinel,
            replilab_core::node::NodeSpec::Client(_) => Role::Client,
        },
    })
}

/// Status as the map shows it.
pub fn status(sim: &Sim, id: NodeId) -> &'static str {
    match sim.node(id) {
        Some(n) if matches!(n.state, NodeState::Down) => "crashed",
        Some(n) if n.paused => "paused",
        _ => "running",
    }
}
