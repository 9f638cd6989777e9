//! `CowMap`: an ordered map whose clones share storage (the keyspace).
//!
//! Entries live in sorted chunks of at most `CHUNK` entries, each behind an
//! `Rc`; the chunks are in key order. A clone copies one pointer per chunk,
//! and a write copies only the chunk it touches when a clone still shares it
//! (`Rc::make_mut`). The web session's snapshots and full syncs clone whole
//! keyspaces, so they cost little while the keyspaces change slowly.
//! Iteration is in key order, like the `BTreeMap` this replaces.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

/// A chunk splits in two when it reaches this many entries.
const CHUNK: usize = 32;

#[derive(Clone)]
pub struct CowMap<K, V> {
    chunks: Vec<Rc<Vec<(K, V)>>>,
    /// Each chunk's first key (a search touches one key per step).
    firsts: Vec<K>,
    len: usize,
}

impl<K, V> Default for CowMap<K, V> {
    fn default() -> Self {
        CowMap {
            chunks: Vec::new(),
            firsts: Vec::new(),
            len: 0,
        }
    }
}

impl<K: Ord + Clone, V: Clone> CowMap<K, V> {
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
        self.firsts.clear();
        self.len = 0;
    }

    /// The chunk that holds or would hold `key`: the last one whose first key
    /// is <= `key` (the first chunk for keys below every chunk).
    fn chunk_of<Q: Ord + ?Sized>(&self, key: &Q) -> usize
    where
        K: Borrow<Q>,
    {
        self.firsts
            .partition_point(|k| k.borrow() <= key)
            .saturating_sub(1)
    }
    /// (chunk, Ok(index) if found / Err(insertion index)).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(usize, Result<usize, usize>)>
    where
        K: Borrow<Q>,
    {
        if self.chunks.is_empty() {
            return None;
        }
        let c = self.chunk_of(key);
        Some((
            c,
            self.chunks[c].binary_search_by(|(k, _)| k.borrow().cmp(key)),
        ))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (c, Ok(i)) => Some(&self.chunks[c][i].1),
            _ => None,
        }
    }
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (c, Ok(i)) => Some(&mut Rc::make_mut(&mut self.chunks[c])[i].1),
            _ => None,
        }
    }
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let Some((c, at)) = self.find(&key) else {
            self.firsts.push(key.clone());
            self.chunks.push(Rc::new(vec![(key, value)]));
            self.len = 1;
            return None;
        };
        let chunk = Rc::make_mut(&mut self.chunks[c]);
        match at {
            Ok(i) => Some(std::mem::replace(&mut chunk[i].1, value)),
            Err(i) => {
                if i == 0 {
                    self.firsts[c] = key.clone();
                }
                chunk.insert(i, (key, value));
                self.len += 1;
                if chunk.len() >= CHUNK {
                    let tail = chunk.split_off(CHUNK / 2);
                    self.firsts.insert(c + 1, tail[0].0.clone());
                    self.chunks.insert(c + 1, Rc::new(tail));
                }
                None
            }
        }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let (c, Ok(i)) = self.find(key)? else {
            return None;
        };
        let chunk = Rc::make_mut(&mut self.chunks[c]);
        let (_, v) = chunk.remove(i);
        if chunk.is_empty() {
            self.chunks.remove(c);
            self.firsts.remove(c);
        } else if i == 0 {
            self.firsts[c] = chunk[0].0.clone();
        }
        self.len -= 1;
        Some(v)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.iter())
            .map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + '_ {
        self.iter().map(|(k, _)| k)
    }
    /// Entries after `key` (excluded), in key order.
    pub fn iter_after<'a, Q: Ord + ?Sized>(
        &'a self,
        key: &Q,
    ) -> impl Iterator<Item = (&'a K, &'a V)> + 'a
    where
        K: Borrow<Q>,
    {
        let (c, i) = match self.find(key) {
            None => (0, 0),
            Some((c, Ok(i))) => (c, i + 1),
            Some((c, Err(i))) => (c, i),
        };
        self.chunks
            .get(c..)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .flat_map(move |(j, ch)| ch[if j == 0 { i } else { 0 }..].iter())
            .map(|(k, v)| (k, v))
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for CowMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .chunks
                .iter()
                .flat_map(|c| c.iter())
                .eq(other.chunks.iter().flat_map(|c| c.iter()))
    }
}
impl<K: Eq, V: Eq> Eq for CowMap<K, V> {}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for CowMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.chunks
                    .iter()
                    .flat_map(|c| c.iter())
                    .map(|(k, v)| (k, v)),
            )
            .finish()
    }
}

impl<K: Ord + Clone, V: Clone> FromIterator<(K, V)> for CowMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        let mut m = CowMap::new();
        for (k, v) in it {
            m.insert(k, v);
        }
        m
    }
}

/// `CowVec`: a list that grows at the back and shrinks at the front, whose
/// clones share storage in chunks of `CHUNK` elements behind `Rc`s (clients'
/// operation histories, the replication backlog). A clone copies one pointer
/// per chunk; a write copies only the chunk it touches. Every chunk but the
/// last is full; `front` elements of the first one are dropped.
#[derive(Clone, Debug)]
pub struct CowVec<T> {
    chunks: VecDeque<Rc<Vec<T>>>,
    front: usize,
    len: usize,
}

impl<T> Default for CowVec<T> {
    fn default() -> Self {
        CowVec {
            chunks: VecDeque::new(),
            front: 0,
            len: 0,
        }
    }
}

impl<T: PartialEq + Clone> PartialEq for CowVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}
impl<T: Eq + Clone> Eq for CowVec<T> {}

impl<T: Clone> CowVec<T> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn push(&mut self, x: T) {
        if self.chunks.back().is_none_or(|c| c.len() >= CHUNK) {
            self.chunks.push_back(Rc::new(Vec::with_capacity(CHUNK)));
        }
        Rc::make_mut(self.chunks.back_mut().expect("a chunk")).push(x);
        self.len += 1;
    }
    /// Drops the first element.
    pub fn drop_front(&mut self) {
        if self.len == 0 {
            return;
        }
        self.len -= 1;
        self.front += 1;
        if self.front == CHUNK || self.len == 0 {
            self.chunks.pop_front();
            self.front = 0;
        }
    }
    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let j = i + self.front;
        self.chunks.get(j / CHUNK)?.get(j % CHUNK)
    }
    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }
    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }
    /// Like `slice::partition_point`.
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(&self[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(c, ch)| ch[if c == 0 { self.front } else { 0 }..].iter())
    }
    /// The last element matching `pred`, copying only its chunk if shared.
    pub fn rfind_mut(&mut self, mut pred: impl FnMut(&T) -> bool) -> Option<&mut T> {
        let front = self.front;
        let (c, i) = self.chunks.iter().enumerate().rev().find_map(|(c, ch)| {
            let from = if c == 0 { front } else { 0 };
            ch[from..]
                .iter()
                .rposition(&mut pred)
                .map(|i| (c, from + i))
        })?;
        Some(&mut Rc::make_mut(&mut self.chunks[c])[i])
    }
}

impl<T: Clone> std::ops::Index<usize> for CowVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        self.get(i).expect("CowVec index out of bounds")
    }
}

impl<'a, T: Clone> IntoIterator for &'a CowVec<T> {
    type Item = &'a T;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a T> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests;
