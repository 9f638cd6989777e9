//! Why an acknowledged write is missing: where it was acknowledged, and the
//! first thing that erased it (a full sync, a crash, a FLUSHALL, a failover
//! to a server without it, a replication cycle), in words.

use crate::client::Op;
use crate::msg::show_argv;
use crate::net::NodeId;
use crate::node::NodeState;
use crate::sentinel::SentinelEventKind;
use crate::sim::Sim;
use crate::trace::{cmd_key, is_flush, TraceEvent, TraceKind};

use super::LostWrite;

/// Explains lost writes over one finished run, from the run's record
/// (`trace::Record`: the few events that can erase a write or promote a
/// server, and every acknowledgement), so it works when the page has
/// dropped the start of the trace, and costs a binary search per write.
pub(super) struct Explainer<'a> {
    sim: &'a Sim,
    marks: Vec<&'a TraceEvent>,
}

impl<'a> Explainer<'a> {
    pub(super) fn new(sim: &'a Sim) -> Self {
        let marks = (sim.run_record().marks().iter())
            .map(|m| &m.ev)
            .filter(|e| erases_or_promotes(&e.kind))
            .collect();
        Explainer { sim, marks }
    }

    /// The marked events at or after `t`.
    fn marks_from(&self, t: u64) -> impl Iterator<Item = &'a TraceEvent> + '_ {
        let k = self.marks.partition_point(|e| e.t_ms < t);
        self.marks[k..].iter().copied()
    }

    /// Finds where the write was acknowledged and what erased it afterwards.
    /// `judged`: the master whose keyspace the write was looked for in.
    pub(super) fn explain(&self, client: &str, op: &Op, judged: Option<NodeId>) -> LostWrite {
        let sim = self.sim;
        let cmd = show_argv(&op.kind.argv());
        let done = op.complete_ms.unwrap_or(op.invoke_ms);
        let acks = sim.run_record().acks();
        let key = cmd_key(&cmd);
        let (lo, hi) = (
            acks.partition_point(|a| a.t_ms < op.invoke_ms),
            acks.partition_point(|a| a.t_ms <= done),
        );
        let ack = (lo..hi)
            .rev()
            .map(|i| &acks[i])
            .find(|a| Some(a.node) == op.target && a.cmd == key);
        let (node, acked_ms, replid, offset) = match ack {
            Some(a) => (Some(a.node), a.t_ms, a.replid.to_string(), a.offset),
            None => (op.target, done, String::new(), 0),
        };
        let mut erased_by = "not found on the final master".to_string();
        let mut erased_ms = None;
        // No Ack: a replica took it. With `replica-read-only no` a replica
        // accepts writes, keeps them to itself and never passes them on. The
        // server ran it somewhere between the call and the reply, and may have
        // changed role since (crashed and restarted as a master before the reply
        // landed: swarm seed 6740794737872376), so any moment as a replica counts.
        let is_replica = |e: &TraceEvent| match &e.kind {
            TraceKind::Role { role } if Some(e.node) == op.target => Some(role == "slave"),
            _ => None,
        };
        let replica_then = || {
            let call = self.marks.partition_point(|e| e.t_ms < op.invoke_ms);
            let upto = self.marks.partition_point(|e| e.t_ms <= done);
            self.marks[..call].iter().rev().find_map(|e| is_replica(e)) == Some(true)
                || self.marks[call..upto]
                    .iter()
                    .filter_map(|e| is_replica(e))
                    .any(|r| r)
        };
        if ack.is_none() && replica_then() {
            erased_by = format!(
                "{} took it as a writable replica (replica-read-only no): such writes stay on that replica",
                node.map(|n| sim.name(n)).unwrap_or_default()
            );
            erased_ms = Some(done);
        }
        // What erased it on the node that acknowledged it, else on the master
        // it was judged against (a FLUSHALL typed on a writable replica that
        // later became the master is local to it, yet erases the write).
        // The master it was judged against, when not the one that acknowledged it.
        let other = judged.filter(|j| Some(*j) != node);
        for n in node.into_iter().chain(other) {
            if erased_ms.is_some() {
                break;
            }
            if let Some((why, at)) = self.erasure(n, acked_ms) {
                erased_by = why;
                erased_ms = Some(at);
            }
        }
        // The final master is another server, made master by a failover after
        // the write, and it never had the write: Redis loses it the same way
        // (a failover to a replica that had not received it; Sentinels flapping
        // between two masters do this again and again).
        if let (None, Some(n), Some(j)) = (erased_ms, node, other) {
            if let Some(at) = self.promoted_after(j, acked_ms) {
                erased_by = format!(
                    "a failover made {} the master without it ({} acknowledged it, and {} never got it from there)",
                    sim.name(j),
                    sim.name(n),
                    sim.name(j)
                );
                erased_ms = Some(at);
            }
        }
        // Two masters at once: the final master was already one when the
        // write was acknowledged elsewhere (Sentinels flapping named it, while
        // the client asked one that still named the other), and nothing
        // replicates between two masters: Redis loses the write the same way,
        // as an old master's writes after it was replaced (swarm seed 107300).
        if let (None, Some(n), Some(j)) = (erased_ms, node, other) {
            if self.master_at(j, acked_ms) && self.master_at(n, acked_ms) {
                erased_by = format!(
                    "{} was a master too when {} acknowledged it (two masters at once), and {} never got it",
                    sim.name(j),
                    sim.name(n),
                    sim.name(j)
                );
                erased_ms = Some(acked_ms);
            }
        }
        // The final master and the server that acknowledged the write ended as
        // replicas of each other (Sentinels that never agreed, e.g. two forced
        // failovers in one epoch). Neither can sync (a replica without its
        // master link answers SYNC with NOMASTERLINK), so the write stays on
        // the one that took it, never on the other (swarm seed 25489).
        if let (None, Some(n), Some(j)) = (erased_ms, node, other) {
            if let Some(cycle) = replication_cycle(sim, j).filter(|c| c.contains(&n)) {
                let names: Vec<String> = cycle.iter().map(|&c| sim.name(c)).collect();
                erased_by = format!(
                    "{} ended in a replication cycle ({} -> {}): it never reached {}",
                    sim.name(n),
                    names.join(" -> "),
                    names[0],
                    sim.name(j)
                );
                erased_ms = Some(acked_ms);
            }
        }
        LostWrite {
            client: client.to_string(),
            cmd,
            acked_ms,
            acked_by: node.map(|n| sim.name(n)).unwrap_or_default(),
            replid,
            offset,
            erased_by,
            erased_ms,
        }
    }
}

