//! The space-time (Lamport) diagram: a lane per node, time to the right,
//! an arrow per message from its send to its delivery, markers for faults,
//! role changes, syncs and Sentinel events, and pause/crash spans.
//!
//! Virtualized by time: only the events of the visible window (found by
//! binary search in the time-ordered trace) are drawn, and at most
//! `MAX_ARROWS` arrows, so a run of 100k events costs what its window costs.

use replilab_core::msg::MsgKind;
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::trace::TraceKind;
use yew::prelude::*;

use super::{fmt_time, fmt_time_short};
use crate::i18n::{self, Lang};
use crate::lab::{role_of, status, Lab, Role};
use crate::state::{kind_bit, KINDS};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub filter: u16,
    pub window_ms: u64,
    pub on_toggle_kind: Callback<MsgKind>,
    pub on_window: Callback<u64>,
    pub on_seek: Callback<u64>,
    /// The panel's width in CSS px, so text keeps its size at any width.
    pub width_px: f64,
}

const LABEL: f64 = 50.0;
const TOP: f64 = 16.0;
const MAX_ARROWS: usize = 1500;

/// A message on its way: (sent at, from lane, to lane, kind, bytes, summary).
type Sent = (u64, u16, u16, MsgKind, u64, String);
const WINDOWS: &[u64] = &[1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

pub fn kind_name(k: MsgKind) -> &'static str {
    match k {
        MsgKind::Repl => "repl",
        MsgKind::Ack => "ack",
        MsgKind::Ping => "ping",
        MsgKind::Handshake => "handshake",
        MsgKind::Rdb => "rdb",
        MsgKind::Keepalive => "keepalive",
        MsgKind::Client => "client",
        MsgKind::Reply => "reply",
        MsgKind::Sentinel => "sentinel",
        MsgKind::Bus => "bus",
    }
}

fn kind_label(k: MsgKind, l: Lang) -> &'static str {
    let t = |en, zh| l.t(i18n::T { en, zh });
    match k {
        MsgKind::Repl => t("replication stream", "复制流"),
        MsgKind::Ack => t("REPLCONF ACK", "REPLCONF ACK"),
        MsgKind::Ping => t("PING", "PING"),
        MsgKind::Handshake => t("handshake", "握手"),
        MsgKind::Rdb => t("RDB transfer", "RDB 传输"),
        MsgKind::Keepalive => t("keep-alive \\n", "保活 \\n"),
        MsgKind::Client => t("client command", "客户端命令"),
        MsgKind::Reply => t("reply", "回复"),
        MsgKind::Sentinel => t("Sentinel hello / vote", "哨兵 hello / 投票"),
        MsgKind::Bus => t("cluster bus", "集群总线"),
    }
}

/// Styles live inside the SVG so an exported file looks the same.
const SVG_STYLE: &str = "
#diagram-svg { font: 10px system-ui, sans-serif; }
#diagram-svg .lane-line { stroke: var(--line, #d9dde3); stroke-width: 1; }
#diagram-svg .lane-name { fill: var(--ink, #1b1f24); font-weight: 600; }
#diagram-svg .axis { fill: var(--muted, #5b6470); font-variant-numeric: tabular-nums; }
#diagram-svg .grid { stroke: var(--line, #d9dde3); stroke-dasharray: 2 3; }
#diagram-svg .msg { fill: none; stroke-width: 1.2; }
#diagram-svg .msg.repl { stroke: var(--master, #0072b2); stroke-width: 1.6; }
#diagram-svg .msg.ack { stroke: var(--replica, #009e73); stroke-width: .7; }
#diagram-svg .msg.ping { stroke: var(--muted, #5b6470); stroke-dasharray: 1.5 2; }
#diagram-svg .msg.sentinel { stroke: var(--purple, #cc79a7); stroke-width: 2.6; }
#diagram-svg .msg.sentinel-inner { stroke: var(--panel, #fff); stroke-width: .9; fill: none; }
#diagram-svg .msg.client { stroke: var(--orange, #e69f00); stroke-width: 1.3; }
#diagram-svg .msg.reply { stroke: var(--orange, #e69f00); stroke-width: .8; stroke-dasharray: 4 2; }
#diagram-svg .msg.handshake { stroke: var(--sky, #56b4e9); stroke-dasharray: 5 2; }
#diagram-svg .msg.rdb { stroke: var(--vermillion, #d55e00); stroke-width: 3; }
#diagram-svg .msg.bus { stroke: var(--purple, #cc79a7); stroke-width: .8; stroke-dasharray: 3 1.5; }
#diagram-svg .msg.keepalive { stroke: var(--muted, #5b6470); stroke-width: .5; }
#diagram-svg .msg.inflight { opacity: .55; }
#diagram-svg .drop { fill: var(--bad, #d55e00); font-weight: 700; }
#diagram-svg .mark.fault { fill: var(--bad, #d55e00); }
#diagram-svg .mark.role { fill: var(--ink, #1b1f24); }
#diagram-svg .mark.sync { fill: var(--panel, #fff); stroke: var(--warn, #e69f00); stroke-width: 1.5; }
#diagram-svg .mark.sync.full { fill: var(--warn, #e69f00); }
#diagram-svg .mark.sentinel { fill: var(--purple, #cc79a7); }
#diagram-svg .mark-text { fill: var(--ink, #1b1f24); font-size: 9px; }
#diagram-svg .span.paused { fill: url(#dg-stripes); }
#diagram-svg .span.crashed { fill: var(--muted, #5b6470); opacity: .25; }
#diagram-svg .dg-stripe { fill: var(--warn, #e69f00); opacity: .35; }
#diagram-svg .now { stroke: var(--accent, #0072b2); stroke-width: 1.5; }
";

