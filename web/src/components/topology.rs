//! The topology map: servers, Sentinels and clients as shapes (master: filled
//! rounded square "M"; replica: outlined square "R"; Sentinel: hexagon;
//! client: circle), replication links with their state, each Sentinel's idea
//! of the master, and network cuts (a one-way cut keeps an arrowhead on the
//! direction that still flows). Click selects; right-click (or the context
//! menu key) opens the fault menu.

use replilab_core::net::NodeId;
use replilab_core::redis::LinkState;
use replilab_core::sim::{NodeSpec, NodeState, Sim};
use yew::prelude::*;

use super::group;
use crate::i18n::{self, Lang};
use crate::lab::{role_of, status, Lab, Role};
use crate::state::Menu;

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
const LINK_LABEL: i18n::T = i18n::T {
    en: "Replication link {0} → {1} ({2}); Enter opens its menu",
    zh: "复制链路 {0} → {1}({2});按 Enter 打开菜单",
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

    // Replication links (master → replica), with state.
    let mut links = Vec::new();
    for &id in &ids {
        let Some(slot) = sim.node(id) else { continue };
        let (target, state) = match &slot.state {
            NodeState::Redis(r) => match &r.master {
                Some(m) => (
                    sim.node_at(&m.host, m.port),
                    match m.state {
                        LinkState::Connected => "online",
                        LinkState::Transfer { .. } => "sync",
                        LinkState::Connect => "down",
                        _ => "handshake",
                    },
                ),
                None => (None, ""),
            },
            NodeState::Down => match &slot.spec {
                NodeSpec::Redis(s) => (
                    s.replicaof.as_ref().and_then(|(h, p)| sim.node_at(h, *p)),
                    "down",
                ),
                _ => (None, ""),
            },
            _ => (None, ""),
        };
        if let Some(m) = target {
            let (Some(&a), Some(&b)) = (pos.get(m.0 as usize), pos.get(id.0 as usize)) else {
                continue;
            };
            let same_row = (a.1 - b.1).abs() < 1.0;
            let (a2, b2) = if same_row {
                (a, b)
            } else {
                trim(a, b, 20.0, 22.0)
            };
            let d = path(a2, b2, 46.0);
            let label = (state != "online").then(|| {
                // Near the replica's end, so the labels of a fan of links do not collide.
                let mid = if same_row { ((a.0 + b.0) / 2.0, a.1 + 26.0) } else { (a.0 + (b.0 - a.0) * 0.66, a.1 + (b.1 - a.1) * 0.66) };
                html! { <text class="link-state" x={format!("{:.1}", mid.0 + 4.0)} y={format!("{:.1}", mid.1)}>{state}</text> }
            });
            // The link's own menu (cut, heal, latency): right-click, or focus and Enter / m.
            let open = {
                let cb = p.on_menu.clone();
                move |x: i32, y: i32| {
                    cb.emit(Menu {
                        node: m,
                        peer: Some(id),
                        x,
                        y,
                    })
                }
            };
            let on_menu = {
                let open = open.clone();
                Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    open(e.client_x(), e.client_y());
                })
            };
            let on_key = Callback::from(move |e: KeyboardEvent| {
                let k = e.key();
                if k == "Enter"
                    || k == " "
                    || k == "ContextMenu"
                    || k == "m"
                    || (k == "F10" && e.shift_key())
                {
                    e.prevent_default();
                    e.stop_propagation();
                    let r = e
                        .target_unchecked_into::<web_sys::Element>()
                        .get_bounding_client_rect();
                    open(
                        (r.x() + r.width() / 2.0) as i32,
                        (r.y() + r.height() / 2.0) as i32,
                    );
                }
            });
            let link_label = l.f(LINK_LABEL, &[&sim.name(m), &sim.name(id), state]);
            links.push(html! {
                <g class={classes!("repl", state)} data-link={format!("{}-{}", sim.name(m), sim.name(id))} data-state={state}
                    tabindex="0" role="button" aria-haspopup="menu" aria-label={link_label} oncontextmenu={on_menu} onkeydown={on_key}>
                    <path class="hit-link" d={d.clone()} />
                    <path d={d} marker-end="url(#arrow)" />
                    { for label }
                </g>
            });
        }
    }
    // Each Sentinel's current master (they can disagree).
    let mut watches = Vec::new();
    for &id in &ids {
        if let Some(NodeState::Sentinel(s)) = sim.node(id).map(|n| &n.state) {
            for m in s.masters.values() {
                if let Some(mid) = sim.node_at(&m.inst.host, m.inst.port) {
                    if let (Some(&a), Some(&b)) = (pos.get(id.0 as usize), pos.get(mid.0 as usize))
                    {
                        let (a, b) = trim(a, b, 18.0, 20.0);
                        let class = if m.inst.sdown { "watch sdown" } else { "watch" };
                        watches.push(html! { <path class={class} d={format!("M{:.1},{:.1} L{:.1},{:.1}", a.0, a.1, b.0, b.1)} /> });
                    }
                }
            }
        }
    }
    // Partition sides: hosts that can still talk both ways, by union-find.
    let mut side: Vec<usize> = (0..ids.len()).collect();
    fn root(side: &mut [usize], mut i: usize) -> usize {
        while side[i] != i {
            side[i] = side[side[i]];
            i = side[i];
        }
        i
    }
    let any_cut = sim.net.cuts().next().is_some();
    if any_cut {
        for (i, &a) in ids.iter().enumerate() {
            for (j, &b) in ids.iter().enumerate().skip(i + 1) {
                if !sim.net.is_cut(a, b) && !sim.net.is_cut(b, a) {
                    let (ri, rj) = (root(&mut side, i), root(&mut side, j));
                    side[ri] = rj;
                }
            }
        }
    }
    let roots: Vec<usize> = (0..ids.len()).map(|i| root(&mut side, i)).collect();
    let mut letters: Vec<usize> = roots.clone();
    letters.sort_unstable();
    letters.dedup();
    let sides = if any_cut { letters.len() } else { 1 };
    let side_of = |i: usize| letters.iter().position(|r| *r == roots[i]).unwrap_or(0);
    // Which pairs the map draws a line between (replication, Sentinel, client).
    let mut related: Vec<(u16, u16)> = Vec::new();
    for &id in &ids {
        match sim.node(id).map(|n| &n.state) {
            Some(NodeState::Redis(r)) => {
                if let Some(m) = r
                    .master
                    .as_ref()
                    .and_then(|m| sim.node_at(&m.host, m.port))
                {
                    related.push((m.0.min(id.0), m.0.max(id.0)));
                }
            }
            Some(NodeState::Sentinel(s)) => {
                for m in s.masters.values() {
                    if let Some(mid) = sim.node_at(&m.inst.host, m.inst.port) {
                        related.push((mid.0.min(id.0), mid.0.max(id.0)));
                    }
                }
            }
            Some(NodeState::Client(c)) => {
                if let Some(t) = c
                    .master_addr
                    .as_ref()
                    .and_then(|(h, p)| sim.node_at(h, *p))
                {
                    related.push((t.0.min(id.0), t.0.max(id.0)));
                }
            }
            _ => {}
        }
    }
    // Cuts: on the lines the map draws, and every one-way cut.
    let mut cuts = Vec::new();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            let ab = sim.net.is_cut(a, b);
            let ba = sim.net.is_cut(b, a);
            if !ab && !ba {
                continue;
            }
            if ab == ba && !related.contains(&(a.0.min(b.0), a.0.max(b.0))) {
                continue;
            }
            let (Some(&pa), Some(&pb)) = (pos.get(a.0 as usize), pos.get(b.0 as usize)) else {
                continue;
            };
            let (pa, pb) = trim(pa, pb, 22.0, 22.0);
            let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
            let one_way = ab != ba;
            // The arrowhead shows the direction that still flows.
            let (from, to) = if ab { (pb, pa) } else { (pa, pb) };
            let title = if one_way {
                format!(
                    "{}: {} ↛ {}",
                    l.t(i18n::ONE_WAY),
                    sim.name(if ab { a } else { b }),
                    sim.name(if ab { b } else { a })
                )
            } else {
                format!(
                    "{}: {} ✕ {}",
                    l.t(i18n::PARTITIONED),
                    sim.name(a),
                    sim.name(b)
                )
            };
            cuts.push(html! {
                <g class={classes!("cut", one_way.then_some("one-way"))} data-cut={format!("{}-{}", sim.name(a), sim.name(b))}>
                    <title>{title}</title>
                    <path d={format!("M{:.1},{:.1} L{:.1},{:.1}", from.0, from.1, to.0, to.1)}
                        marker-end={one_way.then_some("url(#flow)")} />
                    <text class="cut-x" x={format!("{:.1}", mid.0)} y={format!("{:.1}", mid.1 + 4.0)}>{"✕"}</text>
                </g>
            });
        }
    }

    let nodes = ids.iter().map(|&id| {
        let Some(slot) = sim.node(id) else { return html! {} };
        let Some(&(x, y)) = pos.get(id.0 as usize) else { return html! {} };
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
            Role::Master => html! { <rect class="shape" x="-15" y="-15" width="30" height="30" rx="7" /> },
            Role::Replica => html! { <rect class="shape" x="-14" y="-14" width="28" height="28" rx="2" /> },
            Role::Sentinel => html! { <polygon class="shape" points={hexagon(16.0)} /> },
            Role::Client => html! { <circle class="shape" r="14" /> },
        };
        let stripes = (st == "paused").then(|| html! { <rect class="stripes" x="-15" y="-15" width="30" height="30" rx="4" /> });
        let cross = (st == "crashed").then(|| html! { <path class="cross" d="M-17,-17 L17,17 M17,-17 L-17,17" /> });
        // Numbers the lab page contract reads: offsets and link status.
        let detail = match &slot.state {
            NodeState::Redis(r) => match &r.master {
                None => html! { <text class="detail" y="31"><tspan data-field="master_repl_offset">{r.ids.master_repl_offset.to_string()}</tspan></text> },
                Some(m) => html! {
                    <text class="detail" y="31">
                        <tspan data-field="slave_repl_offset">{r.ids.master_repl_offset.to_string()}</tspan>
                        {" · "}
                        <tspan class={classes!("link", if m.is_connected() { "up" } else { "down" })} data-field="master_link_status">{ if m.is_connected() { "up" } else { "down" } }</tspan>
                    </text>
                },
            },
            NodeState::Sentinel(s) => html! { <text class="detail" y="31">{format!("{} {}", l.t(i18n::EPOCH), s.current_epoch)}</text> },
            NodeState::Client(c) => html! { <text class="detail" y="31">{l.f(i18n::OPS, &[&group(c.history.len() as u64)])}</text> },
            NodeState::Down => html! { <text class="detail" y="31">{l.t(i18n::CRASHED)}</text> },
        };
        let select = {
            let cb = p.on_select.clone();
            Callback::from(move |_: MouseEvent| cb.emit(id))
        };
        let menu = {
            let cb = p.on_menu.clone();
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                cb.emit(Menu { node: id, peer: None, x: e.client_x(), y: e.client_y() });
            })
        };
        let key = {
            let sel = p.on_select.clone();
            let cb = p.on_menu.clone();
            Callback::from(move |e: KeyboardEvent| {
                let k = e.key();
                if k == "Enter" || k == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    sel.emit(id);
                } else if k == "ContextMenu" || (k == "F10" && e.shift_key()) || k == "m" {
                    e.prevent_default();
                    let r = e.target_unchecked_into::<web_sys::Element>().get_bounding_client_rect();
                    cb.emit(Menu { node: id, peer: None, x: (r.x() + r.width()) as i32, y: (r.y() + r.height()) as i32 });
                }
            })
        };
        let side_badge = (sides > 1).then(|| {
            let k = side_of(id.0 as usize);
            let letter = ((b'A' + (k as u8).min(25)) as char).to_string();
            html! { <g class={classes!("side", format!("side-{}", k % 4))} transform="translate(17,-17)" data-side={letter.clone()}>
                <title>{l.f(i18n::GROUP, &[&letter])}</title>
                <circle r="7" /><text y="3.5">{letter}</text>
            </g> }
        });
        let label = format!("{name}, {role_text}, {}", match st { "crashed" => l.t(i18n::CRASHED), "paused" => l.t(i18n::PAUSED), _ => l.t(i18n::RUNNING) });
        html! {
            <g class={classes!("node", role_class, st, (id == p.selected).then_some("selected"))}
                data-node={name.clone()} data-role={role_class} data-status={st}
                transform={format!("translate({x:.1},{y:.1})")} tabindex="0" role="button"
                aria-label={label} aria-pressed={(id == p.selected).to_string()}
                onclick={select} oncontextmenu={menu} onkeydown={key}>
                <title>{format!("{} · {}:{}", name, slot.host, slot.port)}</title>
                <rect class="hit" x="-26" y="-20" width="52" height="58" />
                <rect class="ring" x="-21" y="-21" width="42" height="42" rx="9" />
                {shape}
                {for stripes}
                <text class="letter" y="5">{letter}</text>
                {for cross}
                <text class="name" y="-20">{name}</text>
                {detail}
                { for side_badge }
            </g>
        }
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
