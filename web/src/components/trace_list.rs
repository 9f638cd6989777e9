//! The newest events of the run, as a readable list.

use replilab_core::trace::TraceKind;
use yew::prelude::*;

use super::fmt_time;
use crate::lab::{listed, Lab};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
}

const SHOWN: usize = 300;

#[function_component(TraceList)]
pub fn trace_list(p: &Props) -> Html {
    let sim = p.lab.sim.borrow();
    let events: Vec<_> = sim
        .trace()
        .iter()
        .rev()
        .filter(|e| listed(e))
        .take(SHOWN)
        .collect();
    html! {
        <section class="card trace" aria-label="Events">
            <h2>{"Events"}</h2>
            <ol id="trace" reversed=true>
                { for events.into_iter().map(|e| {
                    let node = sim.name(e.node);
                    let (kind, text, bytes) = match &e.kind {
                        TraceKind::Exec { cmd, reply, .. } => ("exec", format!("{cmd} → {reply}"), None),
                        TraceKind::Apply { cmd, bytes, offset } => ("apply", format!("applied {cmd} · offset {offset}"), Some(*bytes)),
                        TraceKind::Feed { cmd, bytes, offset } => ("feed", format!("stream ← {cmd} · offset {offset}"), Some(*bytes)),
                        TraceKind::Role { role } => ("role", format!("role {role}"), None),
                        TraceKind::Sync { replica, full, reason } => ("sync", format!("{} sync for {}: {reason}", if *full { "full" } else { "partial" }, sim.name(*replica)), None),
                        TraceKind::Expired { key } => ("expired", format!("expired {key}"), None),
                        TraceKind::Fault { text } => ("fault", text.clone(), None),
                        TraceKind::Sentinel { event } => ("sentinel", event.clone(), None),
                        TraceKind::Log { text } => ("log", text.clone(), None),
                        _ => ("other", String::new(), None),
                    };
                    html! {
                        <li class={classes!("ev", kind)} data-trace={kind} data-node={node.clone()} data-ms={e.t_ms.to_string()}
                            data-bytes={bytes.map(|b| b.to_string())}>
                            <span class="t">{fmt_time(e.t_ms)}</span>
                            <span class="n">{node}</span>
                            <span class="x">{text}</span>
                            if let Some(b) = bytes { <span class="b">{format!("{b} B")}</span> }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
