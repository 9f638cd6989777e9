//! The fault toolbar's form as data: which fault, on which node (and which
//! peer), with which values; `Form::actions` turns it into core actions or
//! says, in both languages, what is wrong. Times and rates are read by the
//! core's own parsers (`action::time_ms`, `action::rate`), so the toolbar
//! accepts exactly what a lesson timeline or the console accepts.

use replilab_core::action::{self, Action, BadValue, LinkChange};

use crate::i18n::T;

mod problem;
pub use problem::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Pause,
    Crash,
    Restart,
    Isolate,
    CutIn,
    OneWay,
    CutBoth,
    Link,
    Skew,
    Jump,
    Config,
}

pub const TOOLS: [Tool; 11] = [
    Tool::Pause,
    Tool::Crash,
    Tool::Restart,
    Tool::Isolate,
    Tool::CutIn,
    Tool::OneWay,
    Tool::CutBoth,
    Tool::Link,
    Tool::Skew,
    Tool::Jump,
    Tool::Config,
];

pub(crate) const fn t(en: &'static str, zh: &'static str) -> T {
    T { en, zh }
}

impl Tool {
    pub fn code(self) -> &'static str {
        match self {
            Tool::Pause => "pause",
            Tool::Crash => "crash",
            Tool::Restart => "restart",
            Tool::Isolate => "isolate",
            Tool::CutIn => "cut-in",
            Tool::OneWay => "oneway",
            Tool::CutBoth => "cut-both",
            Tool::Link => "link",
            Tool::Skew => "skew",
            Tool::Jump => "jump",
            Tool::Config => "config-set",
        }
    }
    pub fn from_code(s: &str) -> Option<Tool> {
        TOOLS.into_iter().find(|t| t.code() == s)
    }
    pub fn label(self) -> T {
        match self {
            Tool::Pause => t("Pause (stall)…", "暂停（卡住）…"),
            Tool::Crash => t("Crash", "崩溃"),
            Tool::Restart => t("Restart", "重启"),
            Tool::Isolate => t("Isolate (partition)", "隔离（网络分区）"),
            Tool::CutIn => t("One-way: drop traffic to it", "单向：丢弃发往它的流量"),
            Tool::OneWay => t("One-way cut A → B", "单向切断 A → B"),
            Tool::CutBoth => t("Cut A ✕ B (both ways)", "切断 A ✕ B（双向）"),
            Tool::Link => t("Link settings…", "链路参数…"),
            Tool::Skew => t("Clock skew…", "时钟偏差…"),
            Tool::Jump => t("Clock jump…", "时钟跳变…"),
            Tool::Config => t("CONFIG SET…", "CONFIG SET…"),
        }
    }
    /// Whether the fault has a second node (the far end of a link or cut).
    pub fn has_peer(self) -> bool {
        matches!(self, Tool::OneWay | Tool::CutBoth | Tool::Link)
    }
    /// The time field it takes, if any.
    pub fn time_field(self) -> Option<Field> {
        match self {
            Tool::Pause => Some(Field::Pause),
            Tool::Skew => Some(Field::Skew),
            Tool::Jump => Some(Field::Jump),
            _ => None,
        }
    }
}

/// A value field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Pause,
    Skew,
    Jump,
    Latency,
    Jitter,
    Bandwidth,
}

impl Field {
    /// The input's element id.
    pub fn id(self) -> &'static str {
        match self {
            Field::Pause => "fault-pause",
            Field::Skew => "fault-skew",
            Field::Jump => "fault-jump",
            Field::Latency => "fault-latency",
            Field::Jitter => "fault-jitter",
            Field::Bandwidth => "fault-bandwidth",
        }
    }
    pub fn label(self) -> T {
        match self {
            Field::Pause => t("for", "时长"),
            Field::Skew => t("offset", "偏差"),
            Field::Jump => t("step", "跳变"),
            Field::Latency => t("latency", "延迟"),
            Field::Jitter => t("jitter", "抖动"),
            Field::Bandwidth => t("bandwidth", "带宽"),
        }
    }
    /// The name in an error message.
    pub(crate) fn name(self) -> T {
        match self {
            Field::Pause => t("Pause length", "暂停时长"),
            Field::Skew => t("Clock offset", "时钟偏差"),
            Field::Jump => t("Clock step", "时钟跳变"),
            Field::Latency => t("Latency", "延迟"),
            Field::Jitter => t("Jitter", "抖动"),
            Field::Bandwidth => t("Bandwidth", "带宽"),
        }
    }
    /// A value to show as an example.
    pub fn example(self) -> &'static str {
        match self {
            Field::Pause => "12s",
            Field::Skew => "-3s",
            Field::Jump => "+30s",
            Field::Latency => "10ms",
            Field::Jitter => "2ms",
            Field::Bandwidth => "2mbit",
        }
    }
    pub(crate) fn signed(self) -> bool {
        matches!(self, Field::Skew | Field::Jump)
    }
}

