//! One component per file; each takes data and callbacks as `Properties`.

// `u64::is_multiple_of` is newer than the workspace's rust-version (1.84).
#![allow(clippy::manual_is_multiple_of)]

pub mod challenge;
pub mod charts;
pub mod cluster;
pub mod compare;
pub mod console;
pub mod context_menu;
pub mod diagram;
pub mod fault_toolbar;
pub mod fold;
pub mod header;
pub mod help;
pub mod inspector;
pub mod landing;
pub mod ledger;
pub mod narrative;
pub mod prediction;
pub mod sandbox_form;
pub mod sentinels;
pub mod topology;
pub mod trace_list;
pub mod transport;

/// Simulated time as the page shows it: `12.340 s`.
pub fn fmt_time(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

/// Short time for axes: `12 s`, `12.5 s`.
pub fn fmt_time_short(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// `3 607 112`: digits grouped by thin spaces, where space allows.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}
