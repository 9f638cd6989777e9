//! A learner's session: the simulation of one lesson (or the sandbox), the
//! learner's own actions as a schedule, and snapshots for instant scrubbing.
//!
//! Determinism makes time travel cheap: a run is a pure function of (lesson,
//! seed, schedule). Each learner action is recorded with the simulated time
//! and the number of events processed when it happened, so replay puts it at
//! exactly the same point of the event order, even between two events of the
//! same millisecond (reached with "next event"). Scrubbing back restores the
//! latest snapshot before the target and replays forward; acting in the past
//! forks: the actions that followed are dropped.
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

use replilab_core::checker;
use replilab_core::net::NodeId;
use replilab_core::scenario::{build, expect, Outcome, Scenario};
use replilab_core::sim::{Action, ConsoleOutcome, Sim};
use replilab_core::trace::TraceEvent;

use crate::sandbox::Topo;

/// Simulated time between snapshots. Replaying seed 001's deployment costs
/// about 3 to 5 ms of wall time per simulated second, so a seek within a
/// lesson (at most 100 s, so at most 50 snapshots) replays under ~10 ms.
const SNAPSHOT_EVERY_MS: u64 = 2_000;
/// Past this many snapshots, the spacing doubles over the whole run (after
/// 10:40 of run). A snapshot shares the keyspaces, client histories and
/// backlogs with the live `Sim` chunk by chunk (`core/src/cowmap.rs`): in
/// seed 001's deployment it costs ~0.1 MB plus the chunks the run rewrites
/// after it, ~28-36 MB for 10 minutes of 2 s snapshots (ARCHITECTURE.md,
/// "Browser lab"; `mem_probe.rs` measures it).
const MAX_SNAPSHOTS: usize = 320;
/// "Next event" gives up after this many queue events without a trace event.
const STEP_LIMIT: u32 = 200_000;

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
struct Snapshot {
    at_ms: u64,
    /// Without its trace (`Sim::take_trace`).
    sim: Sim,
    /// The trace's length at the snapshot.
    trace_len: usize,
    applied: usize,
    outcomes: Vec<Option<Outcome>>,
    lines: Vec<ConsoleLine>,
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
    /// A run-stopping error (event budget), shown in a banner.
    pub error: Option<String>,
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
            Source::Lesson(s) => s.expects.len(),
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
            error: None,
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
            Source::Sandbox(_) => crate::lessons::SANDBOX_ID,
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
        replilab_core::vecmap::sort_by_u64(&mut v, |&t| t);
        v.dedup();
        v
    }

    /// Snapshots held, and their spacing in ms (measurements).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }
    pub fn snapshot_spacing(&self) -> u64 {
        self.snapshot_every
    }

    fn snapshot(&mut self) {
        let trace = self.sim.take_trace();
        let sim = self.sim.clone();
        let trace_len = trace.len();
        self.sim.restore_trace(trace);
        self.snapshots.push(Snapshot {
            at_ms: self.sim.now_ms(),
            sim,
            trace_len,
            applied: self.applied,
            outcomes: self.outcomes.clone(),
            lines: self.lines.clone(),
        });
        if self.snapshots.len() > MAX_SNAPSHOTS {
            // Twice the spacing over the whole run, so snapshots stay evenly
            // spread (dropping every other one would leave the run's start
            // ever sparser).
            self.snapshot_every = self.snapshot_every.saturating_mul(2);
            let every = self.snapshot_every;
            let mut last: Option<u64> = None;
            self.snapshots.retain(|s| {
                let keep = last.is_none_or(|l| s.at_ms >= l.saturating_add(every));
                if keep {
                    last = Some(s.at_ms);
                }
                keep
            });
        }
    }

    /// The next time (after now) at which something must happen on the way:
    /// a timed expectation or a snapshot.
    fn next_mark(&self) -> u64 {
        let now = self.sim.now_ms();
        let last_snap = self.snapshots.last().map_or(0, |s| s.at_ms);
        let mut mark = last_snap.saturating_add(self.snapshot_every).max(now + 1);
        if let Some(s) = self.lesson() {
            let end = s.duration_s * 1000;
            for (i, e) in s.expects.iter().enumerate() {
                let at = expect::when_ms(e, end);
                if e.at_s.is_some() && at > now && self.outcomes.get(i).is_some_and(|o| o.is_none())
                {
                    mark = mark.min(at);
                }
            }
        }
        mark
    }

    /// Evaluates timed expectations whose time has come.
    fn capture_due(&mut self) {
        let Source::Lesson(s) = &self.source else {
            return;
        };
        let s = s.clone();
        let now = self.sim.now_ms();
        let end = s.duration_s * 1000;
        let mut report = None;
        for (i, e) in s.expects.iter().enumerate() {
            if e.at_s.is_some()
                && expect::when_ms(e, end) <= now
                && self.outcomes.get(i).is_some_and(|o| o.is_none())
            {
                let r = report.get_or_insert_with(|| checker::check(&self.sim));
                let o = expect::evaluate(e, &self.sim, r);
                if let Some(slot) = self.outcomes.get_mut(i) {
                    *slot = Some(o);
                }
            }
        }
    }

    /// Whether the next schedule entry is due at the current point of the run.
    fn entry_due(&self) -> bool {
        self.schedule.get(self.applied).is_some_and(|e| {
            self.sim.events_processed() >= e.events && self.sim.now_ms() >= e.at_ms
        })
    }

    fn fail(&mut self, e: impl ToString) -> Result<(), String> {
        let text = e.to_string();
        self.error = Some(text.clone());
        Err(text)
    }

    /// Runs to `target_ms`, applying the learner's recorded actions on the way.
    pub fn advance_to(&mut self, target_ms: u64) -> Result<(), String> {
        let before = self.sim.trace().len();
        let r = self.run_to(target_ms);
        self.replayed(before);
        r
    }

    /// The events the sim recorded since it had `before` were already in
    /// `future`: drop them there.
    fn replayed(&mut self, before: usize) {
        let grown = self.sim.trace().len().saturating_sub(before);
        self.future.drain(..grown.min(self.future.len()));
    }

    fn run_to(&mut self, target_ms: u64) -> Result<(), String> {
        let target_ms = self
            .end_ms()
            .map_or(target_ms, |e| target_ms.min(e.max(self.sim.now_ms())));
        loop {
            let now = self.sim.now_ms();
            let mark = self.next_mark().min(target_ms);
            let entry = self
                .schedule
                .get(self.applied)
                .filter(|e| e.at_ms <= target_ms)
                .map(|e| (e.at_ms, e.events));
            match entry {
                Some((at, events)) if at <= mark => {
                    // Reach the exact point: all events before `at`, then the
                    // same number of events the learner had seen.
                    if at > now {
                        if let Err(e) = self.sim.run_until(at - 1) {
                            return self.fail(e);
                        }
                    }
                    while self.sim.events_processed() < events
                        && self.sim.next_event_at().is_some_and(|t| t <= at)
                    {
                        if let Err(e) = self.sim.step() {
                            return self.fail(e);
                        }
                    }
                    if self.sim.now_ms() < at {
                        if let Err(e) = self.sim.run_until(at) {
                            return self.fail(e);
                        }
                    }
                    self.capture_due();
                    self.perform_next();
                }
                _ => {
                    if let Err(e) = self.sim.run_until(mark) {
                        return self.fail(e);
                    }
                    self.capture_due();
                    let last_snap = self.snapshots.last().map_or(0, |s| s.at_ms);
                    if self.sim.now_ms() >= last_snap.saturating_add(self.snapshot_every) {
                        self.snapshot();
                    }
                    if mark >= target_ms {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Applies schedule entry `applied` to the simulation.
    fn perform_next(&mut self) {
        let Some(entry) = self.schedule.get(self.applied).cloned() else {
            return;
        };
        let index = self.applied;
        self.applied += 1;
        match entry.action {
            Action::Fault(f) => self.sim.apply(f),
            Action::Console { node, line, .. } => {
                let (host, port) = self
                    .sim
                    .node(node)
                    .map(|n| (n.host.clone(), n.port))
                    .unwrap_or_default();
                let name = self.sim.name(node);
                let (reply, ticket) = match self.sim.console(node, &line) {
                    ConsoleOutcome::Reply(r) => (Some(r), None),
                    ConsoleOutcome::Pending(t) => (None, Some(t)),
                };
                self.lines.push(ConsoleLine {
                    entry: index,
                    at_ms: entry.at_ms,
                    node: name,
                    prompt: format!("{host}:{port}>"),
                    command: line,
                    reply,
                    ticket,
                });
            }
        }
    }

    /// Records a learner action at the playhead and applies it. Returns how
    /// many later actions were dropped (a fork), if any.
    pub fn act(&mut self, action: Action) -> usize {
        let now = self.sim.now_ms();
        self.future.clear();
        let dropped = self.schedule.len() - self.applied;
        self.schedule.truncate(self.applied);
        let applied = self.applied;
        self.snapshots
            .retain(|s| s.at_ms <= now && s.applied <= applied);
        self.schedule.push(Entry {
            at_ms: now,
            events: self.sim.events_processed(),
            action,
        });
        self.perform_next();
        dropped
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

    /// Moves the playhead to `t_ms` through the latest snapshot before it
    /// (backwards, or forwards past the playhead), then replays the rest.
    pub fn seek(&mut self, t_ms: u64) -> Result<(), String> {
        let now = self.sim.now_ms();
        let have = self.sim.trace().len() + self.future.len();
        let snap = self
            .snapshots
            .iter()
            .rev()
            .find(|s| s.at_ms <= t_ms)
            .filter(|s| (t_ms < now || s.at_ms > now) && s.trace_len <= have);
        if let Some(snap) = snap {
            let mut trace = self.sim.take_trace();
            if trace.len() > snap.trace_len {
                for e in trace.split_off(snap.trace_len).into_iter().rev() {
                    self.future.push_front(e);
                }
            } else {
                let need = snap.trace_len - trace.len();
                trace.extend(self.future.drain(..need.min(self.future.len())));
            }
            self.sim = snap.sim.clone();
            self.sim.restore_trace(trace);
            self.applied = snap.applied;
            self.outcomes = snap.outcomes.clone();
            self.lines = snap.lines.clone();
            self.error = None;
        } else if t_ms < now {
            return Ok(());
        }
        let r = self.advance_to(t_ms);
        self.settle();
        r
    }

    /// Runs until the trace grows (the next visible event), applying due actions.
    pub fn step_event(&mut self) -> Result<(), String> {
        let len0 = self.sim.trace().len();
        let r = self.step_run(len0);
        self.replayed(len0);
        r
    }

    fn step_run(&mut self, len0: usize) -> Result<(), String> {
        let end = self.end_ms().unwrap_or(u64::MAX);
        for _ in 0..STEP_LIMIT {
            if self.entry_due() {
                self.perform_next();
            } else {
                match self.sim.next_event_at() {
                    Some(t) if t <= end => {
                        // An action due before the next event goes first.
                        if let Some(e) = self.schedule.get(self.applied) {
                            if e.at_ms < t && self.sim.events_processed() >= e.events {
                                if let Err(err) = self.sim.run_until(e.at_ms) {
                                    return self.fail(err);
                                }
                                continue;
                            }
                        }
                        if let Err(err) = self.sim.step() {
                            return self.fail(err);
                        }
                    }
                    _ => break,
                }
            }
            if self.sim.trace().len() > len0 {
                break;
            }
        }
        self.capture_due();
        self.settle();
        Ok(())
    }

    /// Expectation outcomes as the goals panel shows them: (outcome, final).
    pub fn goals(&self) -> Vec<(Option<Outcome>, bool)> {
        let Source::Lesson(s) = &self.source else {
            return Vec::new();
        };
        let s = s.clone();
        let end = s.duration_s * 1000;
        let now = self.sim.now_ms();
        let report = checker::check(&self.sim);
        s.expects
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if e.at_s.is_some() {
                    let o = self.outcomes.get(i).cloned().flatten();
                    let fin = o.is_some();
                    (o, fin)
                } else {
                    (Some(expect::evaluate(e, &self.sim, &report)), now >= end)
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
