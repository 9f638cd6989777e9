//! The diagram's walk through the trace: from a lookback before the visible
//! window to the playhead, it pairs each send with its delivery or drop
//! (an arrow), draws markers for faults, roles, syncs and Sentinel events,
//! and tracks pause and crash spans.

use replilab_core::msg::MsgKind;
use replilab_core::net::NodeId;
use replilab_core::sim::Sim;
use replilab_core::trace::{TraceEvent, TraceKind};
use yew::prelude::*;

use super::scale::{Scale, LABEL};
use super::spacing::is_mark;
use super::{kind_name, MAX_ARROWS};
use crate::components::fmt_time;
use crate::i18n::{self, Lang};
use crate::lab::status;
use crate::state::kind_bit;

/// What the trace draws: arrows (and drop crosses), markers, pause and crash
/// spans, and how many messages the window holds (drawn or not).
pub(super) struct Drawn {
    pub arrows: Vec<Html>,
    pub marks: Vec<Html>,
    pub spans: Vec<Html>,
    pub total: usize,
}

/// A message on its way: sent at `t`, trace index `idx` (its size and
/// summary are read there when drawn), lanes, kind.
#[derive(Clone, Copy)]
struct Sent {
    t: u64,
    idx: usize,
    from: u16,
    to: u16,
    kind: MsgKind,
}

/// Walks the trace from `start`, a lookback before the window (so arrows
/// that enter it and spans that began before it are drawn), to the playhead;
/// `sc.first` is the first visible event.
pub(super) fn draw_trace(
    sim: &Sim,
    ids: &[NodeId],
    sc: &Scale,
    start: usize,
    names: &[String],
    filter: u16,
    l: Lang,
) -> Drawn {
    let trace = sim.trace();
    let first_visible = sc.first;
    let mut scan = Scan {
        sc,
        trace,
        names,
        l,
        sends: Vec::new(),
        held: Vec::new(),
        span_start: Vec::new(),
        drawn: Drawn {
            arrows: Vec::new(),
            marks: Vec::new(),
            spans: Vec::new(),
            total: 0,
        },
    };
    for (i, e) in trace[start..].iter().enumerate() {
        scan.event(start + i, e, start + i >= first_visible, filter);
    }
    scan.in_flight();
    scan.finish(sim, ids)
}

