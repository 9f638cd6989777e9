//! The space-time (Lamport) diagram: a lane per node, time to the right,
//! an arrow per message from its send to its delivery, markers for faults,
//! role changes, syncs and Sentinel events, and pause/crash spans.
//!
//! Virtualized by time: only the events of the visible window (found by
//! binary search in the time-ordered trace) are drawn, and at most
//! `MAX_ARROWS` arrows, so a run of 100k events costs what its window costs.
//!
//! The axis is real time or event order (`spacing.rs`, a toggle in the
//! header): event order gives each drawn event its own column, so messages
//! a millisecond long stay apart; it shows the window's last events that
//! fit. Unless the learner chose, the diagram uses event order as soon as
//! real time would crowd the window (`spacing::auto`), and says so once
//! (`on_crowded`), so the choice holds for the rest of the lesson.

mod scale;
mod scan;
pub mod spacing;

use replilab_core::msg::MsgKind;
use replilab_core::net::NodeId;
use replilab_core::sim::Sim;
use yew::prelude::*;

use super::{fmt_time, fmt_time_short};
use crate::i18n::{self, Lang};
use crate::lab::{role_of, Lab, Role};
use crate::state::{kind_bit, KINDS};
use scale::{Scale, LABEL, TOP};
use scan::{draw_trace, Drawn};
use spacing::Spacing;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    /// The panel head's fold button (none in embed mode: `components/fold.rs`).
    #[prop_or_default]
    pub fold: Html,
    pub filter: u16,
    pub window_ms: u64,
    pub on_toggle_kind: Callback<MsgKind>,
    pub on_window: Callback<u64>,
    pub on_seek: Callback<u64>,
    /// The panel's width in CSS px, so text keeps its size at any width.
    pub width_px: f64,
    /// The learner's choice of spacing (`None`: automatic).
    #[prop_or_default]
    pub spacing: Option<Spacing>,
    /// The automatic choice has found the run crowded: event order.
    #[prop_or_default]
    pub crowded: bool,
    #[prop_or_default]
    pub on_spacing: Callback<Spacing>,
    #[prop_or_default]
    pub on_crowded: Callback<()>,
}

const MAX_ARROWS: usize = 1500;
/// The name of the scrolling lanes (focusable, so a keyboard can scroll them).
const SCROLL: i18n::T = i18n::T {
    en: "Messages between the nodes",
    zh: "节点之间的消息",
};

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
#diagram-svg .row-tick { stroke: var(--muted, #5b6470); stroke-width: 1; }
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
    let mut sc = Scale::new(p.window_ms, p.width_px, now, ids.len());
    let trace = sim.trace();
    let lookback = sc.t0.saturating_sub(sc.window_ms.max(10_000));
    let start = trace.partition_point(|e| e.t_ms < lookback);
    sc.first = trace.partition_point(|e| e.t_ms < sc.t0);
    // Automatic: event order once real time would crowd the window.
    let (spacing, crowded_now) = match (p.spacing, p.crowded) {
        (Some(s), _) => (s, false),
        (None, true) => (Spacing::Order, false),
        (None, false) => {
            let r = spacing::rows(trace, start, sc.first, p.filter, usize::MAX);
            match spacing::auto(&r.t, sc.plot() / sc.window_ms as f64) {
                Some(Spacing::Order) => (Spacing::Order, true),
                _ => (Spacing::Time, false),
            }
        }
    };
    {
        let cb = p.on_crowded.clone();
        use_effect_with(crowded_now, move |&c| {
            if c {
                cb.emit(())
            }
        });
    }
    if spacing == Spacing::Order {
        let max = spacing::max_rows(sc.plot());
        sc.in_order(
            spacing::rows(trace, start, sc.first, p.filter, max),
            trace.len(),
        );
    }
    let (t0, t1, h, w) = (sc.t0, sc.t1, sc.h, sc.w);
    let names: Vec<String> = ids.iter().map(|&i| sim.name(i)).collect();
    let Drawn {
        arrows,
        marks,
        spans,
        total,
    } = draw_trace(sim, &ids, &sc, start, &names, p.filter, l);
    let axis = sc.axis();
    let note = order_note(l, &sc);
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
                {p.fold.clone()}
                <h2>{l.t(i18n::DIAGRAM)}</h2>
                { spacing_toggle(l, spacing, &p.on_spacing) }
                { legend(l, p.filter, &p.on_toggle_kind) }
                { window_select(l, p.window_ms, &p.on_window) }
            </header>
            if total > MAX_ARROWS {
                <p class="notice">{l.f(i18n::TOO_MANY, &[&total.to_string(), &MAX_ARROWS.to_string()])}</p>
            }
            { for note }
            <div class="diagram-scroll" tabindex="0" role="region" aria-label={l.t(SCROLL)}>
                <svg id="diagram-svg" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {w} {h:.0}")} data-from-ms={t0.to_string()} data-to-ms={t1.to_string()}
                    data-spacing={spacing.code()} data-gap={sc.cols.as_ref().map(|c| format!("{:.1}", c.gap))} data-arrows={arrows.len().to_string()} onclick={on_click} onmouseover={on_over} onmouseleave={on_leave} role="img" aria-label={format!("{} {} – {}", l.t(i18n::DIAGRAM), fmt_time(t0), fmt_time(t1))}>
                    <style>{SVG_STYLE}</style>
                    <defs><pattern id="dg-stripes" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="dg-stripe" width="2.5" height="5" /></pattern></defs>
                    <g class="axis-g">{ for axis }</g>
                    <g class="spans">{ for spans }</g>
                    <g class="lanes">{ for lanes }</g>
                    <g class="arrows">{ for arrows }</g>
                    <g class="marks">{ for marks }</g>
                    <line class="now" x1={format!("{:.1}", sc.now_x())} x2={format!("{:.1}", sc.now_x())} y1={TOP.to_string()} y2={format!("{:.1}", h - 4.0)} />
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