#[function_component(Diagram)]
pub fn diagram(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let ids = session.node_ids();
    let now = sim.now_ms();
    #[allow(non_snake_case)]
    let W = p.width_px.clamp(360.0, 2400.0);
    let t1 = now.max(p.window_ms);
    let t0 = t1 - p.window_ms;
    // Lanes shrink with the number of nodes so the diagram fits its panel.
    let lane = (150.0 / ids.len().max(1) as f64).clamp(12.0, 22.0);
    let h = TOP + lane * ids.len() as f64 + 6.0;
    let x = |t: u64| LABEL + (t.saturating_sub(t0)) as f64 / p.window_ms as f64 * (W - LABEL - 8.0);
    let y = |n: u16| TOP + lane * n as f64 + lane / 2.0;
    let trace = sim.trace();
    let lookback = t0.saturating_sub(p.window_ms.max(10_000));
    let start = trace.partition_point(|e| e.t_ms < lookback);
    let first_visible = trace.partition_point(|e| e.t_ms < t0);

    // Messages sent and not yet delivered, by id (few at a time: a Vec is
    // smaller in the wasm than another BTreeMap instantiation).
    let mut sends: Vec<(u64, Sent)> = Vec::new();
    fn take<T>(v: &mut Vec<(u64, T)>, id: u64) -> Option<T> {
        v.iter()
            .rposition(|(k, _)| *k == id)
            .map(|i| v.swap_remove(i).1)
    }
    let mut arrows: Vec<Html> = Vec::new();
    let mut marks: Vec<Html> = Vec::new();
    let mut total = 0usize;
    let mut span_start: Vec<(u16, (u64, &'static str))> = Vec::new();
    // Messages waiting at a network cut (TCP retransmits until the heal).
    let mut held: Vec<u64> = Vec::new();
    let mut spans: Vec<Html> = Vec::new();
    let names: Vec<String> = ids.iter().map(|&i| sim.name(i)).collect();
    let nm = |i: u16| names.get(i as usize).cloned().unwrap_or_default();
    // Keyed by message id (arrows) and trace index (marks): as the run grows,
    // existing elements are kept, not rewritten.
    let draw = |key: String,
                kind: MsgKind,
                x1: f64,
                y1: f64,
                x2: f64,
                y2: f64,
                title: String,
                inflight: bool|
     -> Html {
        let d = format!("M{x1:.1},{y1:.1} L{x2:.1},{y2:.1}");
        let class = classes!("msg", kind_name(kind), inflight.then_some("inflight"));
        if kind == MsgKind::Sentinel {
            // Votes and hellos: a double line.
            html! { <g key={key} data-tip={title}><path class={class} d={d.clone()} /><path class="msg sentinel-inner" d={d} /></g> }
        } else {
            html! { <path key={key} class={class} d={d} data-tip={title} /> }
        }
    };
    for (i, e) in trace[start..].iter().enumerate() {
        let visible = start + i >= first_visible;
        match &e.kind {
            TraceKind::Send { msg, to, kind, bytes, summary, .. } if p.filter & kind_bit(*kind) != 0 => {
                sends.push((*msg, (e.t_ms, e.node.0, to.0, *kind, *bytes, summary.clone())));
            }
            TraceKind::Deliver { msg, .. } if visible => {
                if let Some((ts, from, to, kind, bytes, summary)) = take(&mut sends, *msg) {
                    total += 1;
                    if arrows.len() < MAX_ARROWS {
                        let title = format!("{} → {} · {} · {} B · {} → {}", nm(from), nm(to), summary, bytes, fmt_time(ts), fmt_time(e.t_ms));
                        arrows.push(draw(format!("a{msg}"), kind, x(ts.max(t0)), y(from), x(e.t_ms), y(to), title, false));
                    }
                }
            }
            TraceKind::Deliver { msg, .. } => {
                take(&mut sends, *msg);
            }
            TraceKind::Drop { msg, reason } if visible => {
                if let Some((ts, from, to, kind, _, summary)) = take(&mut sends, *msg) {
                    total += 1;
                    if arrows.len() < MAX_ARROWS {
                        let title = format!("{} → {} · {} · {} ({reason})", nm(from), nm(to), summary, l.t(i18n::DROPPED));
                        arrows.push(draw(format!("a{msg}"), kind, x(ts.max(t0)), y(from), x(e.t_ms), y(to), title.clone(), false));
                        arrows.push(html! { <text key={format!("x{msg}")} class="drop" x={format!("{:.1}", x(e.t_ms) - 3.5)} y={format!("{:.1}", y(to) + 3.5)} data-tip={title}>{"✕"}</text> });
                    }
                }
            }
            TraceKind::Held { msg } => {
                held.push(*msg);
            }
            TraceKind::Fault { text } => {
                let n = e.node.0;
                if text.starts_with("pause ") && !text.contains("no effect") {
                    if !span_start.iter().any(|(k, _)| *k == n) {
                        span_start.push((n, (e.t_ms, "paused")));
                    }
                } else if text == "resumed" || text.starts_with("restart ") {
                    if let Some((s, class)) = take_u16(&mut span_start, n) {
                        spans.push(span(x(s.max(t0)), x(e.t_ms), y(n), class));
                    }
                } else if text.starts_with("crash ") && !text.contains("no effect") {
                    take_u16(&mut span_start, n);
                    span_start.push((n, (e.t_ms, "crashed")));
                }
                if visible {
                    marks.push(html! {
                        <g key={start + i} transform={format!("translate({:.1},{:.1})", x(e.t_ms), y(n))}>
                            <title>{format!("{} · {}", fmt_time(e.t_ms), text)}</title>
                            <path class="mark fault" d="M0,-9 L6,3 L-6,3 z" />
                        </g>
                    });
                }
            }
            TraceKind::Role { role } if visible => marks.push(html! {
                <g key={start + i} transform={format!("translate({:.1},{:.1})", x(e.t_ms), y(e.node.0))}>
                    <title>{format!("{} · {} role {}", fmt_time(e.t_ms), nm(e.node.0), role)}</title>
                    <path class="mark role" d="M0,-6 L6,0 L0,6 L-6,0 z" />
                    <text class="mark-text" x="7" y="-4">{role.clone()}</text>
                </g>
            }),
            TraceKind::Sync { replica, full, reason } if visible => marks.push(html! {
                <g key={start + i} transform={format!("translate({:.1},{:.1})", x(e.t_ms), y(e.node.0))}>
                    <title>{format!("{} · {} sync for {}: {}", fmt_time(e.t_ms), if *full { "full" } else { "partial" }, nm(replica.0), reason)}</title>
                    <rect class={classes!("mark", "sync", full.then_some("full"))} x="-5" y="-5" width="10" height="10" />
                </g>
            }),
            TraceKind::Sentinel { event } if visible && !matches!(event.kind, SentinelEventKind::Sentinel | SentinelEventKind::Slave) => marks.push(html! {
                <g key={start + i} transform={format!("translate({:.1},{:.1})", x(e.t_ms), y(e.node.0))}>
                    <title>{format!("{} · {}: {}", fmt_time(e.t_ms), nm(e.node.0), event)}</title>
                    <circle class="mark sentinel" r="3.5" />
                </g>
            }),
            _ => {}
        }
    }
    // Messages still in flight (or held at a cut) at the playhead.
    sends.sort_unstable_by_key(|(id, _)| *id);
    for (id, (ts, from, to, kind, bytes, summary)) in sends.iter().filter(|(_, s)| s.0 >= t0) {
        total += 1;
        if arrows.len() < MAX_ARROWS {
            let is_held = held.contains(id);
            let title = format!(
                "{} → {} · {} · {} B · {}",
                nm(*from),
                nm(*to),
                summary,
                bytes,
                if is_held {
                    l.t(i18n::HELD)
                } else {
                    l.t(i18n::IN_FLIGHT)
                }
            );
            let (x1, y1) = (x(*ts), y(*from));
            let dy = (y(*to) - y(*from)).signum() * 5.0;
            if is_held || now.saturating_sub(*ts) > 1000 {
                // Held at a cut: a short stub towards the destination, not a line to nowhere.
                arrows.push(draw(
                    format!("f{id}"),
                    *kind,
                    x1,
                    y1,
                    x1 + 5.0,
                    y1 + dy,
                    title,
                    true,
                ));
            } else {
                let (x2, y2) = (x(now), y(*from) + (y(*to) - y(*from)) * 0.5);
                arrows.push(draw(format!("f{id}"), *kind, x1, y1, x2, y2, title, true));
            }
        }
    }
    let mut spanned: Vec<u16> = span_start.iter().map(|(k, _)| *k).collect();
    for (n, (s, class)) in span_start {
        spans.push(span(x(s.max(t0)), x(now), y(n), class));
    }
    // A node paused or crashed since before the scanned range.
    for &id in &ids {
        let st = status(sim, id);
        if st != "running" && !spanned.contains(&id.0) {
            spanned.push(id.0);
            spans.push(span(x(t0), x(now), y(id.0), st));
        }
    }

    // Time axis: about 6 ticks at round steps.
    let step = [
        100u64, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000,
    ]
    .into_iter()
    .find(|s| p.window_ms / s <= 6)
    .unwrap_or(60_000);
    let axis: Vec<Html> = (t0.div_ceil(step)..=t1 / step)
        .map(|k| {
            let t = k * step;
            html! { <g key={k}>
                <line class="grid" x1={format!("{:.1}", x(t))} x2={format!("{:.1}", x(t))} y1={TOP.to_string()} y2={format!("{:.1}", h - 4.0)} />
                <text class="axis" x={format!("{:.1}", x(t))} y="10" text-anchor="middle">{fmt_time_short(t)}</text>
            </g> }
        })
        .collect();
    let lanes = ids.iter().map(|&id| {
        let shape = match role_of(sim, id) {
            Some(Role::Master) => "■",
            Some(Role::Replica) => "□",
            Some(Role::Sentinel) => "⬡",
            _ => "○",
        };
        html! { <g data-lane={nm(id.0)}>
            <line class="lane-line" x1={LABEL.to_string()} x2={(W - 8.0).to_string()} y1={format!("{:.1}", y(id.0))} y2={format!("{:.1}", y(id.0))} />
            <text class="lane-name" x="4" y={format!("{:.1}", y(id.0) + 3.5)}>{format!("{shape} {}", nm(id.0))}</text>
        </g> }
    });
    let on_click = {
        let cb = p.on_seek.clone();
        let (t0, win) = (t0, p.window_ms);
        Callback::from(move |e: MouseEvent| {
            // Click on the diagram moves the playhead there.
            let el = e
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
            if let Some(el) = el {
                let r = el.get_bounding_client_rect();
                if r.width() > 0.0 {
                    let fx = (e.client_x() as f64 - r.x()) / r.width() * W;
                    if fx > LABEL {
                        let t = t0 as f64 + (fx - LABEL) / (W - LABEL - 8.0) * win as f64;
                        cb.emit(t.max(0.0) as u64);
                    }
                }
            }
        })
    };
    // Hover details: one tooltip for every arrow (its `data-tip`), moved and
    // filled in place, so hovering re-renders nothing.
    let tip = use_node_ref();
    let on_over = {
        let tip = tip.clone();
        Callback::from(move |e: MouseEvent| {
            use wasm_bindgen::JsCast;
            let Some(el) = tip.cast::<web_sys::Element>() else {
                return;
            };
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let text = target.as_ref().and_then(|t| {
                t.get_attribute("data-tip")
                    .or_else(|| t.parent_element()?.get_attribute("data-tip"))
            });
            let svg = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            match (text, svg) {
                (Some(text), Some(svg)) => {
                    let r = svg.get_bounding_client_rect();
                    let left = (e.client_x() as f64 - r.x() + 12.0)
                        .min(r.width() - 260.0)
                        .max(0.0);
                    let top = e.client_y() as f64 - r.y() + 14.0;
                    el.set_text_content(Some(&text));
                    let _ = el.set_attribute("style", &format!("left:{left:.0}px;top:{top:.0}px"));
                    let _ = el.remove_attribute("hidden");
                }
                _ => {
                    let _ = el.set_attribute("hidden", "");
                }
            }
        })
    };
    let on_leave = {
        let tip = tip.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = tip.cast::<web_sys::Element>() {
                let _ = el.set_attribute("hidden", "");
            }
        })
    };
    let on_window = {
        let cb = p.on_window.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Ok(ms) = v.parse::<u64>() {
                cb.emit(ms);
            }
        })
    };
    html! {
        <section class="panel diagram" aria-label={l.t(i18n::DIAGRAM)}>
            <header class="panel-head">
                <h2>{l.t(i18n::DIAGRAM)}</h2>
                <details class="legend-pop">
                    <summary class="btn small" id="legend-toggle">{format!("{} {}/{}", l.t(i18n::FILTERS), KINDS.iter().filter(|k| p.filter & kind_bit(**k) != 0).count(), KINDS.len())}</summary>
                    <div class="legend" role="group" aria-label={l.t(i18n::FILTERS)}>
                    { for KINDS.iter().map(|&k| {
                        let on = p.filter & kind_bit(k) != 0;
                        let cb = p.on_toggle_kind.clone();
                        html! {
                            <button class={classes!("chip", kind_name(k), on.then_some("on"))} aria-pressed={on.to_string()}
                                data-kind={kind_name(k)} onclick={Callback::from(move |_| cb.emit(k))}>
                                <svg viewBox="0 0 24 8" aria-hidden="true"><line class={classes!("sw", kind_name(k))} x1="1" y1="4" x2="23" y2="4" /></svg>
                                <span>{kind_label(k, l)}</span>
                            </button>
                        }
                    }) }
                    <p class="legend-marks"><span class="lm fault">{"▲"}</span>{l.t(i18n::T { en: "fault", zh: "故障" })}
                        <span class="lm role">{"◆"}</span>{l.t(i18n::T { en: "role change", zh: "角色变化" })}
                        <span class="lm sync">{"■"}</span>{l.t(i18n::T { en: "full sync (□ partial)", zh: "全量同步(□ 部分)" })}
                        <span class="lm sentinel">{"●"}</span>{l.t(i18n::T { en: "Sentinel event", zh: "哨兵事件" })}
                        <span class="lm drop">{"✕"}</span>{l.t(i18n::T { en: "dropped", zh: "丢弃" })}</p>
                    </div>
                </details>
                <label class="window"><span>{l.t(i18n::WINDOW)}</span>
                    <select id="diagram-window" onchange={on_window}>
                        { for WINDOWS.iter().map(|w| html! { <option value={w.to_string()} selected={*w == p.window_ms}>{fmt_time_short(*w)}</option> }) }
                    </select>
                </label>
            </header>
            if total > MAX_ARROWS {
                <p class="notice">{l.f(i18n::TOO_MANY, &[&total.to_string(), &MAX_ARROWS.to_string()])}</p>
            }
            <div class="diagram-scroll">
                <svg id="diagram-svg" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {W} {h:.0}")} data-from-ms={t0.to_string()} data-to-ms={t1.to_string()}
                    data-arrows={arrows.len().to_string()} onclick={on_click} onmouseover={on_over} onmouseleave={on_leave} role="img" aria-label={format!("{} {} – {}", l.t(i18n::DIAGRAM), fmt_time(t0), fmt_time(t1))}>
                    <style>{SVG_STYLE}</style>
                    <defs><pattern id="dg-stripes" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="dg-stripe" width="2.5" height="5" /></pattern></defs>
                    <g class="axis-g">{ for axis }</g>
                    <g class="spans">{ for spans }</g>
                    <g class="lanes">{ for lanes }</g>
                    <g class="arrows">{ for arrows }</g>
                    <g class="marks">{ for marks }</g>
                    <line class="now" x1={format!("{:.1}", x(now))} x2={format!("{:.1}", x(now))} y1={TOP.to_string()} y2={format!("{:.1}", h - 4.0)} />
                </svg>
                <div class="dg-tip" id="diagram-tip" role="tooltip" hidden=true ref={tip}></div>
            </div>
        </section>
    }
}

fn span(x1: f64, x2: f64, y: f64, class: &'static str) -> Html {
    html! { <rect class={classes!("span", class)} x={format!("{x1:.1}")} y={format!("{:.1}", y - 6.0)} width={format!("{:.1}", (x2 - x1).max(1.0))} height="12" /> }
}

fn take_u16<T>(v: &mut Vec<(u16, T)>, id: u16) -> Option<T> {
    v.iter().position(|(k, _)| *k == id).map(|i| v.remove(i).1)
}
