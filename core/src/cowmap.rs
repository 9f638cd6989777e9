//! `CowMap`: an ordered map whose clones share storage (the keyspace).
//!
//! Entries live in sorted chunks of at most `CHUNK` entries, each behind an
//! `Rc`; the chunks are grouped in pages of at most `PAGE` chunk pointers,
//! each behind an `Rc` too. A clone copies one pointer per page, and a write
//! copies only the page and the chunk it touches when a clone still shares
//! them (`Rc::make_mut` at both levels). The web session's snapshots and
//! full syncs clone whole keyspaces, so they cost little while the
//! keyspaces change slowly. Iteration is in key order, like the `BTreeMap`
//! this replaces.

use std::borrow::Borrow;
use std::fmt;
use std::rc::Rc;

mod cowvec;
mod node;
pub use cowvec::CowVec;
pub use node::Summary;
use node::{count_le, Node, LONG};

/// A chunk splits in two when it reaches this many entries.
const CHUNK: usize = 32;
/// A page splits in two when it reaches this many chunks.
const PAGE: usize = 64;

/// Up to `CHUNK` sorted entries and their keys' summaries.
type Chunk<K, V> = Node<(K, V), CHUNK>;
/// Up to `PAGE` chunks in key order and their first keys' summaries.
type Page<K, V> = Node<Rc<Chunk<K, V>>, PAGE>;

impl<K: Summary, V> Chunk<K, V> {
    /// Ok(index) if `key` is here, else Err(insertion index).
    fn search<Q: Summary + ?Sized>(&self, q: u128, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        let i = count_le(self.sums(), q, |i| self.items[i].0.borrow().cmp(key));
        match i.checked_sub(1) {
            Some(j)
                if self.sums[j] == q && (q as u8 != LONG || self.items[j].0.borrow() == key) =>
            {
                Ok(j)
            }
            _ => Err(i),
        }
    }
}

/// The first key of a page (pages and chunks are never empty).
fn first_key<K, V>(page: &Page<K, V>) -> &K {
    &page.items[0].items[0].0
}

#[derive(Clone)]
pub struct CowMap<K, V> {
    pages: Vec<Rc<Page<K, V>>>,
    /// The summary of each page's first key: the page index is searched in
    /// this array, then the chunk in the page's, reading a chunk only on a
    /// tie of long keys.
    heads: Vec<u128>,
    len: usize,
}

impl<K, V> Default for CowMap<K, V> {
    fn default() -> Self {
        CowMap {
            pages: Vec::new(),
            heads: Vec::new(),
            len: 0,
        }
    }
}

