//! The topology map: servers, Sentinels and clients as shapes (master: filled
//! rounded square "M"; replica: outlined square "R"; Sentinel: hexagon;
//! client: circle), replication links with their state, each Sentinel's idea
//! of the master, and network cuts (a one-way cut keeps an arrowhead on the
//! direction that still flows). Click selects; right-click (or the context
//! menu key) opens the fault menu.

mod links;

use replilab_core::net::NodeId;
use replilab_core::node::{NodeSpec, NodeState};
use replilab_core::sim::Sim;
use yew::prelude::*;

use super::group;
use crate::i18n::{self, Lang};
use crate::lab::{role_of, status, Lab, Role};
use crate::state::Menu;
use links::{cuts, partition_sides, replication_links, sentinel_watches};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub selected: NodeId,
    pub on_select: Callback<NodeId>,
    pub on_menu: Callback<Menu>,
    /// The panel's width / height, so the map spreads to fill it.
    pub aspect: f64,
}

/// Sentinels (and clients) per column before a new column starts.
const PER_COLUMN: usize = 3;
// The link's state follows a comma, not in brackets: its visible text must be part of its
// accessible name (WCAG 2.5.3), and a name's bracketed words do not count as such.
const LINK_LABEL: i18n::T = i18n::T {
    en: "Replication link {0} → {1}, {2}; Enter opens its menu",
    zh: "复制链路 {0} → {1}，{2}；按 Enter 打开菜单",
};
/// Between the parts of a host's accessible name.
const SEP: i18n::T = i18n::T {
    en: ", ", zh: "，"
};
const OFFSET: i18n::T = i18n::T {
    en: "offset {0}",
    zh: "偏移量 {0}",
};

/// Stable positions from each host's configuration (masters on top, replicas
/// below, Sentinels on the right, clients on the left), and the height.
#[allow(non_snake_case)]
pub fn layout(sim: &Sim, W: f64) -> (Vec<(f64, f64)>, f64) {
    let n = sim.nodes().len();
    let mut kinds = vec![0u8; n];
    for (i, slot) in sim.nodes().iter().enumerate() {
        kinds[i] = match &slot.spec {
            NodeSpec::Redis(s) if s.replicaof.is_none() => 0,
            NodeSpec::Redis(_) => 1,
            NodeSpec::Sentinel(_) => 2,
            NodeSpec::Client(_) => 3,
        };
    }
    let count = |k: u8| kinds.iter().filter(|x| **x == k).count();
    let cols = |k: u8| count(k).div_ceil(PER_COLUMN);
    // Many replicas: two staggered rows so their labels do not collide.
    let stagger = count(1) > 5;
    let h = if stagger { 236.0 } else { 200.0 };
    let left = if cols(3) > 0 {
        70.0 + 60.0 * cols(3) as f64
    } else {
        50.0
    };
    let right = if cols(2) > 0 {
        W - 70.0 - 56.0 * cols(2) as f64
    } else {
        W - 50.0
    };
    let spread = |count: usize, idx: usize, lo: f64, hi: f64| {
        if count <= 1 {
            (lo + hi) / 2.0
        } else {
            lo + (hi - lo) * idx as f64 / (count - 1) as f64
        }
    };
    let mut seen = [0usize; 4];
    let mut out = Vec::with_capacity(n);
    for k in &kinds {
        let i = seen[*k as usize];
        seen[*k as usize] += 1;
        let c = count(*k);
        let side = |x0: f64, dir: f64| {
            let col = i / PER_COLUMN;
            let in_col = c.saturating_sub(col * PER_COLUMN).min(PER_COLUMN);
            (
                x0 + dir * 56.0 * col as f64,
                spread(in_col, i % PER_COLUMN, 34.0, h - 40.0),
            )
        };
        out.push(match k {
            0 => (spread(c, i, left + 60.0, right - 60.0), 48.0),
            1 => (
                spread(c, i, left, right),
                if stagger && i % 2 == 1 { 190.0 } else { 140.0 },
            ),
            2 => side(W - 42.0, -1.0),
            _ => side(42.0, 1.0),
        });
    }
    (out, h)
}

