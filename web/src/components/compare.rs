//! Branches A and B side by side at the same playhead (`session/compare.rs`):
//! the checker's figures and each Redis node's role, offset, link and key
//! count, with every difference marked by "≠" and bold type (not by colour
//! alone), and the divergence point: the first trace event where the two
//! runs part. `compact` is the one-line form of the embed layout.

use replilab_core::checker;
use replilab_core::sim::{NodeSpec, NodeState};
use yew::prelude::*;

use super::{fmt_time, group};
use crate::i18n::{self, Lang, T};
use crate::lab::Lab;
use crate::session::Session;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    #[prop_or_default]
    pub compact: bool,
    pub on_swap: Callback<()>,
    pub on_end: Callback<()>,
    pub on_seek: Callback<u64>,
}

/// One Redis node's figures (None: crashed).
#[derive(Clone, PartialEq)]
struct NodeFig {
    name: String,
    /// (master, paused, offset, link up (replicas), connected replicas, keys)
    up: Option<(bool, bool, u64, Option<bool>, usize, usize)>,
}

/// One branch's figures: acked, lost, stale, expired; goals (passed, of);
/// the Redis nodes.
#[derive(Clone, PartialEq)]
struct Figures {
    checker: [u64; 4],
    goals: Option<(usize, usize)>,
    nodes: Vec<NodeFig>,
}

const CHECKER: [(&str, T); 4] = [
    ("acked", i18n::ACKED),
    ("lost", i18n::LOST_WRITES),
    ("stale", i18n::STALE_READS),
    ("expired", i18n::EXPIRED_READS),
];

fn figures(s: &Session) -> Figures {
    let r = checker::check(&s.sim);
    let goals = s.goals_with(&r);
    let passed = goals
        .iter()
        .filter(|(o, fin)| *fin && o.as_ref().is_some_and(|o| o.pass))
        .count();
    let nodes = s
        .sim
        .nodes()
        .iter()
        .filter(|n| matches!(n.spec, NodeSpec::Redis(_)))
        .map(|n| NodeFig {
            name: n.name.clone(),
            up: match &n.state {
                NodeState::Redis(r) => Some((
                    r.is_master(),
                    n.paused,
                    r.ids.master_repl_offset,
                    r.master.as_ref().map(|m| m.is_connected()),
                    r.replicas.len(),
                    r.db.len(),
                )),
                _ => None,
            },
        })
        .collect();
    Figures {
        checker: [
            r.acked_writes,
            r.lost_writes.len() as u64,
            r.stale_reads.len() as u64,
            r.expired_reads.len() as u64,
        ],
        goals: (!goals.is_empty()).then_some((passed, goals.len())),
        nodes,
    }
}

/// A node's figures as the table shows them: role, offset, link, keys.
fn parts(l: Lang, n: Option<&NodeFig>) -> [String; 4] {
    match n.and_then(|n| n.up) {
        Some((master, paused, offset, link, replicas, keys)) => {
            let mut role = l
                .t(if master { i18n::MASTER } else { i18n::REPLICA })
                .to_string();
            if paused {
                role = format!("{role} ({})", l.t(i18n::PAUSED));
            }
            let link = match link {
                Some(true) => l.t(i18n::LINK_UP).to_string(),
                Some(false) => l.t(i18n::LINK_DOWN).to_string(),
                None => l.f(i18n::N_REPLICAS, &[&replicas.to_string()]),
            };
            let keys = l.f(i18n::N_KEYS, &[&keys.to_string()]);
            [role, group(offset), link, keys]
        }
        None => [
            format!("✕ {}", l.t(i18n::CRASHED)),
            "".into(),
            "".into(),
            "".into(),
        ],
    }
}

/// The row head of a figure, with the "differs" marker.
fn head(l: Lang, label: &str, differs: bool) -> Html {
    html! {
        <th scope="row">
            <span class="mark" aria-hidden="true">{ if differs { "≠" } else { "" } }</span>
            {label.to_string()}
            if differs { <span class="sr-only">{format!(" ({})", l.t(i18n::DIFFERS))}</span> }
        </th>
    }
}

