//! The simulation as the UI holds it: the core `Sim` behind a shared cell,
//! plus a version number so components re-render only when it changed.
//! Play/pause, speed and selection are UI state and live in `app.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::net::NodeId;
use replilab_core::sim::{ConsoleOutcome, Sim};
use replilab_core::trace::{TraceEvent, TraceKind};

#[derive(Clone)]
pub struct Lab {
    pub sim: Rc<RefCell<Sim>>,
    /// Bumped on every change; equality of `Lab` is equality of versions.
    pub version: u64,
}

impl PartialEq for Lab {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.sim, &other.sim)
    }
}

/// One line of the console transcript.
#[derive(Clone, PartialEq)]
pub struct ConsoleLine {
    pub node: String,
    pub prompt: String,
    pub command: String,
    /// None while the reply is pending (node stalled, WAIT blocking).
    pub reply: Option<String>,
    pub ticket: Option<u64>,
}

impl Lab {
    /// Advances simulated time; returns an error text if the run cannot go on.
    pub fn advance(&self, ms: u64) -> Result<(), String> {
        self.sim.borrow_mut().run_for(ms).map_err(|e| e.to_string())
    }

    pub fn console(&self, node: NodeId, line: &str) -> ConsoleLine {
        let mut sim = self.sim.borrow_mut();
        let (host, port) = sim
            .node(node)
            .map(|n| (n.host.clone(), n.port))
            .unwrap_or_default();
        let name = sim.name(node);
        let outcome = sim.console(node, line);
        let (reply, ticket) = match outcome {
            ConsoleOutcome::Reply(r) => (Some(r), None),
            ConsoleOutcome::Pending(t) => (None, Some(t)),
        };
        ConsoleLine {
            node: name,
            prompt: format!("{host}:{port}>"),
            command: line.to_string(),
            reply,
            ticket,
        }
    }

    /// Fills in replies that arrived since.
    pub fn settle(&self, lines: &mut [ConsoleLine]) -> bool {
        let sim = self.sim.borrow();
        let mut changed = false;
        for l in lines.iter_mut().filter(|l| l.reply.is_none()) {
            if let Some(r) = l.ticket.and_then(|t| sim.console_reply(t)) {
                l.reply = Some(r.to_string());
                changed = true;
            }
        }
        changed
    }
}

/// Whether the trace list shows this event (messages are for the diagram).
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
