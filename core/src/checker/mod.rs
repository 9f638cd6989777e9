//! The checker: named properties over a recorded run (client histories plus
//! the trace), kept apart from the protocol code. Each violation comes with a
//! minimal explanation: which write, acknowledged by which node at which
//! replication offset, and which event erased it.

mod loss;
mod lost;
pub mod oversell;
pub mod skew;
#[cfg(test)]
mod tests_skew;

pub use skew::SkewView;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::client::{Op, OpKind, Outcome};
use crate::cowmap::CowVec;
use crate::net::NodeId;
use crate::node::NodeState;
use crate::sim::Sim;
use crate::trace::TraceKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostWrite {
    pub client: String,
    pub cmd: String,
    pub acked_ms: u64,
    pub acked_by: String,
    /// Where the write stood in the acknowledging master's stream.
    pub replid: String,
    pub offset: u64,
    /// What erased it, in words (the full sync, or the crash).
    pub erased_by: String,
    pub erased_ms: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadRead {
    pub client: String,
    pub key: String,
    pub read_ms: u64,
    pub node: String,
    pub got: String,
    pub expected: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub client: String,
    pub from_ms: u64,
    pub to_ms: u64,
    pub failed_writes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub final_master: Option<String>,
    pub acked_writes: u64,
    /// Acknowledged writes per client.
    pub acked_by_client: std::collections::BTreeMap<String, u64>,
    pub surviving_writes: u64,
    pub lost_writes: Vec<LostWrite>,
    pub stale_reads: Vec<BadRead>,
    pub expired_reads: Vec<BadRead>,
    pub unavailable: Vec<Window>,
    pub full_syncs: u64,
    pub partial_syncs: u64,
    /// Flash sales (`oversell.rs`), one per buyers node.
    pub sales: Vec<oversell::SaleReport>,
}

impl Report {
    pub fn longest_unavailable_ms(&self) -> u64 {
        self.unavailable
            .iter()
            .map(|w| w.to_ms - w.from_ms)
            .max()
            .unwrap_or(0)
    }
}

/// The master every healthy Sentinel agrees on, else the only master with replicas.
pub fn final_master(sim: &Sim) -> Option<NodeId> {
    let mut votes: std::collections::BTreeMap<(String, u16), u32> = Default::default();
    for n in sim.nodes() {
        if let NodeState::Sentinel(s) = &n.state {
            for m in s.masters.values() {
                *votes.entry((m.inst.host.clone(), m.inst.port)).or_default() += 1;
            }
        }
    }
    if let Some(((host, port), _)) = votes.iter().max_by_key(|(_, v)| **v) {
        if let Some(id) = sim.node_at(host, *port) {
            return Some(id);
        }
    }
    sim.nodes()
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match &n.state {
            NodeState::Redis(r) if r.is_master() => Some((r.replicas.len(), i)),
            _ => None,
        })
        .max()
        .map(|(_, i)| NodeId(i as u16))
}

/// The master a client's writes end up on: for a Sentinel-aware client, the
/// address most Sentinels give for its master name; for a fixed address, the
/// top of the replication chain that address belongs to now.
pub fn final_master_for(sim: &Sim, c: &crate::client::ClientNode) -> Option<NodeId> {
    use crate::client::Routing;
    match &c.spec.routing {
        Routing::Sentinel { master, .. } => {
            let mut votes: std::collections::BTreeMap<(String, u16), u32> = Default::default();
            for n in sim.nodes() {
                if let NodeState::Sentinel(s) = &n.state {
                    if let Some(m) = s.masters.get(master) {
                        *votes.entry((m.inst.host.clone(), m.inst.port)).or_default() += 1;
                    }
                }
            }
            let ((host, port), _) = votes.into_iter().max_by_key(|(_, v)| *v)?;
            sim.node_at(&host, port)
        }
        Routing::Fixed { host, port } => {
            let start = sim.node_at(host, *port)?;
            let mut node = start;
            let mut seen = vec![start];
            for _ in 0..sim.nodes().len() {
                match sim.redis(node).and_then(|r| r.master.as_ref()) {
                    Some(m) => match sim.node_at(&m.host, m.port) {
                        // A chain that loops (REPLICAOF made A and B replicas
                        // of each other) has no top: nothing syncs, so the
                        // data stays where the client wrote it.
                        Some(up) if seen.contains(&up) => return Some(start),
                        Some(up) => {
                            seen.push(up);
                            node = up
                        }
                        None => break,
                    },
                    None => break,
                }
            }
            Some(node)
        }
    }
}