/// The replication cycle `j`'s master links end in, if they loop (each
/// node in it once, starting from the first one met).
fn replication_cycle(sim: &Sim, j: NodeId) -> Option<Vec<NodeId>> {
    let mut path = vec![j];
    let mut node = j;
    for _ in 0..sim.nodes().len() {
        let NodeState::Redis(r) = &sim.node(node)?.state else {
            return None;
        };
        let m = r.master.as_ref()?;
        node = sim.node_at(&m.host, m.port)?;
        if let Some(i) = path.iter().position(|&p| p == node) {
            return Some(path.split_off(i));
        }
        path.push(node);
    }
    None
}

impl Explainer<'_> {
    /// Whether `n` was a master at `t`: its last role change by then.
    fn master_at(&self, n: NodeId, t: u64) -> bool {
        let k = self.marks.partition_point(|e| e.t_ms <= t);
        self.marks[..k]
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                TraceKind::Role { role } if e.node == n => Some(role == "master"),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// When `j` first became the master from `from_ms` on: its own role change,
    /// or a Sentinel's `+switch-master` to its address.
    fn promoted_after(&self, j: NodeId, from_ms: u64) -> Option<u64> {
        let sim = self.sim;
        self.marks_from(from_ms)
            .find(|e| match &e.kind {
                TraceKind::Role { role } => e.node == j && role == "master",
                TraceKind::Sentinel { event } if event.kind == SentinelEventKind::SwitchMaster => {
                    // `<name> <old-ip> <old-port> <new-ip> <new-port>`
                    let w: Vec<&str> = event.payload.split(' ').collect();
                    w.len() == 5 && w[4].parse().ok().and_then(|p| sim.node_at(w[3], p)) == Some(j)
                }
                _ => false,
            })
            .map(|e| e.t_ms)
    }

    /// The first event on `n` from `from_ms` on that erased its data, in words.
    fn erasure(&self, n: NodeId, from_ms: u64) -> Option<(String, u64)> {
        let mut full_from = None;
        let name = self.sim.name(n);
        for e in self.marks_from(from_ms).filter(|e| e.node == n) {
            let why = match &e.kind {
                TraceKind::Log { text } if text.starts_with("Full resync from master:") => {
                    full_from = Some(text.clone());
                    continue;
                }
                TraceKind::Log { text } if text == "MASTER <-> REPLICA sync: Flushing old data" => {
                    let from = full_from.clone().unwrap_or_default();
                    format!("{name} flushed its data to load a full sync ({from})")
                }
                TraceKind::Fault { text } if text.starts_with("crash") => {
                    format!("{name} crashed, and the server that ended as master never had it")
                }
                // FLUSHALL / FLUSHDB typed there, or applied from its master's stream.
                TraceKind::Exec { cmd, reply, .. } if is_flush(cmd) && reply == "OK" => {
                    format!("{name} ran {cmd}")
                }
                TraceKind::Apply { cmd, .. } if cmd.is_flush() => {
                    format!("{name} applied {cmd} from its master")
                }
                _ => continue,
            };
            return Some((why, e.t_ms));
        }
        None
    }
}

/// The events `erasure` and `promoted_after` look at.
fn erases_or_promotes(kind: &TraceKind) -> bool {
    match kind {
        TraceKind::Log { text } => {
            text.starts_with("Full resync from master:")
                || text == "MASTER <-> REPLICA sync: Flushing old data"
        }
        TraceKind::Fault { text } => text.starts_with("crash"),
        TraceKind::Exec { cmd, .. } => is_flush(cmd),
        TraceKind::Apply { cmd, .. } => cmd.is_flush(),
        TraceKind::Role { .. } => true,
        TraceKind::Sentinel { event } => event.kind == SentinelEventKind::SwitchMaster,
        _ => false,
    }
}
