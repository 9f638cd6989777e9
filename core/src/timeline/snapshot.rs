//! Snapshots for instant scrubbing, and seeking through them.
//!
//! A snapshot is a `Sim` whose trace was taken out (`Sim::take_trace`), plus
//! the trace's length then: the session keeps the one trace of its run (up
//! to the playhead in `sim`, the part already computed past it in `future`,
//! both perhaps cut short: `history.rs`). A seek restores the latest snapshot
//! before the target, backwards or forwards past the playhead (taking the
//! events from `future`), and replays the rest.

use crate::scenario::{expect, Outcome};
use crate::sim::Sim;

use super::{ConsoleLine, Session};

/// Simulated time between snapshots. Replaying seed 001's deployment costs
/// about 3 to 5 ms of wall time per simulated second, so a seek within a
/// lesson (at most 100 s, so at most 50 snapshots) replays under ~10 ms.
pub(super) const SNAPSHOT_EVERY_MS: u64 = 2_000;
/// Past this many snapshots, the spacing doubles over the whole run (after
/// 12 min of run, then 24 min, ...). A snapshot shares the keyspaces, client
/// histories and backlogs with the live `Sim` chunk by chunk
/// (`core/src/cowmap.rs`): in seed 001's deployment it costs ~0.1 MB plus
/// the chunks the run rewrites after it (docs/performance.md, "Scrubbing,
/// rendering and memory"; `mem_probe.rs` measures it). 360 keeps a run of
/// up to 6.4 h at 64 s between snapshots (320 doubled to 128 s at 5.7 h:
/// a 6 h scrub's native median 34 → 17 ms, for ~10 MB), while the wasm
/// memory's peak before a 1 h run's last doubling (360 snapshots 8 s apart)
/// stays inside that run's 100 MB (session 9 in docs/performance.md).
const MAX_SNAPSHOTS: usize = 360;

#[derive(Clone)]
pub(super) struct Snapshot {
    pub(super) at_ms: u64,
    /// Without its trace (`Sim::take_trace`).
    pub(super) sim: Sim,
    /// The number of events of the whole trace at the snapshot.
    pub(super) trace_end: usize,
    pub(super) applied: usize,
    pub(super) outcomes: Vec<Option<Outcome>>,
    pub(super) lines: Vec<ConsoleLine>,
}

impl Session {
    /// Snapshots held, and their spacing in ms (measurements).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }
    pub fn snapshot_spacing(&self) -> u64 {
        self.snapshot_every
    }

    pub(super) fn snapshot(&mut self) {
        let trace = self.sim.take_trace();
        let sim = self.sim.clone();
        self.sim.restore_trace(trace);
        self.snapshots.push(Snapshot {
            at_ms: self.sim.now_ms(),
            sim,
            trace_end: self.sim.trace_end(),
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

    /// How far the run has been computed: the playhead, or the latest
    /// snapshot or event beyond it (after a scrub back). The sandbox's
    /// scrubber reaches this far, so a scrub back can come forward again.
    pub fn frontier_ms(&self) -> u64 {
        let snap = self.snapshots.last().map_or(0, |s| s.at_ms);
        let future = self.future.back().map_or(0, |e| e.t_ms);
        self.sim.now_ms().max(snap).max(future)
    }

    /// The next time (after now) at which something must happen on the way:
    /// a timed expectation or a snapshot.
    pub(super) fn next_mark(&self) -> u64 {
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

    /// Moves the playhead to `t_ms` through the latest snapshot before it
    /// (backwards, or forwards past the playhead), then replays the rest.
    pub fn seek(&mut self, t_ms: u64) -> Result<(), String> {
        let now = self.sim.now_ms();
        let snap = (self.snapshots.iter().rev())
            .find(|s| s.at_ms <= t_ms)
            .filter(|s| t_ms < now || s.at_ms > now);
        if let Some(snap) = snap {
            let end = snap.trace_end;
            // The resident trace [b, n), then `future` [n, n + future).
            let mut trace = self.sim.take_trace();
            let n = self.sim.trace_end();
            let b = n - trace.len();
            if (b..=n).contains(&end) {
                // The tail moves once, into room made for it; the trace keeps
                // its capacity for the replay or the seek forward that follows.
                // A scrub from 6 h back to 1 h of the sandbox moves 9 M events:
                // copying them twice, as `split_off` then a growing `future`
                // did, took 5.3 s natively and the tail's memory twice over.
                let tail = trace.drain(end - b..);
                self.future.reserve(tail.len());
                for e in tail.rev() {
                    self.future.push_front(e);
                }
            } else if end > n && end - n <= self.future.len() {
                trace.extend(self.future.drain(..end - n));
            } else {
                // Not next to what is known (dropped, `history.rs`): the
                // trace starts again at the snapshot.
                trace.clear();
                self.future.clear();
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

    /// Whether the playhead rests between two events of the same
    /// millisecond (after "next event"): `seek(now)` would not come back
    /// here, `seek_event(now, events)` does.
    pub fn mid_millisecond(&self) -> bool {
        self.sim.next_event_at() == Some(self.sim.now_ms())
    }

    /// Moves the playhead to the point where `events` queue events had been
    /// processed at `t_ms` (a playhead that rested mid-millisecond): all
    /// events before `t_ms`, then those of `t_ms` one at a time, applying the
    /// learner's actions at their own points, as "next event" does.
    pub fn seek_event(&mut self, t_ms: u64, events: u64) -> Result<(), String> {
        if t_ms > 0 {
            self.seek(t_ms - 1)?;
        } else {
            self.seek(0)?;
        }
        let before = self.sim.trace_end();
        let r = self.step_to_event(t_ms, events);
        self.replayed(before);
        self.trim();
        self.capture_due();
        self.settle();
        r
    }

    fn step_to_event(&mut self, t_ms: u64, events: u64) -> Result<(), String> {
        // Bounded: each pass performs an action or processes an event.
        for _ in 0..1_000_000 {
            if self.entry_due() {
                self.perform_next();
                continue;
            }
            let next = self.sim.next_event_at().filter(|&t| t <= t_ms);
            let entry_at = self
                .schedule
                .get(self.applied)
                .filter(|e| e.at_ms <= t_ms && self.sim.events_processed() >= e.events)
                .map(|e| e.at_ms);
            match (next, entry_at) {
                // An action due before the next event goes first.
                (Some(t), Some(at)) if at < t => {
                    if let Err(e) = self.sim.run_until(at) {
                        return self.fail(e);
                    }
                }
                (Some(_), _) if self.sim.events_processed() < events => {
                    if let Err(e) = self.sim.step() {
                        return self.fail(e);
                    }
                }
                (None, Some(at)) => {
                    if let Err(e) = self.sim.run_until(at) {
                        return self.fail(e);
                    }
                }
                _ => {
                    if next.is_none() && self.sim.now_ms() < t_ms {
                        if let Err(e) = self.sim.run_until(t_ms) {
                            return self.fail(e);
                        }
                    }
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}