/// Where a key is or would go: page, chunk in the page, Ok(index) if found
/// / Err(insertion index) in the chunk, and the key's summary.
type Found = (usize, usize, Result<usize, usize>, u128);

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
        self.pages.clear();
        self.heads.clear();
        self.len = 0;
    }

    /// The page is the last one whose first key is <= `key` (the first
    /// page for keys below every page), the chunk likewise in the page.
    fn find<Q: Summary + ?Sized>(&self, key: &Q) -> Option<Found>
    where
        K: Borrow<Q>,
    {
        if self.pages.is_empty() {
            return None;
        }
        let q = key.summary();
        let first = |p: usize| first_key(&self.pages[p]).borrow().cmp(key);
        let p = count_le(&self.heads, q, first).saturating_sub(1);
        let page = &self.pages[p];
        let first = |c: usize| page.items[c].items[0].0.borrow().cmp(key);
        let c = count_le(page.sums(), q, first).saturating_sub(1);
        Some((p, c, page.items[c].search(q, key), q))
    }

    pub fn get<Q: Summary + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (p, c, Ok(i), _) => Some(&self.pages[p].items[c].items[i].1),
            _ => None,
        }
    }
    pub fn contains_key<Q: Summary + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }
    /// The chunk (`p`, `c`), copied first (with its page) if a clone shares it.
    fn chunk_mut(&mut self, p: usize, c: usize) -> &mut Chunk<K, V> {
        Rc::make_mut(&mut Rc::make_mut(&mut self.pages[p]).items[c])
    }
    pub fn get_mut<Q: Summary + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key)? {
            (p, c, Ok(i), _) => Some(&mut self.chunk_mut(p, c).items[i].1),
            _ => None,
        }
    }
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let Some((p, c, at, s)) = self.find(&key) else {
            let s = key.summary();
            let chunk = Rc::new(Node::new(s, (key, value)));
            self.pages.push(Rc::new(Node::new(s, chunk)));
            self.heads.push(s);
            self.len = 1;
            return None;
        };
        let i = match at {
            Ok(i) => {
                let slot = &mut self.chunk_mut(p, c).items[i].1;
                return Some(std::mem::replace(slot, value));
            }
            Err(i) => i,
        };
        let page = Rc::make_mut(&mut self.pages[p]);
        let chunk = Rc::make_mut(&mut page.items[c]);
        let ascending = chunk.follows_last(i);
        chunk.insert(i, s, (key, value));
        self.len += 1;
        if i == 0 {
            page.sums[c] = s;
            if c == 0 {
                self.heads[p] = s;
            }
        }
        let (mut p, mut c, mut i) = (p, c, i);
        if chunk.is_full() {
            let at = chunk.split_point(i, ascending);
            let tail = chunk.split_off(at);
            let new = c + 1;
            let page_ascending = page.follows_last(new);
            page.insert(new, tail.sums[0], Rc::new(tail));
            if i >= at {
                (c, i) = (new, i - at);
            }
            if page.is_full() {
                let at = page.split_point(new, page_ascending);
                let tail = page.split_off(at);
                self.heads.insert(p + 1, tail.sums[0]);
                self.pages.insert(p + 1, Rc::new(tail));
                if c >= at {
                    (p, c) = (p + 1, c - at);
                }
            }
        }
        self.debug_check_order_at(p, c, i);
        None
    }
    /// The keyspace stays sorted (hot path: debug builds only): the new
    /// entry at (`p`, `c`, `i`) is above its left neighbour and below its
    /// right one, across chunk and page borders, and the summaries match.
    fn debug_check_order_at(&self, p: usize, c: usize, i: usize) {
        if !cfg!(debug_assertions) {
            return;
        }
        let page = &self.pages[p];
        let ch = &page.items[c];
        let key = &ch.items[i].0;
        let prev_chunk = match c.checked_sub(1) {
            Some(b) => Some(&page.items[b]),
            None => p.checked_sub(1).and_then(|b| self.pages[b].items.last()),
        };
        let next_chunk = match page.items.get(c + 1) {
            Some(n) => Some(n),
            None => self.pages.get(p + 1).map(|n| &n.items[0]),
        };
        let prev = match i.checked_sub(1) {
            Some(j) => Some(&ch.items[j].0),
            None => prev_chunk.and_then(|b| b.items.last()).map(|e| &e.0),
        };
        let next = match ch.items.get(i + 1) {
            Some(e) => Some(&e.0),
            None => next_chunk.map(|n| &n.items[0].0),
        };
        debug_assert!(prev.is_none_or(|p| p < key), "keys stay sorted");
        debug_assert!(next.is_none_or(|n| key < n), "keys stay sorted");
        debug_assert_eq!(ch.sums[i], key.summary(), "a summary is its key's");
        debug_assert_eq!(page.sums[c], ch.sums[0], "a head is its chunk's first");
        debug_assert_eq!(self.heads[p], page.sums[0], "a head is its page's first");
    }

    pub fn remove<Q: Summary + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let (p, c, Ok(i), _) = self.find(key)? else {
            return None;
        };
        let page = Rc::make_mut(&mut self.pages[p]);
        let chunk = Rc::make_mut(&mut page.items[c]);
        let v = chunk.remove(i).1;
        if chunk.items.is_empty() {
            page.remove(c);
        } else if i == 0 {
            page.sums[c] = chunk.sums[0];
        }
        if page.items.is_empty() {
            self.pages.remove(p);
            self.heads.remove(p);
        } else if c == 0 {
            self.heads[p] = page.sums[0];
        }
        self.len -= 1;
        debug_assert_eq!(self.heads.len(), self.pages.len(), "one head per page");
        debug_assert!(self.get(key).is_none(), "a removed key is gone");
        Some(v)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + '_ {
        entries(&self.pages)
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
        let (p, c, i) = match self.find(key) {
            None => (0, 0, 0),
            Some((p, c, Ok(i), _)) => (p, c, i + 1),
            Some((p, c, Err(i), _)) => (p, c, i),
        };
        let page = self.pages.get(p).map_or(&[][..], |pg| &pg.items[..]);
        let chunk = page.get(c).map_or(&[][..], |ch| &ch.items[..]);
        let rest_page = page.get(c + 1..).unwrap_or(&[]);
        let rest = self.pages.get(p + 1..).unwrap_or(&[]);
        chunk
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .chain(rest_page.iter().flat_map(|ch| ch.items.iter()))
            .map(|(k, v)| (k, v))
            .chain(entries(rest))
    }
}

/// The entries of `pages`, in key order.
fn entries<K, V>(pages: &[Rc<Page<K, V>>]) -> impl DoubleEndedIterator<Item = (&K, &V)> + '_ {
    pages
        .iter()
        .flat_map(|p| p.items.iter())
        .flat_map(|c| c.items.iter())
        .map(|(k, v)| (k, v))
}

impl<K: PartialEq, V: PartialEq> PartialEq for CowMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && entries(&self.pages).eq(entries(&other.pages))
    }
}
impl<K: Eq, V: Eq> Eq for CowMap<K, V> {}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for CowMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(entries(&self.pages)).finish()
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
