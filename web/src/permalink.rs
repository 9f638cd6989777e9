//! Every view is a permalink: `#lesson=<id>&seed=<n>&s=<schedule>&t=<ms>`,
//! plus `lang=zh|en` and `embed=1`. Opening it rebuilds the lesson with that
//! seed, replays the learner's actions and moves the playhead to `t`. A
//! side-by-side comparison adds `cmp=<schedule>`, the other branch's actions
//! (same codec, may be empty), and `live=a` when the live branch is A.
//!
//! The schedule is `;`-separated entries `<at_ms>:<events>:<code>[:<arg>]*`,
//! each field percent-encoded (so `;` and `:` never appear inside one):
//! `c:<node>:<line>` console, `p:<node>:<ms>` pause, `x:<node>` crash,
//! `r:<node>` restart, `k:<node>:<ms>` skew, `j:<node>:<ms>` clock jump,
//! `P:<a,b>:<c,d>...` partition, `o:<from>:<to>` one-way cut, `h` heal,
//! `l:<a>:<b>:<latency>:<jitter>:<bandwidth>` link. Parsing never panics:
//! a damaged link comes back as an error text and the page opens the lesson
//! at its start with a banner.

use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::sim::{Action, Fault, Sim};

use crate::session::Entry;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub lesson: Option<String>,
    pub seed: Option<u64>,
    pub schedule: Option<String>,
    pub t_ms: Option<u64>,
    pub lang: Option<String>,
    pub embed: bool,
    /// The sandbox's topology (`sandbox::Topo::encode`).
    pub topo: Option<String>,
    /// The other branch of a comparison (`cmp=`), and `live=` as given.
    pub compare: Option<String>,
    pub live: Option<String>,
    /// Problems met while reading the hash (unknown keys are ignored).
    pub errors: Vec<String>,
}

const SAFE: &[u8] = b"-_.!~*'()";

pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad escape at character {}", i + 1))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8".to_string())
}

/// Reads a location hash (with or without its leading `#`).
pub fn parse_hash(hash: &str) -> Link {
    let mut link = Link::default();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash == "demo" {
        link.lesson = Some(crate::lessons::SANDBOX_ID.into());
        return link;
    }
    for part in hash.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k {
            "lesson" => match decode(v) {
                Ok(id) if !id.is_empty() && id.len() <= 64 => link.lesson = Some(id),
                _ => link.errors.push("lesson".into()),
            },
            "seed" => match v.parse::<u64>() {
                Ok(s) => link.seed = Some(s),
                Err(_) => link.errors.push(format!("seed \"{}\"", trim(v))),
            },
            "s" => link.schedule = Some(v.to_string()),
            "cmp" => link.compare = Some(v.to_string()),
            "live" => link.live = Some(v.to_string()),
            "t" => match v.parse::<u64>() {
                Ok(t) => link.t_ms = Some(t),
                Err(_) => link.errors.push(format!("t \"{}\"", trim(v))),
            },
            "lang" => link.lang = Some(v.to_string()),
            "topo" => link.topo = decode(v).ok(),
            "embed" => link.embed = v == "1" || v == "true",
            "demo" => link.lesson = Some(crate::lessons::SANDBOX_ID.into()),
            _ => {}
        }
    }
    link
}

pub fn trim(s: &str) -> String {
    s.chars().take(24).collect()
}

fn node_name(sim: &Sim, id: NodeId) -> String {
    encode(&sim.name(id))
}

