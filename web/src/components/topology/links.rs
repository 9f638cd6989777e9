//! The lines between hosts on the topology map: replication links (each
//! with its own menu), each Sentinel's idea of the master, network cuts,
//! and which side of a partition each host is on.

use replilab_core::net::NodeId;
use replilab_core::node::{NodeSpec, NodeState};
use replilab_core::redis::LinkState;
use replilab_core::sim::Sim;
use yew::prelude::*;

use super::{path, trim, LINK_LABEL};
use crate::i18n::{self, Lang};
use crate::state::Menu;

/// Replication links (master → replica), with their state.
pub(super) fn replication_links(
    sim: &Sim,
    ids: &[NodeId],
    pos: &[(f64, f64)],
    l: Lang,
    on_menu: &Callback<Menu>,
) -> Vec<Html> {
    let mut links = Vec::new();
    for &id in ids {
        let Some(slot) = sim.node(id) else { continue };
        let (target, state) = link_state(sim, &slot.spec, &slot.state);
        if let Some(m) = target {
            let (Some(&a), Some(&b)) = (pos.get(m.0 as usize), pos.get(id.0 as usize)) else {
                continue;
            };
            links.push(replication_link(sim, (m, a), (id, b), state, l, on_menu));
        }
    }
    links
}

/// The master a host replicates from and the link's state: its live link,
/// or, while the host is down, the one its config names.
fn link_state(sim: &Sim, spec: &NodeSpec, state: &NodeState) -> (Option<NodeId>, &'static str) {
    match state {
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
        NodeState::Down => match spec {
            NodeSpec::Redis(s) => (
                s.replicaof.as_ref().and_then(|(h, p)| sim.node_at(h, *p)),
                "down",
            ),
            _ => (None, ""),
        },
        _ => (None, ""),
    }
}

/// One replication link from master `m` at `a` to replica `id` at `b`: a
/// focusable arrow with its own menu (cut, heal, latency), and its state
/// written on it unless it is online.
fn replication_link(
    sim: &Sim,
    (m, a): (NodeId, (f64, f64)),
    (id, b): (NodeId, (f64, f64)),
    state: &'static str,
    l: Lang,
    on_menu: &Callback<Menu>,
) -> Html {
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
    // The link's own menu: right-click, or focus and Enter / m.
    let open = {
        let cb = on_menu.clone();
        move |x: i32, y: i32| {
            cb.emit(Menu {
                node: m,
                peer: Some(id),
                x,
                y,
            })
        }
    };
    let on_context = {
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
    html! {
        <g class={classes!("repl", state)} data-link={format!("{}-{}", sim.name(m), sim.name(id))} data-state={state}
            tabindex="0" role="button" aria-haspopup="menu" aria-label={link_label} oncontextmenu={on_context} onkeydown={on_key}>
            <path class="hit-link" d={d.clone()} />
            <path d={d} marker-end="url(#arrow)" />
            { for label }
        </g>
    }
}

/// Each Sentinel's current master (they can disagree).
pub(super) fn sentinel_watches(sim: &Sim, ids: &[NodeId], pos: &[(f64, f64)]) -> Vec<Html> {
    let mut watches = Vec::new();
    for &id in ids {
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
    watches
}

/// Partition sides: hosts that can still talk both ways, by union-find.
/// Returns how many sides there are (1 without cuts) and each host's side
/// (by its index in `ids`), numbered in order of their union-find roots.
pub(super) fn partition_sides(sim: &Sim, ids: &[NodeId]) -> (usize, Vec<usize>) {
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
    let side_of = roots
        .iter()
        .map(|r| letters.iter().position(|x| x == r).unwrap_or(0))
        .collect();
    (sides, side_of)
}

/// Which pairs the map draws a line between (replication, Sentinel, client),
/// as (lower id, higher id).
fn related_pairs(sim: &Sim, ids: &[NodeId]) -> Vec<(u16, u16)> {
    let mut related: Vec<(u16, u16)> = Vec::new();
    for &id in ids {
        match sim.node(id).map(|n| &n.state) {
            Some(NodeState::Redis(r)) => {
                if let Some(m) = r.master.as_ref().and_then(|m| sim.node_at(&m.host, m.port)) {
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
                if let Some(t) = c.master_addr.as_ref().and_then(|(h, p)| sim.node_at(h, *p)) {
                    related.push((t.0.min(id.0), t.0.max(id.0)));
                }
            }
            _ => {}
        }
    }
    related
}

/// Cuts: on the lines the map draws, and every one-way cut.
pub(super) fn cuts(sim: &Sim, ids: &[NodeId], pos: &[(f64, f64)], l: Lang) -> Vec<Html> {
    let related = related_pairs(sim, ids);
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
            cuts.push(cut(sim, (a, pa), (b, pb), ab, ba, l));
        }
    }
    cuts
}

/// A cut between `a` and `b` (`ab`: a → b is cut; `ba`: b → a is): a
/// crossed line; a one-way cut keeps an arrowhead on the direction that
/// still flows.
fn cut(
    sim: &Sim,
    (a, pa): (NodeId, (f64, f64)),
    (b, pb): (NodeId, (f64, f64)),
    ab: bool,
    ba: bool,
    l: Lang,
) -> Html {
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
    html! {
        <g class={classes!("cut", one_way.then_some("one-way"))} data-cut={format!("{}-{}", sim.name(a), sim.name(b))}>
            <title>{title}</title>
            <path d={format!("M{:.1},{:.1} L{:.1},{:.1}", from.0, from.1, to.0, to.1)}
                marker-end={one_way.then_some("url(#flow)")} />
            <text class="cut-x" x={format!("{:.1}", mid.0)} y={format!("{:.1}", mid.1 + 4.0)}>{"✕"}</text>
        </g>
    }
}
