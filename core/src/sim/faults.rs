//! Faults and scheduled actions: the network and the processes are data.
//!
//! An [`Action`] names nodes (its text form is the one grammar of actions,
//! `crate::action`); `Sim::resolve` turns it into a [`Resolved`] action of
//! this deployment, a [`Fault`] or a command, with node ids. Every action can
//! be performed at once (`Sim::perform`, what a click in the page does) or
//! scheduled for a time (`Sim::schedule`, what a lesson timeline does). The
//! trace describes a fault in the same grammar (`Sim::named`).

use crate::action::{Action, LinkChange};
use crate::net::{LinkCfg, NodeId};
use crate::trace::TraceKind;

use super::{ConsoleOutcome, NodeState, Sim};

/// A fault, resolved against a deployment (node ids, not names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// No traffic between nodes of different groups; nodes in no group keep
    /// talking to everyone. Adds to cuts already in force.
    Partition { groups: Vec<Vec<NodeId>> },
    /// Traffic from `from` to `to` stops; the other direction still flows.
    Cut { from: NodeId, to: NodeId },
    /// Every cut heals; held traffic is delivered in order.
    Heal,
    /// The process stalls (SIGSTOP, a CPU hog, DEBUG SLEEP) for `ms`.
    Pause { node: NodeId, ms: u64 },
    /// The process dies: memory is lost, sockets close.
    Crash { node: NodeId },
    /// A new process starts from the host's config, with a new run id.
    Restart { node: NodeId },
    /// Sets the node's clock offset from true time.
    Skew { node: NodeId, skew_ms: i64 },
    /// Moves the node's clock by `delta_ms` at once (NTP step, VM resume).
    ClockJump { node: NodeId, delta_ms: i64 },
    /// Changes the path between two hosts (what `change` leaves out stays).
    Link {
        a: NodeId,
        b: NodeId,
        change: LinkChange,
    },
}

/// An action of this deployment: a fault, or a line typed at redis-cli.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Fault(Fault),
    Command { node: NodeId, line: String },
}

impl Sim {
    /// The node called `name`, or an error listing the nodes there are.
    pub fn lookup(&self, name: &str) -> Result<NodeId, String> {
        self.node_id(name).ok_or_else(|| {
            let known: Vec<&str> = self.nodes.iter().map(|n| n.name.as_str()).collect();
            format!(
                "unknown node '{}' (nodes: {})",
                crate::action::clip(name),
                known.join(", ")
            )
        })
    }

    /// Turns the action's node names into this deployment's node ids.
    pub fn resolve(&self, action: &Action) -> Result<Resolved, String> {
        let id = |n: &str| self.lookup(n);
        let fault = match action {
            Action::Command { node, line } => {
                return Ok(Resolved::Command {
                    node: id(node)?,
                    line: line.clone(),
                })
            }
            Action::Pause { node, ms } => Fault::Pause {
                node: id(node)?,
                ms: *ms,
            },
            Action::Crash { node } => Fault::Crash { node: id(node)? },
            Action::Restart { node } => Fault::Restart { node: id(node)? },
            Action::Partition { groups } => Fault::Partition {
                groups: groups
                    .iter()
                    .map(|g| g.iter().map(|n| id(n)).collect())
                    .collect::<Result<_, _>>()?,
            },
            Action::OneWay { from, to } => Fault::Cut {
                from: id(from)?,
                to: id(to)?,
            },
            Action::Heal => Fault::Heal,
            Action::Skew { node, ms } => Fault::Skew {
                node: id(node)?,
                skew_ms: *ms,
            },
            Action::Jump { node, ms } => Fault::ClockJump {
                node: id(node)?,
                delta_ms: *ms,
            },
            Action::Link { a, b, change } => Fault::Link {
                a: id(a)?,
                b: id(b)?,
                change: *change,
            },
        };
        Ok(Resolved::Fault(fault))
    }

    /// The fault as an action of the one grammar (what the trace shows).
    pub fn named(&self, fault: &Fault) -> Action {
        let n = |id: &NodeId| self.name(*id);
        match fault {
            Fault::Partition { groups } => Action::Partition {
                groups: groups.iter().map(|g| g.iter().map(n).collect()).collect(),
            },
            Fault::Cut { from, to } => Action::OneWay {
                from: n(from),
                to: n(to),
            },
            Fault::Heal => Action::Heal,
            Fault::Pause { node, ms } => Action::Pause {
                node: n(node),
                ms: *ms,
            },
            Fault::Crash { node } => Action::Crash { node: n(node) },
            Fault::Restart { node } => Action::Restart { node: n(node) },
            Fault::Skew { node, skew_ms } => Action::Skew {
                node: n(node),
                ms: *skew_ms,
            },
            Fault::ClockJump { node, delta_ms } => Action::Jump {
                node: n(node),
                ms: *delta_ms,
            },
            Fault::Link { a, b, change } => Action::Link {
                a: n(a),
                b: n(b),
                change: *change,
            },
        }
    }

