//! `CowMap`: an ordered map whose clones share storage (the keyspace).
//!
//! Entries live in sorted chunks of at most `CHUNK` entries, each behind an
//! `Rc`; the chunks are in key order. A clone copies one pointer per chunk,
//! and a write copies only the chunk it touches when a clone still shares it
//! (`Rc::make_mut`). The web session's snapshots and full syncs clone whole
//! keyspaces, so they cost little while the keyspaces change slowly.
//! Iteration is in key order, like the `BTreeMap` this replaces.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;

mod cowvec;
pub use cowvec::CowVec;

/// A chunk splits in two when it reaches this many entries.
const CHUNK: usize = 32;

/// Keys with an order-preserving 128-bit summary, so that a search compares
/// integers held next to each other instead of following each key's pointer.
pub trait Summary: Ord {
    /// Unequal summaries order like their keys; equal summaries mean equal
    /// keys unless the low byte is `LONG` (then the keys decide).
    fn summary(&self) -> u128;
}

/// The low byte of a summary that does not identify its key.
const LONG: u8 = 15;

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

/// How many of the sorted summaries `sums` are <= the query's `q`: a
/// binary search without unpredictable branches. `full(i)` compares key `i`
/// with the query, needed only on a tie of long keys.
#[inline(always)]
fn count_le(sums: &[u128], q: u128, full: impl Fn(usize) -> Ordering) -> usize {
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

/// Up to `CHUNK` sorted entries and their keys' summaries. `items` first:
/// its length then shares a cache line with the `Rc`'s counts.
#[derive(Clone)]
#[repr(C)]
struct Chunk<K, V> {
    items: Vec<(K, V)>,
    sums: [u128; CHUNK],
}

impl<K: Summary, V> Chunk<K, V> {
    /// Ok(index) if `key` is here, else Err(insertion index).
    fn search<Q: Summary + ?Sized>(&self, q: u128, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        let n = self.items.len();
        let i = count_le(&self.sums[..n], q, |i| self.items[i].0.borrow().cmp(key));
        match i.checked_sub(1) {
            Some(j)
                if self.sums[j] == q && (q as u8 != LONG || self.items[j].0.borrow() == key) =>
            {
                Ok(j)
            }
            _ => Err(i),
        }
    }
    fn insert(&mut self, i: usize, s: u128, entry: (K, V)) {
        self.sums.copy_within(i..self.items.len(), i + 1);
        self.sums[i] = s;
        self.items.insert(i, entry);
    }
    fn remove(&mut self, i: usize) -> V {
        self.sums.copy_within(i + 1..self.items.len(), i);
        self.items.remove(i).1
    }
    /// Moves the entries from `at` on to a new chunk.
    fn split_off(&mut self, at: usize) -> Self {
        let mut sums = [0; CHUNK];
        sums[..self.items.len() - at].copy_from_slice(&self.sums[at..self.items.len()]);
        Chunk {
            sums,
            items: self.items.split_off(at),
        }
    }
}

#[derive(Clone)]
pub struct CowMap<K, V> {
    chunks: Vec<Rc<Chunk<K, V>>>,
    /// The summary of each chunk's first key: the chunk index is searched
    /// in this array, reading a chunk only on a tie of long keys.
    heads: Vec<u128>,
    len: usize,
}

impl<K, V> Default for CowMap<K, V> {
    fn default() -> Self {
        CowMap {
            chunks: Vec::new(),
            heads: Vec::new(),
            len: 0,
        }
    }
}

impl<K: Summary + Clone, V: Clone> CowMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.heads.clear();
        self.len = 0;
    }

    /// (chunk, Ok(index) if found / Err(insertion index), key summary). The
    /// chunk is the last one whose first key is <= `key` (the first chunk
    /// for keys below every chunk).
    fn find<Q: Summary + ?Sized>(&self, key: &Q) -> Option<(usize, Result<usize, usize>, u128)>
    where
        K: Borrow<Q>,
    {
        if self.chunks.is_empty() {
            return None;
        }
        let q = key.summary();
        let first = |c: usize| self.chunks[c].items[0].0.borrow().cmp(key);
        let c = count_le(&self.heads, q, first).saturating_sub(1);
        Some((c, self.chunks[c].search(q, key), q))
    }

    pub fn get<Q: Summary + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (c, Ok(i), _) => Some(&self.chunks[c].items[i].1),
            _ => None,
        }
    }
    pub fn contains_key<Q: Summary + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }
    pub fn get_mut<Q: Summary + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (c, Ok(i), _) => Some(&mut Rc::make_mut(&mut self.chunks[c]).items[i].1),
            _ => None,
        }
    }
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let Some((c, at, s)) = self.find(&key) else {
            let mut sums = [0; CHUNK];
            sums[0] = key.summary();
            self.heads.push(sums[0]);
            let items = vec![(key, value)];
            self.chunks.push(Rc::new(Chunk { sums, items }));
            self.len = 1;
            return None;
        };
        let chunk = Rc::make_mut(&mut self.chunks[c]);
        match at {
            Ok(i) => Some(std::mem::replace(&mut chunk.items[i].1, value)),
            Err(i) => {
                if i == 0 {
                    self.heads[c] = s;
                }
                chunk.insert(i, s, (key, value));
                self.len += 1;
                let (c, i) = if chunk.items.len() >= CHUNK {
                    let tail = chunk.split_off(CHUNK / 2);
                    self.heads.insert(c + 1, tail.sums[0]);
                    self.chunks.insert(c + 1, Rc::new(tail));
                    if i >= CHUNK / 2 {
                        (c + 1, i - CHUNK / 2)
                    } else {
                        (c, i)
                    }
                } else {
                    (c, i)
                };
                self.debug_check_order_at(c, i);
                None
            }
        }
    }
    /// The keyspace stays sorted (hot path: debug builds only): the new
    /// entry at (`c`, `i`) is above its left neighbour and below its right
    /// one, across chunk borders, and the summaries match the keys.
    fn debug_check_order_at(&self, c: usize, i: usize) {
        if !cfg!(debug_assertions) {
            return;
        }
        let ch = &self.chunks[c];
        let key = &ch.items[i].0;
        let prev = match i.checked_sub(1) {
            Some(j) => Some(&ch.items[j].0),
            None => c
                .checked_sub(1)
                .and_then(|p| self.chunks[p].items.last())
                .map(|e| &e.0),
        };
        let next = match ch.items.get(i + 1) {
            Some(e) => Some(&e.0),
            None => self.chunks.get(c + 1).map(|n| &n.items[0].0),
        };
        debug_assert!(prev.is_none_or(|p| p < key), "keys stay sorted");
        debug_assert!(next.is_none_or(|n| key < n), "keys stay sorted");
        debug_assert_eq!(ch.sums[i], key.summary(), "a summary is its key's");
        debug_assert_eq!(self.heads[c], ch.sums[0], "a head is its chunk's first");
    }

    pub fn remove<Q: Summary + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let (c, Ok(i), _) = self.find(key)? else {
            return None;
        };
        let chunk = Rc::make_mut(&mut self.chunks[c]);
        let v = chunk.remove(i);
        if chunk.items.is_empty() {
            self.chunks.remove(c);
            self.heads.remove(c);
        } else if i == 0 {
            self.heads[c] = chunk.sums[0];
        }
        self.len -= 1;
        debug_assert_eq!(self.heads.len(), self.chunks.len(), "one head per chunk");
        debug_assert!(self.get(key).is_none(), "a removed key is gone");
        Some(v)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.items.iter())
            .map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + '_ {
        self.iter().map(|(k, _)| k)
    }
    /// Entries after `key` (excluded), in key order.
    pub fn iter_after<'a, Q: Summary + ?Sized>(
        &'a self,
        key: &Q,
    ) -> impl Iterator<Item = (&'a K, &'a V)> + 'a
    where
        K: Borrow<Q>,
    {
        let (c, i) = match self.find(key) {
            None => (0, 0),
            Some((c, Ok(i), _)) => (c, i + 1),
            Some((c, Err(i), _)) => (c, i),
        };
        self.chunks
            .get(c..)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .flat_map(move |(j, ch)| ch.items[if j == 0 { i } else { 0 }..].iter())
            .map(|(k, v)| (k, v))
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for CowMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .chunks
                .iter()
                .flat_map(|c| c.items.iter())
                .eq(other.chunks.iter().flat_map(|c| c.items.iter()))
    }
}
impl<K: Eq, V: Eq> Eq for CowMap<K, V> {}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for CowMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.chunks
                    .iter()
                    .flat_map(|c| c.items.iter())
                    .map(|(k, v)| (k, v)),
            )
            .finish()
    }
}

impl<K: Summary + Clone, V: Clone> FromIterator<(K, V)> for CowMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        let mut m = CowMap::new();
        for (k, v) in it {
            m.insert(k, v);
        }
        m
    }
}

#[cfg(test)]
mod tests;
