//! The Redis Cluster panel: per node its slots, keys, estimated memory and
//! ops/s (data skew and hot keys), each node's own cluster state, and the
//! slot map: who owns which range and where the keys sit.

use replilab_core::checker::SkewView;
use replilab_core::cluster::{ClusterState, FAIL, NONE, PFAIL, SLOTS};
use replilab_core::node::NodeState;
use replilab_core::sim::Sim;
use yew::prelude::*;

use super::group;
use crate::i18n::{Lang, T};
use crate::lab::Lab;

const NOT_CLUSTER: T = T {
    en: "This deployment is not a Redis Cluster. Open a cluster lesson (14–19) to see slots, skew and hot keys.",
    zh: "这个部署不是 Redis Cluster。打开集群课程（14–19）可以看到槽、数据倾斜和热点 key。",
};
const NODE: T = T {
    en: "Node",
    zh: "节点",
};
const ROLE: T = T {
    en: "Role",
    zh: "角色",
};
const SLOTS_H: T = T {
    en: "Slots",
    zh: "槽",
};
const KEYS: T = T {
    en: "Keys",
    zh: "key 数",
};
const MEMORY: T = T {
    en: "Memory (est.)",
    zh: "内存（估算）",
};
const OPS: T = T {
    en: "ops/s (5 s)",
    zh: "每秒操作（5 秒）",
};
const STATE: T = T {
    en: "Its view",
    zh: "它看到的",
};
const EPOCH: T = T {
    en: "Epoch",
    zh: "纪元",
};
const SLOT_MAP: T = T {
    en: "Slot map: 16384 slots in 256 columns of 64; the bar is keys per column",
    zh: "槽图：16384 个槽分成 256 列，每列 64 个；柱高是该列的 key 数",
};
const HOT_SLOTS: T = T {
    en: "Fullest slots",
    zh: "key 最多的槽",
};
const ESTIMATE: T = T {
    en: "Memory is the lab's estimate: key + value bytes + 56 bytes per key (not used_memory).",
    zh: "内存是实验室的估算：key 与 value 的字节数，每个 key 再加 56 字节（不是 used_memory）。",
};
const KEYS_UNIT: T = T {
    en: "keys",
    zh: "个 key",
};
const UNCOVERED: T = T {
    en: "uncovered",
    zh: "无人负责",
};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
}

/// The first running master's cluster state: the slot map the panel draws.
fn reference_view(sim: &Sim) -> Option<&ClusterState> {
    let mut states = sim.nodes().iter().filter_map(|n| match &n.state {
        NodeState::Redis(r) => r.cluster.as_deref().map(|c| (r.is_master(), c)),
        _ => None,
    });
    let all: Vec<_> = states.by_ref().collect();
    all.iter()
        .find(|(m, c)| *m && c.ok)
        .or_else(|| all.first())
        .map(|(_, c)| *c)
}

/// The simulated node's name for a peer in a cluster state.
fn peer_name(sim: &Sim, st: &ClusterState, i: usize) -> String {
    st.nodes.get(i).map_or_else(String::new, |p| {
        sim.node_at(&p.host, p.port)
            .map_or_else(|| format!("{}:{}", p.host, p.port), |id| sim.name(id))
    })
}

/// Contiguous runs of one owner: (first, last, owner index or NONE).
fn runs(slots: &[u16]) -> Vec<(u16, u16, u16)> {
    let mut out: Vec<(u16, u16, u16)> = Vec::new();
    for (s, &o) in slots.iter().enumerate() {
        match out.last_mut() {
            Some(r) if r.2 == o => r.1 = s as u16,
            _ => out.push((s as u16, s as u16, o)),
        }
    }
    out
}

