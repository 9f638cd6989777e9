//! The space-time (Lamport) diagram: a lane per node, time to the right,
//! an arrow per message from its send to its delivery, markers for faults,
//! role changes, syncs and Sentinel events, and pause/crash spans.
//!
//! Virtualized by time: only the events of the visible window (found by
//! binary search in the time-ordered trace) are drawn, and at most
//! `MAX_ARROWS` arrows, so a run of 100k events costs what its window costs.

mod scan;

use replilab_core::msg::MsgKind;
use replilab_core::net::NodeId;
use replilab_core::sim::Sim;
use yew::prelude::*;

use super::{fmt_time, fmt_time_short};
use crate::i18n::{self, Lang};
use crate::lab::{role_of, Lab, Role};
use crate::state::{kind_bit, KINDS};
use scan::{draw_trace, Drawn};

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
/// The name of the scrolling lanes (focusable, so a keyboard can scroll them).
const SCROLL: i18n::T = i18n::T {
    en: "Messages between the nodes",
    zh: "节点之间的消息",
};

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

/// Where things go: the visible window `t0..t1`, the playhead `now`, and the
/// lanes' size, in SVG user units (`w` wide, `h` high).
struct Scale {
    t0: u64,
    t1: u64,
    now: u64,
    window_ms: u64,
    w: f64,
    lane: f64,
    h: f64,
}

impl Scale {
    fn new(window_ms: u64, width_px: f64, now: u64, lanes: usize) -> Scale {
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
        }
    }
    fn x(&self, t: u64) -> f64 {
        LABEL + (t.saturating_sub(self.t0)) as f64 / self.window_ms as f64 * (self.w - LABEL - 8.0)
    }
    fn y(&self, n: u16) -> f64 {
        TOP + self.lane * n as f64 + self.lane / 2.0
    }
}

#[function_component(Diagram)]
pub fn diagram(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let ids = session.node_ids();
    let now = sim.now_ms();
    let sc = Scale::new(p.window_ms, p.width_px, now, ids.len());
    let (t0, t1, h, w) = (sc.t0, sc.t1, sc.h, sc.w);
    let names: Vec<String> = ids.iter().map(|&i| sim.name(i)).collect();
    let Drawn {
        arrows,
        marks,
        spans,
        total,
    } = draw_trace(sim, &ids, &sc, &names, p.filter, l);
    let axis = time_axis(&sc);
    let lanes = lanes(sim, &ids, &sc, &names);
    let on_click = seek_on_click(p.on_seek.clone(), &sc);
    // Hover details: one tooltip for every arrow (its `data-tip`), moved and
    // filled in place, so hovering re-renders nothing.
    let tip = use_node_ref();
    let on_over = show_tip(tip.clone());
    let on_leave = hide_tip(tip.clone());
    html! {
        <section class="panel diagram" aria-label={l.t(i18n::DIAGRAM)}>
            <header class="panel-head">
                <h2>{l.t(i18n::DIAGRAM)}</h2>
                { legend(l, p.filter, &p.on_toggle_kind) }
                { window_select(l, p.window_ms, &p.on_window) }
            </header>
            if total > MAX_ARROWS {
                <p class="notice">{l.f(i18n::TOO_MANY, &[&total.to_string(), &MAX_ARROWS.to_string()])}</p>
            }
            <div class="diagram-scroll" tabindex="0" role="region" aria-label={l.t(SCROLL)}>
                <svg id="diagram-svg" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {w} {h:.0}")} data-from-ms={t0.to_string()} data-to-ms={t1.to_string()}
                    data-arrows={arrows.len().to_string()} onclick={on_click} onmouseover={on_over} onmouseleave={on_leave} role="img" aria-label={format!("{} {} – {}", l.t(i18n::DIAGRAM), fmt_time(t0), fmt_time(t1))}>
                    <style>{SVG_STYLE}</style>
                    <defs><pattern id="dg-stripes" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="dg-stripe" width="2.5" height="5" /></pattern></defs>
                    <g class="axis-g">{ for axis }</g>
                    <g class="spans">{ for spans }</g>
                    <g class="lanes">{ for lanes }</g>
                    <g class="arrows">{ for arrows }</g>
                    <g class="marks">{ for marks }</g>
                    <line class="now" x1={format!("{:.1}", sc.x(now))} x2={format!("{:.1}", sc.x(now))} y1={TOP.to_string()} y2={format!("{:.1}", h - 4.0)} />
                </svg>
                <div class="dg-tip" id="diagram-tip" role="tooltip" hidden=true ref={tip}></div>
            </div>
        </section>
    }
}

