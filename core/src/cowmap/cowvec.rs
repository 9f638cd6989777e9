//! `CowVec`: the list counterpart of `CowMap` (chunks of `CHUNK` behind `Rc`s).

use super::CHUNK;
use std::collections::VecDeque;
use std::rc::Rc;

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
