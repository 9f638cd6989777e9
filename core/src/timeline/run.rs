//! Running forward: to a time (applying the learner's recorded actions at
//! their exact point of the event order, taking snapshots and the lesson's
//! timed expectations on the way), or to the next visible event.

use crate::checker;
use crate::scenario::expect;

use super::{Session, Source};

/// "Next event" gives up after this many queue events without a trace event.
const STEP_LIMIT: u32 = 200_000;

impl Session {
    /// Evaluates timed expectations whose time has come.
    pub(super) fn capture_due(&mut self) {
        let Source::Lesson(s) = &self.source else {
            return;
        };
        let s = s.clone();
        let now = self.sim.now_ms();
        let end = s.duration_s * 1000;
        let mut report = None;
        for (i, e) in s.all_expects().enumerate() {
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
    pub(super) fn entry_due(&self) -> bool {
        self.schedule.get(self.applied).is_some_and(|e| {
            self.sim.events_processed() >= e.events && self.sim.now_ms() >= e.at_ms
        })
    }

    /// Runs to `target_ms`, applying the learner's recorded actions on the way.
    pub fn advance_to(&mut self, target_ms: u64) -> Result<(), String> {
        let before = self.sim.trace_end();
        let r = self.run_to(target_ms);
        self.replayed(before);
        self.trim();
        r
    }

    /// The events the sim recorded since the trace had `before` were
    /// already in `future`: drop them there.
    pub(super) fn replayed(&mut self, before: usize) {
        let grown = self.sim.trace_end().saturating_sub(before);
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
                        // A long run (a link one hour in) never holds more
                        // than the keep window's trace.
                        self.trim();
                    }
                    if mark >= target_ms {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Runs until the trace grows (the next visible event), applying due actions.
    pub fn step_event(&mut self) -> Result<(), String> {
        let len0 = self.sim.trace_end();
        let r = self.step_run(len0);
        self.replayed(len0);
        self.trim();
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
            if self.sim.trace_end() > len0 {
                break;
            }
        }
        self.capture_due();
        self.settle();
        Ok(())
    }
}