/// The filter chips (one per message kind) and the key to the markers.
fn legend(l: Lang, filter: u16, on_toggle_kind: &Callback<MsgKind>) -> Html {
    html! {
        <details class="legend-pop">
            <summary class="btn small" id="legend-toggle">{format!("{} {}/{}", l.t(i18n::FILTERS), KINDS.iter().filter(|k| filter & kind_bit(**k) != 0).count(), KINDS.len())}</summary>
            <div class="legend" role="group" aria-label={l.t(i18n::FILTERS)}>
            { for KINDS.iter().map(|&k| {
                let on = filter & kind_bit(k) != 0;
                let cb = on_toggle_kind.clone();
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
                <span class="lm sync">{"■"}</span>{l.t(i18n::T { en: "full sync (□ partial)", zh: "全量同步（□ 部分）" })}
                <span class="lm sentinel">{"●"}</span>{l.t(i18n::T { en: "Sentinel event", zh: "哨兵事件" })}
                <span class="lm drop">{"✕"}</span>{l.t(i18n::T { en: "dropped", zh: "丢弃" })}</p>
            </div>
        </details>
    }
}

/// The time-window picker.
fn window_select(l: Lang, window_ms: u64, on_window: &Callback<u64>) -> Html {
    let on_change = {
        let cb = on_window.clone();
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
        <label class="window"><span>{l.t(i18n::WINDOW)}</span>
            <select id="diagram-window" onchange={on_change}>
                { for WINDOWS.iter().map(|w| html! { <option value={w.to_string()} selected={*w == window_ms}>{fmt_time_short(*w)}</option> }) }
            </select>
        </label>
    }
}

/// Time axis: about 6 ticks at round steps, each with a grid line.
fn time_axis(sc: &Scale) -> Vec<Html> {
    let step = [
        100u64, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000,
    ]
    .into_iter()
    .find(|s| sc.window_ms / s <= 6)
    .unwrap_or(60_000);
    (sc.t0.div_ceil(step)..=sc.t1 / step)
        .map(|k| {
            let t = k * step;
            html! { <g key={k}>
                <line class="grid" x1={format!("{:.1}", sc.x(t))} x2={format!("{:.1}", sc.x(t))} y1={TOP.to_string()} y2={format!("{:.1}", sc.h - 4.0)} />
                <text class="axis" x={format!("{:.1}", sc.x(t))} y="10" text-anchor="middle">{fmt_time_short(t)}</text>
            </g> }
        })
        .collect()
}

/// A lane per node: its line, its role's shape and its name.
fn lanes(sim: &Sim, ids: &[NodeId], sc: &Scale, names: &[String]) -> Vec<Html> {
    let nm = |i: u16| names.get(i as usize).cloned().unwrap_or_default();
    ids.iter()
        .map(|&id| {
            let shape = match role_of(sim, id) {
                Some(Role::Master) => "■",
                Some(Role::Replica) => "□",
                Some(Role::Sentinel) => "⬡",
                _ => "○",
            };
            html! { <g data-lane={nm(id.0)}>
                <line class="lane-line" x1={LABEL.to_string()} x2={(sc.w - 8.0).to_string()} y1={format!("{:.1}", sc.y(id.0))} y2={format!("{:.1}", sc.y(id.0))} />
                <text class="lane-name" x="4" y={format!("{:.1}", sc.y(id.0) + 3.5)}>{format!("{shape} {}", nm(id.0))}</text>
            </g> }
        })
        .collect()
}

/// Click on the diagram moves the playhead there.
fn seek_on_click(cb: Callback<u64>, sc: &Scale) -> Callback<MouseEvent> {
    let (t0, win, w) = (sc.t0, sc.window_ms, sc.w);
    Callback::from(move |e: MouseEvent| {
        let el = e
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        if let Some(el) = el {
            let r = el.get_bounding_client_rect();
            if r.width() > 0.0 {
                let fx = (e.client_x() as f64 - r.x()) / r.width() * w;
                if fx > LABEL {
                    let t = t0 as f64 + (fx - LABEL) / (w - LABEL - 8.0) * win as f64;
                    cb.emit(t.max(0.0) as u64);
                }
            }
        }
    })
}

/// Fills the tooltip with the hovered element's `data-tip` (or its
/// parent's) and moves it next to the pointer; hides it elsewhere.
fn show_tip(tip: NodeRef) -> Callback<MouseEvent> {
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
}

fn hide_tip(tip: NodeRef) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        if let Some(el) = tip.cast::<web_sys::Element>() {
            let _ = el.set_attribute("hidden", "");
        }
    })
}