/// The state of a walk through the trace.
struct Scan<'a> {
    sc: &'a Scale,
    trace: &'a [TraceEvent],
    names: &'a [String],
    l: Lang,
    /// Messages sent and not yet delivered, sorted by id (a Vec is smaller
    /// in the wasm than another BTreeMap instantiation; thousands wait at a
    /// network cut, so it is searched, not scanned).
    sends: Vec<(u64, Sent)>,
    /// Messages waiting at a network cut (TCP retransmits until the heal).
    held: Vec<u64>,
    /// Pauses and crashes not yet over: (node, (since, its trace index, class)).
    span_start: Vec<(u16, (u64, usize, &'static str))>,
    drawn: Drawn,
}

impl Scan<'_> {
    fn nm(&self, i: u16) -> String {
        self.names.get(i as usize).cloned().unwrap_or_default()
    }

    /// One trace event; `key` (its index in the trace) keys its marker, so
    /// as the run grows existing elements are kept, not rewritten.
    fn event(&mut self, key: usize, e: &TraceEvent, visible: bool, filter: u16) {
        let (x, y) = (self.sc.x_at(key, e.t_ms), self.sc.y(e.node.0));
        match &e.kind {
            TraceKind::Send { msg, to, kind, .. } if filter & kind_bit(*kind) != 0 => {
                let sent = Sent { t: e.t_ms, idx: key, from: e.node.0, to: to.0, kind: *kind };
                // Ids grow with each send: this is a push, unless a frame was numbered before it was traced.
                let at = self.sends.partition_point(|(id, _)| id < msg);
                self.sends.insert(at, (*msg, sent));
            }
            TraceKind::Deliver { msg, .. } if visible => self.delivered(*msg, key, e.t_ms),
            TraceKind::Deliver { msg, .. } => {
                take(&mut self.sends, *msg);
            }
            TraceKind::Drop { msg, reason } if visible => self.dropped(*msg, reason, key, e.t_ms),
            TraceKind::Held { msg } => {
                self.held.push(*msg);
            }
            TraceKind::Fault { text } => {
                self.fault(e.node.0, key, e.t_ms, text);
                if visible {
                    self.drawn.marks.push(html! {
                        <g key={key} transform={format!("translate({x:.1},{y:.1})")}>
                            <title>{format!("{} · {}", fmt_time(e.t_ms), text)}</title>
                            <path class="mark fault" d="M0,-9 L6,3 L-6,3 z" />
                        </g>
                    });
                }
            }
            TraceKind::Role { role } if visible => self.drawn.marks.push(html! {
                <g key={key} transform={format!("translate({x:.1},{y:.1})")}>
                    <title>{format!("{} · {} role {}", fmt_time(e.t_ms), self.nm(e.node.0), role)}</title>
                    <path class="mark role" d="M0,-6 L6,0 L0,6 L-6,0 z" />
                    // Near the right edge (event order's last column), the role reads leftwards.
                    if x < self.sc.w - 48.0 {
                        <text class="mark-text" x="7" y="-4">{role.clone()}</text>
                    } else {
                        <text class="mark-text" x="-7" y="-4" text-anchor="end">{role.clone()}</text>
                    }
                </g>
            }),
            TraceKind::Sync { replica, full, reason } if visible => self.drawn.marks.push(html! {
                <g key={key} transform={format!("translate({x:.1},{y:.1})")}>
                    <title>{format!("{} · {} sync for {}: {}", fmt_time(e.t_ms), if *full { "full" } else { "partial" }, self.nm(replica.0), reason)}</title>
                    <rect class={classes!("mark", "sync", full.then_some("full"))} x="-5" y="-5" width="10" height="10" />
                </g>
            }),
            TraceKind::Sentinel { event } if visible && is_mark(&e.kind) => self.drawn.marks.push(html! {
                <g key={key} transform={format!("translate({x:.1},{y:.1})")}>
                    <title>{format!("{} · {}: {}", fmt_time(e.t_ms), self.nm(e.node.0), event)}</title>
                    <circle class="mark sentinel" r="3.5" />
                </g>
            }),
            _ => {}
        }
    }

    /// A delivery in the window: the arrow from its send.
    fn delivered(&mut self, msg: u64, idx: usize, t: u64) {
        let Some(s) = take(&mut self.sends, msg) else {
            return;
        };
        let Sent {
            t: ts,
            idx: s_idx,
            from,
            to,
            kind,
        } = s;
        let (bytes, summary) = payload(self.trace, s_idx);
        self.drawn.total += 1;
        if self.drawn.arrows.len() < MAX_ARROWS {
            let sc = self.sc;
            let title = format!(
                "{} → {} · {} · {} B · {} → {}",
                self.nm(from),
                self.nm(to),
                summary,
                bytes,
                fmt_time(ts),
                fmt_time(t)
            );
            self.drawn.arrows.push(arrow(
                format!("a{msg}"),
                kind,
                (sc.x_at(s_idx, ts), sc.y(from)),
                (sc.x_at(idx, t), sc.y(to)),
                title,
                false,
            ));
        }
    }

    /// A drop in the window: the arrow from its send, and a cross where it ends.
    fn dropped(&mut self, msg: u64, reason: &str, idx: usize, t: u64) {
        let Some(s) = take(&mut self.sends, msg) else {
            return;
        };
        let Sent {
            t: ts,
            idx: s_idx,
            from,
            to,
            kind,
        } = s;
        let (_, summary) = payload(self.trace, s_idx);
        self.drawn.total += 1;
        if self.drawn.arrows.len() < MAX_ARROWS {
            let sc = self.sc;
            let title = format!(
                "{} → {} · {} · {} ({reason})",
                self.nm(from),
                self.nm(to),
                summary,
                self.l.t(i18n::DROPPED)
            );
            let x2 = sc.x_at(idx, t);
            self.drawn.arrows.push(arrow(
                format!("a{msg}"),
                kind,
                (sc.x_at(s_idx, ts), sc.y(from)),
                (x2, sc.y(to)),
                title.clone(),
                false,
            ));
            self.drawn.arrows.push(html! { <text key={format!("x{msg}")} class="drop" x={format!("{:.1}", x2 - 3.5)} y={format!("{:.1}", sc.y(to) + 3.5)} data-tip={title}>{"✕"}</text> });
        }
    }

    /// A fault opens a pause or crash span, or closes one (resume, restart).
    fn fault(&mut self, n: u16, idx: usize, t: u64, text: &str) {
        if text.starts_with("pause ") && !text.contains("no effect") {
            if !self.span_start.iter().any(|(k, _)| *k == n) {
                self.span_start.push((n, (t, idx, "paused")));
            }
        } else if text == "resumed" || text.starts_with("restart ") {
            if let Some((s, s_idx, class)) = take_u16(&mut self.span_start, n) {
                let sc = self.sc;
                self.drawn
                    .spans
                    .push(span(sc.x_at(s_idx, s), sc.x_at(idx, t), sc.y(n), class));
            }
        } else if text.starts_with("crash ") && !text.contains("no effect") {
            take_u16(&mut self.span_start, n);
            self.span_start.push((n, (t, idx, "crashed")));
        }
    }

    /// Messages still in flight (or held at a cut) at the playhead.
    fn in_flight(&mut self) {
        let sc = self.sc;
        let now = sc.now;
        self.held.sort_unstable();
        for (id, s) in self.sends.iter().filter(|(_, s)| s.idx >= sc.first) {
            let Sent {
                t: ts,
                idx,
                from,
                to,
                kind,
            } = s;
            let (bytes, summary) = payload(self.trace, *idx);
            self.drawn.total += 1;
            if self.drawn.arrows.len() < MAX_ARROWS {
                let is_held = self.held.binary_search(id).is_ok();
                let title = format!(
                    "{} → {} · {} · {} B · {}",
                    self.nm(*from),
                    self.nm(*to),
                    summary,
                    bytes,
                    if is_held {
                        self.l.t(i18n::HELD)
                    } else {
                        self.l.t(i18n::IN_FLIGHT)
                    }
                );
                let (x1, y1) = (sc.x_at(*idx, *ts), sc.y(*from));
                let dy = (sc.y(*to) - sc.y(*from)).signum() * 5.0;
                if is_held || now.saturating_sub(*ts) > 1000 {
                    // Held at a cut: a short stub towards the destination, not a line to nowhere.
                    self.drawn.arrows.push(arrow(
                        format!("f{id}"),
                        *kind,
                        (x1, y1),
                        (x1 + 5.0, y1 + dy),
                        title,
                        true,
                    ));
                } else {
                    let (x2, y2) = (sc.now_x(), sc.y(*from) + (sc.y(*to) - sc.y(*from)) * 0.5);
                    self.drawn.arrows.push(arrow(
                        format!("f{id}"),
                        *kind,
                        (x1, y1),
                        (x2, y2),
                        title,
                        true,
                    ));
                }
            }
        }
    }

    /// Spans still open run to the playhead; so do those of nodes paused or
    /// crashed since before the scanned range.
    fn finish(mut self, sim: &Sim, ids: &[NodeId]) -> Drawn {
        let sc = self.sc;
        let mut spanned: Vec<u16> = self.span_start.iter().map(|(k, _)| *k).collect();
        for (n, (s, s_idx, class)) in self.span_start {
            self.drawn
                .spans
                .push(span(sc.x_at(s_idx, s), sc.now_x(), sc.y(n), class));
        }
        for &id in ids {
            let st = status(sim, id);
            if st != "running" && !spanned.contains(&id.0) {
                spanned.push(id.0);
                self.drawn
                    .spans
                    .push(span(LABEL, sc.now_x(), sc.y(id.0), st));
            }
        }
        self.drawn
    }
}

