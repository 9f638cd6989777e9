//! Runs a check's script on both sides, compares what each observed, and
//! prints the table `check | lab | real | result`.
//!
//! A script returns a list of observations; each names a row and says how
//! it is compared: exactly (text), or as a number within a stated absolute
//! tolerance. A side that panics or cannot start becomes a row whose value
//! is the failure, so nothing aborts the suite and every difference shows.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::side::{LabSide, RealSide, Setup, Side};

/// How one observed value is compared.
#[derive(Clone, Debug, PartialEq)]
pub enum Compare {
    Exact,
    /// |lab − real| ≤ tol, in `unit`.
    Within {
        tol: i64,
        unit: &'static str,
    },
}

#[derive(Clone, Debug)]
pub struct Obs {
    pub row: String,
    pub text: String,
    pub num: Option<i64>,
    pub compare: Compare,
    /// Shown after the value in the table, not compared (e.g. a count
    /// behind a yes/no outcome).
    pub note: String,
}

impl Obs {
    pub fn exact(row: impl Into<String>, text: impl Into<String>) -> Obs {
        Obs {
            row: row.into(),
            text: text.into(),
            num: None,
            compare: Compare::Exact,
            note: String::new(),
        }
    }

    /// Adds a note shown next to the value but not compared.
    pub fn note(mut self, note: impl Into<String>) -> Obs {
        self.note = note.into();
        self
    }

    fn shown(&self) -> String {
        if self.note.is_empty() {
            self.text.clone()
        } else {
            format!("{} ({})", self.text, self.note)
        }
    }

    /// A number compared within ±`tol` `unit`; `None` (not observed) never matches.
    pub fn within(row: impl Into<String>, num: Option<i64>, tol: i64, unit: &'static str) -> Obs {
        Obs {
            row: row.into(),
            text: num.map_or("<none>".into(), |n| format!("{n} {unit}")),
            num,
            compare: Compare::Within { tol, unit },
            note: String::new(),
        }
    }
}

/// A named script run on both sides.
pub struct Check {
    pub name: &'static str,
    pub setup: Setup,
    pub script: fn(&mut dyn Side) -> Vec<Obs>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Match,
    Within(i64, &'static str),
    Mismatch,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub check: String,
    pub lab: String,
    pub real: String,
    pub verdict: Verdict,
    /// Set when the mismatch is in the allow-list: its documentation.
    pub allowed: Option<String>,
}

pub fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}

fn run_side<S: Side>(
    start: impl FnOnce() -> Result<S, String>,
    script: fn(&mut dyn Side) -> Vec<Obs>,
) -> Result<Vec<Obs>, String> {
    let out = catch_unwind(AssertUnwindSafe(|| {
        let mut side = start()?;
        Ok(script(&mut side))
        // `side` drops here: real processes are killed even on panic (unwinding).
    }));
    match out {
        Ok(r) => r,
        Err(p) => Err(format!("<panicked: {}>", panic_text(p))),
    }
}

pub fn compare(lab: &Obs, real: &Obs) -> Verdict {
    match (&lab.compare, lab.num, real.num) {
        (Compare::Within { tol, unit }, Some(a), Some(b)) => {
            if a == b {
                Verdict::Match
            } else if (a - b).abs() <= *tol {
                Verdict::Within(*tol, unit)
            } else {
                Verdict::Mismatch
            }
        }
        (Compare::Within { .. }, _, _) => Verdict::Mismatch,
        (Compare::Exact, _, _) if lab.text == real.text => Verdict::Match,
        _ => Verdict::Mismatch,
    }
}

/// Runs one check on the lab (seeded) and on real Redis; one row per observation.
pub fn run_check(check: &Check, seed: u64) -> Vec<Row> {
    let lab = run_side(|| LabSide::start(&check.setup, seed), check.script);
    let real = run_side(|| RealSide::start(&check.setup), check.script);
    pair_rows(check.name, lab, real)
}