pub fn check(sim: &Sim) -> Report {
    let mut report = Report::default();
    for m in sim.run_record().marks().iter() {
        if let TraceKind::Sync { full, .. } = m.ev.kind {
            if full {
                report.full_syncs += 1;
            } else {
                report.partial_syncs += 1;
            }
        }
    }
    let master = final_master(sim);
    report.final_master = master.map(|m| sim.name(m));
    report.sales = oversell::sales(sim);
    // Every value each key was set to, by any client, and when (hot-key
    // workloads write one key again and again): a write overwritten by a
    // later one is not lost.
    let mut writes: BTreeMap<&str, Vec<(u64, &str)>> = BTreeMap::new();
    for slot in sim.nodes() {
        if let NodeState::Client(c) = &slot.state {
            for op in c.history.iter() {
                if let OpKind::Write { key, value, .. } = &op.kind {
                    writes.entry(key).or_default().push((op.invoke_ms, value));
                }
            }
        }
    }
    let mut explainer = None;
    for slot in sim.nodes() {
        let NodeState::Client(c) = &slot.state else {
            continue;
        };
        let client = slot.name.clone();
        // Each client is judged against the master of its own deployment.
        let judged = final_master_for(sim, c);
        let final_db = judged.and_then(|m| sim.redis(m)).map(|r| &r.db);
        let wait_needed = c.spec.wait.map(|(n, _)| n as i64);
        let history = &c.history;
        for op in history.iter().filter(|o| acknowledged(o, wait_needed)) {
            let OpKind::Write { key, value, px } = &op.kind else {
                continue;
            };
            report.acked_writes += 1;
            *report.acked_by_client.entry(client.clone()).or_default() += 1;
            // A cluster client's key lives on its slot's final owner, and a
            // loss is explained on that owner (a FLUSHALL typed on a writable
            // replica that a cluster failover later promoted: seed 218651).
            let (judged, db) = match c.cluster {
                Some(_) => {
                    let owner = lost::owner(sim, key.as_bytes());
                    (owner, owner.and_then(|o| sim.redis(o)).map(|r| &r.db))
                }
                None => (judged, final_db),
            };
            let done = op.complete_ms.unwrap_or(op.invoke_ms);
            let present = db
                .and_then(|db| db.get_entry(key.as_bytes()))
                .is_some_and(|e| {
                    e.value[..] == *value.as_bytes()
                        || writes.get(key.as_str()).is_some_and(|w| {
                            w.iter()
                                .any(|(at, v)| *at >= done && e.value[..] == *v.as_bytes())
                        })
                });
            // A write with a TTL may legitimately be gone: expired, not lost.
            let expired_since =
                px.is_some_and(|ttl| sim.now_ms() > op.complete_ms.unwrap_or(0) + ttl);
            if present || expired_since {
                report.surviving_writes += 1;
            } else {
                let explainer = explainer.get_or_insert_with(|| loss::Explainer::new(sim));
                report
                    .lost_writes
                    .push(explainer.explain(&client, op, judged));
            }
        }
        check_reads(sim, &client, history, &mut report);
        report.unavailable.extend(windows(&client, history));
    }
    report
}

fn acknowledged(op: &Op, wait_needed: Option<i64>) -> bool {
    op.kind.is_write()
        && matches!(op.outcome, Outcome::Ok(_))
        && wait_needed.is_none_or(|n| op.wait_acks.is_some_and(|a| a >= n))
}

fn check_reads(sim: &Sim, client: &str, history: &CowVec<Op>, report: &mut Report) {
    let name = |n: Option<NodeId>| n.map(|n| sim.name(n)).unwrap_or_default();
    for read in history
        .iter()
        .filter(|o| matches!(o.kind, OpKind::Read { .. }))
    {
        let Some(got) = read.ok() else { continue };
        let key = read.kind.key();
        let before = |w: &&Op| {
            w.kind.key() == key
                && w.complete_ms.is_some_and(|c| c <= read.invoke_ms)
                && matches!(w.outcome, Outcome::Ok(_))
        };
        if key == "ctr" {
            let acked_max = history
                .iter()
                .filter(before)
                .filter(|w| matches!(w.kind, OpKind::Incr { .. }))
                .filter_map(|w| parse_int(w.ok()?))
                .max();
            let seen = parse_int(got).unwrap_or(0);
            if let Some(max) = acked_max.filter(|m| seen < *m) {
                report.stale_reads.push(BadRead {
                    client: client.into(),
                    key: key.into(),
                    read_ms: read.invoke_ms,
                    node: name(read.target),
                    got: got.into(),
                    expected: format!("at least {max}"),
                });
            }
            continue;
        }
        let Some(write) = history
            .iter()
            .filter(before)
            .rfind(|w| matches!(w.kind, OpKind::Write { .. }))
        else {
            continue;
        };
        let OpKind::Write { value, px, .. } = &write.kind else {
            continue;
        };
        match px {
            Some(ttl) if read.invoke_ms > write.complete_ms.unwrap_or(0) + ttl => {
                if got != "(nil)" {
                    report.expired_reads.push(BadRead {
                        client: client.into(),
                        key: key.into(),
                        read_ms: read.invoke_ms,
                        node: name(read.target),
                        got: got.into(),
                        expected: "(nil): the key had expired".into(),
                    });
                }
            }
            _ => {
                if got == "(nil)" {
                    report.stale_reads.push(BadRead {
                        client: client.into(),
                        key: key.into(),
                        read_ms: read.invoke_ms,
                        node: name(read.target),
                        got: got.into(),
                        expected: format!("\"{value}\""),
                    });
                }
            }
        }
    }
}

fn parse_int(reply: &str) -> Option<i64> {
    reply
        .trim_start_matches("(integer) ")
        .trim_matches('"')
        .parse()
        .ok()
}

/// Spans during which a client's writes failed, from the first failure to the next success.
fn windows(client: &str, history: &CowVec<Op>) -> Vec<Window> {
    let mut out = Vec::new();
    let mut open: Option<(u64, u64)> = None;
    for op in history
        .iter()
        .filter(|o| o.kind.is_write() && o.complete_ms.is_some())
    {
        let ok = matches!(op.outcome, Outcome::Ok(_));
        match (ok, open) {
            (false, None) => open = Some((op.invoke_ms, 1)),
            (false, Some((from, n))) => open = Some((from, n + 1)),
            (true, Some((from, n))) => {
                out.push(Window {
                    client: client.into(),
                    from_ms: from,
                    to_ms: op.complete_ms.unwrap_or(from),
                    failed_writes: n,
                });
                open = None;
            }
            (true, None) => {}
        }
    }
    if let (Some((from, n)), Some(last)) = (open, history.last()) {
        out.push(Window {
            client: client.into(),
            from_ms: from,
            to_ms: last.complete_ms.unwrap_or(last.invoke_ms),
            failed_writes: n,
        });
    }
    out
}
