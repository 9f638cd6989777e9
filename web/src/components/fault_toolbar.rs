//! The fault toolbar: the same faults as the node menu, without a mouse:
//! choose a fault, then its target, then apply. Heal ends every cut.
//! "CONFIG SET…" adds a parameter picker (the parameters the simulated Redis
//! lets CONFIG SET change) and a value; applying runs the command on the
//! target at the playhead, so it enters the schedule like a console command.

use replilab_core::net::NodeId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::faults::{Quick, ALL};
use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub nodes: Vec<String>,
    pub selected: NodeId,
    pub on_fault: Callback<(Quick, NodeId)>,
    pub on_heal: Callback<()>,
    /// A console command on a node (CONFIG SET).
    pub on_command: Callback<(NodeId, String)>,
}

/// What CONFIG SET may change in the simulated Redis (`core/src/redis/conf/`),
/// with a sensible first value.
const PARAMS: &[(&str, &str)] = &[
    ("min-replicas-to-write", "1"),
    ("min-replicas-max-lag", "10"),
    ("repl-backlog-size", "1mb"),
    ("repl-backlog-ttl", "3600"),
    ("repl-timeout", "60"),
    ("repl-ping-replica-period", "10"),
    ("repl-diskless-sync", "yes"),
    ("repl-diskless-sync-delay", "5"),
    ("repl-diskless-sync-max-replicas", "0"),
    ("replica-priority", "100"),
    ("replica-read-only", "yes"),
    ("replica-serve-stale-data", "yes"),
    ("replica-lazy-flush", "no"),
    ("replica-announced", "yes"),
    ("client-output-buffer-limit", "replica 256mb 64mb 60"),
    ("protected-mode", "no"),
    ("active-expire-effort", "1"),
    ("hz", "10"),
];
const CONFIG_SET: &str = "config-set";
const CONFIG_LABEL: i18n::T = i18n::T {
    en: "CONFIG SET…",
    zh: "CONFIG SET…",
};
const PARAM: i18n::T = i18n::T {
    en: "Parameter",
    zh: "参数",
};
const VALUE: i18n::T = i18n::T {
    en: "Value",
    zh: "值",
};

#[function_component(FaultToolbar)]
pub fn fault_toolbar(p: &Props) -> Html {
    let l = p.lang;
    // None: CONFIG SET.
    let kind = use_state(|| Some(Quick::Pause5));
    let param = use_state(|| 0usize);
    let value = use_state(|| PARAMS[0].1.to_string());
    let target = use_state(|| None::<NodeId>);
    let node = target.unwrap_or(p.selected);
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if v == CONFIG_SET {
                kind.set(None);
            } else if let Some(q) = Quick::from_code(&v) {
                kind.set(Some(q));
            }
        })
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let i = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            if i >= 0 {
                target.set(Some(NodeId(i as u16)));
            }
        })
    };
    let on_param = {
        let (param, value) = (param.clone(), value.clone());
        Callback::from(move |e: Event| {
            let i = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            if let Some((_, v)) = usize::try_from(i).ok().and_then(|i| PARAMS.get(i)) {
                param.set(i as usize);
                value.set(v.to_string());
            }
        })
    };
    let on_value = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let apply = {
        let (cb, command) = (p.on_fault.clone(), p.on_command.clone());
        let kind = *kind;
        let line = PARAMS
            .get(*param)
            .map(|(name, _)| format!("CONFIG SET {name} \"{}\"", value.replace(['"', '\\'], "")));
        Callback::from(move |_: MouseEvent| match (kind, &line) {
            (Some(q), _) => cb.emit((q, node)),
            (None, Some(line)) => command.emit((node, line.clone())),
            (None, None) => {}
        })
    };
    let heal = {
        let cb = p.on_heal.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class={classes!("fault-toolbar", kind.is_none().then_some("config"))} role="toolbar" aria-label={l.t(i18n::FAULTS)}>
            <span class="tb-title">{"⚡ "}{l.t(i18n::FAULTS)}</span>
            <label><span class="sr-only">{l.t(i18n::FAULT_KIND)}</span>
                <select id="fault-kind" onchange={on_kind}>
                    { for ALL.iter().map(|q| html! { <option value={q.code()} selected={Some(*q) == *kind}>{l.t(q.label())}</option> }) }
                    <option value={CONFIG_SET} selected={kind.is_none()}>{l.t(CONFIG_LABEL)}</option>
                </select>
            </label>
            if kind.is_none() {
                <label><span class="sr-only">{l.t(PARAM)}</span>
                    <select id="config-param" onchange={on_param}>
                        { for PARAMS.iter().enumerate().map(|(i, (n, _))| html! { <option value={*n} selected={i == *param}>{*n}</option> }) }
                    </select>
                </label>
                <label><span class="sr-only">{l.t(VALUE)}</span>
                    <input id="config-value" class="config-value" type="text" value={(*value).clone()} oninput={on_value} spellcheck="false" />
                </label>
            }
            <label><span class="sr-only">{l.t(i18n::TARGET)}</span>
                <select id="fault-target" onchange={on_target}>
                    { for p.nodes.iter().enumerate().map(|(i, n)| html! { <option value={n.clone()} selected={i == node.0 as usize}>{n.clone()}</option> }) }
                </select>
            </label>
            <button id="fault-apply" class="btn" onclick={apply}>{l.t(i18n::APPLY)}</button>
            <button id="heal" class="btn" onclick={heal}>{l.t(i18n::HEAL)}</button>
        </div>
    }
}
