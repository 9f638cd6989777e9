//! A redis-cli prompt against any server or Sentinel, with history (↑/↓).
//! What is typed enters the session schedule at the playhead.

use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang};

/// The name of the scrolling output (focusable, so a keyboard can scroll it).
const OUTPUT: i18n::T = i18n::T {
    en: "redis-cli output",
    zh: "redis-cli 输出",
};
use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    /// The panel head's fold button (none in embed mode: `components/fold.rs`).
    #[prop_or_default]
    pub fold: Html,
    pub target: NodeId,
    pub on_target: Callback<NodeId>,
    pub on_command: Callback<(NodeId, String)>,
}

#[function_component(Console)]
pub fn console(p: &Props) -> Html {
    let l = p.lang;
    let history_pos = use_mut_ref(|| Option::<usize>::None);
    let output = use_node_ref();
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    // Servers and Sentinels answer redis-cli; clients do not listen.
    let names: Vec<(u16, String, String)> = sim
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            !matches!(n.state, NodeState::Client(_))
                && !matches!(n.spec, replilab_core::node::NodeSpec::Client(_))
        })
        .map(|(i, n)| (i as u16, n.name.clone(), format!("{}:{}", n.host, n.port)))
        .collect();
    let target = if names.iter().any(|n| n.0 == p.target.0) {
        p.target.0
    } else {
        names.first().map_or(0, |n| n.0)
    };
    let prompt = names
        .iter()
        .find(|n| n.0 == target)
        .map(|n| format!("{}>", n.2))
        .unwrap_or_default();
    let history: Vec<String> = session.lines.iter().map(|l| l.command.clone()).collect();
    let lines = session.lines.clone();
    drop(session);

    {
        let output = output.clone();
        use_effect_with(lines.len(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let on_target = {
        let cb = p.on_target.clone();
        let ids: Vec<u16> = names.iter().map(|n| n.0).collect();
        Callback::from(move |e: Event| {
            let i = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            if let Some(id) = usize::try_from(i).ok().and_then(|i| ids.get(i)) {
                cb.emit(NodeId(*id));
            }
        })
    };
    let on_key = {
        let cb = p.on_command.clone();
        let history_pos = history_pos.clone();
        Callback::from(move |e: KeyboardEvent| {
            let el = e.target_unchecked_into::<HtmlInputElement>();
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    if !line.trim().is_empty() {
                        cb.emit((NodeId(target), line));
                    }
                    el.set_value("");
                    *history_pos.borrow_mut() = None;
                }
                "ArrowUp" | "ArrowDown" if !history.is_empty() => {
                    e.prevent_default();
                    let mut pos = history_pos.borrow_mut();
                    let next = match (*pos, e.key().as_str()) {
                        (None, "ArrowUp") => Some(history.len() - 1),
                        (Some(0), "ArrowUp") => Some(0),
                        (Some(i), "ArrowUp") => Some(i - 1),
                        (Some(i), "ArrowDown") if i + 1 < history.len() => Some(i + 1),
                        _ => None,
                    };
                    *pos = next;
                    el.set_value(next.and_then(|i| history.get(i)).map_or("", |s| s.as_str()));
                }
                "Escape" => {
                    let _ = el.blur();
                }
                _ => {}
            }
        })
    };
    html! {
        <section class="panel console" aria-label={l.t(i18n::CONSOLE)}>
            <header class="panel-head">
                {p.fold.clone()}
                <h2>{"redis-cli"}</h2>
                <label class="target"><span class="sr-only">{l.t(i18n::NODE)}</span>
                    <select id="console-target" onchange={on_target}>
                        { for names.iter().map(|(i, n, addr)| html! {
                            <option value={n.clone()} selected={*i == target}>{format!("{n} · {addr}")}</option>
                        }) }
                    </select>
                </label>
            </header>
            <div id="console-output" class="console-output" role="log" tabindex="0" aria-label={l.t(OUTPUT)} ref={output}>
                { for lines.iter().map(|line| html! {
                    <div class="entry">
                        <div class="cmd"><span class="t">{fmt_time(line.at_ms)}</span><span class="prompt">{format!("[{}] {}", line.node, line.prompt)}</span>{" "}{&line.command}</div>
                        if let Some(r) = &line.reply { <pre class="reply">{r}</pre> } else { <pre class="reply pending">{l.t(i18n::WAITING)}</pre> }
                    </div>
                }) }
            </div>
            <div class="console-input">
                <span class="prompt">{prompt}</span>
                <input id="console-input" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-label={l.t(i18n::COMMAND)} placeholder="SET k v" onkeydown={on_key} />
            </div>
        </section>
    }
}
