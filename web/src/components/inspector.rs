//! The node inspector: `INFO replication` exactly as Redis prints it, the
//! keyspace with TTLs counted on the node's own clock, and the offset tape
//! (master offset, each replica's offset, the backlog window) that tells
//! whether a reconnect now would be a partial or a full resync.
//! For a Sentinel: its view of each master; for a client: its operations.

use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use replilab_core::redis::{FullResyncReason, PsyncDecision, RedisNode};
use replilab_core::sim::Sim;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{fmt_time, group};
use crate::i18n::{self, Lang};
use crate::lab::{role_of, status, Lab, Role};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    /// The panel head's fold button (none in embed mode: `components/fold.rs`).
    #[prop_or_default]
    pub fold: Html,
    pub selected: NodeId,
    pub on_select: Callback<NodeId>,
}

const KEYS_SHOWN: usize = 40;
// The names of the scrolling parts, which take keyboard focus (tabindex 0) so that a
// keyboard can scroll them.
const DETAILS: i18n::T = i18n::T {
    en: "Details of {0}",
    zh: "{0} 的详情",
};
const SENTINEL_VIEW: i18n::T = i18n::T {
    en: "The Sentinel's view of master {0}",
    zh: "哨兵眼中的主库 {0}",
};

const SKEW: i18n::T = i18n::T {
    en: "clock {0}",
    zh: "时钟 {0}",
};
const SKEW_TITLE: i18n::T = i18n::T {
    en: "The node's clock offset from true time (clock skew or jump)",
    zh: "该节点时钟与真实时间的偏差（时钟偏差或跳变）",
};

/// `+10.000 s`, `−3.000 s`.
fn signed_time(ms: i64) -> String {
    let sign = if ms < 0 { '−' } else { '+' };
    format!("{sign}{}", fmt_time(ms.unsigned_abs()))
}

#[function_component(Inspector)]
pub fn inspector(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let id = p.selected;
    let Some(slot) = sim.node(id) else {
        return html! {};
    };
    let on_pick = {
        let cb = p.on_select.clone();
        Callback::from(move |e: Event| {
            let i = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            if i >= 0 {
                cb.emit(NodeId(i as u16));
            }
        })
    };
    let role = role_of(sim, id);
    let st = status(sim, id);
    let role_text = match role {
        Some(Role::Master) => l.t(i18n::MASTER),
        Some(Role::Replica) => l.t(i18n::REPLICA),
        Some(Role::Sentinel) => l.t(i18n::SENTINEL),
        _ => l.t(i18n::CLIENT),
    };
    let st_text = match st {
        "crashed" => l.t(i18n::CRASHED),
        "paused" => l.t(i18n::PAUSED),
        _ => l.t(i18n::RUNNING),
    };
    let body = match &slot.state {
        NodeState::Redis(r) => redis_body(sim, id, r, l),
        NodeState::Sentinel(s) => {
            let masters = s.masters.values().map(|m| {
                let flags = [
                    m.inst.sdown.then_some("s_down"),
                    m.odown.then_some("o_down"),
                    (m.failover != replilab_core::sentinel::FailoverState::None).then_some("failover_in_progress"),
                ];
                let flags: Vec<&str> = flags.into_iter().flatten().collect();
                html! {
                    <div class="sentinel-master">
                        <pre class="info" tabindex="0" role="region" aria-label={l.f(SENTINEL_VIEW, &[&m.name])}>{format!(
                            "name:{}\nip:{}\nport:{}\nflags:master{}\nquorum:{}\nconfig-epoch:{}\nnum-slaves:{}\nnum-other-sentinels:{}\nfailover-state:{}\nleader:{} (epoch {})",
                            m.name, m.inst.host, m.inst.port,
                            flags.iter().map(|f| format!(",{f}")).collect::<String>(),
                            m.quorum, m.config_epoch, m.replicas.len(), m.sentinels.len(),
                            m.failover.name(), m.leader.as_deref().map(|x| x.chars().take(8).collect::<String>()).unwrap_or_else(|| "-".into()), m.leader_epoch,
                        )}</pre>
                    </div>
                }
            });
            html! { <>
                <p class="kv"><span>{l.t(i18n::EPOCH)}</span><b>{s.current_epoch}</b>
                    if s.tilt { <span class="badge-tilt">{l.t(i18n::TILT)}</span> }</p>
                { for masters }
                <h3>{l.t(i18n::EVENTS)}</h3>
                <ol class="sentinel-events">
                    { for s.events.iter().rev().take(30).map(|(t, ev)| html! { <li><span class="t">{fmt_time(*t)}</span>{" "}<code>{ev.to_string()}</code></li> }) }
                </ol>
            </> }
        }
        NodeState::Client(c) => {
            let ok = c.history.iter().filter(|o| o.ok().is_some()).count();
            let done = c.history.iter().filter(|o| o.complete_ms.is_some()).count();
            html! { <>
                <p>{l.f(i18n::CLIENT_OPS, &[&c.history.len().to_string(), &ok.to_string(), &done.saturating_sub(ok).to_string()])}</p>
                if let Some((h, port)) = &c.master_addr { <p class="kv"><span>{"master"}</span><code>{format!("{h}:{port}")}</code></p> }
                <h3>{l.t(i18n::LAST_OPS)}</h3>
                <ol class="ops">
                    { for c.history.iter().rev().take(14).map(|o| html! {
                        <li class={classes!(o.ok().is_none().then_some("failed"))}><span class="t">{fmt_time(o.invoke_ms)}</span>{" "}<code>{o.describe()}</code></li>
                    }) }
                </ol>
            </> }
        }
        NodeState::Down => {
            html! { <p class="crashed-note">{format!("✕ {}", l.t(i18n::CRASHED))}</p> }
        }
    };
    html! {
        <section id="inspector" class="panel inspector" aria-label={l.t(i18n::INSPECTOR)} data-inspect={slot.name.clone()}>
            <header class="panel-head">
                {p.fold.clone()}
                <h2>{l.t(i18n::INSPECTOR)}</h2>
                <select id="inspect-target" aria-label={l.t(i18n::NODE)} onchange={on_pick}>
                    { for sim.nodes().iter().enumerate().map(|(i, n)| html! {
                        <option value={n.name.clone()} selected={i == id.0 as usize}>{n.name.clone()}</option>
                    }) }
                </select>
            </header>
            <div class="inspector-body" tabindex="0" role="region" aria-label={l.f(DETAILS, &[&slot.name])}>
                <p class="who">
                    <span class={classes!("role-badge", role.map(|r| format!("{r:?}").to_lowercase()))}>{role_text}</span>
                    <span class="addr">{format!("{}:{}", slot.host, slot.port)}</span>
                    if let NodeState::Redis(r) = &slot.state { <span class="ver">{r.profile.label()}</span> }
                    <span class={classes!("status", st)}>{st_text}</span>
                    if slot.skew_ms != 0 { <span class="clock-skew" data-field="clock-skew" title={l.t(SKEW_TITLE)}>{l.f(SKEW, &[&signed_time(slot.skew_ms)])}</span> }
                </p>
                { body }
            </div>
        </section>
    }
}

