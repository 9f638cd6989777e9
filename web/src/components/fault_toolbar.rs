//! The fault toolbar: the same faults as the node menu, without a mouse:
//! choose a fault, then its target, then apply. Heal ends every cut.

use replilab_core::net::NodeId;
use web_sys::HtmlSelectElement;
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
}

#[function_component(FaultToolbar)]
pub fn fault_toolbar(p: &Props) -> Html {
    let l = p.lang;
    let kind = use_state(|| Quick::Pause5);
    let target = use_state(|| None::<NodeId>);
    let node = target.unwrap_or(p.selected);
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(q) = Quick::from_code(&v) {
                kind.set(q);
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
    let apply = {
        let cb = p.on_fault.clone();
        let kind = *kind;
        Callback::from(move |_: MouseEvent| cb.emit((kind, node)))
    };
    let heal = {
        let cb = p.on_heal.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="fault-toolbar" role="toolbar" aria-label={l.t(i18n::FAULTS)}>
            <span class="tb-title">{"⚡ "}{l.t(i18n::FAULTS)}</span>
            <label><span class="sr-only">{l.t(i18n::FAULT_KIND)}</span>
                <select id="fault-kind" onchange={on_kind}>
                    { for ALL.iter().map(|q| html! { <option value={q.code()} selected={*q == *kind}>{l.t(q.label())}</option> }) }
                </select>
            </label>
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
