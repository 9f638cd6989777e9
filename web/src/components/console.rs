//! A redis-cli prompt against any node, with history (↑/↓).

use replilab_core::net::NodeId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::lab::{ConsoleLine, Lab};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lines: Vec<ConsoleLine>,
    pub on_command: Callback<(NodeId, String)>,
}

#[function_component(Console)]
pub fn console(p: &Props) -> Html {
    let target = use_state(|| 0u16);
    let history_pos = use_mut_ref(|| Option::<usize>::None);
    let input = use_node_ref();
    let names: Vec<(u16, String, String)> = {
        let sim = p.lab.sim.borrow();
        sim.nodes()
            .iter()
            .enumerate()
            .map(|(i, n)| (i as u16, n.name.clone(), format!("{}:{}", n.host, n.port)))
            .collect()
    };
    let prompt = names
        .get(*target as usize)
        .map(|n| format!("{}>", n.2))
        .unwrap_or_default();
    let history: Vec<String> = p.lines.iter().map(|l| l.command.clone()).collect();

    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            target.set(v.max(0) as u16);
        })
    };
    let on_key = {
        let cb = p.on_command.clone();
        let target = target.clone();
        let history_pos = history_pos.clone();
        Callback::from(move |e: KeyboardEvent| {
            let el = e.target_unchecked_into::<HtmlInputElement>();
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    if !line.trim().is_empty() {
                        cb.emit((NodeId(*target), line));
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
                    el.set_value(next.map(|i| history[i].as_str()).unwrap_or(""));
                }
                _ => {}
            }
        })
    };
    html! {
        <section class="card console" aria-label="Console">
            <header class="console-head">
                <h2>{"redis-cli"}</h2>
                <label>{"node "}
                    <select id="console-target" onchange={on_target}>
                        { for names.iter().map(|(i, n, _)| html! { <option value={n.clone()} selected={*i == *target}>{n}</option> }) }
                    </select>
                </label>
            </header>
            <div id="console-output" class="console-output" role="log" aria-live="polite">
                { for p.lines.iter().map(|l| html! {
                    <div class="entry">
                        <div class="cmd"><span class="prompt">{format!("[{}] {}", l.node, l.prompt)}</span>{" "}{&l.command}</div>
                        if let Some(r) = &l.reply { <pre class="reply">{r}</pre> } else { <pre class="reply pending">{"(waiting…)"}</pre> }
                    </div>
                }) }
            </div>
            <div class="console-input">
                <span class="prompt">{prompt}</span>
                <input id="console-input" ref={input} type="text" spellcheck="false" autocomplete="off"
                    aria-label="Command" placeholder="SET k v" onkeydown={on_key} />
            </div>
        </section>
    }
}
