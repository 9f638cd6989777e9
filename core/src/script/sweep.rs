//! Breaking a script's reference cycles when it ends. Values are counted
//! references (`Rc`), not garbage-collected as in Lua: a table that holds
//! itself, or a `local function` (whose closure captures the cell that holds
//! it), would never be freed, and every EVAL of such a script would leak.
//! Every table and every closure's captured scope made during a run is
//! remembered (weakly); when the run ends, those still alive are emptied.
//! Nothing of a script outlives its run (the reply is converted first, and
//! scripts cannot keep globals), so emptying them changes no result.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::value::{Cell, Table, Val};

/// A closure's captured scope.
pub type Scope = Vec<(Rc<str>, Cell)>;

#[derive(Default)]
struct Made {
    tables: Vec<Weak<RefCell<Table>>>,
    scopes: Vec<Weak<Scope>>,
    /// Past this many entries, the dead ones are dropped (a `Weak` keeps its
    /// allocation until then).
    compact_at: usize,
}

thread_local! {
    static MADE: RefCell<Made> = RefCell::default();
}

impl Made {
    fn compact(&mut self) {
        if self.tables.len() + self.scopes.len() > self.compact_at {
            self.tables.retain(|w| w.strong_count() > 0);
            self.scopes.retain(|w| w.strong_count() > 0);
            self.compact_at = 2 * (self.tables.len() + self.scopes.len()).max(1024);
        }
    }
}

pub fn table(t: &Rc<RefCell<Table>>) {
    MADE.with_borrow_mut(|m| {
        m.tables.push(Rc::downgrade(t));
        m.compact();
    });
}

pub fn scope(s: &Rc<Scope>) {
    MADE.with_borrow_mut(|m| {
        m.scopes.push(Rc::downgrade(s));
        m.compact();
    });
}

/// Empties what the run made that is still alive, when dropped (at the end
/// of `script::run`, however it ends). Runs may nest: each sweeps only what
/// was made after it started.
pub struct Sweep {
    tables: usize,
    scopes: usize,
}

impl Sweep {
    pub fn start() -> Sweep {
        MADE.with_borrow(|m| Sweep {
            tables: m.tables.len(),
            scopes: m.scopes.len(),
        })
    }
}

impl Drop for Sweep {
    fn drop(&mut self) {
        // Taken out first: emptying drops values, which may make more.
        let (tables, scopes) = MADE.with_borrow_mut(|m| {
            let t = m.tables.split_off(self.tables.min(m.tables.len()));
            let s = m.scopes.split_off(self.scopes.min(m.scopes.len()));
            (t, s)
        });
        let alive: Vec<_> = tables.iter().filter_map(Weak::upgrade).collect();
        let scopes: Vec<_> = scopes.iter().filter_map(Weak::upgrade).collect();
        for t in &alive {
            if let Ok(mut t) = t.try_borrow_mut() {
                drop(std::mem::take(&mut *t));
            }
        }
        for s in &scopes {
            for (_, c) in s.iter() {
                if let Ok(mut c) = c.try_borrow_mut() {
                    drop(std::mem::replace(&mut *c, Val::Nil));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables and scopes made on this thread that are still alive.
    fn alive() -> usize {
        MADE.with_borrow(|m| {
            m.tables.iter().filter(|w| w.strong_count() > 0).count()
                + m.scopes.iter().filter(|w| w.strong_count() > 0).count()
        })
    }

    struct NoHost;
    impl crate::script::Host for NoHost {
        fn call(&mut self, _: Vec<Vec<u8>>) -> crate::data::Reply {
            crate::data::Reply::Nil
        }
        fn log(&mut self, _: i64, _: String) {}
    }

    #[test]
    fn a_run_leaves_no_cycle_alive() {
        for src in [
            "table.insert(KEYS, KEYS) return 1",
            "local t = {} t.me = t return #t",
            "local function f(n) if n > 0 then return f(n - 1) end return 0 end return f(3)",
            "local g = function() return 1 end local t = {g} t[2] = t return t[1]()",
            "local t = {} t[1] = t error('x')",
        ] {
            let code = crate::script::compile(src.as_bytes()).expect(src);
            crate::script::run(&code, "sha", &[b"k".to_vec()], &[], &mut NoHost);
            assert_eq!(alive(), 0, "{src}");
        }
    }
}
