//! The slot table (`clusterState.slots`) as runs of one owner (the
//! `rangemap` crate): a cluster has a handful of runs, and the bus,
//! `clusterUpdateState` and CLUSTER SLOTS read it as runs many times a
//! second, where scanning 16,384 slots was a sixth of a cluster run's time.
//! Redis keeps a per-slot array; the answers are the same, per slot or per run.

use rangemap::RangeInclusiveMap;

use super::slot::SLOTS;

/// No owner.
pub const NONE: u16 = u16::MAX;

/// Slot → owner (an index into the cluster's nodes); unassigned slots are
/// absent. Neighbouring runs of one owner are merged, so equal tables
/// compare equal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlotTable {
    owners: RangeInclusiveMap<u16, u16>,
}

impl SlotTable {
    /// The owner of `slot`, or `NONE`.
    pub fn get(&self, slot: u16) -> u16 {
        self.owners.get(&slot).copied().unwrap_or(NONE)
    }

    /// The assigned runs as `(first, last, owner)`, inclusive, in slot order.
    pub fn runs(&self) -> impl Iterator<Item = (u16, u16, u16)> + '_ {
        (self.owners.iter()).map(|(r, &o)| (*r.start(), *r.end(), o))
    }

    /// Whether every slot has an owner.
    pub fn covers_all(&self) -> bool {
        self.owners.gaps(&(0..=SLOTS - 1)).next().is_none()
    }

    /// Whether `owner` serves at least one slot.
    pub fn serves(&self, owner: u16) -> bool {
        self.owners.iter().any(|(_, &o)| o == owner)
    }

    /// Slots with an owner.
    pub fn assigned(&self) -> usize {
        self.runs().map(|(a, b, _)| usize::from(b - a) + 1).sum()
    }

    /// Gives `first..=last` (clamped to the table) to `owner` (`NONE`: unassigns).
    pub fn set_range(&mut self, first: u16, last: u16, owner: u16) {
        let last = last.min(SLOTS - 1);
        if first > last {
            return;
        }
        if owner == NONE {
            self.owners.remove(first..=last);
        } else {
            self.owners.insert(first..=last, owner);
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
            if round % 50 == 0 {
                for s in 0..SLOTS {
                    assert_eq!(t.get(s), plain[s as usize], "round {round}, slot {s}");
                }
                let mut rebuilt = SlotTable::default();
                for (a, b, o) in t.runs() {
                    assert!((a..=b).all(|s| plain[s as usize] == o));
                    rebuilt.set_range(a, b, o);
                }
                assert_eq!(rebuilt, t, "merged runs: equal tables compare equal");
                let assigned = plain.iter().filter(|&&o| o != NONE).count();
                assert_eq!(t.assigned(), assigned);
                assert_eq!(t.covers_all(), assigned == SLOTS as usize);
                for o in 0..5 {
                    assert_eq!(t.serves(o), plain.contains(&o));
                }
            }
        }
        assert_eq!(t.get(SLOTS), NONE);
    }
}
