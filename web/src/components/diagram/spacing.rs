//! How the diagram spaces events along its axis: by real (simulated) time,
//! or by event order, as ShiViz draws a log: every event the diagram draws
//! gets the next column, evenly spaced, in the trace's order. The trace is
//! ordered by time and a delivery follows its send, so the order respects
//! happens-before, and a message is a slanted line from its send's column to
//! its delivery's. At 1 ms of latency a 5 s window in real time draws
//! messages as vertical lines on top of each other (a barcode); event order
//! keeps each one apart.
//!
//! `auto` is the default rule, from the run as the diagram would draw it:
//! event order when, in real time, consecutive events of the visible window
//! would be closer than `READABLE_PX` (the median gap).

use replilab_core::msg::MsgKind;
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::trace::{TraceEvent, TraceKind};

use crate::i18n::T;
use crate::state::kind_bit;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacing {
    /// x proportional to simulated time.
    Time,
    /// One column per drawn event, in trace order.
    Order,
}

impl Spacing {
    /// The link's `spacing=` value.
    pub fn code(self) -> &'static str {
        match self {
            Spacing::Time => "time",
            Spacing::Order => "order",
        }
    }
    pub fn from_code(s: &str) -> Option<Spacing> {
        [Spacing::Time, Spacing::Order]
            .into_iter()
            .find(|x| x.code() == s)
    }
    pub fn label(self) -> T {
        match self {
            Spacing::Time => T {
                en: "real time",
                zh: "按时间",
            },
            Spacing::Order => T {
                en: "event order",
                zh: "按事件顺序",
            },
        }
    }
}

/// Columns closer than this (px) make event order cut the window to its
/// last events; it is also the least gap `auto` calls readable in real time.
pub const MIN_GAP_PX: f64 = 12.0;
/// Few events are not spread wider than this.
pub const MAX_GAP_PX: f64 = 40.0;
/// In real time, a median gap between consecutive events below this (px)
/// is a barcode: `auto` picks event order.
pub const READABLE_PX: f64 = 4.0;
/// `auto` waits for this many events in the window before it decides.
pub const MIN_SAMPLE: usize = 16;

/// Whether the diagram draws a marker for this event (faults, role
/// changes, syncs, Sentinel events other than discoveries).
pub fn is_mark(kind: &TraceKind) -> bool {
    match kind {
        TraceKind::Fault { .. } | TraceKind::Role { .. } | TraceKind::Sync { .. } => true,
        TraceKind::Sentinel { event } => !matches!(
            event.kind,
            SentinelEventKind::Sentinel | SentinelEventKind::Slave
        ),
        _ => false,
    }
}

/// The events of a stretch of the trace that the diagram draws, in order:
/// `idx` their indices in the trace, `t` their times. `total` counts those
/// of the window before any cut to the last ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub idx: Vec<usize>,
    pub t: Vec<u64>,
    pub total: usize,
}

/// The drawn events of `trace[from..]` (from `first` on; the stretch before
/// it pairs deliveries with their sends), keeping only the last `max`: a
/// message's send and its delivery or drop if its kind passes `filter`,
/// and every marker.
pub fn rows(trace: &[TraceEvent], from: usize, first: usize, filter: u16, max: usize) -> Rows {
    let mut out = Rows::default();
    // Messages sent and shown, not yet delivered, sorted by id.
    let mut open: Vec<u64> = Vec::new();
    let from = from.min(trace.len());
    for (i, e) in trace.iter().enumerate().skip(from) {
        let drawn = match &e.kind {
            TraceKind::Send { msg, kind, .. } if shown(*kind, filter) => {
                if let Err(at) = open.binary_search(msg) {
                    open.insert(at, *msg);
                }
                true
            }
            TraceKind::Deliver { msg, .. } | TraceKind::Drop { msg, .. } => {
                match open.binary_search(msg) {
                    Ok(at) => {
                        open.remove(at);
                        true
                    }
                    Err(_) => false,
                }
            }
            k => is_mark(k),
        };
        if drawn && i >= first {
            out.idx.push(i);
            out.t.push(e.t_ms);
        }
    }
    out.total = out.idx.len();
    if out.idx.len() > max {
        let cut = out.idx.len() - max;
        out.idx.drain(..cut);
        out.t.drain(..cut);
    }
    out
}

fn shown(kind: MsgKind, filter: u16) -> bool {
    filter & kind_bit(kind) != 0
}

