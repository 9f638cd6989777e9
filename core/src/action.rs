//! One vocabulary of actions, with one text form.
//!
//! Everything a learner, a lesson or a test can do to a running deployment
//! is an [`Action`]: a command typed at redis-cli on a node, or a fault.
//! Its text form (`Display` + `FromStr`) is the only grammar for them: the
//! lesson timeline (`do = "pause m 12s"`), the console's meta-commands
//! (`.pause m 12s`), the permalink's schedule (percent-encoded), and the
//! trace's description of a fault all read or write it.
//!
//! ```text
//! @NODE LINE                       a command typed at redis-cli on NODE
//! pause NODE T                     the process stalls for T
//! crash NODE | restart NODE
//! partition A,B / C,D [/ …]        no traffic between the groups
//! oneway A -> B                    traffic from A to B stops
//! heal                             every cut heals
//! skew NODE ±T | jump NODE ±T      set / step the node's clock offset
//! link A B [latency T] [jitter T] [bandwidth R]
//! ```
//!
//! T is a whole number of milliseconds, `500ms`, `2s` or `1.5s`; R is
//! `<n>mbit` (Mbit/s) or `<n>B/ms`. Node names are 1–32 letters, digits,
//! `-` or `_` (the scenario loader's rule), so `,`, `/`, `@` and `->` never
//! occur inside one. Actions name nodes; `Sim::resolve` turns the names into
//! the node ids of a given deployment.

use std::fmt;
use std::str::FromStr;

mod value;
pub use value::{
    parse_bandwidth, parse_ms, rate, time_ms, BadValue, MAX_BYTES_PER_MS, MAX_MS, MBIT_BYTES_PER_MS,
};

/// The longest command line an action carries.
pub const MAX_LINE_BYTES: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A command typed at redis-cli on `node`.
    Command { node: String, line: String },
    /// The process stalls (SIGSTOP, a CPU hog, DEBUG SLEEP) for `ms`.
    Pause { node: String, ms: u64 },
    /// The process dies: memory is lost, sockets close.
    Crash { node: String },
    /// A new process starts from the host's config, with a new run id.
    Restart { node: String },
    /// No traffic between nodes of different groups (adds to cuts in force).
    Partition { groups: Vec<Vec<String>> },
    /// Traffic from `from` to `to` stops; the other direction still flows.
    OneWay { from: String, to: String },
    /// Every cut heals; held traffic is delivered in order.
    Heal,
    /// Sets the node's clock offset from true time.
    Skew { node: String, ms: i64 },
    /// Moves the node's clock by `ms` at once (NTP step, VM resume).
    Jump { node: String, ms: i64 },
    /// Changes the path between two hosts; what is not given stays as it is.
    Link {
        a: String,
        b: String,
        change: LinkChange,
    },
}

/// The parts of a link that a `link` action sets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkChange {
    pub latency_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
    pub bandwidth_bytes_per_ms: Option<u64>,
}

impl Action {
    /// The nodes the action names, in order.
    pub fn nodes(&self) -> Vec<&str> {
        match self {
            Action::Command { node, .. }
            | Action::Pause { node, .. }
            | Action::Crash { node }
            | Action::Restart { node }
            | Action::Skew { node, .. }
            | Action::Jump { node, .. } => vec![node],
            Action::Partition { groups } => groups.iter().flatten().map(String::as_str).collect(),
            Action::OneWay { from, to } => vec![from, to],
            Action::Link { a, b, .. } => vec![a, b],
            Action::Heal => Vec::new(),
        }
    }

    /// A `CONFIG SET` typed on `node` (a lesson's or the toolbar's config change).
    pub fn config_set(node: &str, name: &str, value: &str) -> Action {
        let plain = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"\"'\\".contains(&b));
        let quoted = if plain {
            value.to_string()
        } else {
            crate::data::quote_arg(value.as_bytes())
        };
        Action::Command {
            node: node.to_string(),
            line: format!("CONFIG SET {name} {quoted}"),
        }
    }
}

/// `12s`, `1500ms`, `0ms`: whole seconds when exact, else milliseconds.
pub struct Ms(pub u64);

impl fmt::Display for Ms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 != 0 && self.0.is_multiple_of(1000) {
            write!(f, "{}s", self.0 / 1000)
        } else {
            write!(f, "{}ms", self.0)
        }
    }
}

/// `+2s`, `-300ms`, `+0ms`.
struct SignedMs(i64);

