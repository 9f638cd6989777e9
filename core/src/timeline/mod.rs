//! Time travel: a learner's session is the simulation of one lesson (or the
//! sandbox), the learner's own actions as a schedule, and snapshots for
//! instant scrubbing. The page and the native console both drive it; the
//! page keeps only view state.
//!
//! Determinism makes time travel cheap: a run is a pure function of (lesson,
//! seed, schedule). Each learner action is recorded with the simulated time
//! and the number of events processed when it happened, so replay puts it at
//! exactly the same point of the event order, even between two events of the
//! same millisecond (reached with "next event"). Scrubbing back restores the
//! latest snapshot before the target and replays forward; acting in the past
//! forks: the actions that followed leave the live branch, kept as branch A
//! of a side-by-side comparison (`compare.rs`) or, if one is open, dropped.
//!
//! The trace is the run's largest part and only grows, so snapshots do not
//! copy it: a snapshot is a `Sim` whose trace was taken out, plus the trace's
//! length then. The session keeps the one trace of its run: the part up to
//! the playhead lives in `sim` (what every view and the checker read), the
//! part already computed beyond it (after a scrub back) in `future`. Replay
//! appends exactly the events of `future` again (determinism), which are
//! then dropped from it; restoring a later snapshot moves them over instead
//! of replaying. Acting (a fork) drops `future` and the snapshots after it.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::action::Action;
use crate::checker;
use crate::net::NodeId;
use crate::scenario::{build, expect, Outcome, Scenario};
use crate::sim::{ConsoleOutcome, Sim};
use crate::trace::TraceEvent;

pub use crate::scenario::sandbox::Topo;

mod challenge;
mod compare;
mod history;
mod run;
mod snapshot;

pub use challenge::{prove, Breach, ChallengeStatus, Proof};
pub use compare::{Compare, Divergence};
use snapshot::{Snapshot, SNAPSHOT_EVERY_MS};

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Sandbox(Topo),
    Lesson(Rc<Scenario>),
}

/// One learner action, where it happened in the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub at_ms: u64,
    /// `Sim::events_processed()` when it happened.
    pub events: u64,
    pub action: Action,
}

/// One line of the console transcript (a console entry of the schedule).
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleLine {
    pub entry: usize,
    pub at_ms: u64,
    pub node: String,
    pub prompt: String,
    pub command: String,
    /// None while the reply is pending (node stalled, WAIT blocking).
    pub reply: Option<String>,
    pub ticket: Option<u64>,
}

#[derive(Clone)]
pub struct Session {
    pub source: Source,
    pub seed: u64,
    pub sim: Sim,
    pub schedule: Vec<Entry>,
    /// How many schedule entries the current state includes.
    pub applied: usize,
    pub lines: Vec<ConsoleLine>,
    /// Outcomes of the lesson's timed expectations (`at_s`), once reached.
    pub outcomes: Vec<Option<Outcome>>,
    snapshots: Vec<Snapshot>,
    /// Simulated time between snapshots: `SNAPSHOT_EVERY_MS`, doubled each
    /// time there are more than `MAX_SNAPSHOTS`.
    snapshot_every: u64,
    /// The run's trace past the playhead, computed before a scrub back.
    future: VecDeque<TraceEvent>,
    /// How much trace to keep around the playhead (`history.rs`); None: all.
    keep_ms: Option<u64>,
    /// A run-stopping error (event budget), shown in a banner.
    pub error: Option<String>,
    /// The other branch of a side-by-side comparison (`compare.rs`).
    pub compare: Option<Box<Compare>>,
}

/// What acting did to the learner's later actions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fork {
    /// Later actions no longer in the live branch.
    pub dropped: usize,
    /// They were kept as branch A of a new comparison.
    pub kept: bool,
}

impl Session {
    pub fn new(source: Source, seed: Option<u64>) -> Session {
        let (sim, seed) = match &source {
            Source::Sandbox(topo) => {
                let seed = seed.unwrap_or(1);
                (topo.build(seed), seed)
            }
            Source::Lesson(s) => {
                let seed = seed.unwrap_or(s.seed);
                (build::build(s, Some(seed)), seed)
            }
        };
        let n_expects = match &source {
            Source::Lesson(s) => s.all_expects().count(),
            Source::Sandbox(_) => 0,
        };
        let mut session = Session {
            source,
            seed,
            sim,
            schedule: Vec::new(),
            applied: 0,
            lines: Vec::new(),
            outcomes: vec![None; n_expects],
            snapshots: Vec::new(),
            snapshot_every: SNAPSHOT_EVERY_MS,
            future: VecDeque::new(),
            keep_ms: None,
            error: None,
            compare: None,
        };
        session.snapshot();
        session
    }

    pub fn lesson(&self) -> Option<&Scenario> {
        match &self.source {
            Source::Lesson(s) => Some(s),
            Source::Sandbox(_) => None,
        }
    }

    pub fn id(&self) -> &str {
        match &self.source {
            Source::Lesson(s) => &s.id,
            Source::Sandbox(_) => crate::scenario::sandbox::SANDBOX_ID,
        }
    }

    /// The end of the run (lessons), in ms.
    pub fn end_ms(&self) -> Option<u64> {
        self.lesson().map(|s| s.duration_s.saturating_mul(1000))
    }

