//! The Sentinel panel: each Sentinel's view (SDOWN/ODOWN, epoch, its vote),
//! side by side, and their events as one stream.

use replilab_core::node::NodeState;
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::trace::TraceKind;
use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang};
use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub on_seek: Callback<u64>,
}

#[function_component(Sentinels)]
pub fn sentinels(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let rows: Vec<Html> = sim
        .nodes()
        .iter()
        .filter_map(|n| match &n.state {
            NodeState::Sentinel(s) => Some((n.name.clone(), Some(s))),
            NodeState::Down if matches!(n.spec, replilab_core::node::NodeSpec::Sentinel(_)) => Some((n.name.clone(), None)),
            _ => None,
        })
        .flat_map(|(name, s)| {
            let Some(s) = s else {
                return vec![html! { <tr data-sentinel={name.clone()} class="down"><th>{name}</th><td colspan="6">{l.t(i18n::CRASHED)}</td></tr> }];
            };
            s.masters
                .values()
                .map(|m| {
                    let master = sim.node_at(&m.inst.host, m.inst.port).map(|id| sim.name(id)).unwrap_or_else(|| m.inst.addr());
                    let state = if m.odown { "odown" } else if m.inst.sdown { "sdown" } else { "ok" };
                    let vote = m.leader.as_deref().map(|lead| {
                        let who = sim.nodes().iter().find(|x| matches!(&x.state, NodeState::Sentinel(o) if o.myid == lead)).map(|x| x.name.clone());
                        format!("{} @{}", who.unwrap_or_else(|| lead.chars().take(8).collect()), m.leader_epoch)
                    });
                    html! {
                        <tr data-sentinel={name.clone()} data-state={state}>
                            <th>{name.clone()}{ if s.tilt { " (TILT)" } else { "" } }</th>
                            <td><code>{master}</code></td>
                            <td><span class={classes!("flag", state)}>{ match state { "odown" => "ODOWN", "sdown" => "SDOWN", _ => "OK" } }</span></td>
                            <td class="num">{s.current_epoch}</td>
                            <td>{vote.unwrap_or_else(|| "-".into())}</td>
                            <td>{m.failover.name()}</td>
                            <td class="num">{format!("{}/{}", m.quorum, m.sentinels.len() + 1)}</td>
                        </tr>
                    }
                })
                .collect()
        })
        .collect();
    if rows.is_empty() {
        return html! { <p class="muted" id="sentinel-panel">{l.t(i18n::NO_SENTINELS)}</p> };
    }
    // From the run's record: it keeps every Sentinel event of the run.
    let events: Vec<Html> = (sim.run_record().marks().iter().rev())
        .map(|m| &m.ev)
        .filter_map(|e| match &e.kind {
            TraceKind::Sentinel { event } if event.kind != SentinelEventKind::Sentinel => Some((e.t_ms, sim.name(e.node), event.to_string())),
            _ => None,
        })
        .take(60)
        .map(|(t, n, ev)| {
            let cb = p.on_seek.clone();
            html! { <li><button class="t link" onclick={Callback::from(move |_| cb.emit(t))}>{fmt_time(t)}</button><span class="n">{n}</span><code>{ev}</code></li> }
        })
        .collect();
    html! {
        <div class="sentinel-panel" id="sentinel-panel">
            <table>
                <thead><tr>
                    <th>{l.t(i18n::SENTINEL)}</th><th>{l.t(i18n::MASTER)}</th><th>{"S/ODOWN"}</th>
                    <th>{l.t(i18n::EPOCH)}</th><th>{l.t(i18n::VOTED_FOR)}</th><th>{"failover"}</th><th>{l.t(i18n::QUORUM)}</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <ol class="sentinel-stream">{ for events }</ol>
        </div>
    }
}
