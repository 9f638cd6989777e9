//! The event queue: a binary heap of small keys (time, sequence, slot) over a
//! slab of events (the `slab` crate), so that a push or pop moves 24-byte keys through the heap
//! instead of whole events (the sift was a tenth of a replication run).
//! Events pop by time, then in the order they were scheduled; the slot an
//! event sits in never affects that order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use slab::Slab;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    at: u64,
    seq: u64,
    slot: usize,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: invert so the earliest (then first scheduled) pops first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone, Debug)]
pub(super) struct Queue<E> {
    heap: BinaryHeap<Key>,
    events: Slab<E>,
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Queue {
            heap: BinaryHeap::new(),
            events: Slab::new(),
        }
    }
}

impl<E> Queue<E> {
    /// Schedules `event` at `at`; `seq` (unique, increasing) orders equal times.
    pub fn push(&mut self, at: u64, seq: u64, event: E) {
        let slot = self.events.insert(event);
        self.heap.push(Key { at, seq, slot });
    }

    /// The earliest event and its time.
    pub fn pop(&mut self) -> Option<(u64, E)> {
        while let Some(k) = self.heap.pop() {
            if let Some(e) = self.events.try_remove(k.slot) {
                return Some((k.at, e));
            }
        }
        None
    }

    /// The time of the earliest event.
    pub fn next_at(&self) -> Option<u64> {
        self.heap.peek().map(|k| k.at)
    }
}

#[cfg(test)]
mod tests {
    use super::Queue;

    /// Pops in (time, sequence) order whatever the slots, reusing freed ones.
    #[test]
    fn pops_by_time_then_sequence() {
        let mut rng = crate::rng::Rng::new(3);
        let mut q = Queue::default();
        let mut plain: Vec<(u64, u64)> = Vec::new();
        let mut seq = 0;
        for _ in 0..2000 {
            if rng.below(3) > 0 {
                seq += 1;
                let at = rng.below(50);
                q.push(at, seq, (at, seq));
                plain.push((at, seq));
            } else {
                plain.sort_unstable();
                let want = (!plain.is_empty()).then(|| plain.remove(0));
                assert_eq!(q.pop().map(|(_, e)| e), want);
            }
        }
        plain.sort_unstable();
        for want in plain {
            assert_eq!(q.next_at(), Some(want.0));
            assert_eq!(q.pop(), Some((want.0, want)));
        }
        assert_eq!(q.pop(), None);
        assert!(q.events.capacity() < 2000, "slots are reused");
    }
}