fn hexagon(r: f64) -> String {
    (0..6)
        .map(|i| {
            let a = std::f64::consts::PI / 3.0 * i as f64;
            format!(
                "{:.1},{:.1}",
                r * js_sys::Math::cos(a),
                r * js_sys::Math::sin(a)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A path from a to b; links within a row bow downwards so they do not run through nodes.
fn path(a: (f64, f64), b: (f64, f64), bow: f64) -> String {
    if (a.1 - b.1).abs() < 1.0 {
        let mx = (a.0 + b.0) / 2.0;
        format!(
            "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
            a.0,
            a.1,
            mx,
            a.1 + bow,
            b.0,
            b.1
        )
    } else {
        format!("M{:.1},{:.1} L{:.1},{:.1}", a.0, a.1, b.0, b.1)
    }
}

/// Shortens a segment by `r` at both ends (so arrowheads stop at the shape).
fn trim(a: (f64, f64), b: (f64, f64), ra: f64, rb: f64) -> ((f64, f64), (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let d = (dx * dx + dy * dy).sqrt().max(1.0);
    (
        (a.0 + dx / d * ra, a.1 + dy / d * ra),
        (b.0 - dx / d * rb, b.1 - dy / d * rb),
    )
}

#[function_component(Topology)]
pub fn topology(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    // Wide panels get a wide map (its height sets the scale).
    #[allow(non_snake_case)]
    let W = (200.0 * p.aspect).clamp(560.0, 1400.0);
    let (pos, h) = layout(sim, W);
    let ids: Vec<NodeId> = session.node_ids();
    let links = replication_links(sim, &ids, &pos, l, &p.on_menu);
    let watches = sentinel_watches(sim, &ids, &pos);
    let (sides, side_of) = partition_sides(sim, &ids);
    let cuts = cuts(sim, &ids, &pos, l);
    let nodes = ids.iter().map(|&id| {
        let Some(&at) = pos.get(id.0 as usize) else {
            return html! {};
        };
        let side = (sides > 1).then(|| side_of[id.0 as usize]);
        node(
            sim,
            id,
            at,
            l,
            id == p.selected,
            side,
            &p.on_select,
            &p.on_menu,
        )
    });

    html! {
        <svg id="topology" class="topology" viewBox={format!("0 0 {W} {h}")} preserveAspectRatio="xMidYMid meet" role="group" aria-label={l.t(i18n::TOPOLOGY)}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                </marker>
                <marker id="flow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto">
                    <path d="M0,0 L10,5 L0,10 z" class="flowhead" />
                </marker>
                <pattern id="stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="3" height="6" class="stripe" />
                </pattern>
            </defs>
            <g class="watches">{ for watches }</g>
            <g class="links">{ for links }</g>
            <g class="cuts">{ for cuts }</g>
            <g class="nodes">{ for nodes }</g>
        </svg>
    }
}

/// One host on the map at `(x, y)`: its shape, name, status marks, the
/// numbers the lab page contract reads, and (when the network is split)
/// the letter of its side. Click selects; right-click or the menu key opens
/// its fault menu.
#[allow(clippy::too_many_arguments)]
fn node(
    sim: &Sim,
    id: NodeId,
    (x, y): (f64, f64),
    l: Lang,
    selected: bool,
    side: Option<usize>,
    on_select: &Callback<NodeId>,
    on_menu: &Callback<Menu>,
) -> Html {
    let Some(slot) = sim.node(id) else {
        return html! {};
    };
    let role = role_of(sim, id).unwrap_or(Role::Client);
    let st = status(sim, id);
    let name = slot.name.clone();
    let (role_class, letter, role_text) = match role {
        Role::Master => ("master", "M", l.t(i18n::MASTER)),
        Role::Replica => ("replica", "R", l.t(i18n::REPLICA)),
        Role::Sentinel => ("sentinel", "S", l.t(i18n::SENTINEL)),
        Role::Client => ("client", "C", l.t(i18n::CLIENT)),
    };
    let shape = match role {
        Role::Master => {
            html! { <rect class="shape" x="-15" y="-15" width="30" height="30" rx="7" /> }
        }
        Role::Replica => {
            html! { <rect class="shape" x="-14" y="-14" width="28" height="28" rx="2" /> }
        }
        Role::Sentinel => html! { <polygon class="shape" points={hexagon(16.0)} /> },
        Role::Client => html! { <circle class="shape" r="14" /> },
    };
    let stripes = (st == "paused")
        .then(|| html! { <rect class="stripes" x="-15" y="-15" width="30" height="30" rx="4" /> });
    let cross = (st == "crashed")
        .then(|| html! { <path class="cross" d="M-17,-17 L17,17 M17,-17 L-17,17" /> });
    let select = {
        let cb = on_select.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let menu = {
        let cb = on_menu.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            cb.emit(Menu {
                node: id,
                peer: None,
                x: e.client_x(),
                y: e.client_y(),
            });
        })
    };
    let key = node_keys(id, on_select, on_menu);
    let side_badge = side.map(|k| side_badge(k, l));
    // The button's name says in words what the marks around it show.
    let mut label = vec![
        name.clone(),
        role_text.to_string(),
        match st {
            "crashed" => l.t(i18n::CRASHED),
            "paused" => l.t(i18n::PAUSED),
            _ => l.t(i18n::RUNNING),
        }
        .to_string(),
    ];
    label.extend(detail_words(&slot.state, l));
    if let Some(k) = side {
        label.push(l.f(i18n::GROUP, &[&side_letter(k)]));
    }
    // The focusable button holds the shape and the name only: its visible text (the name)
    // is then part of its accessible name. The letter, the numbers and the side badge are
    // drawn beside it, hidden from assistive technology (the name says them).
    html! {
        <g class={classes!("node", role_class, st, selected.then_some("selected"))}
            data-node={name.clone()} data-role={role_class} data-status={st}
            transform={format!("translate({x:.1},{y:.1})")}
            onclick={select} oncontextmenu={menu}>
            <g class="target" tabindex="0" role="button" aria-label={label.join(l.t(SEP))}
                aria-pressed={selected.to_string()} onkeydown={key}>
                <title>{format!("{} · {}:{}", name, slot.host, slot.port)}</title>
                <rect class="hit" x="-26" y="-20" width="52" height="58" />
                <rect class="ring" x="-21" y="-21" width="42" height="42" rx="9" />
                {shape}
                {for stripes}
                <text class="name" y="-20">{name}</text>
            </g>
            <g class="marks" aria-hidden="true">
                <text class="letter" y="5">{letter}</text>
                {for cross}
                {node_detail(&slot.state, l)}
                { for side_badge }
            </g>
        </g>
    }
}

/// The numbers under a host, in words, for its accessible name.
fn detail_words(state: &NodeState, l: Lang) -> Vec<String> {
    match state {
        NodeState::Redis(r) => {
            let mut w = vec![l.f(OFFSET, &[&r.ids.master_repl_offset.to_string()])];
            if let Some(m) = &r.master {
                w.push(
                    l.t(if m.is_connected() {
                        i18n::LINK_UP
                    } else {
                        i18n::LINK_DOWN
                    })
                    .to_string(),
                );
            }
            w
        }
        NodeState::Sentinel(s) => vec![format!("{} {}", l.t(i18n::EPOCH), s.current_epoch)],
        NodeState::Client(c) => vec![l.f(i18n::OPS, &[&group(c.history.len() as u64)])],
        NodeState::Down => Vec::new(),
    }
}

/// The numbers under a host that the lab page contract reads: offsets and
/// link status, a Sentinel's epoch, a client's operation count.
fn node_detail(state: &NodeState, l: Lang) -> Html {
    match state {
        NodeState::Redis(r) => match &r.master {
            None => {
                html! { <text class="detail" y="31"><tspan data-field="master_repl_offset">{r.ids.master_repl_offset.to_string()}</tspan></text> }
            }
            Some(m) => html! {
                <text class="detail" y="31">
                    <tspan data-field="slave_repl_offset">{r.ids.master_repl_offset.to_string()}</tspan>
                    {" · "}
                    <tspan class={classes!("link", if m.is_connected() { "up" } else { "down" })} data-field="master_link_status">{ if m.is_connected() { "up" } else { "down" } }</tspan>
                </text>
            },
        },
        NodeState::Sentinel(s) => {
            html! { <text class="detail" y="31">{format!("{} {}", l.t(i18n::EPOCH), s.current_epoch)}</text> }
        }
        NodeState::Client(c) => {
            html! { <text class="detail" y="31">{l.f(i18n::OPS, &[&group(c.history.len() as u64)])}</text> }
        }
        NodeState::Down => html! { <text class="detail" y="31">{l.t(i18n::CRASHED)}</text> },
    }
}

/// Keys on a focused host: Enter or Space selects it; the context-menu key,
/// Shift+F10 or `m` opens its menu at its corner.
fn node_keys(
    id: NodeId,
    on_select: &Callback<NodeId>,
    on_menu: &Callback<Menu>,
) -> Callback<KeyboardEvent> {
    let sel = on_select.clone();
    let cb = on_menu.clone();
    Callback::from(move |e: KeyboardEvent| {
        let k = e.key();
        if k == "Enter" || k == " " {
            e.prevent_default();
            e.stop_propagation();
            sel.emit(id);
        } else if k == "ContextMenu" || (k == "F10" && e.shift_key()) || k == "m" {
            e.prevent_default();
            let r = e
                .target_unchecked_into::<web_sys::Element>()
                .get_bounding_client_rect();
            cb.emit(Menu {
                node: id,
                peer: None,
                x: (r.x() + r.width()) as i32,
                y: (r.y() + r.height()) as i32,
            });
        }
    })
}

/// The letter of a host's side of a partition (A, B, ...), at its corner.
fn side_badge(k: usize, l: Lang) -> Html {
    let letter = side_letter(k);
    html! { <g class={classes!("side", format!("side-{}", k % 4))} transform="translate(17,-17)" data-side={letter.clone()}>
        <title>{l.f(i18n::GROUP, &[&letter])}</title>
        <circle r="7" /><text y="3.5">{letter}</text>
    </g> }
}

fn side_letter(k: usize) -> String {
    ((b'A' + (k as u8).min(25)) as char).to_string()
}
