//! Two branches side by side: the same lesson (or sandbox) and seed, two
//! schedules. The live branch is the `Session` every view shows; the other
//! one rides along in `Session::compare` and is moved to the live playhead
//! only when it is looked at (`sync_other`): the comparison view is shown,
//! playback is paused, or the branches are swapped.
//!
//! A comparison starts from the current run (`keep_as_a`: the run so far
//! becomes branch A, the live one branch B, identical until the learner
//! changes something) or by itself when the learner acts before the end of
//! what was run, after a scrub back (`act`): the old timeline is kept as A.
//!
//! Both traces are deterministic, so the first event where they differ is
//! the divergence point. It is searched incrementally (`eq_len` events are
//! known to be equal) over the events known so far, the trace up to the
//! playhead plus `future`; an action of the live branch invalidates what
//! lies after it.

use crate::trace::TraceEvent;

use super::Session;

#[derive(Clone)]
pub struct Compare {
    /// The branch that is not live.
    pub other: Session,
    /// Whether the live branch is branch A (else B).
    pub live_is_a: bool,
    /// The first `eq_len` events of both traces are equal.
    eq_len: usize,
    /// The first differing event, once found.
    diff: Option<usize>,
}

/// The first trace event where the branches differ.
pub struct Divergence<'a> {
    pub t_ms: u64,
    pub a: Option<&'a TraceEvent>,
    pub b: Option<&'a TraceEvent>,
}

impl Compare {
    pub fn new(other: Session, live_is_a: bool) -> Compare {
        Compare {
            other,
            live_is_a,
            eq_len: 0,
            diff: None,
        }
    }
}

/// Event `i` of the run as far as it is known: the resident trace up to the
/// playhead, then `future` (None before the resident start: `history.rs`).
fn known(s: &Session, i: usize) -> Option<&TraceEvent> {
    let t = s.sim.trace();
    match i.checked_sub(s.sim.trace_base()) {
        Some(k) if k < t.len() => t.get(k),
        Some(_) => s.future.get(i - s.sim.trace_end()),
        None => None,
    }
}

fn known_len(s: &Session) -> usize {
    s.sim.trace_end() + s.future.len()
}

impl Session {
    /// A copy of this session without its comparison.
    fn duplicate(&mut self) -> Session {
        let c = self.compare.take();
        let copy = self.clone();
        self.compare = c;
        copy
    }

    /// Starts a comparison: the run as it is becomes branch A, and this
    /// (live) session branch B. No-op when one is already open.
    pub fn keep_as_a(&mut self) {
        if self.compare.is_none() {
            let mut a = self.duplicate();
            // Both branches keep their whole trace while compared: the
            // divergence search reads both (`history.rs`).
            a.keep_ms = None;
            self.compare = Some(Box::new(Compare::new(a, false)));
        }
    }

    /// Ends the comparison, keeping the live branch.
    pub fn close_compare(&mut self) {
        self.compare = None;
    }

    /// The live branch's letter: 'A' or 'B' (None without a comparison).
    pub fn live_letter(&self) -> Option<char> {
        self.compare
            .as_ref()
            .map(|c| if c.live_is_a { 'A' } else { 'B' })
    }

    /// (branch A, branch B) of an open comparison.
    pub fn branches(&self) -> Option<(&Session, &Session)> {
        let c = self.compare.as_deref()?;
        Some(if c.live_is_a {
            (self, &c.other)
        } else {
            (&c.other, self)
        })
    }

    /// Makes the other branch live (at the same playhead).
    pub fn swap_branches(&mut self) -> Result<(), String> {
        let r = self.sync_other();
        if let Some(mut c) = self.compare.take() {
            std::mem::swap(self, &mut c.other);
            std::mem::swap(&mut self.keep_ms, &mut c.other.keep_ms);
            c.live_is_a = !c.live_is_a;
            self.compare = Some(c);
        }
        r
    }

    /// Moves the other branch to the live playhead and looks for the
    /// divergence point among the events known now.
    pub fn sync_other(&mut self) -> Result<(), String> {
        let Some(mut c) = self.compare.take() else {
            return Ok(());
        };
        let now = self.now_ms();
        let r = if c.other.now_ms() != now {
            let r = c.other.seek(now);
            c.other.settle();
            r
        } else {
            Ok(())
        };
        if c.diff.is_none() {
            let (la, lb) = (known_len(self), known_len(&c.other));
            let n = la.min(lb);
            // Events dropped from both were equal when they were recorded
            // (the fork is at the playhead, and the search follows it).
            let mut i = (c.eq_len)
                .max(self.sim.trace_base())
                .max(c.other.sim.trace_base());
            while i < n && known(self, i) == known(&c.other, i) {
                i += 1;
            }
            c.eq_len = i;
            if i < n {
                c.diff = Some(i);
            } else if la != lb {
                // One run has an event the other has not: a difference if the
                // shorter one can no longer record an event that early (its next
                // queued event and its next action come later).
                let (short, long) = if la < lb {
                    (&*self, &c.other)
                } else {
                    (&c.other, &*self)
                };
                let next_action = short.schedule.get(short.applied).map(|e| e.at_ms);
                let horizon = match (short.sim.next_event_at(), next_action) {
                    (Some(x), Some(y)) => x.min(y),
                    (x, y) => x.or(y).unwrap_or(u64::MAX),
                };
                if short.future.is_empty() && known(long, n).is_some_and(|e| e.t_ms < horizon) {
                    c.diff = Some(n);
                }
            }
        }
        self.compare = Some(c);
        r
    }

