//! The trace as a cache (issue 17). A long run's trace is most of its
//! memory, and the views show only a window of it: the event list its last
//! few hundred events, the diagram at most two minutes. With a keep window
//! set (`set_trace_keep`, the page does), the session drops what lies
//! further back than that behind the playhead, and what lies further ahead
//! in `future`; the whole run's record (`trace::Record`) keeps what the
//! checker, the charts and the landmark views need.
//!
//! A dropped stretch comes back on demand: the run is deterministic, so
//! replaying from the latest snapshot before it records the same events
//! again (`fill_history`, after a scrub far back).

use std::collections::VecDeque;

use super::{Session, Snapshot};
use crate::trace::TraceEvent;

impl Session {
    /// Keeps at most about `keep_ms` of trace behind the playhead, and as
    /// much ahead of it (None: keep the whole trace, the default).
    pub fn set_trace_keep(&mut self, keep_ms: Option<u64>) {
        self.keep_ms = keep_ms;
        self.trim();
    }

    /// Drops the trace older than the keep window (once it is twice as
    /// long, so each event moves once), and `future` beyond it.
    pub(super) fn trim(&mut self) {
        let Some(keep) = self.keep_ms.filter(|_| self.compare.is_none()) else {
            return;
        };
        let now = self.sim.now_ms();
        let from = now.saturating_sub(keep);
        let t = self.sim.trace();
        if t.first()
            .is_some_and(|e| e.t_ms < from.saturating_sub(keep))
        {
            let k = t.partition_point(|e| e.t_ms < from);
            self.sim.drop_trace_before(self.sim.trace_base() + k);
        }
        let until = now.saturating_add(keep);
        if self.future.back().is_some_and(|e| e.t_ms > until) {
            let k = self.future.partition_point(|e| e.t_ms <= until);
            self.future.truncate(k);
            self.future.shrink_to(k.max(1) * 2);
        }
    }

    /// Regenerates the dropped trace before the resident one until it
    /// reaches `want_ms` before the playhead (or the run's start). Returns
    /// whether it added events. The views call it after a scrub far back.
    pub fn fill_history(&mut self, want_ms: u64) -> Result<bool, String> {
        let base = self.sim.trace_base();
        let first_t = self.resident_from_ms();
        let from = self.now_ms().saturating_sub(want_ms);
        if base == 0 || first_t <= from {
            return Ok(false);
        }
        // One replay that covers the whole want if a snapshot allows it.
        let usable = |s: &&Snapshot| s.trace_end < base;
        let Some(snap) = (self.snapshots.iter().rev().filter(usable))
            .find(|s| s.at_ms <= from)
            .or_else(|| self.snapshots.iter().rfind(usable))
        else {
            return Ok(false);
        };
        let events = self.replay(snap, base, first_t)?;
        self.sim.restore_trace(events);
        Ok(true)
    }

    /// The whole trace up to the playhead (the trace export), replayed from
    /// the run's start if its beginning was dropped.
    pub fn whole_trace(&self) -> Result<Vec<TraceEvent>, String> {
        if self.sim.trace_base() == 0 {
            return Ok(self.sim.trace().to_vec());
        }
        // From the build itself: the first snapshot comes after the events
        // the build records.
        let mut replay = Session::new(self.source.clone(), Some(self.seed));
        replay.schedule = self.schedule.clone();
        replay.snapshots.clear();
        replay.snapshot_every = u64::MAX / 4;
        let mut events = replay.record_until(self.sim.trace_base(), self.resident_from_ms())?;
        events.extend_from_slice(self.sim.trace());
        Ok(events)
    }

    /// When the resident trace starts (the playhead if it is empty).
    fn resident_from_ms(&self) -> u64 {
        self.sim.trace().first().map_or(self.now_ms(), |e| e.t_ms)
    }

    /// Events `snap.trace_end..end` of the run, recorded again by replaying
    /// from `snap`; event `end` happens at `t_end`.
    fn replay(&self, snap: &Snapshot, end: usize, t_end: u64) -> Result<Vec<TraceEvent>, String> {
        let mut replay = Session {
            source: self.source.clone(),
            seed: self.seed,
            sim: snap.sim.clone(),
            schedule: self.schedule.clone(),
            applied: snap.applied,
            lines: snap.lines.clone(),
            outcomes: snap.outcomes.clone(),
            snapshots: Vec::new(),
            snapshot_every: u64::MAX / 4,
            future: VecDeque::new(),
            keep_ms: None,
            error: None,
            compare: None,
        };
        replay
            .record_until(end, t_end)
            .map_err(|e| format!("{e} (replaying from {} ms)", snap.at_ms))
    }

    /// Runs this replay until the whole trace has `end` events (event `end`
    /// happens at `t_end`), and returns the events it recorded.
    fn record_until(&mut self, end: usize, t_end: u64) -> Result<Vec<TraceEvent>, String> {
        let start = self.sim.trace_base();
        self.advance_to(t_end.saturating_sub(1))?;
        while self.sim.trace_end() < end {
            let before = self.sim.trace_end();
            self.step_event()?;
            if self.sim.trace_end() == before {
                break;
            }
        }
        let mut events = self.sim.take_trace();
        events.truncate(end.saturating_sub(start));
        if events.len() != end.saturating_sub(start) {
            return Err(format!(
                "the replay recorded {} events where {} were dropped",
                events.len(),
                end.saturating_sub(start)
            ));
        }
        Ok(events)
    }
}
