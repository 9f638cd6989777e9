//! Expectations: checked over a run, shown as goals in the page.

use std::collections::BTreeSet;

use serde::Serialize;

use super::format::{toml_value::Value, Expect};
use crate::checker::oversell::{sale_value, SALE_CHECKS};
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
    "log",
    "same",
    "cluster",
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
    if !CHECKS.contains(&e.check.as_str()) && !SALE_CHECKS.contains(&e.check.as_str()) {
        return Err(format!(
            "unknown check \"{}\" (expected one of: {}, {})",
            e.check,
            CHECKS.join(", "),
            SALE_CHECKS.join(", ")
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
        "log" if e.contains.is_none() => {
            return Err("`log` needs `contains` (text of a server log line)".into())
        }
        "cluster"
            if !e
                .field
                .as_deref()
                .is_some_and(|f| crate::checker::skew::FIELDS.contains(&f)) =>
        {
            return Err(format!(
                "`cluster` needs `field`, one of: {}",
                crate::checker::skew::FIELDS.join(", ")
            ))
        }
        "same" if e.field.is_none() || e.nodes.as_ref().is_none_or(|n| n.len() < 2) => {
            return Err("`same` needs `field` and `nodes` (two or more)".into())
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

/// A field of INFO (any section) on `node` now, or "(not available)".
fn info_field(sim: &Sim, node: &str, field: &str) -> String {
    let Some(id) = sim.node_id(node) else {
        return "(not available)".into();
    };
    let text = sim
        .redis(id)
        .map(|r| r.info_at(&[b"everything".to_vec()], sim.clock_ms(id)));
    text.as_deref()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix(field)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(str::to_string)
            })
        })
        .unwrap_or_else(|| "(not available)".into())
}

/// Counts the run's events that match: Sentinel events and log lines, which
/// the run's record keeps whole (`trace::is_mark`).
fn count(sim: &Sim, pred: impl Fn(&crate::trace::TraceEvent) -> bool) -> Value {
    let marks = sim.run_record().marks();
    Value::Int(marks.iter().filter(|m| pred(&m.ev)).count() as i64)
}

/// Evaluates one expectation now (the simulation is at `when_ms(e)`).
pub fn evaluate(e: &Expect, sim: &Sim, report: &Report) -> Outcome {
    let needle = e.contains.as_deref().unwrap_or("");
    let mine = |c: &str| e.client.as_deref().is_none_or(|want| want == c);
    let got: Value = match e.check.as_str() {
        "reply" => Value::Text(
            e.id.as_deref()
                .and_then(|id| sim.tagged_reply(id))
                .unwrap_or("(no reply)")
                .to_string(),
        ),
        "role" => Value::Text(info_field(sim, e.node.as_deref().unwrap_or(""), "role")),
        "info" => Value::Text(info_field(
            sim,
            e.node.as_deref().unwrap_or(""),
            e.field.as_deref().unwrap_or(""),
        )),
        "event" => count(
            sim,
            |t| matches!(&t.kind, TraceKind::Sentinel { event } if event.to_string().contains(needle)),
        ),
        "log" => {
            let only = e.node.as_deref().and_then(|n| sim.node_id(n));
            count(sim, |t| {
                only.is_none_or(|o| o == t.node)
                    && matches!(&t.kind, TraceKind::Log { text } if text.contains(needle))
            })
        }
        "same" => {
            let field = e.field.as_deref().unwrap_or("");
            let values: Vec<(String, String)> = e
                .nodes
                .iter()
                .flatten()
                .map(|n| (n.clone(), info_field(sim, n, field)))
                .collect();
            let equal = values.windows(2).all(|w| w[0].1 == w[1].1);
            let shown: Vec<String> = values.iter().map(|(n, v)| format!("{n}={v}")).collect();
            Value::Text(if equal {
                "equal".into()
            } else {
                format!("differ: {}", shown.join(", "))
            })
        }
        "cluster" => crate::checker::skew::expect_value(
            sim,
            e.field.as_deref().unwrap_or(""),
            e.node.as_deref(),
            e.client.as_deref(),
        )
        .map_or_else(Value::Text, Value::Int),
        "lost_writes" => Value::Int(
            report
                .lost_writes
                .iter()
                .filter(|l| mine(&l.client))
                .count() as i64,
        ),
        "acked_writes" => Value::Int(
            report
                .acked_by_client
                .iter()
                .filter(|(c, _)| mine(c))
                .map(|(_, n)| *n as i64)
                .sum(),
        ),
        "stale_reads" => Value::Int(
            report
                .stale_reads
                .iter()
                .filter(|b| mine(&b.client))
                .count() as i64,
        ),
        "expired_reads" => Value::Int(
            report
                .expired_reads
                .iter()
                .filter(|b| mine(&b.client))
                .count() as i64,
        ),
        c if SALE_CHECKS.contains(&c) => {
            Value::Int(sale_value(c, e.client.as_deref(), &report.sales))
        }
        "full_syncs" => Value::Int(report.full_syncs as i64),
        "partial_syncs" => Value::Int(report.partial_syncs as i64),
        _ => Value::Int(
            report
                .unavailable
                .iter()
                .filter(|w| mine(&w.client))
                .map(|w| w.to_ms - w.from_ms)
                .max()
                .unwrap_or(0) as i64,
        ),
    };
    Outcome {
        label_en: e.label.en.clone(),
        label_zh: e.label.zh.clone(),
        pass: compare(&e.op, &got, &e.value),
        got: got.to_string(),
        wanted: format!("{} {}", e.op, e.value),
    }
}
