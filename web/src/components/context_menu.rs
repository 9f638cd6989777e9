//! The right-click menu on a node: its faults, open the console there.
//! Keyboard: the first item takes focus; Esc closes; ↑/↓ move.

use replilab_core::net::NodeId;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::faults::{Quick, ALL};
use crate::i18n::{self, Lang};
use crate::lab::Lab;
use crate::state::Menu;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub menu: Menu,
    pub on_fault: Callback<(Quick, NodeId)>,
    pub on_console: Callback<NodeId>,
    pub on_close: Callback<()>,
}

#[function_component(ContextMenu)]
pub fn context_menu(p: &Props) -> Html {
    let l = p.lang;
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with(p.menu.clone(), move |_| {
            if let Some(el) = root.cast::<web_sys::Element>() {
                if let Ok(Some(first)) = el.query_selector("button:not([disabled])") {
                    if let Ok(b) = first.dyn_into::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        });
    }
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let node = p.menu.node;
    let items = ALL.iter().map(|&q| {
        let cb = p.on_fault.clone();
        let ok = q.applies(sim, node);
        html! { <button role="menuitem" data-fault={q.code()} disabled={!ok} onclick={Callback::from(move |_| cb.emit((q, node)))}>{l.t(q.label())}</button> }
    });
    let console = {
        let cb = p.on_console.clone();
        Callback::from(move |_| cb.emit(node))
    };
    let keys = {
        let close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            let k = e.key();
            if k == "Escape" {
                e.prevent_default();
                close.emit(());
            } else if k == "ArrowDown" || k == "ArrowUp" {
                e.prevent_default();
                let Some(cur) = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                else {
                    return;
                };
                let mut next = if k == "ArrowDown" {
                    cur.next_element_sibling()
                } else {
                    cur.previous_element_sibling()
                };
                while let Some(n) = next.clone() {
                    if n.has_attribute("disabled") {
                        next = if k == "ArrowDown" {
                            n.next_element_sibling()
                        } else {
                            n.previous_element_sibling()
                        };
                    } else {
                        break;
                    }
                }
                if let Some(b) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = b.focus();
                }
            }
        })
    };
    let x = p.menu.x.clamp(0, 10_000);
    let y = p.menu.y.clamp(0, 10_000);
    html! {
        <div class="menu-backdrop" onclick={let c = p.on_close.clone(); Callback::from(move |_| c.emit(()))}
            oncontextmenu={let c = p.on_close.clone(); Callback::from(move |e: MouseEvent| { e.prevent_default(); c.emit(()) })}>
            <div id="node-menu" class="menu" role="menu" ref={root} aria-label={l.f(i18n::NODE_ACTIONS, &[&sim.name(node)])}
                style={format!("left:min({x}px, calc(100vw - 240px));top:min({y}px, calc(100vh - 380px))")}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())} onkeydown={keys}>
                <p class="menu-title">{l.f(i18n::NODE_ACTIONS, &[&sim.name(node)])}</p>
                { for items }
                <button role="menuitem" data-action="console" onclick={console}>{l.t(i18n::F_CONSOLE)}</button>
            </div>
        </div>
    }
}