impl fmt::Display for SignedMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        write!(f, "{sign}{}", Ms(self.0.unsigned_abs()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Command { node, line } => write!(f, "@{node} {line}"),
            Action::Pause { node, ms } => write!(f, "pause {node} {}", Ms(*ms)),
            Action::Crash { node } => write!(f, "crash {node}"),
            Action::Restart { node } => write!(f, "restart {node}"),
            Action::Partition { groups } => {
                f.write_str("partition ")?;
                for (i, g) in groups.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" / ")?;
                    }
                    f.write_str(&g.join(","))?;
                }
                Ok(())
            }
            Action::OneWay { from, to } => write!(f, "oneway {from} -> {to}"),
            Action::Heal => f.write_str("heal"),
            Action::Skew { node, ms } => write!(f, "skew {node} {}", SignedMs(*ms)),
            Action::Jump { node, ms } => write!(f, "jump {node} {}", SignedMs(*ms)),
            Action::Link { a, b, change } => {
                write!(f, "link {a} {b}")?;
                if let Some(l) = change.latency_ms {
                    write!(f, " latency {}", Ms(l))?;
                }
                if let Some(j) = change.jitter_ms {
                    write!(f, " jitter {}", Ms(j))?;
                }
                if let Some(bw) = change.bandwidth_bytes_per_ms {
                    if bw % MBIT_BYTES_PER_MS == 0 {
                        write!(f, " bandwidth {}mbit", bw / MBIT_BYTES_PER_MS)?;
                    } else {
                        write!(f, " bandwidth {bw}B/ms")?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Why a text is not an action; the message names what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

fn err<T>(msg: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(msg.into()))
}

/// What every action looks like, for error messages.
pub const SYNTAX: &str = "@NODE COMMAND, pause NODE T, crash NODE, restart NODE, \
partition A,B / C,D, oneway A -> B, heal, skew NODE ±T, jump NODE ±T, \
link A B [latency T] [jitter T] [bandwidth R]";

/// Whether `s` is a node name as the scenario loader allows them.
pub fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn name(s: &str) -> Result<String, ParseError> {
    if valid_name(s) {
        Ok(s.to_string())
    } else if s.is_empty() {
        err("a node name is missing")
    } else {
        err(format!(
            "'{}' is not a node name (1-32 letters, digits, '-' or '_')",
            clip(s)
        ))
    }
}

/// At most 24 characters of user text, for messages.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

impl FromStr for Action {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Action, ParseError> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix('@') {
            let (node, line) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let line = line.trim();
            if line.is_empty() {
                return err(format!("@{} needs a command after the node", clip(node)));
            }
            if line.len() > MAX_LINE_BYTES {
                return err(format!("the command is longer than {MAX_LINE_BYTES} bytes"));
            }
            if line.contains(['\n', '\r']) {
                return err("a command is one line");
            }
            return Ok(Action::Command {
                node: name(node)?,
                line: line.to_string(),
            });
        }
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let args: Vec<&str> = rest.split_whitespace().collect();
        let exactly = |n: usize, usage: &str| {
            if args.len() == n {
                Ok(())
            } else {
                err(format!("usage: {usage}"))
            }
        };
        let pos = |ms: i64| u64::try_from(ms).unwrap_or(0);
        match verb {
            "pause" => {
                exactly(2, "pause NODE T")?;
                Ok(Action::Pause {
                    node: name(args[0])?,
                    ms: pos(parse_ms(args[1], false)?),
                })
            }
            "crash" => {
                exactly(1, "crash NODE")?;
                Ok(Action::Crash {
                    node: name(args[0])?,
                })
            }
            "restart" => {
                exactly(1, "restart NODE")?;
                Ok(Action::Restart {
                    node: name(args[0])?,
                })
            }
            "heal" => {
                exactly(0, "heal")?;
                Ok(Action::Heal)
            }
            "skew" | "jump" => {
                exactly(2, &format!("{verb} NODE ±T"))?;
                let node = name(args[0])?;
                let ms = parse_ms(args[1], true)?;
                Ok(if verb == "skew" {
                    Action::Skew { node, ms }
                } else {
                    Action::Jump { node, ms }
                })
            }
            "oneway" => {
                let usage = "usage: oneway A -> B";
                let Some((a, b)) = rest.split_once("->") else {
                    return err(usage);
                };
                let (a, b) = (a.trim(), b.trim());
                if a.contains(char::is_whitespace) || b.contains(char::is_whitespace) {
                    return err(usage);
                }
                Ok(Action::OneWay {
                    from: name(a)?,
                    to: name(b)?,
                })
            }
            "partition" => {
                let mut groups = Vec::new();
                for g in rest.split('/') {
                    let members: Result<Vec<String>, ParseError> =
                        g.split(',').map(|n| name(n.trim())).collect();
                    groups.push(members?);
                }
                if groups.len() < 2 {
                    return err("a partition needs two or more groups: partition A,B / C,D");
                }
                Ok(Action::Partition { groups })
            }
            "link" => {
                if args.len() < 4 || !args.len().is_multiple_of(2) {
                    return err(
                        "usage: link A B [latency T] [jitter T] [bandwidth R] (at least one)",
                    );
                }
                let mut change = LinkChange::default();
                for pair in args[2..].chunks(2) {
                    let slot_taken = match pair[0] {
                        "latency" => change
                            .latency_ms
                            .replace(pos(parse_ms(pair[1], false)?))
                            .is_some(),
                        "jitter" => change
                            .jitter_ms
                            .replace(pos(parse_ms(pair[1], false)?))
                            .is_some(),
                        "bandwidth" => change
                            .bandwidth_bytes_per_ms
                            .replace(parse_bandwidth(pair[1])?)
                            .is_some(),
                        other => {
                            return err(format!(
                                "link: unknown setting '{}' (latency, jitter, bandwidth)",
                                clip(other)
                            ))
                        }
                    };
                    if slot_taken {
                        return err(format!("link: '{}' given twice", pair[0]));
                    }
                }
                Ok(Action::Link {
                    a: name(args[0])?,
                    b: name(args[1])?,
                    change,
                })
            }
            "" => err(format!("an action is missing ({SYNTAX})")),
            other => err(format!(
                "unknown action '{}' (actions: {SYNTAX})",
                clip(other)
            )),
        }
    }
}

/// In a lesson file or a lesson's JSON, an action is its text.
impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Action, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