/// Click on the diagram moves the playhead there (in event order, to the
/// time of the nearest column).
fn seek_on_click(cb: Callback<u64>, sc: &Scale) -> Callback<MouseEvent> {
    let (seek, w) = (sc.seeker(), sc.w);
    Callback::from(move |e: MouseEvent| {
        if let Some(el) = the_svg(&e) {
            let r = el.get_bounding_client_rect();
            if r.width() > 0.0 {
                if let Some(t) = seek((e.client_x() as f64 - r.x()) / r.width() * w) {
                    cb.emit(t);
                }
            }
        }
    })
}

/// Real time or event order: two buttons (Tab, then Enter or Space).
fn spacing_toggle(l: Lang, on: Spacing, cb: &Callback<Spacing>) -> Html {
    let button = |s: Spacing| {
        let cb = cb.clone();
        html! {
            <button id={format!("spacing-{}", s.code())} class={classes!("seg", (s == on).then_some("on"))} aria-pressed={(s == on).to_string()}
                onclick={Callback::from(move |_| cb.emit(s))}>{l.t(s.label())}</button>
        }
    };
    html! {
        <div class="segmented spacing" role="group" aria-label={l.t(i18n::SPACING)} title={l.t(i18n::SPACING_HINT)}>
            {button(Spacing::Time)}{button(Spacing::Order)}
        </div>
    }
}

/// In event order, what the columns cover when the window holds more.
fn order_note(l: Lang, sc: &Scale) -> Option<Html> {
    let c = sc.cols.as_ref()?;
    (c.rows.total > c.rows.idx.len()).then(|| {
        let text = l.f(
            i18n::ORDER_CUT,
            &[
                &c.rows.idx.len().to_string(),
                &c.rows.total.to_string(),
                &fmt_time(sc.t0),
            ],
        );
        html! { <p class="dg-note" id="diagram-note">{text}</p> }
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
        match (text, the_svg(&e)) {
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

/// The diagram's `<svg>` an event happened in. Not `current_target`: Yew
/// listens at its root and hands that on as the current target.
fn the_svg(e: &MouseEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest("#diagram-svg").ok().flatten()
}

fn hide_tip(tip: NodeRef) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        if let Some(el) = tip.cast::<web_sys::Element>() {
            let _ = el.set_attribute("hidden", "");
        }
    })
}
