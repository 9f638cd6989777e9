//! Branches A and B side by side at the same playhead (`core/src/timeline/compare.rs`):
//! the checker's figures and each Redis node's role, offset, link and key
//! count, with every difference marked by "≠" and bold type (not by colour
//! alone), and the divergence point: the first trace event where the two
//! runs part. `compact` is the one-line form of the embed layout.
//!
//! A function the page calls, not a component of its own: it re-renders
//! with the page anyway (the lab's version moves on every tick), and a
//! component's generic glue would cost page weight for nothing.

use std::cell::RefCell;

use replilab_core::checker;
use replilab_core::node::{NodeSpec, NodeState};
use yew::prelude::*;

use super::{fmt_time, group};
use crate::i18n::{self, Lang, T};
use replilab_core::timeline::Session;

/// The buttons' callbacks.
pub struct Ctl {
    pub on_swap: Callback<()>,
    pub on_end: Callback<()>,
    pub on_seek: Callback<u64>,
    /// The panel head's fold button (none when compact).
    pub fold: Html,
}

/// Both branches' figures, by (trace lengths, playheads, live branch):
/// the checker reads the whole trace, so only when they moved.
#[derive(Default)]
pub struct Cache(Option<(Key, [Figures; 2])>);
type Key = (usize, u64, usize, u64, bool);

/// One Redis node's figures (None: crashed).
struct NodeFig {
    name: String,
    /// (master, paused, offset, link up (replicas), connected replicas, keys)
    up: Option<(bool, bool, u64, Option<bool>, usize, usize)>,
}

/// One branch's figures: acked, lost, stale, expired; goals (passed, of);
/// the Redis nodes.
pub struct Figures {
    checker: [u64; 4],
    goals: Option<(usize, usize)>,
    nodes: Vec<NodeFig>,
}

/// The name of the scrolling body (focusable, so a keyboard can scroll it).
const BODY: T = T {
    en: "Comparison details",
    zh: "对比详情",
};
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
            let count = |n: usize, one: T, many: T| match n {
                1 => l.t(one).to_string(),
                _ => l.f(many, &[&n.to_string()]),
            };
            let link = match link {
                Some(true) => l.t(i18n::LINK_UP).to_string(),
                Some(false) => l.t(i18n::LINK_DOWN).to_string(),
                None => count(replicas, i18n::ONE_REPLICA, i18n::N_REPLICAS),
            };
            let keys = count(keys, i18n::ONE_KEY, i18n::N_KEYS);
            // Grouped with no-break spaces: an offset never wraps.
            let offset = group(offset).replace('\u{2009}', "\u{202f}");
            [role, offset, link, keys]
        }
        None => [
            format!("✕ {}", l.t(i18n::CRASHED)),
            "".into(),
            "".into(),
            "".into(),
        ],
    }
}

/// One row: a figure of both branches. When they differ, the row is marked
/// "≠" (CSS) and bold, and a screen reader hears "differs".
fn row(l: Lang, key: String, label: &str, a: Html, b: Html, differs: bool) -> Html {
    html! {
        <tr data-fig={key} data-diff={if differs { "1" } else { "0" }} class={if differs { "diff" } else { "" }}>
            <th scope="row">{label.to_string()}
                if differs { <span class="sr-only">{format!(" ({})", l.t(i18n::DIFFERS))}</span> }</th>
            <td data-branch="a">{a}</td><td data-branch="b">{b}</td>
        </tr>
    }
}

/// A node's parts, those that differ from the other branch's in bold
/// (separators and the line break come from the CSS).
fn cell(own: &[String; 4], them: &[String; 4]) -> Html {
    own.iter()
        .zip(them)
        .filter(|(p, _)| !p.is_empty())
        .map(|(p, q)| html! { <span class={if p != q { "d" } else { "" }}>{p.clone()}</span> })
        .collect()
}