/// What the learner filled in. Node names are the deployment's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub node: String,
    pub peer: String,
    /// Every node of the deployment, in order.
    pub nodes: Vec<String>,
    pub pause: String,
    pub skew: String,
    pub jump: String,
    pub latency: String,
    pub jitter: String,
    pub bandwidth: String,
    pub param: String,
    pub value: String,
}

/// What the learner typed, without the spaces around it.
fn squeeze(s: &str) -> String {
    s.trim().to_string()
}

fn time(field: Field, s: &str) -> Result<i64, Problem> {
    let text = squeeze(s);
    action::time_ms(&text, field.signed()).map_err(|bad| Problem::Value { field, bad, text })
}

/// An optional link setting: empty leaves it as it is.
fn setting<V>(
    field: Field,
    s: &str,
    parse: impl Fn(&str) -> Result<V, BadValue>,
) -> Result<Option<V>, Problem> {
    let text = squeeze(s);
    if text.is_empty() {
        return Ok(None);
    }
    parse(&text)
        .map(Some)
        .map_err(|bad| Problem::Value { field, bad, text })
}

impl Form {
    /// A fresh form, with the node menu's old presets as first values.
    pub fn new() -> Form {
        Form {
            pause: "5s".into(),
            skew: "+10s".into(),
            jump: "-30s".into(),
            ..Form::default()
        }
    }

    pub fn text(&self, f: Field) -> &str {
        match f {
            Field::Pause => &self.pause,
            Field::Skew => &self.skew,
            Field::Jump => &self.jump,
            Field::Latency => &self.latency,
            Field::Jitter => &self.jitter,
            Field::Bandwidth => &self.bandwidth,
        }
    }

    pub fn set_text(&mut self, f: Field, v: String) {
        *match f {
            Field::Pause => &mut self.pause,
            Field::Skew => &mut self.skew,
            Field::Jump => &mut self.jump,
            Field::Latency => &mut self.latency,
            Field::Jitter => &mut self.jitter,
            Field::Bandwidth => &mut self.bandwidth,
        } = v;
    }

    /// The actions the form stands for, in the order they apply. Each
    /// reads back from its text (so a permalink reproduces it): node names
    /// come from the deployment, values through the core's parsers, and a
    /// CONFIG SET line is kept within `action::MAX_LINE_BYTES`.
    pub fn actions(&self, tool: Tool) -> Result<Vec<Action>, Problem> {
        let actions = self.build(tool)?;
        for a in &actions {
            if let Action::Command { line, .. } = a {
                if line.len() > action::MAX_LINE_BYTES {
                    return Err(Problem::TooLong);
                }
            }
        }
        Ok(actions)
    }

    fn build(&self, tool: Tool) -> Result<Vec<Action>, Problem> {
        let node = self.node.clone();
        let others: Vec<String> = self.nodes.iter().filter(|n| **n != node).cloned().collect();
        if tool.has_peer() && self.peer == node {
            return Err(Problem::SameNode);
        }
        if matches!(tool, Tool::Isolate | Tool::CutIn) && others.is_empty() {
            return Err(Problem::Alone);
        }
        let peer = self.peer.clone();
        let ms = |f: Field| time(f, self.text(f));
        Ok(match tool {
            Tool::Pause => vec![Action::Pause {
                node,
                ms: ms(Field::Pause)?.unsigned_abs(),
            }],
            Tool::Crash => vec![Action::Crash { node }],
            Tool::Restart => vec![Action::Restart { node }],
            Tool::Isolate => vec![Action::Partition {
                groups: vec![vec![node], others],
            }],
            Tool::CutIn => others
                .into_iter()
                .map(|from| Action::OneWay {
                    from,
                    to: node.clone(),
                })
                .collect(),
            Tool::OneWay => vec![Action::OneWay {
                from: node,
                to: peer,
            }],
            Tool::CutBoth => vec![Action::Partition {
                groups: vec![vec![node], vec![peer]],
            }],
            Tool::Link => {
                let unsigned = |s: &str| action::time_ms(s, false).map(i64::unsigned_abs);
                let change = LinkChange {
                    latency_ms: setting(Field::Latency, &self.latency, unsigned)?,
                    jitter_ms: setting(Field::Jitter, &self.jitter, unsigned)?,
                    bandwidth_bytes_per_ms: setting(
                        Field::Bandwidth,
                        &self.bandwidth,
                        action::rate,
                    )?,
                };
                if change == LinkChange::default() {
                    return Err(Problem::NoChange);
                }
                vec![Action::Link {
                    a: node,
                    b: peer,
                    change,
                }]
            }
            Tool::Skew => vec![Action::Skew {
                node,
                ms: ms(Field::Skew)?,
            }],
            Tool::Jump => vec![Action::Jump {
                node,
                ms: ms(Field::Jump)?,
            }],
            Tool::Config => vec![Action::config_set(&node, &self.param, &self.value)],
        })
    }
}

#[cfg(test)]
mod tests;
