//! The slot table (`clusterState.slots`) as runs of one owner: a cluster
//! has a handful of runs, and the bus, `clusterUpdateState` and CLUSTER
//! SLOTS read it as runs many times a second, where scanning 16,384 slots
//! was a sixth of a cluster run's time. Redis keeps a per-slot array; the
//! answers are the same, per slot or per run.

use super::slot::SLOTS;

/// No owner.
pub const NONE: u16 = u16::MAX;

/// Runs `(first slot, owner)` in slot order, covering `0..SLOTS`: the first
/// starts at 0, each ends where the next starts (the last at `SLOTS`), and
/// neighbours have different owners, so equal tables compare equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotTable {
    runs: Vec<(u16, u16)>,
}

impl Default for SlotTable {
    fn default() -> Self {
        SlotTable {
            runs: vec![(0, NONE)],
        }
    }
}

impl SlotTable {
    /// The index of the run holding `slot` (`slot < SLOTS`).
    fn run_at(&self, slot: u16) -> usize {
        self.runs.partition_point(|&(first, _)| first <= slot) - 1
    }

    /// The owner of `slot`, or `NONE` (also for a slot out of range).
    pub fn get(&self, slot: u16) -> u16 {
        if slot >= SLOTS {
            return NONE;
        }
        self.runs[self.run_at(slot)].1
    }

    /// Runs as `(first, last, owner)`, inclusive, in slot order.
    pub fn runs(&self) -> impl Iterator<Item = (u16, u16, u16)> + '_ {
        self.runs.iter().enumerate().map(|(i, &(first, owner))| {
            let end = self.runs.get(i + 1).map_or(SLOTS, |r| r.0);
            (first, end - 1, owner)
        })
    }

    /// Whether `owner` serves at least one slot.
    pub fn serves(&self, owner: u16) -> bool {
        self.runs.iter().any(|&(_, o)| o == owner)
    }

    /// Slots with an owner.
    pub fn assigned(&self) -> usize {
        self.runs()
            .filter(|r| r.2 != NONE)
            .map(|(a, b, _)| usize::from(b - a) + 1)
            .sum()
    }

    /// Gives `first..=last` (clamped to the table) to `owner`.
    pub fn set_range(&mut self, first: u16, last: u16, owner: u16) {
        let last = last.min(SLOTS - 1);
        if first > last {
            return;
        }
        let end = last + 1;
        // The owner of the slot just past the range, which keeps its run.
        let after = (end < SLOTS).then(|| self.get(end));
        let lo = self.run_at(first);
        let hi = self.runs.partition_point(|&(f, _)| f <= last);
        let mut new = Vec::with_capacity(3);
        if self.runs[lo].0 < first {
            new.push(self.runs[lo]);
        }
        new.push((first, owner));
        if let Some(a) = after {
            if hi == self.runs.len() || self.runs[hi].0 != end {
                new.push((end, a));
            }
        }
        self.runs.splice(lo..hi, new);
        // Merge equal neighbours around the change.
        let from = lo.saturating_sub(1);
        let to = (lo + 4).min(self.runs.len());
        let mut i = from + 1;
        let mut stop = to;
        while i < stop {
            if self.runs[i].1 == self.runs[i - 1].1 {
                self.runs.remove(i);
                stop -= 1;
            } else {
                i += 1;
            }
        }
    }

    pub fn set(&mut self, slot: u16, owner: u16) {
        self.set_range(slot, slot, owner);
    }

    /// Every slot of `from` goes to `to` (a failover takes its master's slots).
    pub fn reassign(&mut self, from: u16, to: u16) {
        let runs: Vec<_> = self.runs().filter(|r| r.2 == from).collect();
        for (a, b, _) in runs {
            self.set_range(a, b, to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation against a plain per-slot array, on random edits.
    #[test]
    fn matches_a_per_slot_array() {
        let mut rng = crate::rng::Rng::new(11);
        let mut t = SlotTable::default();
        let mut plain = vec![NONE; SLOTS as usize];
        for round in 0..3000 {
            let owner = if rng.below(6) == 0 {
                NONE
            } else {
                rng.below(5) as u16
            };
            match rng.below(3) {
                0 => {
                    let s = rng.below(u64::from(SLOTS)) as u16;
                    t.set(s, owner);
                    plain[s as usize] = owner;
                }
                1 => {
                    let a = rng.below(u64::from(SLOTS)) as u16;
                    let b = a.saturating_add(rng.below(2000) as u16);
                    t.set_range(a, b, owner);
                    for s in a..=b.min(SLOTS - 1) {
                        plain[s as usize] = owner;
                    }
                }
                _ => {
                    let from = rng.below(5) as u16;
                    t.reassign(from, owner);
                    plain
                        .iter_mut()
                        .filter(|o| **o == from)
                        .for_each(|o| *o = owner);
                }
            }
            // Canonical: adjacent runs differ, and they cover every slot.
            assert!(t
                .runs
                .windows(2)
                .all(|w| w[0].1 != w[1].1 && w[0].0 < w[1].0));
            assert_eq!(t.runs[0].0, 0);
            if round % 50 == 0 {
                for s in 0..SLOTS {
                    assert_eq!(t.get(s), plain[s as usize], "round {round}, slot {s}");
                }
                let mut rebuilt = SlotTable::default();
                for (a, b, o) in t.runs() {
                    assert!((a..=b).all(|s| plain[s as usize] == o));
                    rebuilt.set_range(a, b, o);
                }
                assert_eq!(rebuilt, t);
                let assigned = plain.iter().filter(|&&o| o != NONE).count();
                assert_eq!(t.assigned(), assigned);
                for o in 0..5 {
                    assert_eq!(t.serves(o), plain.contains(&o));
                }
            }
        }
        assert_eq!(t.get(SLOTS), NONE);
    }
}