/// The comparison of `session`'s branches (nothing without one).
pub fn view(session: &Session, l: Lang, compact: bool, cache: &RefCell<Cache>, p: &Ctl) -> Html {
    let (Some((a, b)), Some(live)) = (session.branches(), session.live_letter()) else {
        return html! {};
    };
    let other = if live == 'A' { 'B' } else { 'A' };
    let key = (
        a.sim.trace().len(),
        a.now_ms(),
        b.sim.trace().len(),
        b.now_ms(),
        live == 'A',
    );
    let mut c = cache.borrow_mut();
    if c.0.as_ref().is_none_or(|(k, _)| *k != key) {
        c.0 = Some((key, [figures(a), figures(b)]));
    }
    let Some((_, [fa, fb])) = &c.0 else {
        return html! {};
    };
    let swap = p.on_swap.reform(|_| ());
    let swap_btn = html! {
        <button id="compare-swap" class="btn small" onclick={swap}>{l.f(i18n::SWAP, &[&other.to_string()])}</button>
    };
    if compact {
        let lost = (fa.checker[1], fb.checker[1]);
        let sign = if lost.0 == lost.1 { "=" } else { "≠" };
        return html! {
            <span id="compare" class="compare-line" data-live={live.to_string()}>
                <span class="live">{format!("A/B · {}", l.f(i18n::LIVE_SHORT, &[&live.to_string()]))}</span>
                <span data-fig="lost">{l.f(i18n::LOST_LINE, &[&lost.0.to_string(), sign, &lost.1.to_string()])}</span>
                {swap_btn}
            </span>
        };
    }
    let end = p.on_end.reform(|_| ());
    let branch_head = |c: char| {
        let tag = (c == live).then(|| l.t(i18n::LIVE_TAG));
        html! { <th scope="col" data-tag={tag}>{l.f(i18n::BRANCH, &[&c.to_string()])}</th> }
    };
    let table = |id: &'static str, caption: T, first: T, rows: Vec<Html>| {
        html! {
            <table id={id} class="cmp-table">
                <caption>{l.t(caption)}</caption>
                <thead><tr><th scope="col">{l.t(first)}</th>{branch_head('A')}{branch_head('B')}</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };
    let text = |x: String| html! { {x} };
    let mut rows: Vec<Html> = CHECKER
        .iter()
        .enumerate()
        .map(|(i, (key, label))| {
            let (x, y) = (fa.checker[i], fb.checker[i]);
            row(
                l,
                key.to_string(),
                l.t(*label),
                text(x.to_string()),
                text(y.to_string()),
                x != y,
            )
        })
        .collect();
    if let Some((x, y)) = fa.goals.zip(fb.goals) {
        let g = |(p, n): (usize, usize)| text(format!("{p}/{n}"));
        rows.push(row(
            l,
            "goals".into(),
            l.t(i18n::GOALS_PASSED),
            g(x),
            g(y),
            x != y,
        ));
    }
    let mut nodes = Vec::new();
    for na in &fa.nodes {
        let nb = fb.nodes.iter().find(|n| n.name == na.name);
        let (pa, pb) = (parts(l, Some(na)), parts(l, nb));
        let key = format!("node:{}", na.name);
        nodes.push(row(
            l,
            key,
            &na.name,
            cell(&pa, &pb),
            cell(&pb, &pa),
            pa != pb,
        ));
    }
    let line = |s: &Session, e: Option<&replilab_core::trace::TraceEvent>| {
        e.map_or_else(
            || l.t(i18n::NO_EVENT).to_string(),
            |e| e.line(&|id| s.sim.name(id)),
        )
    };
    let (title, detail, at) = match session.divergence() {
        Some(d) => (
            l.f(i18n::DIVERGE_AT, &[&fmt_time(d.t_ms)]),
            format!("A  {}\nB  {}", line(a, d.a), line(b, d.b)),
            Some(d.t_ms),
        ),
        None => (
            l.t(i18n::SAME_SO_FAR).to_string(),
            match session.actions_differ_at() {
                Some(t) => l.f(i18n::ACTIONS_DIFFER, &[&fmt_time(t)]),
                None => l.f(i18n::COMPARE_NEW, &[&live.to_string()]),
            },
            None,
        ),
    };
    let show = at.map(|t| {
        let cb = p.on_seek.clone();
        html! { <>{" "}<button class="link" onclick={Callback::from(move |_: MouseEvent| cb.emit(t))}>{l.t(i18n::SHOW_IN_DIAGRAM)}</button></> }
    });
    let stopped: Vec<String> = [(a, 'A'), (b, 'B')]
        .into_iter()
        .filter_map(|(s, c)| {
            s.error
                .as_ref()
                .map(|e| l.f(i18n::BRANCH_STOPPED, &[&c.to_string(), e]))
        })
        .collect();
    html! {
        <section id="compare" class="panel compare" aria-label={l.t(i18n::COMPARE_TITLE)} data-live={live.to_string()}>
            <header class="panel-head">{p.fold.clone()}<h2>{l.t(i18n::COMPARE_TITLE)}</h2></header>
            <div class="compare-body" tabindex="0" role="region" aria-label={l.t(BODY)}>
                <p class="compare-live">{l.f(i18n::COMPARE_LIVE, &[&live.to_string()])}</p>
                <div class="compare-actions">
                    {swap_btn}
                    <button id="compare-end" class="btn small" onclick={end}>{l.f(i18n::END_COMPARE, &[&live.to_string()])}</button>
                </div>
                if !stopped.is_empty() { <p class="stopped">{stopped.join(" ")}</p> }
                <div id="divergence" class="divergence" data-ms={at.map(|t| t.to_string())}>
                    <p><b>{title}</b>{ for show }</p>
                    <p class={if at.is_some() { "events" } else { "muted" }}>{detail}</p>
                </div>
                {table("compare-figures", i18n::LEDGER, i18n::FIGURE, rows)}
                {table("compare-nodes", i18n::REDIS_NODES, i18n::NODE, nodes)}
                <p class="hint">{l.t(i18n::DIFF_LEGEND)}</p>
            </div>
        </section>
    }
}