    pub fn now_ms(&self) -> u64 {
        self.sim.now_ms()
    }

    /// Where playback pauses by itself: the end of each lesson step.
    pub fn stops(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self
            .lesson()
            .map(|s| {
                s.steps
                    .iter()
                    .map(|st| (st.until_s * 1000.0) as u64)
                    .collect()
            })
            .unwrap_or_default();
        v.extend(self.end_ms());
        v.sort_unstable();
        v.dedup();
        v
    }

    pub(super) fn fail(&mut self, e: impl ToString) -> Result<(), String> {
        let text = e.to_string();
        self.error = Some(text.clone());
        Err(text)
    }

    /// Applies schedule entry `applied` to the simulation.
    pub(super) fn perform_next(&mut self) {
        let Some(entry) = self.schedule.get(self.applied).cloned() else {
            return;
        };
        let index = self.applied;
        self.applied += 1;
        if let Action::Command { node, line } = &entry.action {
            let Ok(id) = self.sim.lookup(node) else {
                return;
            };
            let (host, port) = self
                .sim
                .node(id)
                .map(|n| (n.host.clone(), n.port))
                .unwrap_or_default();
            let (reply, ticket) = match self.sim.console(id, line) {
                ConsoleOutcome::Reply(r) => (Some(r), None),
                ConsoleOutcome::Pending(t) => (None, Some(t)),
            };
            self.lines.push(ConsoleLine {
                entry: index,
                at_ms: entry.at_ms,
                node: node.clone(),
                prompt: format!("{host}:{port}>"),
                command: line.clone(),
                reply,
                ticket,
            });
        } else {
            // `act` and the link decoder resolved the action already.
            let _ = self.sim.perform(&entry.action);
        }
    }

    /// Records a learner action at the playhead and applies it. Acting
    /// before the end of what was already run (after a scrub back) forks:
    /// the old timeline, with any later actions of the learner, becomes
    /// branch A of a new comparison if none is open; in an open comparison
    /// the live branch's later actions are dropped.
    /// An action that names a node this deployment lacks is refused, and
    /// nothing changes.
    pub fn act(&mut self, action: Action) -> Result<Fork, String> {
        self.sim.resolve(&action)?;
        let fork = self.cut_here();
        self.schedule.push(Entry {
            at_ms: self.sim.now_ms(),
            events: self.sim.events_processed(),
            action,
        });
        self.perform_next();
        Ok(fork)
    }

    /// Makes the playhead the end of the live branch: what was run beyond
    /// it, and the learner's later actions, leave it (kept as branch A if
    /// no comparison is open).
    pub(super) fn cut_here(&mut self) -> Fork {
        let now = self.sim.now_ms();
        let dropped = self.schedule.len().saturating_sub(self.applied);
        let kept = (dropped > 0 || !self.future.is_empty()) && self.compare.is_none();
        if kept {
            self.keep_as_a();
        }
        self.compare_changed_after(self.sim.trace_end());
        self.future.clear();
        self.schedule.truncate(self.applied);
        let applied = self.applied;
        self.snapshots
            .retain(|s| s.at_ms <= now && s.applied <= applied);
        Fork { dropped, kept }
    }

    /// Fills in console replies that arrived since.
    pub fn settle(&mut self) -> bool {
        let mut changed = false;
        for l in self.lines.iter_mut().filter(|l| l.reply.is_none()) {
            if let Some(r) = l.ticket.and_then(|t| self.sim.console_reply(t)) {
                l.reply = Some(r.to_string());
                changed = true;
            }
        }
        changed
    }

    /// Expectation outcomes as the goals panel shows them: (outcome, final).
    pub fn goals(&self) -> Vec<(Option<Outcome>, bool)> {
        match self.source {
            Source::Lesson(_) => self.goals_with(&checker::check(&self.sim)),
            Source::Sandbox(_) => Vec::new(),
        }
    }

    /// `goals` from the checker's report of the run now.
    pub fn goals_with(&self, report: &checker::Report) -> Vec<(Option<Outcome>, bool)> {
        let n = self.lesson().map_or(0, |s| s.expects.len());
        self.judge(report, 0..n)
    }

    /// Outcomes of `all_expects()[range]` now: a timed one as captured when
    /// its time came, the others over the run so far (final at the end).
    pub(super) fn judge(
        &self,
        report: &checker::Report,
        range: std::ops::Range<usize>,
    ) -> Vec<(Option<Outcome>, bool)> {
        let Source::Lesson(s) = &self.source else {
            return Vec::new();
        };
        let end = s.duration_s * 1000;
        let now = self.sim.now_ms();
        s.all_expects()
            .enumerate()
            .skip(range.start)
            .take(range.len())
            .map(|(i, e)| {
                if e.at_s.is_some() {
                    let o = self.outcomes.get(i).cloned().flatten();
                    let fin = o.is_some();
                    (o, fin)
                } else {
                    (Some(expect::evaluate(e, &self.sim, report)), now >= end)
                }
            })
            .collect()
    }

    pub fn node_ids(&self) -> Vec<NodeId> {
        (0..self.sim.nodes().len())
            .map(|i| NodeId(i as u16))
            .collect()
    }
}
