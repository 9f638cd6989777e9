//! `CowVec`: the list counterpart of `CowMap` (chunks of `CHUNK` behind
//! `Rc`s, grouped in pages of `PAGE` chunk pointers behind `Rc`s).

use super::{CHUNK, PAGE};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

/// Elements per page.
const SPAN: usize = CHUNK * PAGE;

/// A page's chunks; those dropped from the front are `None`.
type Page<T> = Vec<Option<Rc<Vec<T>>>>;

/// `CowVec`: a list that grows at the back and shrinks at the front, whose
/// clones share storage in chunks of `CHUNK` elements behind `Rc`s, grouped
/// in pages of `PAGE` chunks behind `Rc`s (clients' operation histories, the
/// replication backlog, the run record). A clone copies one pointer per
/// page; a write copies only the page and the chunk it touches. Every page
/// but the last is full, every chunk but the last too; `front` elements of
/// the first page are dropped (its first `front / CHUNK` chunks are `None`).
#[derive(Clone)]
pub struct CowVec<T> {
    pub(super) pages: VecDeque<Rc<Page<T>>>,
    front: usize,
    len: usize,
}

impl<T> Default for CowVec<T> {
    fn default() -> Self {
        CowVec {
            pages: VecDeque::new(),
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

impl<T: fmt::Debug + Clone> fmt::Debug for CowVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

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
        let last = self.pages.back().and_then(|p| p.last());
        let chunk_full = last.is_none_or(|c| c.as_ref().is_none_or(|c| c.len() >= CHUNK));
        if chunk_full && self.pages.back().is_none_or(|p| p.len() >= PAGE) {
            self.pages.push_back(Rc::new(Vec::new()));
        }
        let Some(page) = self.pages.back_mut().map(Rc::make_mut) else {
            return;
        };
        if chunk_full {
            page.push(Some(Rc::new(Vec::with_capacity(CHUNK))));
        }
        if let Some(Some(chunk)) = page.last_mut() {
            Rc::make_mut(chunk).push(x);
            self.len += 1;
        }
    }
    /// Drops the first element.
    pub fn drop_front(&mut self) {
        if self.len == 0 {
            return;
        }
        self.len -= 1;
        self.front += 1;
        if self.len == 0 {
            self.pages.clear();
            self.front = 0;
        } else if self.front == SPAN {
            self.pages.pop_front();
            self.front = 0;
        } else if self.front.is_multiple_of(CHUNK) {
            if let Some(page) = self.pages.front_mut() {
                Rc::make_mut(page)[self.front / CHUNK - 1] = None;
            }
        }
    }
    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let j = i + self.front;
        let chunk = self.pages.get(j / SPAN)?.get(j % SPAN / CHUNK)?;
        chunk.as_ref()?.get(j % CHUNK)
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
    /// The live elements of chunk `c` of page `p` (those after `front` in
    /// the first page).
    fn live(&self, p: usize, c: usize, chunk: &Option<Rc<Vec<T>>>) -> usize {
        match chunk {
            Some(_) if p == 0 && c == self.front / CHUNK => self.front % CHUNK,
            _ => 0,
        }
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.pages.iter().enumerate().flat_map(move |(p, page)| {
            page.iter().enumerate().flat_map(move |(c, chunk)| {
                let from = self.live(p, c, chunk);
                let items = chunk.as_deref().map_or(&[][..], |v| &v[..]);
                items.get(from..).unwrap_or(&[]).iter()
            })
        })
    }
    /// The last element matching `pred`, copying only its page and chunk if
    /// shared.
    pub fn rfind_mut(&mut self, mut pred: impl FnMut(&T) -> bool) -> Option<&mut T> {
        let (p, c, i) = self.pages.iter().enumerate().rev().find_map(|(p, page)| {
            page.iter().enumerate().rev().find_map(|(c, chunk)| {
                let from = self.live(p, c, chunk);
                let items = chunk.as_deref()?.get(from..)?;
                items.iter().rposition(&mut pred).map(|i| (p, c, from + i))
            })
        })?;
        let chunk = Rc::make_mut(self.pages.get_mut(p)?).get_mut(c)?.as_mut()?;
        Rc::make_mut(chunk).get_mut(i)
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
