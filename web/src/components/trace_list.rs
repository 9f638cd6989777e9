//! The newest events of the run, as a readable list (newest first).

use replilab_core::trace::TraceKind;
use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang};
use crate::lab::{listed, Lab};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub on_seek: Callback<u64>,
}

const SHOWN: usize = 300;

#[function_component(TraceList)]
pub fn trace_list(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    // Keyed by trace index: a new event inserts one item instead of
    // rewriting all of them.
    let events: Vec<_> = sim
        .trace()
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, e)| listed(e))
        .take(SHOWN)
        .collect();
    html! {
        <div class="trace" aria-label={p.lang.t(i18n::EVENTS)}>
            <ol id="trace" reversed=true>
                { for events.into_iter().map(|(i, e)| {
                    let node = sim.name(e.node);
                    let (kind, text, bytes) = match &e.kind {
                        TraceKind::Exec { cmd, reply, client } => ("exec", format!("[{client}] {cmd} → {reply}"), None),
                        TraceKind::Apply { cmd, bytes, offset } => ("apply", l.f(i18n::EV_APPLY, &[cmd, &offset.to_string()]), Some(*bytes)),
                        TraceKind::Feed { cmd, bytes, offset } => ("feed", l.f(i18n::EV_FEED, &[cmd, &offset.to_string()]), Some(*bytes)),
                        TraceKind::Role { role } => ("role", l.f(i18n::EV_ROLE, &[role]), None),
                        TraceKind::Sync { replica, full, reason } => ("sync", l.f(if *full { i18n::EV_FULL } else { i18n::EV_PARTIAL }, &[&sim.name(*replica), reason]), None),
                        TraceKind::Expired { key } => ("expired", l.f(i18n::EV_EXPIRED, &[key]), None),
                        TraceKind::Fault { text } => ("fault", text.clone(), None),
                        TraceKind::Sentinel { event } => ("sentinel", event.clone(), None),
                        TraceKind::Log { text } => ("log", text.clone(), None),
                        _ => ("other", String::new(), None),
                    };
                    let at = e.t_ms;
                    let seek = p.on_seek.clone();
                    html! {
                        <li key={i} class={classes!("ev", kind)} data-trace={kind} data-node={node.clone()} data-ms={e.t_ms.to_string()}
                            data-bytes={bytes.map(|b| b.to_string())}>
                            <button class="t link" onclick={Callback::from(move |_| seek.emit(at))}>{fmt_time(e.t_ms)}</button>
                            <span class="n">{node}</span>
                            <span class="x" title={text.clone()}>{text}</span>
                            if let Some(b) = bytes { <span class="b">{format!("{b} B")}</span> }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}