    /// Performs the action now: a fault, or a command typed at redis-cli
    /// (its reply, or the ticket of a pending one).
    pub fn perform(&mut self, action: &Action) -> Result<Option<ConsoleOutcome>, String> {
        Ok(self.perform_resolved(self.resolve(action)?))
    }

    pub(super) fn perform_resolved(&mut self, action: Resolved) -> Option<ConsoleOutcome> {
        match action {
            Resolved::Fault(f) => {
                self.apply(f);
                None
            }
            Resolved::Command { node, line } => Some(self.console(node, &line)),
        }
    }

    /// Performs a scheduled action; `tag` names a command's reply.
    pub(super) fn apply_scheduled(&mut self, action: Resolved, tag: Option<String>) {
        if let Some(outcome) = self.perform_resolved(action) {
            if let Some(tag) = tag {
                let ticket = match outcome {
                    ConsoleOutcome::Reply(_) => self.last_ticket(),
                    ConsoleOutcome::Pending(t) => t,
                };
                self.tag_reply(tag, ticket);
            }
        }
    }

    /// Applies a fault now.
    pub fn apply(&mut self, fault: Fault) {
        let mut text = self.describe(&fault);
        let at = self.fault_node(&fault);
        let down = self
            .node(at)
            .is_some_and(|n| matches!(n.state, NodeState::Down));
        match fault {
            Fault::Restart { .. } if !down => text.push_str(" (no effect: the process is running)"),
            Fault::Crash { .. } | Fault::Pause { .. } if down => {
                text.push_str(" (no effect: the process is down)")
            }
            _ => {}
        }
        self.record(at, TraceKind::Fault { text });
        match fault {
            Fault::Partition { groups } => {
                for (gi, g) in groups.iter().enumerate() {
                    for (hi, h) in groups.iter().enumerate() {
                        if gi == hi {
                            continue;
                        }
                        for &a in g {
                            for &b in h {
                                self.net.cut(a, b);
                            }
                        }
                    }
                }
            }
            Fault::Cut { from, to } => self.net.cut(from, to),
            Fault::Heal => {
                self.net.heal_all();
                self.release_held();
            }
            Fault::Pause { node, ms } => {
                if self
                    .node(node)
                    .is_some_and(|n| !matches!(n.state, NodeState::Down))
                {
                    self.block(node, self.now_ms + ms, true);
                }
            }
            Fault::Crash { node } => self.crash(node),
            Fault::Restart { node } => {
                if self
                    .node(node)
                    .is_some_and(|n| matches!(n.state, NodeState::Down))
                {
                    self.start_process(node);
                }
            }
            Fault::Skew { node, skew_ms } => {
                if let Some(n) = self.nodes.get_mut(node.0 as usize) {
                    n.skew_ms = skew_ms;
                }
            }
            Fault::ClockJump { node, delta_ms } => {
                if let Some(n) = self.nodes.get_mut(node.0 as usize) {
                    n.skew_ms = n.skew_ms.saturating_add(delta_ms);
                }
            }
            Fault::Link { a, b, change } => {
                let old = self.net.link(a, b);
                let cfg = LinkCfg {
                    latency_ms: change.latency_ms.unwrap_or(old.latency_ms),
                    jitter_ms: change.jitter_ms.unwrap_or(old.jitter_ms),
                    bandwidth_bytes_per_ms: change
                        .bandwidth_bytes_per_ms
                        .unwrap_or(old.bandwidth_bytes_per_ms),
                };
                self.net.set_link(a, b, cfg);
            }
        }
    }

    fn crash(&mut self, node: NodeId) {
        let Some(slot) = self.nodes.get_mut(node.0 as usize) else {
            return;
        };
        if matches!(slot.state, NodeState::Down) {
            return;
        }
        slot.state = NodeState::Down;
        slot.inbox.clear();
        slot.blocked_until = None;
        slot.paused = false;
        slot.incarnation += 1;
        // The kernel closes the dead process's sockets: peers see FIN/RST.
        let conns: Vec<_> = self
            .net
            .conns
            .iter()
            .filter(|(_, c)| c.side_of(node).is_some_and(|s| c.open[s]))
            .map(|(id, _)| *id)
            .collect();
        for conn in conns {
            self.close(node, conn, "process crashed");
        }
    }

    fn fault_node(&self, fault: &Fault) -> NodeId {
        match fault {
            Fault::Pause { node, .. }
            | Fault::Crash { node }
            | Fault::Restart { node }
            | Fault::Skew { node, .. }
            | Fault::ClockJump { node, .. } => *node,
            Fault::Cut { from, .. } => *from,
            Fault::Link { a, .. } => *a,
            Fault::Partition { .. } | Fault::Heal => NodeId(0),
        }
    }

    /// A one-line description in the one grammar of actions.
    pub fn describe(&self, fault: &Fault) -> String {
        self.named(fault).to_string()
    }
}