    /// The live branch is about to change after its trace's first `len`
    /// events: what was found past them no longer holds.
    pub(super) fn compare_changed_after(&mut self, len: usize) {
        if let Some(c) = self.compare.as_deref_mut() {
            c.eq_len = c.eq_len.min(len);
            c.diff = c.diff.filter(|&d| d < len);
        }
    }

    /// The first trace event where the branches differ, if found yet.
    pub fn divergence(&self) -> Option<Divergence<'_>> {
        let (a, b) = self.branches()?;
        let i = self.compare.as_ref()?.diff?;
        let (ea, eb) = (known(a, i), known(b, i));
        let t_ms = ea.into_iter().chain(eb).map(|e| e.t_ms).min()?;
        Some(Divergence { t_ms, a: ea, b: eb })
    }

    /// When the branches' own actions start to differ (None: the same
    /// actions). Actions are told apart by where they happen, which is cheap;
    /// two different actions at the same point differ in the trace at once.
    pub fn actions_differ_at(&self) -> Option<u64> {
        let (a, b) = self.branches()?;
        let at = |s: &Session, i: usize| s.schedule.get(i).map(|e| (e.at_ms, e.events));
        let i = (0..a.schedule.len().max(b.schedule.len())).find(|&i| at(a, i) != at(b, i))?;
        let t = |s: &Session| s.schedule.get(i).map_or(u64::MAX, |e| e.at_ms);
        Some(t(a).min(t(b)))
    }
}

#[cfg(test)]
mod tests {
    use crate::action::Action;

    use super::super::{Session, Source};

    fn sandbox() -> Session {
        Session::new(Source::Sandbox(Default::default()), Some(1))
    }

    fn config(s: &mut Session, line: &str) {
        s.act(Action::Command {
            node: "m".into(),
            line: line.into(),
        })
        .unwrap();
    }

    #[test]
    fn kept_branch_runs_alongside_and_diverges_at_the_change() {
        let mut s = sandbox();
        s.advance_to(2_000).unwrap();
        s.keep_as_a();
        s.sync_other().unwrap();
        assert!(s.divergence().is_none(), "identical so far");
        config(&mut s, "CONFIG SET min-replicas-to-write 1");
        let at = s.now_ms();
        // Found at once: A cannot record anything at that time any more.
        s.sync_other().unwrap();
        assert_eq!(s.divergence().map(|d| d.t_ms), Some(at));
        s.advance_to(4_000).unwrap();
        s.sync_other().unwrap();
        let (a, b) = s.branches().unwrap();
        assert_eq!(a.now_ms(), 4_000);
        assert_eq!(b.now_ms(), 4_000);
        assert!(a.schedule.is_empty() && b.schedule.len() == 1);
        let d = s.divergence().expect("a divergence");
        assert_eq!(d.t_ms, at);
        assert_eq!(s.actions_differ_at(), Some(at));
        // Scrubbing back keeps the divergence; swapping moves A to the front.
        s.seek(500).unwrap();
        s.sync_other().unwrap();
        assert_eq!(s.divergence().map(|d| d.t_ms), Some(at));
        s.swap_branches().unwrap();
        assert_eq!(s.live_letter(), Some('A'));
        assert!(s.schedule.is_empty());
        assert_eq!(s.compare.as_ref().unwrap().other.now_ms(), 500);
        s.close_compare();
        assert!(s.branches().is_none() && s.live_letter().is_none());
    }

    #[test]
    fn acting_in_the_past_keeps_the_old_timeline_as_branch_a() {
        let mut s = sandbox();
        s.advance_to(1_000).unwrap();
        s.act(Action::Heal).unwrap();
        s.advance_to(3_000).unwrap();
        s.act(Action::Heal).unwrap();
        s.seek(500).unwrap();
        let fork = s.act(Action::Heal).unwrap();
        assert_eq!((fork.dropped, fork.kept), (2, true));
        let (a, b) = s.branches().unwrap();
        assert_eq!((a.schedule.len(), b.schedule.len()), (2, 1));
        // A second fork in the live branch drops, as before.
        s.advance_to(2_000).unwrap();
        s.act(Action::Heal).unwrap();
        s.seek(1_500).unwrap();
        let fork = s.act(Action::Heal).unwrap();
        assert_eq!((fork.dropped, fork.kept), (1, false));
        s.sync_other().unwrap();
        assert_eq!(s.divergence().map(|d| d.t_ms), Some(500));
    }

    #[test]
    fn acting_after_a_scrub_back_keeps_the_run_as_branch_a() {
        let mut s = sandbox();
        // At the end of what was run: no fork.
        s.advance_to(1_000).unwrap();
        let fork = s.act(Action::Heal).unwrap();
        assert_eq!((fork.dropped, fork.kept), (0, false));
        assert!(s.branches().is_none());
        // Back in the past, with no later action: the computed run is kept.
        s.advance_to(3_000).unwrap();
        s.seek(2_000).unwrap();
        let fork = s.act(Action::Heal).unwrap();
        assert_eq!((fork.dropped, fork.kept), (0, true));
        let (a, b) = s.branches().unwrap();
        assert_eq!((a.schedule.len(), b.schedule.len()), (1, 2));
    }
}