/// Rows from what each side observed (or why it could not run), matched by
/// position and row name.
pub fn pair_rows(
    check: &str,
    lab: Result<Vec<Obs>, String>,
    real: Result<Vec<Obs>, String>,
) -> Vec<Row> {
    let name = |row: &str| {
        if row.is_empty() {
            check.to_string()
        } else {
            format!("{check}: {row}")
        }
    };
    match (lab, real) {
        (Ok(l), Ok(r)) => {
            let mut rows = Vec::new();
            for i in 0..l.len().max(r.len()) {
                match (l.get(i), r.get(i)) {
                    (Some(a), Some(b)) if a.row == b.row => rows.push(Row {
                        check: name(&a.row),
                        lab: a.shown(),
                        real: b.shown(),
                        verdict: compare(a, b),
                        allowed: None,
                    }),
                    (a, b) => rows.push(Row {
                        check: name(&a.or(b).map(|o| o.row.clone()).unwrap_or_default()),
                        lab: a.map_or("<no row>".into(), |o| format!("[{}] {}", o.row, o.shown())),
                        real: b.map_or("<no row>".into(), |o| format!("[{}] {}", o.row, o.shown())),
                        verdict: Verdict::Mismatch,
                        allowed: None,
                    }),
                }
            }
            rows
        }
        (l, r) => vec![Row {
            check: check.to_string(),
            lab: l.map_or_else(|e| e, |o| format!("{} rows", o.len())),
            real: r.map_or_else(|e| e, |o| format!("{} rows", o.len())),
            verdict: Verdict::Mismatch,
            allowed: None,
        }],
    }
}

/// One allowed mismatch: the row's full name (`check: row`) and why.
/// `why` is either `Simplifications: <the docs/simplifications.md bullet>` or
/// `LAB-BUG: <description>` (to be fixed in the lab, then removed here).
pub struct Allowed {
    pub row: &'static str,
    pub why: &'static str,
}

/// Marks allowed mismatches; returns the allow-list entries that matched no
/// mismatching row (stale: the lab was fixed, or the row was renamed).
pub fn apply_allow_list<'a>(rows: &mut [Row], allow: &'a [Allowed]) -> Vec<&'a Allowed> {
    let mut used = vec![false; allow.len()];
    for row in rows.iter_mut() {
        if row.verdict != Verdict::Mismatch {
            continue;
        }
        if let Some(i) = allow.iter().position(|a| a.row == row.check) {
            used[i] = true;
            row.allowed = Some(allow[i].why.to_string());
        }
    }
    allow
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(a, _)| a)
        .collect()
}

fn cell(s: &str) -> String {
    s.replace('\r', "").replace('\n', " ⏎ ")
}

/// The table, one line per row: `check | lab | real | result`.
pub fn table(rows: &[Row]) -> String {
    let w = |f: &dyn Fn(&Row) -> String, cap: usize| {
        rows.iter()
            .map(|r| f(r).chars().count())
            .max()
            .unwrap_or(0)
            .min(cap)
    };
    let result = |r: &Row| match (&r.verdict, &r.allowed) {
        (Verdict::Match, _) => "match".to_string(),
        (Verdict::Within(t, u), _) => format!("within ±{t} {u}"),
        (Verdict::Mismatch, None) => "MISMATCH".to_string(),
        (Verdict::Mismatch, Some(why)) => format!("MISMATCH (allowed: {why})"),
    };
    let (wc, wl, wr) = (
        w(&|r| r.check.clone(), 60).max(5),
        w(&|r| cell(&r.lab), 70).max(3),
        w(&|r| cell(&r.real), 70).max(4),
    );
    let pad = |s: &str, n: usize| {
        let len = s.chars().count();
        format!("{s}{}", " ".repeat(n.saturating_sub(len)))
    };
    let mut out = format!(
        "{} | {} | {} | result\n{}-+-{}-+-{}-+-------\n",
        pad("check", wc),
        pad("lab", wl),
        pad("real", wr),
        "-".repeat(wc),
        "-".repeat(wl),
        "-".repeat(wr)
    );
    for r in rows {
        out.push_str(&format!(
            "{} | {} | {} | {}\n",
            pad(&r.check, wc),
            pad(&cell(&r.lab), wl),
            pad(&cell(&r.real), wr),
            result(r)
        ));
    }
    out
}
