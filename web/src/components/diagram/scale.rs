//! Where things go on the diagram: the lanes (one per node, top to bottom)
//! and the axis, which is simulated time or, in event order, one column per
//! drawn event (`spacing.rs`). Also the axis' labels and the mapping back
//! from a click to a time.

use yew::prelude::*;

use super::spacing::{self, Rows};
use crate::components::{fmt_time, fmt_time_short};

pub const LABEL: f64 = 50.0;
pub const TOP: f64 = 16.0;
/// Event order labels a column at most every this many px.
const LABEL_EVERY_PX: f64 = 64.0;

/// The visible window `t0..t1`, the playhead `now`, the lanes' size in SVG
/// user units (`w` wide, `h` high), and in event order the columns.
pub struct Scale {
    pub t0: u64,
    pub t1: u64,
    pub now: u64,
    pub window_ms: u64,
    pub w: f64,
    pub lane: f64,
    pub h: f64,
    /// The first trace index of the visible part (before it: lookback).
    pub first: usize,
    /// Event order's columns (`None`: real time).
    pub cols: Option<Cols>,
}

/// Event order: the drawn events' trace indices and times, `gap` px apart.
pub struct Cols {
    pub rows: Rows,
    pub gap: f64,
}

impl Scale {
    /// Real time: `t0..t1` is the last `window_ms` up to the playhead.
    pub fn new(window_ms: u64, width_px: f64, now: u64, lanes: usize) -> Scale {
        let t1 = now.max(window_ms);
        // Lanes shrink with the number of nodes so the diagram fits its panel.
        let lane = (150.0 / lanes.max(1) as f64).clamp(12.0, 22.0);
        Scale {
            t0: t1 - window_ms,
            t1,
            now,
            window_ms,
            w: width_px.clamp(360.0, 2400.0),
            lane,
            h: TOP + lane * lanes as f64 + 6.0,
            first: 0,
            cols: None,
        }
    }

    /// The plot's width (px) right of the lane names.
    pub fn plot(&self) -> f64 {
        self.w - LABEL - 8.0
    }

    /// Event order over `rows` (the window's last drawn events).
    pub fn in_order(&mut self, rows: Rows, trace_len: usize) {
        self.first = rows.idx.first().copied().unwrap_or(trace_len);
        if let Some(&t) = rows.t.first() {
            self.t0 = t;
        }
        self.t1 = self.now;
        let gap = spacing::gap_px(rows.idx.len(), self.plot());
        self.cols = Some(Cols { rows, gap });
    }

    /// Real time's x of `t`.
    pub fn x(&self, t: u64) -> f64 {
        LABEL + (t.saturating_sub(self.t0)) as f64 / self.window_ms as f64 * self.plot()
    }

    /// The x of trace event `idx` at `t`: its column in event order (an
    /// event before the first column is at the left edge, one after the last
    /// at the playhead).
    pub fn x_at(&self, idx: usize, t: u64) -> f64 {
        let Some(c) = &self.cols else {
            return self.x(t);
        };
        match c.rows.idx.binary_search(&idx) {
            Ok(r) => LABEL + c.gap * (r as f64 + 0.5),
            Err(0) => LABEL,
            Err(r) if r == c.rows.idx.len() => self.now_x(),
            Err(r) => LABEL + c.gap * r as f64,
        }
    }

    /// The playhead's x (in event order, the column after the last event).
    pub fn now_x(&self) -> f64 {
        match &self.cols {
            Some(c) => LABEL + c.gap * (c.rows.idx.len() as f64 + 0.5),
            None => self.x(self.now),
        }
    }

    pub fn y(&self, n: u16) -> f64 {
        TOP + self.lane * n as f64 + self.lane / 2.0
    }

    /// The axis: round times with grid lines (real time), or a tick per
    /// column and its time every few columns (event order).
    pub fn axis(&self) -> Vec<Html> {
        match &self.cols {
            None => self.time_axis(),
            Some(c) => self.order_axis(c),
        }
    }

    /// About 6 ticks at round steps, each with a grid line.
    fn time_axis(&self) -> Vec<Html> {
        let step = [
            100u64, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000,
        ]
        .into_iter()
        .find(|s| self.window_ms / s <= 6)
        .unwrap_or(60_000);
        (self.t0.div_ceil(step)..=self.t1 / step)
            .map(|k| {
                let t = k * step;
                html! { <g key={k}>
                    <line class="grid" x1={format!("{:.1}", self.x(t))} x2={format!("{:.1}", self.x(t))} y1={TOP.to_string()} y2={format!("{:.1}", self.h - 4.0)} />
                    <text class="axis" x={format!("{:.1}", self.x(t))} y="10" text-anchor="middle">{fmt_time_short(t)}</text>
                </g> }
            })
            .collect()
    }

    /// A tick per column (`data-ms`: its event's time); every few columns,
    /// the time as a label and a grid line, so simulated time stays in view.
    fn order_axis(&self, c: &Cols) -> Vec<Html> {
        let every = (LABEL_EVERY_PX / c.gap).ceil().max(1.0) as usize;
        let n = c.rows.idx.len();
        c.rows
            .idx
            .iter()
            .zip(&c.rows.t)
            .enumerate()
            .map(|(r, (&idx, &t))| {
                let x = format!("{:.1}", LABEL + c.gap * (r as f64 + 0.5));
                // Label from the newest column back, so the last event's time always shows.
                let labelled = (n - 1 - r) % every == 0;
                html! { <g key={idx}>
                    <line class="row-tick" x1={x.clone()} x2={x.clone()} y1={(TOP - 3.0).to_string()} y2={TOP.to_string()} data-ms={t.to_string()} />
                    if labelled {
                        <line class="grid" x1={x.clone()} x2={x.clone()} y1={TOP.to_string()} y2={format!("{:.1}", self.h - 4.0)} />
                        <text class="axis" x={x} y="10" text-anchor="middle">{fmt_time(t)}</text>
                    }
                </g> }
            })
            .collect()
    }

    /// What a click at `fx` (user units) seeks to: real time's time there,
    /// or in event order the time of the nearest column (the playhead's
    /// column stays where it is). `None` on the lane names.
    pub fn seeker(&self) -> impl Fn(f64) -> Option<u64> + 'static {
        let (t0, win, plot, now) = (self.t0, self.window_ms, self.plot(), self.now);
        let cols = self.cols.as_ref().map(|c| (c.rows.t.clone(), c.gap));
        move |fx: f64| {
            if fx <= LABEL {
                return None;
            }
            match &cols {
                None => Some((t0 as f64 + (fx - LABEL) / plot * win as f64).max(0.0) as u64),
                Some((ts, gap)) => {
                    let r = ((fx - LABEL) / gap - 0.5).round().max(0.0) as usize;
                    Some(ts.get(r).copied().unwrap_or(now))
                }
            }
        }
    }
}
