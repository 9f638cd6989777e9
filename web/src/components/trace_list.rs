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

/// The newest events the list holds.
const SHOWN: usize = 300;
/// Rows have a fixed height (style.css), so the list draws only the rows in
/// view, plus a few above and below, between spacers of the right height.
const ROW_PX: usize = 21;
const SLACK: usize = 8;

#[function_component(TraceList)]
pub fn trace_list(p: &Props) -> Html {
    let l = p.lang;
    // (first row in view, rows in view), from the list's scroll position.
    let view = use_state(|| (0usize, 40usize));
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let trace = sim.trace();
    // Trace indices, newest first. Rows are keyed by trace index: a new event
    // inserts one row instead of rewriting all of them.
    let shown: Vec<usize> = (0..trace.len())
        .rev()
        .filter(|&i| listed(&trace[i]))
        .take(SHOWN)
        .collect();
    let (first, rows) = *view;
    let lo = first.saturating_sub(SLACK).min(shown.len());
    let hi = (first + rows + SLACK).min(shown.len());
    let on_scroll = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            let v = (
                el.scroll_top().max(0) as usize / ROW_PX,
                el.client_height().max(0) as usize / ROW_PX + 1,
            );
            if v != *view {
                view.set(v);
            }
        })
    };
    // One listener for every row's time button.
    let on_click = {
        let seek = p.on_seek.clone();
        Callback::from(move |e: MouseEvent| {
            let ms = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .filter(|t| t.matches(".t").unwrap_or(false))
                .and_then(|t| t.closest("li[data-ms]").ok().flatten())
                .and_then(|li| li.get_attribute("data-ms"))
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(ms) = ms {
                seek.emit(ms);
            }
        })
    };
    html! {
        <div class="trace" tabindex="0" role="region" aria-label={p.lang.t(i18n::EVENTS)} onscroll={on_scroll}>
            // data-first-ms: where the kept trace starts (`timeline/history.rs`).
            <ol id="trace" onclick={on_click} data-count={shown.len().to_string()} data-first-ms={trace.first().map(|e| e.t_ms.to_string())}
                style={format!("padding-top:{}px;height:{}px", lo * ROW_PX, shown.len() * ROW_PX)}>
                { for shown[lo..hi].iter().map(|&i| {
                    let e = &trace[i];
                    let node = sim.name(e.node);
                    let (kind, text, bytes) = match &e.kind {
                        TraceKind::Exec { cmd, reply, client } => ("exec", format!("[{client}] {cmd} → {reply}"), None),
                        TraceKind::Apply { cmd, bytes, offset } => ("apply", l.f(i18n::EV_APPLY, &[&cmd.text(), &offset.to_string()]), Some(*bytes)),
                        TraceKind::Feed { cmd, bytes, offset } => ("feed", l.f(i18n::EV_FEED, &[&cmd.text(), &offset.to_string()]), Some(*bytes)),
                        TraceKind::Role { role } => ("role", l.f(i18n::EV_ROLE, &[role]), None),
                        TraceKind::Sync { replica, full, reason } => ("sync", l.f(if *full { i18n::EV_FULL } else { i18n::EV_PARTIAL }, &[&sim.name(*replica), reason]), None),
                        TraceKind::Expired { key } => ("expired", l.f(i18n::EV_EXPIRED, &[key]), None),
                        TraceKind::Fault { text } => ("fault", text.clone(), None),
                        TraceKind::Sentinel { event } => ("sentinel", event.to_string(), None),
                        TraceKind::Log { text } => ("log", text.clone(), None),
                        _ => ("other", String::new(), None),
                    };
                    html! {
                        <li key={sim.trace_base() + i} class={classes!("ev", kind)} data-trace={kind} data-node={node.clone()} data-ms={e.t_ms.to_string()}
                            data-bytes={bytes.map(|b| b.to_string())}>
                            <button class="t link">{fmt_time(e.t_ms)}</button>
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
