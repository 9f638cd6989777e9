//! Expectations: checked over a run, shown as goals in the page.

use std::collections::BTreeSet;

use serde::Serialize;

use super::format::{toml_value::Value, Expect};
use crate::checker::Report;
use crate::sim::Sim;
use crate::trace::TraceKind;

const CHECKS: &[&str] = &[
    "lost_writes",
    "acked_writes",
    "stale_reads",
    "expired_reads",
    "full_syncs",
    "partial_syncs",
    "max_unavailable_ms",
    "reply",
    "role",
    "info",
    "event",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub label_en: String,
    pub label_zh: String,
    pub pass: bool,
    /// What was observed, as text.
    pub got: String,
    /// What was expected, as text (`> 0`, `= "OK"`).
    pub wanted: String,
}

pub(super) fn validate(e: &Expect, ids: &BTreeSet<String>) -> Result<(), String> {
    if !CHECKS.contains(&e.check.as_str()) {
        return Err(format!(
            "unknown check \"{}\" (expected one of: {})",
            e.check,
            CHECKS.join(", ")
        ));
    }
    if !matches!(
        e.op.as_str(),
        "=" | "!=" | ">" | ">=" | "<" | "<=" | "contains"
    ) {
        return Err(format!(
            "unknown op \"{}\" (expected =, !=, >, >=, <, <= or contains)",
            e.op
        ));
    }
    match e.check.as_str() {
        "reply" => match &e.id {
            Some(id) if ids.contains(id) => {}
            Some(id) => return Err(format!("no timeline command has id '{id}'")),
            None => return Err("`reply` needs `id` (of a timeline command)".into()),
        },
        "role" if e.node.is_none() => return Err("`role` needs `node`".into()),
        "info" if e.node.is_none() || e.field.is_none() => {
            return Err("`info` needs `node` and `field`".into())
        }
        "event" if e.contains.is_none() => {
            return Err("`event` needs `contains` (text of a Sentinel event)".into())
        }
        _ => {}
    }
    if let Some(t) = e.at_s {
        if !(t.is_finite() && t >= 0.0) {
            return Err("`at_s` must be a time in seconds".into());
        }
    }
    Ok(())
}

/// The time (ms) at which `e` is evaluated: its `at_s`, or the end.
pub fn when_ms(e: &Expect, end_ms: u64) -> u64 {
    e.at_s.map_or(end_ms, |s| ((s * 1000.0) as u64).min(end_ms))
}

fn compare(op: &str, got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Int(g), Value::Int(w)) => match op {
            "=" => g == w,
            "!=" => g != w,
            ">" => g > w,
            ">=" => g >= w,
            "<" => g < w,
            "<=" => g <= w,
            _ => false,
        },
        (Value::Text(g), Value::Text(w)) => match op {
            "=" => g == w,
            "!=" => g != w,
            "contains" => g.contains(w.as_str()),
            _ => false,
        },
        // A numeric text compares as a number (INFO fields are text).
        (Value::Text(g), Value::Int(_)) => g
            .trim()
            .parse::<i64>()
            .is_ok_and(|n| compare(op, &Value::Int(n), want)),
        _ => false,
    }
}

/// Evaluates one expectation now (the simulation is at `when_ms(e)`).
pub fn evaluate(e: &Expect, sim: &mut Sim, report: Option<&Report>) -> Outcome {
    let got: Value = match e.check.as_str() {
        "reply" => Value::Text(
            e.id.as_deref()
                .and_then(|id| sim.tagged_reply(id))
                .unwrap_or("(no reply)")
                .to_string(),
        ),
        "role" | "info" => {
            let field = if e.check == "role" {
                "role"
            } else {
                e.field.as_deref().unwrap_or("")
            };
            let node = e.node.as_deref().and_then(|n| sim.node_id(n));
            let text = node.and_then(|n| sim.redis(n)).map(|r| {
                r.info_at(
                    &[b"everything".to_vec()],
                    sim.clock_ms(node.unwrap_or(crate::net::NodeId(0))),
                )
            });
            let value = text.as_deref().and_then(|t| {
                t.lines().find_map(|l| {
                    l.strip_prefix(field)
                        .and_then(|r| r.strip_prefix(':'))
                        .map(str::to_string)
                })
            });
            Value::Text(value.unwrap_or_else(|| "(not available)".into()))
        }
        "event" => {
            let needle = e.contains.as_deref().unwrap_or("");
            let n = sim
                .trace()
                .iter()
                .filter(
                    |t| matches!(&t.kind, TraceKind::Sentinel { event } if event.contains(needle)),
                )
                .count();
            Value::Int(n as i64)
        }
        other => {
            let r = report.cloned().unwrap_or_default();
            Value::Int(match other {
                "lost_writes" => r.lost_writes.len() as i64,
                "acked_writes" => r.acked_writes as i64,
                "stale_reads" => r.stale_reads.len() as i64,
                "expired_reads" => r.expired_reads.len() as i64,
                "full_syncs" => r.full_syncs as i64,
                "partial_syncs" => r.partial_syncs as i64,
                _ => r.longest_unavailable_ms() as i64,
            })
        }
    };
    Outcome {
        label_en: e.label.en.clone(),
        label_zh: e.label.zh.clone(),
        pass: compare(&e.op, &got, &e.value),
        got: got.to_string(),
        wanted: format!("{} {}", e.op, e.value),
    }
}