/// A message's arrow, keyed by message id. Sentinel votes and hellos are a
/// double line.
fn arrow(
    key: String,
    kind: MsgKind,
    (x1, y1): (f64, f64),
    (x2, y2): (f64, f64),
    title: String,
    inflight: bool,
) -> Html {
    let d = format!("M{x1:.1},{y1:.1} L{x2:.1},{y2:.1}");
    let class = classes!("msg", kind_name(kind), inflight.then_some("inflight"));
    if kind == MsgKind::Sentinel {
        html! { <g key={key} data-tip={title}><path class={class} d={d.clone()} /><path class="msg sentinel-inner" d={d} /></g> }
    } else {
        html! { <path key={key} class={class} d={d} data-tip={title} /> }
    }
}

fn span(x1: f64, x2: f64, y: f64, class: &'static str) -> Html {
    html! { <rect class={classes!("span", class)} x={format!("{x1:.1}")} y={format!("{:.1}", y - 6.0)} width={format!("{:.1}", (x2 - x1).max(1.0))} height="12" /> }
}

/// The size and summary of the message sent at trace index `idx` (the
/// summary is rendered only if formatted: `MsgText`).
fn payload(trace: &[TraceEvent], idx: usize) -> (u64, &dyn std::fmt::Display) {
    match trace.get(idx).map(|e| &e.kind) {
        Some(TraceKind::Send { bytes, summary, .. }) => (*bytes, summary),
        _ => (0, &""),
    }
}

/// Removes message `id` from `v`, sorted by id.
fn take<T>(v: &mut Vec<(u64, T)>, id: u64) -> Option<T> {
    v.binary_search_by_key(&id, |(k, _)| *k)
        .ok()
        .map(|i| v.remove(i).1)
}

fn take_u16<T>(v: &mut Vec<(u16, T)>, id: u16) -> Option<T> {
    v.iter().position(|(k, _)| *k == id).map(|i| v.remove(i).1)
}