/// The schedule as the `s=` parameter.
pub fn encode_schedule(sim: &Sim, schedule: &[Entry]) -> String {
    let n = |id: NodeId| node_name(sim, id);
    schedule
        .iter()
        .map(|e| {
            let body = match &e.action {
                Action::Console { node, line, .. } => format!("c:{}:{}", n(*node), encode(line)),
                Action::Fault(f) => match f {
                    Fault::Pause { node, ms } => format!("p:{}:{ms}", n(*node)),
                    Fault::Crash { node } => format!("x:{}", n(*node)),
                    Fault::Restart { node } => format!("r:{}", n(*node)),
                    Fault::Skew { node, skew_ms } => format!("k:{}:{skew_ms}", n(*node)),
                    Fault::ClockJump { node, delta_ms } => format!("j:{}:{delta_ms}", n(*node)),
                    Fault::Partition { groups } => {
                        let gs: Vec<String> = groups
                            .iter()
                            .map(|g| g.iter().map(|&id| n(id)).collect::<Vec<_>>().join(","))
                            .collect();
                        format!("P:{}", gs.join(":"))
                    }
                    Fault::Cut { from, to } => format!("o:{}:{}", n(*from), n(*to)),
                    Fault::Heal => "h".into(),
                    Fault::Link { a, b, cfg } => format!(
                        "l:{}:{}:{}:{}:{}",
                        n(*a),
                        n(*b),
                        cfg.latency_ms,
                        cfg.jitter_ms,
                        cfg.bandwidth_bytes_per_ms
                    ),
                },
            };
            format!("{}:{}:{}", e.at_ms, e.events, body)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads the `s=` parameter against the lesson's nodes.
pub fn decode_schedule(sim: &Sim, s: &str, end_ms: Option<u64>) -> Result<Vec<Entry>, String> {
    let mut out: Vec<Entry> = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    for (i, raw) in s.split(';').enumerate() {
        let fail = |why: &str| format!("action {}: {why}", i + 1);
        if i >= 10_000 {
            return Err(fail("too many actions"));
        }
        let fields: Vec<&str> = raw.split(':').collect();
        let num = |k: usize| -> Result<u64, String> {
            fields
                .get(k)
                .and_then(|f| f.parse::<u64>().ok())
                .ok_or_else(|| fail("expected a number"))
        };
        let int = |k: usize| -> Result<i64, String> {
            fields
                .get(k)
                .and_then(|f| f.parse::<i64>().ok())
                .ok_or_else(|| fail("expected a number"))
        };
        let node = |k: usize| -> Result<NodeId, String> {
            let name = decode(fields.get(k).ok_or_else(|| fail("a node is missing"))?)
                .map_err(|e| fail(&e))?;
            sim.node_id(&name)
                .ok_or_else(|| fail(&format!("unknown node \"{}\"", trim(&name))))
        };
        let at_ms = num(0)?;
        let events = num(1)?;
        if let Some(prev) = out.last() {
            if at_ms < prev.at_ms || events < prev.events {
                return Err(fail("actions out of order"));
            }
        }
        if end_ms.is_some_and(|e| at_ms > e) {
            return Err(fail("after the end of the lesson"));
        }
        let code = fields.get(2).copied().unwrap_or("");
        let action =
            match code {
                "c" => {
                    let line = decode(
                        fields
                            .get(4)
                            .ok_or_else(|| fail("the command is missing"))?,
                    )
                    .map_err(|e| fail(&e))?;
                    if line.len() > 4096 {
                        return Err(fail("command too long"));
                    }
                    Action::Console {
                        node: node(3)?,
                        line,
                        tag: None,
                    }
                }
                "p" => Action::Fault(Fault::Pause {
                    node: node(3)?,
                    ms: num(4)?.min(86_400_000),
                }),
                "x" => Action::Fault(Fault::Crash { node: node(3)? }),
                "r" => Action::Fault(Fault::Restart { node: node(3)? }),
                "k" => Action::Fault(Fault::Skew {
                    node: node(3)?,
                    skew_ms: int(4)?,
                }),
                "j" => Action::Fault(Fault::ClockJump {
                    node: node(3)?,
                    delta_ms: int(4)?,
                }),
                "o" => Action::Fault(Fault::Cut {
                    from: node(3)?,
                    to: node(4)?,
                }),
                "h" => Action::Fault(Fault::Heal),
                "P" => {
                    let mut groups = Vec::new();
                    for g in fields.iter().skip(3) {
                        let mut ids = Vec::new();
                        for name in g.split(',').filter(|n| !n.is_empty()) {
                            let name = decode(name).map_err(|e| fail(&e))?;
                            ids.push(sim.node_id(&name).ok_or_else(|| {
                                fail(&format!("unknown node \"{}\"", trim(&name)))
                            })?);
                        }
                        groups.push(ids);
                    }
                    if groups.len() < 2 {
                        return Err(fail("a partition needs two groups"));
                    }
                    Action::Fault(Fault::Partition { groups })
                }
                "l" => Action::Fault(Fault::Link {
                    a: node(3)?,
                    b: node(4)?,
                    cfg: LinkCfg {
                        latency_ms: num(5)?.min(3_600_000),
                        jitter_ms: num(6)?.min(3_600_000),
                        bandwidth_bytes_per_ms: num(7)?.max(1),
                    },
                }),
                other => return Err(fail(&format!("unknown action \"{}\"", trim(other)))),
            };
        out.push(Entry {
            at_ms,
            events,
            action,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use replilab_core::demo;
    use replilab_core::profile::Profile;

    #[test]
    fn schedules_round_trip() {
        let sim = demo::master_and_two_replicas(1, Profile::V7_0);
        let entries = vec![
            Entry {
                at_ms: 10,
                events: 3,
                action: Action::Console {
                    node: NodeId(0),
                    line: "SET k \"a b;c:d\" 100%".into(),
                    tag: None,
                },
            },
            Entry {
                at_ms: 20,
                events: 9,
                action: Action::Fault(Fault::Partition {
                    groups: vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]],
                }),
            },
            Entry {
                at_ms: 20,
                events: 9,
                action: Action::Fault(Fault::Heal),
            },
            Entry {
                at_ms: 30,
                events: 12,
                action: Action::Fault(Fault::Skew {
                    node: NodeId(2),
                    skew_ms: -5000,
                }),
            },
        ];
        let s = encode_schedule(&sim, &entries);
        assert_eq!(decode_schedule(&sim, &s, None).unwrap(), entries);
    }

    #[test]
    fn damaged_links_are_errors_not_panics() {
        let sim = demo::master_and_two_replicas(1, Profile::V7_0);
        for bad in [
            "1",
            "1:2",
            "x:y:c",
            "5:1:c:zz:GET",
            "5:1:c:m",
            "5:1:P:m",
            "9:1:h;5:1:h",
            "5:1:c:m:%E2%28",
            "5:1:q",
            "5:1:c:m:%",
            "5:1:l:m:r1:a",
        ] {
            assert!(decode_schedule(&sim, bad, None).is_err(), "{bad}");
        }
        let link = parse_hash("#lesson=x&seed=abc&t=-1&s=%%%");
        assert_eq!(link.lesson.as_deref(), Some("x"));
        assert_eq!(link.errors.len(), 2);
    }
}
