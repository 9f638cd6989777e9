//! The pieces both levels of `CowMap` share: key summaries, the branchless
//! search over them, and `Node`, up to `N` sorted items with their summaries.

use std::cmp::Ordering;

/// Keys with an order-preserving 128-bit summary, so that a search compares
/// integers held next to each other instead of following each key's pointer.
pub trait Summary: Ord {
    /// Unequal summaries order like their keys; equal summaries mean equal
    /// keys unless the low byte is `LONG` (then the keys decide).
    fn summary(&self) -> u128;
}

/// The low byte of a summary that does not identify its key.
pub(super) const LONG: u8 = 15;

/// Byte strings: the first 15 bytes (zero-padded) and the length capped at
/// 15, big-endian. Keys of up to 14 bytes are told apart without reading them.
impl Summary for [u8] {
    fn summary(&self) -> u128 {
        let mut b = [0u8; 16];
        let n = self.len().min(LONG as usize);
        b[..n].copy_from_slice(&self[..n]);
        b[15] = n as u8;
        u128::from_be_bytes(b)
    }
}
impl Summary for Vec<u8> {
    fn summary(&self) -> u128 {
        self.as_slice().summary()
    }
}
impl Summary for crate::data::Bytes {
    fn summary(&self) -> u128 {
        self.as_slice().summary()
    }
}

/// How many of the sorted summaries `sums` are <= the query's `q`: a
/// binary search without unpredictable branches. `full(i)` compares key `i`
/// with the query, needed only on a tie of long keys.
#[inline(always)]
pub(super) fn count_le(sums: &[u128], q: u128, full: impl Fn(usize) -> Ordering) -> usize {
    let le = |i: usize| {
        let s = sums[i];
        if s == q && q as u8 == LONG {
            full(i) != Ordering::Greater
        } else {
            s <= q
        }
    };
    let (mut base, mut size) = (0, sums.len());
    if size == 0 {
        return 0;
    }
    while size > 1 {
        let half = size / 2;
        base = std::hint::select_unpredictable(le(base + half), base + half, base);
        size -= half;
    }
    base + le(base) as usize
}

/// Up to `N` sorted items and the summaries of their (first) keys: a chunk
/// of entries, or a page of chunks. `items` first: its length then shares a
/// cache line with the `Rc`'s counts. Never empty while in a map.
#[derive(Clone)]
#[repr(C)]
pub(super) struct Node<T, const N: usize> {
    pub(super) items: Vec<T>,
    /// Where the latest insert went (in the padding before `sums`), for
    /// `split_point`.
    pub(super) last: u8,
    pub(super) sums: [u128; N],
}

impl<T, const N: usize> Node<T, N> {
    pub(super) fn new(s: u128, item: T) -> Self {
        let mut sums = [0; N];
        sums[0] = s;
        Node {
            items: vec![item],
            last: 0,
            sums,
        }
    }
    /// The summaries of the items present.
    #[inline]
    pub(super) fn sums(&self) -> &[u128] {
        &self.sums[..self.items.len()]
    }
    /// Full: the caller splits it.
    #[inline]
    pub(super) fn is_full(&self) -> bool {
        self.items.len() >= N
    }
    pub(super) fn insert(&mut self, i: usize, s: u128, item: T) {
        let len = self.items.len();
        if len == self.items.capacity() {
            // Doubling, but never past `N`: a node copied on write has the
            // capacity of its length, and a plain push would then reserve
            // up to twice `N` (a chunk of 21 entries grew room for 42).
            self.items
                .reserve_exact((len * 2).clamp(1, N.max(len + 1)) - len);
        }
        self.sums.copy_within(i..self.items.len(), i + 1);
        self.sums[i] = s;
        self.items.insert(i, item);
        self.last = u8::try_from(i).unwrap_or(u8::MAX);
    }
    pub(super) fn remove(&mut self, i: usize) -> T {
        self.sums.copy_within(i + 1..self.items.len(), i);
        self.items.remove(i)
    }
    /// Whether an insert at `i` goes just after the latest one.
    pub(super) fn follows_last(&self, i: usize) -> bool {
        usize::from(self.last) + 1 == i
    }
    /// Where a full node splits, once the insert at `i` filled it. Inserts
    /// in ascending order (`follows_last`) split it at the newest item, so
    /// the part behind it, which that run will not touch again, stays full
    /// (InnoDB splits a page the same way); other inserts split it in half.
    pub(super) fn split_point(&self, i: usize, ascending: bool) -> usize {
        if ascending && i >= N / 2 {
            i
        } else {
            N / 2
        }
    }
    /// Moves the items from `at` on to a new node. Both halves keep room
    /// for their items only: the left one would otherwise keep its room
    /// for `N`, which a run of ascending keys never fills again.
    pub(super) fn split_off(&mut self, at: usize) -> Self {
        let mut sums = [0; N];
        sums[..self.items.len() - at].copy_from_slice(&self.sums[at..self.items.len()]);
        let items = self.items.split_off(at);
        self.items.shrink_to_fit();
        let last = self.last.checked_sub(at as u8);
        if last.is_some() {
            self.last = 0;
        }
        Node {
            sums,
            items,
            last: last.unwrap_or(0),
        }
    }
}