fn redis_body(sim: &Sim, id: NodeId, r: &RedisNode, l: Lang) -> Html {
    let clock = sim.clock_ms(id);
    let info = r.info_replication(clock).replace("\r\n", "\n");
    let keys: Vec<Html> = r
        .db
        .iter()
        .take(KEYS_SHOWN)
        .map(|(k, e)| {
            let key = String::from_utf8_lossy(k).to_string();
            let ttl = e.expire_at_ms.map(|at| {
                let left = at - clock;
                let class = if left <= 0 { "ttl gone" } else { "ttl" };
                html! { <span class={class}>{format!("{:.1} s", left as f64 / 1000.0)}</span> }
            });
            html! { <li data-key={key.clone()}><code class="k">{key}</code><code class="v">{String::from_utf8_lossy(&e.value).to_string()}</code>{ for ttl }</li> }
        })
        .collect();
    let more = r.db.len().saturating_sub(KEYS_SHOWN);
    html! { <>
        <p class="runid"><span>{"run_id "}</span><code>{r.run_id.clone()}</code></p>
        <pre class="info" id="info-replication" tabindex="0" role="region" aria-label={"INFO replication"}>{info}</pre>
        { tape(sim, id, r, l) }
        <h3>{format!("{} ({})", l.t(i18n::KEYSPACE), r.db.len())}<span class="hint">{l.t(i18n::TTL_OWN_CLOCK)}</span></h3>
        if keys.is_empty() { <p class="muted">{l.t(i18n::NO_KEYS)}</p> }
        <ul class="keys">{ for keys }</ul>
        if more > 0 { <p class="muted">{l.f(i18n::MORE_KEYS, &[&more.to_string()])}</p> }
    </> }
}

