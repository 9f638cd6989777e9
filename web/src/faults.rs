//! The faults the page offers (toolbar and node menu), as core actions.
//! Each becomes one or more entries of the session schedule.

use replilab_core::action::{Action, LinkChange};
use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use replilab_core::sim::{Fault, Sim};

use crate::i18n::{self, T};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quick {
    Pause5,
    Pause15,
    Crash,
    Restart,
    Isolate,
    CutIn,
    Skew,
    Jump,
    Latency,
    MinReplicas,
}

pub const ALL: [Quick; 10] = [
    Quick::Pause5,
    Quick::Pause15,
    Quick::Crash,
    Quick::Restart,
    Quick::Isolate,
    Quick::CutIn,
    Quick::Skew,
    Quick::Jump,
    Quick::Latency,
    Quick::MinReplicas,
];

impl Quick {
    pub fn label(self) -> T {
        match self {
            Quick::Pause5 => i18n::F_PAUSE,
            Quick::Pause15 => i18n::F_PAUSE15,
            Quick::Crash => i18n::F_CRASH,
            Quick::Restart => i18n::F_RESTART,
            Quick::Isolate => i18n::F_ISOLATE,
            Quick::CutIn => i18n::F_CUT_IN,
            Quick::Skew => i18n::F_SKEW,
            Quick::Jump => i18n::F_JUMP,
            Quick::Latency => i18n::F_LATENCY,
            Quick::MinReplicas => i18n::F_CONFIG,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Quick::Pause5 => "pause5",
            Quick::Pause15 => "pause15",
            Quick::Crash => "crash",
            Quick::Restart => "restart",
            Quick::Isolate => "isolate",
            Quick::CutIn => "cut-in",
            Quick::Skew => "skew",
            Quick::Jump => "jump",
            Quick::Latency => "latency",
            Quick::MinReplicas => "min-replicas",
        }
    }
    pub fn from_code(s: &str) -> Option<Quick> {
        ALL.into_iter().find(|q| q.code() == s)
    }
    /// Whether it makes sense on this node now.
    pub fn applies(self, sim: &Sim, node: NodeId) -> bool {
        let Some(slot) = sim.node(node) else {
            return false;
        };
        let down = matches!(slot.state, NodeState::Down);
        match self {
            Quick::Restart => down,
            Quick::Pause5 | Quick::Pause15 | Quick::Crash => !down,
            Quick::MinReplicas => matches!(slot.state, NodeState::Redis(_)),
            _ => true,
        }
    }
    pub fn actions(self, sim: &Sim, node: NodeId) -> Vec<Action> {
        let others: Vec<NodeId> = (0..sim.nodes().len() as u16)
            .map(NodeId)
            .filter(|n| *n != node)
            .collect();
        let f = |f: Fault| sim.named(&f);
        match self {
            Quick::Pause5 => vec![f(Fault::Pause { node, ms: 5_000 })],
            Quick::Pause15 => vec![f(Fault::Pause { node, ms: 15_000 })],
            Quick::Crash => vec![f(Fault::Crash { node })],
            Quick::Restart => vec![f(Fault::Restart { node })],
            Quick::Isolate => vec![f(Fault::Partition {
                groups: vec![vec![node], others],
            })],
            Quick::CutIn => others
                .into_iter()
                .map(|o| f(Fault::Cut { from: o, to: node }))
                .collect(),
            Quick::Skew => {
                let skew = sim.node(node).map_or(0, |n| n.skew_ms);
                vec![f(Fault::Skew {
                    node,
                    skew_ms: skew + 10_000,
                })]
            }
            Quick::Jump => vec![f(Fault::ClockJump {
                node,
                delta_ms: -30_000,
            })],
            Quick::Latency => others
                .into_iter()
                .map(|o| {
                    let change = LinkChange {
                        latency_ms: Some(500),
                        ..LinkChange::default()
                    };
                    f(Fault::Link {
                        a: node,
                        b: o,
                        change,
                    })
                })
                .collect(),
            Quick::MinReplicas => {
                let name = sim.name(node);
                vec![
                    Action::config_set(&name, "min-replicas-to-write", "1"),
                    Action::config_set(&name, "min-replicas-max-lag", "10"),
                ]
            }
        }
    }
}