#[function_component(Compare)]
pub fn compare(p: &Props) -> Html {
    let l = p.lang;
    let cache = use_mut_ref(|| ((0usize, 0u64, 0usize, 0u64, false), None::<[Figures; 2]>));
    let session = p.lab.session.borrow();
    let (Some((a, b)), Some(live)) = (session.branches(), session.live_letter()) else {
        return html! {};
    };
    let other = if live == 'A' { 'B' } else { 'A' };
    let [fa, fb] = {
        let key = (
            a.sim.trace().len(),
            a.now_ms(),
            b.sim.trace().len(),
            b.now_ms(),
            live == 'A',
        );
        let mut c = cache.borrow_mut();
        if c.0 != key || c.1.is_none() {
            *c = (key, Some([figures(a), figures(b)]));
        }
        c.1.clone().unwrap_or_else(|| [figures(a), figures(b)])
    };
    let swap = {
        let cb = p.on_swap.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let swap_btn = html! {
        <button id="compare-swap" class="btn small" onclick={swap}>{l.f(i18n::SWAP, &[&other.to_string()])}</button>
    };
    if p.compact {
        let lost = (fa.checker[1], fb.checker[1]);
        let sign = if lost.0 == lost.1 { "=" } else { "≠" };
        return html! {
            <span id="compare" class="compare-line" data-live={live.to_string()}>
                <span class="live">{format!("A/B · {}", l.f(i18n::LIVE_SHORT, &[&live.to_string()]))}</span>
                <span data-fig="lost">{format!("{}: A {} {sign} B {}", l.t(i18n::LOST_WRITES), lost.0, lost.1)}</span>
                {swap_btn}
            </span>
        };
    }
    let end = {
        let cb = p.on_end.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let branch_head = |c: char| {
        html! {
            <th scope="col">{l.f(i18n::BRANCH, &[&c.to_string()])}
                if c == live { <span class="live-tag">{l.t(i18n::LIVE_TAG)}</span> }</th>
        }
    };
    let checker_rows = CHECKER.iter().enumerate().map(|(i, (key, label))| {
        let (x, y) = (fa.checker[i], fb.checker[i]);
        let d = x != y;
        html! {
            <tr data-fig={*key} data-diff={(d as u8).to_string()} class={classes!(d.then_some("diff"))}>
                {head(l, l.t(*label), d)}
                <td data-branch="a">{x}</td><td data-branch="b">{y}</td>
            </tr>
        }
    });
    let goals_row = fa.goals.zip(fb.goals).map(|(x, y)| {
        let d = x != y;
        html! {
            <tr data-fig="goals" data-diff={(d as u8).to_string()} class={classes!(d.then_some("diff"))}>
                {head(l, l.t(i18n::GOALS_PASSED), d)}
                <td data-branch="a">{format!("{}/{}", x.0, x.1)}</td><td data-branch="b">{format!("{}/{}", y.0, y.1)}</td>
            </tr>
        }
    });
    let node_rows = fa.nodes.iter().map(|na| {
        let nb = fb.nodes.iter().find(|n| n.name == na.name);
        let (pa, pb) = (parts(l, Some(na)), parts(l, nb));
        let d = pa != pb;
        let cell = |own: &[String; 4], them: &[String; 4], branch: &'static str| {
            let part = |i: usize| {
                let class = classes!((own[i] != them[i]).then_some("d"));
                html! { <span class={class}>{own[i].clone()}</span> }
            };
            html! {
                <td data-branch={branch}>
                    <span class="l1">{part(0)}if !own[1].is_empty() { {" · "}{part(1)} }</span>
                    if !own[2].is_empty() { <span class="l2">{part(2)}{" · "}{part(3)}</span> }
                </td>
            }
        };
        html! {
            <tr data-fig={format!("node:{}", na.name)} data-diff={(d as u8).to_string()} class={classes!("node-row", d.then_some("diff"))}>
                {head(l, &na.name, d)}
                {cell(&pa, &pb, "a")}{cell(&pb, &pa, "b")}
            </tr>
        }
    });
    let seek = |t: u64| {
        let cb = p.on_seek.clone();
        Callback::from(move |_| cb.emit(t))
    };
    let line = |s: &Session, e: Option<&replilab_core::trace::TraceEvent>| {
        e.map_or_else(
            || l.t(i18n::NO_EVENT).to_string(),
            |e| format!("{} · {}", fmt_time(e.t_ms), e.line(&|id| s.sim.name(id))),
        )
    };
    let divergence = match session.divergence() {
        Some(d) => html! {
            <div id="divergence" class="divergence" data-ms={d.t_ms.to_string()}>
                <p><b>{l.f(i18n::DIVERGE_AT, &[&fmt_time(d.t_ms)])}</b>{" "}
                    <button class="link" onclick={seek(d.t_ms)}>{l.t(i18n::SHOW_IN_DIAGRAM)}</button></p>
                <dl>
                    <dt>{"A"}</dt><dd><code>{line(a, d.a)}</code></dd>
                    <dt>{"B"}</dt><dd><code>{line(b, d.b)}</code></dd>
                </dl>
            </div>
        },
        None => html! {
            <div id="divergence" class="divergence">
                <p>{l.t(i18n::SAME_SO_FAR)}</p>
                { match session.actions_differ_at() {
                    Some(t) => html! { <p class="muted">{l.f(i18n::ACTIONS_DIFFER, &[&fmt_time(t)])}</p> },
                    None => html! { <p class="muted">{l.f(i18n::COMPARE_NEW, &[&live.to_string()])}</p> },
                } }
            </div>
        },
    };
    let stopped = [(a, 'A'), (b, 'B')].into_iter().filter_map(|(s, c)| {
        s.error.as_ref().map(
            |e| html! { <p class="stopped">{l.f(i18n::BRANCH_STOPPED, &[&c.to_string(), e])}</p> },
        )
    });
    html! {
        <section id="compare" class="panel compare" aria-label={l.t(i18n::COMPARE_TITLE)} data-live={live.to_string()}>
            <header class="panel-head">
                <h2>{l.t(i18n::COMPARE_TITLE)}</h2>
                {swap_btn}
                <button id="compare-end" class="btn small" onclick={end}>{l.f(i18n::END_COMPARE, &[&live.to_string()])}</button>
            </header>
            <div class="compare-body">
                <p class="compare-live">{l.f(i18n::COMPARE_LIVE, &[&live.to_string()])}</p>
                { for stopped }
                {divergence}
                <table id="compare-figures" class="cmp-table">
                    <thead><tr><th scope="col">{l.t(i18n::FIGURE)}</th>{branch_head('A')}{branch_head('B')}</tr></thead>
                    <tbody>
                        <tr class="group"><th colspan="3" scope="colgroup">{l.t(i18n::LEDGER)}</th></tr>
                        { for checker_rows }{ for goals_row }
                        <tr class="group"><th colspan="3" scope="colgroup">{l.t(i18n::REDIS_NODES)}</th></tr>
                        { for node_rows }
                    </tbody>
                </table>
                <p class="hint">{l.t(i18n::DIFF_LEGEND)}</p>
            </div>
        </section>
    }
}