fn bytes_text(b: u64) -> String {
    match b {
        0..=9_999 => format!("{b} B"),
        10_000..=9_999_999 => format!("{:.1} KB", b as f64 / 1e3),
        _ => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// A number with a bar proportional to `max` (the number is always shown).
fn bar_cell(value: u64, max: u64, text: String) -> Html {
    let pct = (value * 100).checked_div(max).unwrap_or(0);
    html! {
        <td class="num skew-cell">
            <span class="skew-bar" style={format!("width:{pct}%")}></span>
            <span class="skew-num">{text}</span>
        </td>
    }
}

#[function_component(Cluster)]
pub fn cluster(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let Some(st) = reference_view(sim) else {
        return html! { <p class="muted" id="cluster-panel">{l.t(NOT_CLUSTER)}</p> };
    };
    let view = SkewView::of(sim);
    let max = |f: fn(&replilab_core::checker::skew::NodeSkew) -> u64| {
        view.nodes.iter().map(f).max().unwrap_or(0)
    };
    let (mk, mb, mo) = (max(|n| n.keys), max(|n| n.bytes), max(|n| n.ops_per_s));
    let states: Vec<(String, &ClusterState)> = sim
        .nodes()
        .iter()
        .filter_map(|n| match &n.state {
            NodeState::Redis(r) => r.cluster.as_deref().map(|c| (n.name.clone(), c)),
            _ => None,
        })
        .collect();
    let rows = view.nodes.iter().map(|n| {
        let own = states.iter().find(|(name, _)| *name == n.name).map(|(_, c)| *c);
        let (state, epoch, seen) = own.map_or(("-", 0, String::new()), |c| {
            let fails: Vec<String> = c
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, p)| p.flags & (FAIL | PFAIL) != 0)
                .map(|(i, p)| format!("{} {}", peer_name(sim, c, i), if p.flags & FAIL != 0 { "FAIL" } else { "PFAIL" }))
                .collect();
            (if c.ok { "ok" } else { "fail" }, c.current_epoch, fails.join(", "))
        });
        html! {
            <tr data-cluster-node={n.name.clone()}>
                <th>{n.name.clone()}</th>
                <td><span class={classes!("role-tag", n.role.clone())}>{ if n.role == "master" { "M" } else { "R" } }</span>{" "}{n.role.clone()}</td>
                <td class="num">{group(n.slots as u64)}</td>
                {bar_cell(n.keys, mk, group(n.keys))}
                {bar_cell(n.bytes, mb, bytes_text(n.bytes))}
                {bar_cell(n.ops_per_s, mo, group(n.ops_per_s))}
                <td><span class={classes!("flag", if state == "fail" { "odown" } else { "ok" })}>{format!("cluster_state:{state}")}</span>{" "}<span class="muted">{seen}</span></td>
                <td class="num">{epoch}</td>
            </tr>
        }
    });
    // Keys per column of 64 slots, and each column's owner (its first slot's).
    const COLS: usize = 256;
    let per = SLOTS as usize / COLS;
    let mut col_keys = [0u64; COLS];
    for s in &view.slots {
        col_keys[s.slot as usize / per] += s.keys;
    }
    let col_max = col_keys.iter().copied().max().unwrap_or(0).max(1);
    let owners: Vec<u16> = (0..SLOTS as usize)
        .map(|s| st.slots.get(s as u16))
        .collect();
    let masters: Vec<u16> = {
        let mut m: Vec<u16> = owners.iter().copied().filter(|&o| o != NONE).collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let shade = |o: u16| {
        masters
            .iter()
            .position(|&m| m == o)
            .map_or("none".to_string(), |i| format!("o{}", i % 6))
    };
    let cols = (0..COLS).map(|c| {
        let o = owners[c * per];
        let h = (col_keys[c] * 40 / col_max) as i64;
        let title = format!("{}–{}: {} {}", c * per, c * per + per - 1, col_keys[c], l.t(KEYS_UNIT));
        html! {
            <g class={classes!("slot-col", shade(o))}>
                <title>{title}</title>
                <rect class="own" x={(c * 4).to_string()} y="44" width="4" height="8" />
                <rect class="keys" x={(c * 4).to_string()} y={(42 - h).to_string()} width="3" height={h.to_string()} />
            </g>
        }
    });
    let legend = runs(&owners).into_iter().map(|(a, b, o)| {
        let who = if o == NONE { l.t(UNCOVERED).to_string() } else { peer_name(sim, st, o as usize) };
        html! { <li class={classes!("slot-run", shade(o))}><span class="swatch"></span>{format!("{who}: {a}–{b} ({})", b - a + 1)}</li> }
    });
    let mut hot: Vec<_> = view.slots.iter().collect();
    // Most keys first, then by slot (each slot once).
    hot.sort_unstable_by_key(|s| (std::cmp::Reverse(s.keys), s.slot));
    let hot = hot.into_iter().take(5).map(|s| {
        html! { <li><code>{format!("slot {}", s.slot)}</code>{format!(" · {} · {} {} · {}", s.node, group(s.keys), l.t(KEYS_UNIT), bytes_text(s.bytes))}</li> }
    });
    html! {
        <div class="cluster-panel" id="cluster-panel">
            <table>
                <thead><tr>
                    <th>{l.t(NODE)}</th><th>{l.t(ROLE)}</th><th>{l.t(SLOTS_H)}</th><th>{l.t(KEYS)}</th>
                    <th>{l.t(MEMORY)}</th><th>{l.t(OPS)}</th><th>{l.t(STATE)}</th><th>{l.t(EPOCH)}</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <figure class="slot-map">
                <figcaption>{l.t(SLOT_MAP)}</figcaption>
                <svg viewBox="0 0 1024 54" role="img" aria-label={l.t(SLOT_MAP)} preserveAspectRatio="none">{ for cols }</svg>
                <ul class="slot-legend">{ for legend }</ul>
            </figure>
            <div class="hot-slots"><h3>{l.t(HOT_SLOTS)}</h3><ol>{ for hot }</ol></div>
            <p class="hint">{l.t(ESTIMATE)}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_group_contiguous_owners() {
        assert_eq!(
            runs(&[0, 0, 1, 1, 1, u16::MAX]),
            vec![(0, 1, 0), (2, 4, 1), (5, 5, u16::MAX)]
        );
    }
}
