//! Faults and scheduled actions: the network and the processes are data.
//!
//! Every fault can be applied at once (`Sim::apply`, what a click in the page
//! does) or scheduled for a time (`Sim::schedule`, what a lesson timeline does).

use serde::{Deserialize, Serialize};

use crate::net::{LinkCfg, NodeId};
use crate::trace::TraceKind;

use super::{ConsoleOutcome, NodeState, Sim};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
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
    /// Changes the path between two hosts.
    Link { a: NodeId, b: NodeId, cfg: LinkCfg },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Fault(Fault),
    /// A command typed at redis-cli on `node`; `tag` names its reply.
    Console {
        node: NodeId,
        line: String,
        #[serde(default)]
        tag: Option<String>,
    },
}

impl Sim {
    pub(super) fn apply_action(&mut self, action: Action) {
        match action {
            Action::Fault(f) => self.apply(f),
            Action::Console { node, line, tag } => {
                let ticket = match self.console(node, &line) {
                    ConsoleOutcome::Reply(_) => self.last_ticket(),
                    ConsoleOutcome::Pending(t) => t,
                };
                if let Some(tag) = tag {
                    self.tag_reply(tag, ticket);
                }
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
            Fault::Link { a, b, cfg } => self.net.set_link(a, b, cfg),
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

    /// A one-line description in the words of the console meta-commands.
    pub fn describe(&self, fault: &Fault) -> String {
        let n = |id: NodeId| self.name(id);
        match fault {
            Fault::Partition { groups } => {
                let gs: Vec<String> = groups
                    .iter()
                    .map(|g| g.iter().map(|&id| n(id)).collect::<Vec<_>>().join(","))
                    .collect();
                format!("partition {}", gs.join(" / "))
            }
            Fault::Cut { from, to } => format!("oneway {} -> {}", n(*from), n(*to)),
            Fault::Heal => "heal".into(),
            Fault::Pause { node, ms } => format!("pause {} {} ms", n(*node), ms),
            Fault::Crash { node } => format!("crash {}", n(*node)),
            Fault::Restart { node } => format!("restart {}", n(*node)),
            Fault::Skew { node, skew_ms } => format!("skew {} {:+} ms", n(*node), skew_ms),
            Fault::ClockJump { node, delta_ms } => {
                format!("clock jump {} {:+} ms", n(*node), delta_ms)
            }
            Fault::Link { a, b, cfg } => format!(
                "link {} {} latency {} ms jitter {} ms bandwidth {} B/ms",
                n(*a),
                n(*b),
                cfg.latency_ms,
                cfg.jitter_ms,
                cfg.bandwidth_bytes_per_ms
            ),
        }
    }
}
