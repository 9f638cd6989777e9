//! The swarm's timeline: faults and console commands at random times within
//! a window, then at `heal_ms` everything heals (cuts, crashed processes,
//! clocks) and the clients have stopped; a quiet period follows.
//!
//! Every entry is an `Action` of the one grammar (`core/src/action.rs`), so
//! the printed scenario shows it as a lesson would (`do = "pause m 5s"`).

use crate::action::{Action, LinkChange};
use crate::scenario::build::addresses;
use crate::scenario::format::{ActionDef, Kind, Scenario};

use super::gen::{setting, G};

fn at(at_ms: u64, action: Action) -> ActionDef {
    ActionDef {
        at_ms: Some(at_ms),
        at_s: None,
        action,
        id: None,
    }
}

fn cmd(node: &str, line: String) -> Action {
    Action::Command {
        node: node.into(),
        line,
    }
}

/// The timeline of one case: faults in `from_ms..heal_ms`, healing at `heal_ms`.
pub fn timeline(g: &mut G, s: &Scenario, from_ms: u64, heal_ms: u64) -> Vec<ActionDef> {
    let names = |k: Kind| -> Vec<String> {
        s.nodes
            .iter()
            .filter(|n| n.kind == k)
            .map(|n| n.name.clone())
            .collect()
    };
    let (redis, sentinels) = (names(Kind::Redis), names(Kind::Sentinel));
    let servers: Vec<String> = redis.iter().chain(&sentinels).cloned().collect();
    let all: Vec<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
    let addrs = addresses(s);
    let addr = |name: &str| {
        let i = s.nodes.iter().position(|n| n.name == name).unwrap_or(0);
        format!("{} {}", addrs[i].0, addrs[i].1)
    };
    let mut out = Vec::new();
    let (mut crashed, mut clocks) = (Vec::new(), Vec::new());
    for _ in 0..g.range(1, 16) {
        let t = g.range(from_ms, heal_ms - 1);
        let left = heal_ms - t;
        let action = match g.below(16) {
            0 | 1 => {
                // Two or three groups; every node lands in one.
                let k = g.range(2, 3) as usize;
                let mut groups = vec![Vec::new(); k];
                if g.chance(1, 2) {
                    // One node apart from the rest.
                    let lone = g.pick(&all).clone();
                    groups[0].push(lone.clone());
                    groups[1].extend(all.iter().filter(|n| **n != lone).cloned());
                } else {
                    for n in &all {
                        groups[g.below(k as u64) as usize].push(n.clone());
                    }
                }
                groups.retain(|grp| !grp.is_empty());
                if groups.len() < 2 {
                    continue;
                }
                Action::Partition { groups }
            }
            2 => {
                let (from, to) = (g.pick(&all).clone(), g.pick(&all).clone());
                if from == to {
                    continue;
                }
                Action::OneWay { from, to }
            }
            3 => Action::Heal,
            4 | 5 => Action::Pause {
                node: g.pick(&servers).clone(),
                ms: g.log_range(1, 20_000).min(left),
            },
            6 => {
                let node = g.pick(&servers).clone();
                crashed.push(node.clone());
                if g.chance(2, 3) {
                    let back = t + g.log_range(1, left);
                    if back < heal_ms {
                        out.push(at(back, Action::Restart { node: node.clone() }));
                    }
                }
                Action::Crash { node }
            }
            7 => {
                let node = g.pick(&all).clone();
                clocks.push(node.clone());
                let ms = g.log_range(1, 60_000) as i64;
                let ms = if g.chance(1, 2) { -ms } else { ms };
                if g.chance(1, 2) {
                    Action::Skew { node, ms }
                } else {
                    Action::Jump { node, ms }
                }
            }
            8 => {
                let (a, b) = (g.pick(&all).clone(), g.pick(&all).clone());
                if a == b {
                    continue;
                }
                let mut change = LinkChange::default();
                match g.below(4) {
                    0 => change.latency_ms = Some(g.log_range(0, 1000)),
                    1 => change.jitter_ms = Some(g.range(0, 100)),
                    2 => change.bandwidth_bytes_per_ms = Some(g.log_range(1, 10_000) * 125),
                    _ => {
                        change.latency_ms = Some(g.range(0, 1000));
                        change.jitter_ms = Some(g.range(0, 100));
                        change.bandwidth_bytes_per_ms = Some(g.log_range(1, 10_000) * 125);
                    }
                }
                Action::Link { a, b, change }
            }
            9 | 10 => {
                let (k, v) = setting(g);
                Action::config_set(g.pick(&redis).as_str(), &k, &v)
            }
            11 => {
                let node = g.pick(&redis).clone();
                let to = g.pick(&redis).clone();
                let target = if g.chance(1, 4) || to == node {
                    "NO ONE".to_string()
                } else {
                    addr(&to)
                };
                cmd(&node, format!("REPLICAOF {target}"))
            }
            12 => {
                let ms = g.log_range(1, 10_000).min(left.saturating_sub(1));
                cmd(
                    g.pick(&redis).as_str(),
                    format!("DEBUG SLEEP {}.{:03}", ms / 1000, ms % 1000),
                )
            }
            13 => {
                let ty = *g.pick(&["master", "replica", "normal", "pubsub"]);
                cmd(g.pick(&redis).as_str(), format!("CLIENT KILL TYPE {ty}"))
            }
            14 if !sentinels.is_empty() => cmd(
                g.pick(&sentinels).as_str(),
                "SENTINEL FAILOVER mymaster".into(),
            ),
            _ => cmd(g.pick(&redis).as_str(), "FLUSHALL".into()),
        };
        out.push(at(t, action));
    }
    out.push(at(heal_ms, Action::Heal));
    crashed.sort();
    crashed.dedup();
    for node in crashed {
        out.push(at(heal_ms, Action::Restart { node }));
    }
    clocks.sort();
    clocks.dedup();
    for node in clocks {
        out.push(at(heal_ms, Action::Skew { node, ms: 0 }));
    }
    // The scheduler keeps equal times in insertion order; a stable sort keeps that.
    out.sort_by_key(|a| a.at_ms);
    out
}
