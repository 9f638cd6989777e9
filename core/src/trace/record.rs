//! The run's record: what the checker, the charts and the landmark views
//! need from the whole run, kept compactly as events are recorded, so the
//! trace itself can be a cache (the page drops its old stretches and
//! regenerates them from snapshots, `timeline/history.rs`).
//!
//! It is part of the `Sim`, so a snapshot holds the record as it stood then;
//! its lists are `CowVec`s, shared with the snapshots chunk by chunk.

use std::rc::Rc;

use crate::cowmap::CowVec;
use crate::net::NodeId;

use super::{Fnv64, TraceEvent, TraceKind};

/// A rare event kept for the whole run, with its index in the whole trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at: usize,
    pub ev: TraceEvent,
}

/// Where a master acknowledged a write (a `TraceKind::Ack`, compact).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckMark {
    pub t_ms: u64,
    pub node: NodeId,
    /// FNV-1a of the command as the trace shows it (`cmd_key`).
    pub cmd: u64,
    pub replid: Rc<str>,
    pub offset: u64,
}

/// One offset sample for the charts: the last Feed/Apply offset of `node`
/// in its interval of `Record::sample_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetSample {
    pub t_ms: u64,
    pub node: NodeId,
    pub offset: u64,
}

/// Samples kept before their interval doubles (and every other one goes).
const MAX_SAMPLES: usize = 8192;
/// The first interval between offset samples of one node.
const FIRST_SAMPLE_MS: u64 = 50;

#[derive(Clone, Debug)]
pub struct Record {
    marks: CowVec<Mark>,
    acks: CowVec<AckMark>,
    samples: CowVec<OffsetSample>,
    sample_ms: u64,
}

impl Default for Record {
    fn default() -> Self {
        Record {
            marks: CowVec::new(),
            acks: CowVec::new(),
            samples: CowVec::new(),
            sample_ms: FIRST_SAMPLE_MS,
        }
    }
}

/// The key an Ack's command is looked up by.
pub fn cmd_key(cmd: &str) -> u64 {
    let mut h = Fnv64::default();
    h.write(cmd.as_bytes());
    h.finish()
}

/// Whether the record keeps the event whole: faults, role changes, syncs,
/// Sentinel events, log lines, console commands, and FLUSHALL/FLUSHDB
/// applied from a master.
pub fn is_mark(kind: &TraceKind) -> bool {
    match kind {
        TraceKind::Fault { .. }
        | TraceKind::Role { .. }
        | TraceKind::Sync { .. }
        | TraceKind::Sentinel { .. }
        | TraceKind::Log { .. }
        | TraceKind::Exec { .. } => true,
        TraceKind::Apply { cmd, .. } => cmd.is_flush(),
        _ => false,
    }
}

/// FLUSHALL or FLUSHDB (with or without ASYNC/SYNC), as the trace shows a command.
pub fn is_flush(cmd: &str) -> bool {
    let word = cmd.split(' ').next().unwrap_or("").trim_matches('"');
    word.eq_ignore_ascii_case("FLUSHALL") || word.eq_ignore_ascii_case("FLUSHDB")
}

impl Record {
    /// Notes event number `at` of the whole trace.
    pub(crate) fn note(&mut self, at: usize, ev: &TraceEvent) {
        match &ev.kind {
            TraceKind::Ack {
                cmd,
                replid,
                offset,
                ..
            } => {
                let replid = match self.acks.last() {
                    Some(a) if *a.replid == **replid => a.replid.clone(),
                    _ => Rc::from(replid.as_str()),
                };
                self.acks.push(AckMark {
                    t_ms: ev.t_ms,
                    node: ev.node,
                    cmd: cmd_key(cmd),
                    replid,
                    offset: *offset,
                });
            }
            TraceKind::Feed { offset, .. } | TraceKind::Apply { offset, .. } => {
                self.sample(ev.t_ms, ev.node, *offset);
                if is_mark(&ev.kind) {
                    self.marks.push(Mark { at, ev: ev.clone() });
                }
            }
            k if is_mark(k) => self.marks.push(Mark { at, ev: ev.clone() }),
            _ => {}
        }
    }

    fn sample(&mut self, t_ms: u64, node: NodeId, offset: u64) {
        let every = self.sample_ms;
        let s = OffsetSample { t_ms, node, offset };
        // The node's last sample, if it is in this interval: the nodes of
        // one deployment interleave, so it is among the last few.
        let recent = self.samples.len().saturating_sub(64);
        let same = (recent..self.samples.len())
            .rev()
            .map(|i| self.samples[i])
            .find(|x| x.node == node)
            .is_some_and(|x| x.t_ms / every == t_ms / every);
        if same {
            if let Some(x) = self.samples.rfind_mut(|x| x.node == node) {
                *x = s;
            }
            return;
        }
        self.samples.push(s);
        if self.samples.len() > MAX_SAMPLES {
            self.thin();
        }
    }

    /// Doubles the sampling interval: keeps each node's last sample per new interval.
    fn thin(&mut self) {
        self.sample_ms = self.sample_ms.saturating_mul(2);
        let every = self.sample_ms;
        let all: Vec<OffsetSample> = self.samples.iter().copied().collect();
        let mut kept = CowVec::new();
        for (i, s) in all.iter().enumerate() {
            let later = all[i + 1..]
                .iter()
                .take_while(|x| x.t_ms / every == s.t_ms / every)
                .any(|x| x.node == s.node);
            if !later {
                kept.push(*s);
            }
        }
        self.samples = kept;
    }

    /// The rare events of the whole run, in order (`is_mark`).
    pub fn marks(&self) -> &CowVec<Mark> {
        &self.marks
    }
    /// Every acknowledged write's place in its master's stream, in order.
    pub fn acks(&self) -> &CowVec<AckMark> {
        &self.acks
    }
    /// Each node's replication offset over the run, sampled.
    pub fn offsets(&self) -> &CowVec<OffsetSample> {
        &self.samples
    }
}