fn tape(sim: &Sim, id: NodeId, r: &RedisNode, l: Lang) -> Html {
    // The master whose stream we show: this node, or the one it replicates.
    let (mid, m) = match &r.master {
        None => (id, r),
        Some(link) => {
            match sim
                .node_at(&link.host, link.port)
                .and_then(|n| sim.redis(n).map(|m| (n, m)))
            {
                Some(x) => x,
                None => return html! {},
            }
        }
    };
    // Replica offsets as the master knows them (ACKs), plus this node's own,
    // each with the history id that replica would ask for (its own replid).
    let mut marks: Vec<(String, u64, bool, &str)> = Vec::new();
    for link in m.replicas.values() {
        let name = link
            .node
            .map(|n| sim.name(n))
            .unwrap_or_else(|| link.ip.clone());
        let mine = link.node == Some(id);
        let replid = link
            .node
            .and_then(|n| sim.redis(n))
            .map_or(m.ids.replid.as_str(), |x| x.ids.replid.as_str());
        marks.push((name, link.ack_offset, mine, replid));
    }
    if mid != id && !marks.iter().any(|x| x.2) {
        marks.push((
            sim.name(id),
            r.ids.master_repl_offset,
            true,
            r.ids.replid.as_str(),
        ));
    }
    let top = m.ids.master_repl_offset;
    let (b_lo, b_hi) = m.backlog.as_ref().map_or((top + 1, top), |b| {
        (
            b.first_byte_offset,
            b.first_byte_offset + b.histlen.saturating_sub(1),
        )
    });
    let lo = marks
        .iter()
        .map(|x| x.1)
        .min()
        .unwrap_or(top)
        .min(b_lo)
        .min(top);
    let span = (top.saturating_sub(lo)).max(1) as f64;
    let (x0, x1) = (8.0, 292.0);
    let x = |o: u64| x0 + (o.saturating_sub(lo)) as f64 / span * (x1 - x0);
    let verdicts: Vec<Html> = marks
        .iter()
        .map(|(name, off, _, replid)| {
            // A reconnecting replica asks for the first byte it lacks;
            // the master's own rule answers.
            let decision = m.psync_decision(replid, *off as i64 + 1);
            let ok = decision.is_continue();
            let at = (off + 1).to_string();
            let text = match decision {
                _ if m.backlog.is_none() => l.t(i18n::NO_BACKLOG).to_string(),
                PsyncDecision::Continue => l.f(i18n::WOULD_PARTIAL, &[name, &at]),
                PsyncDecision::FullResync(
                    FullResyncReason::ReplidMismatch | FullResyncReason::SecondIdOffset,
                ) => l.f(i18n::WOULD_FULL_HISTORY, &[name, &at]),
                PsyncDecision::FullResync(_) => l.f(i18n::WOULD_FULL, &[name, &at]),
            };
            html! { <li class={if ok { "partial" } else { "full" }} data-verdict={if ok { "partial" } else { "full" }}>{text}</li> }
        })
        .collect();
    let mut sorted = marks.clone();
    sorted.sort_by_key(|m| m.1);
    html! {
        <div class="tape">
            <h3>{l.t(i18n::OFFSET_TAPE)}<span class="hint">{format!("{} · master_repl_offset {}", sim.name(mid), group(top))}</span></h3>
            <svg viewBox="0 -6 300 64" class="tape-svg" role="img" aria-label={l.t(i18n::OFFSET_TAPE)}>
                <rect class="tape-bg" x={x0.to_string()} y="22" width={(x1 - x0).to_string()} height="12" />
                if m.backlog.is_some() && b_hi >= b_lo {
                    <rect class="tape-backlog" x={format!("{:.1}", x(b_lo))} y="22" width={format!("{:.1}", (x(b_hi) - x(b_lo)).max(2.0))} height="12">
                        <title>{format!("{} {}–{}", l.t(i18n::BACKLOG), b_lo, b_hi)}</title>
                    </rect>
                    <text class="tape-label" x={format!("{:.1}", x(b_lo))} y="46">{format!("{} {}", l.t(i18n::BACKLOG), group(b_lo))}</text>
                }
                <line class="tape-top" x1={format!("{:.1}", x(top))} x2={format!("{:.1}", x(top))} y1="16" y2="40" />
                { for sorted.iter().enumerate().map(|(i, (name, off, mine, _))| html! {
                    <g transform={format!("translate({:.1},20)", x(*off))} class={classes!("tape-mark", mine.then_some("mine"))}>
                        <title>{format!("{name}: {off}")}</title>
                        <path d="M-4,-8 L4,-8 L0,0 z" />
                        // Labels of close marks alternate above and beside, so they do not overlap.
                        <text y={if i % 2 == 0 { "-10" } else { "-1" }} x={if i % 2 == 0 { "0" } else if x(*off) > 250.0 { "-6" } else { "6" }}
                            text-anchor={if x(*off) > 270.0 { "end" } else if i % 2 == 0 { "middle" } else if x(*off) > 250.0 { "end" } else { "start" }}>{name.clone()}</text>
                    </g>
                }) }
            </svg>
            <ul class="verdicts">{ for verdicts }</ul>
        </div>
    }
}