/// The median gap (px) between consecutive drawn events, in real time at
/// `px_per_ms`; `None` with fewer than `MIN_SAMPLE` events.
pub fn median_gap_px(times: &[u64], px_per_ms: f64) -> Option<f64> {
    if times.len() < MIN_SAMPLE {
        return None;
    }
    let mut gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let mid = gaps.len() / 2;
    let (_, m, _) = gaps.select_nth_unstable(mid);
    Some(*m as f64 * px_per_ms)
}

/// The readable spacing for these drawn events of the window, or `None`
/// while there are too few to tell.
pub fn auto(times: &[u64], px_per_ms: f64) -> Option<Spacing> {
    median_gap_px(times, px_per_ms).map(|g| {
        if g < READABLE_PX {
            Spacing::Order
        } else {
            Spacing::Time
        }
    })
}

/// Where the columns go in event order: `n` events (and the playhead after
/// them) evenly over `plot` px, at most `MAX_GAP_PX` apart.
pub fn gap_px(n: usize, plot: f64) -> f64 {
    (plot / (n as f64 + 1.0)).min(MAX_GAP_PX)
}

/// How many events event order shows at most in `plot` px.
pub fn max_rows(plot: f64) -> usize {
    ((plot / MIN_GAP_PX) as usize).saturating_sub(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use replilab_core::scenario;
    use replilab_core::timeline::{Session, Source};

    fn lesson(file: &str) -> Session {
        let path = format!("{}/../static/lessons/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let s = scenario::load::parse(&text).unwrap();
        Session::new(Source::Lesson(std::rc::Rc::new(s)), None)
    }

    fn default_filter() -> u16 {
        crate::state::UiState::new(crate::i18n::Lang::En, crate::state::Theme::Light).filter
    }

    #[test]
    fn a_delivery_comes_after_its_send_and_cuts_keep_the_last() {
        let mut s = lesson("11-split-brain-partition.toml");
        s.advance_to(36_000).unwrap();
        let trace = s.sim.trace();
        let r = rows(trace, 0, 0, u16::MAX, usize::MAX);
        let mut sent = std::collections::BTreeMap::new();
        for (&i, &t) in r.idx.iter().zip(&r.t) {
            assert_eq!(trace[i].t_ms, t);
            match &trace[i].kind {
                TraceKind::Send { msg, .. } => {
                    sent.insert(*msg, i);
                }
                TraceKind::Deliver { msg, .. } | TraceKind::Drop { msg, .. } => {
                    assert!(sent[msg] < i, "message {msg} drawn before its send");
                }
                k => assert!(is_mark(k)),
            }
        }
        assert!(r.idx.windows(2).all(|w| w[0] < w[1]));
        let last = rows(trace, 0, 0, u16::MAX, 50);
        assert_eq!((last.idx.len(), last.total), (50, r.total));
        assert_eq!(last.idx[..], r.idx[r.idx.len() - 50..]);
        // A filtered-out kind has neither its sends nor its deliveries.
        let no_acks = rows(trace, 0, 0, !kind_bit(MsgKind::Ack), usize::MAX);
        assert!(no_acks.total < r.total);
        assert!(no_acks.idx.iter().all(|&i| !matches!(
            &trace[i].kind,
            TraceKind::Send {
                kind: MsgKind::Ack,
                ..
            }
        )));
    }

    /// Lesson 09 at 1 ms of latency: a 5 s window over 536 px (the panel of
    /// a 1280 px wide page) is a barcode in real time.
    #[test]
    fn a_lan_at_one_millisecond_defaults_to_event_order() {
        let mut s = lesson("11-split-brain-partition.toml");
        assert_eq!(auto(&[], 0.1), None);
        s.advance_to(36_000).unwrap();
        let trace = s.sim.trace();
        let first = trace.partition_point(|e| e.t_ms < 31_000);
        let r = rows(trace, 0, first, default_filter(), usize::MAX);
        assert_eq!(auto(&r.t, 536.0 / 5_000.0), Some(Spacing::Order));
        // Sparse events far apart are readable in real time.
        let sparse: Vec<u64> = (0..20).map(|i| i * 500).collect();
        assert_eq!(auto(&sparse, 536.0 / 5_000.0), Some(Spacing::Time));
    }

    #[test]
    fn columns_stay_apart() {
        let plot = 536.0;
        let n = max_rows(plot);
        assert!(gap_px(n, plot) >= MIN_GAP_PX, "{}", gap_px(n, plot));
        assert_eq!(gap_px(1, plot), MAX_GAP_PX);
        assert_eq!(max_rows(1.0), 1);
        assert_eq!(Spacing::from_code("order"), Some(Spacing::Order));
        assert_eq!(Spacing::from_code("x"), None);
    }
}
