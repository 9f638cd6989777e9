//! The right-click menu on a node (its faults, open the console there) or
//! on a replication link (cut one way or both, heal, change its latency).
//! Keyboard: the first item takes focus; Esc closes; ↑/↓ move.

use replilab_core::action::{Action, LinkChange};
use replilab_core::net::NodeId;
use replilab_core::sim::Fault;
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
    /// Actions on a link, recorded in the schedule.
    pub on_actions: Callback<Vec<Action>>,
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
    if let Some(peer) = p.menu.peer {
        let (a, b) = (sim.name(node), sim.name(peer));
        let f = |fault: Fault| sim.named(&fault);
        let cut = |from, to| f(Fault::Cut { from, to });
        let lat = |ms: u64| {
            f(Fault::Link {
                a: node,
                b: peer,
                change: LinkChange {
                    latency_ms: Some(ms),
                    ..LinkChange::default()
                },
            })
        };
        let entries: Vec<(&str, String, Vec<Action>)> = vec![
            (
                "cut-ab",
                format!("{} {a} → {b}", l.t(CUT)),
                vec![cut(node, peer)],
            ),
            (
                "cut-ba",
                format!("{} {b} → {a}", l.t(CUT)),
                vec![cut(peer, node)],
            ),
            (
                "cut-both",
                l.t(CUT_BOTH).to_string(),
                vec![f(Fault::Partition {
                    groups: vec![vec![node], vec![peer]],
                })],
            ),
            ("heal", l.t(i18n::HEAL).to_string(), vec![f(Fault::Heal)]),
            ("lat-1", l.f(LATENCY, &["1"]), vec![lat(1)]),
            ("lat-100", l.f(LATENCY, &["100"]), vec![lat(100)]),
            ("lat-500", l.f(LATENCY, &["500"]), vec![lat(500)]),
        ];
        let title = l.f(
            LINK_ACTIONS,
            &[&a, &b, &sim.net.link(node, peer).latency_ms.to_string()],
        );
        let items = entries.into_iter().map(|(code, label, actions)| {
            let cb = p.on_actions.clone();
            html! { <button role="menuitem" data-fault={code} onclick={Callback::from(move |_| cb.emit(actions.clone()))}>{label}</button> }
        });
        return menu(p, root, &title, html! { { for items } });
    }
    let items = ALL.iter().map(|&q| {
        let cb = p.on_fault.clone();
        let ok = q.applies(sim, node);
        html! { <button role="menuitem" data-fault={q.code()} disabled={!ok} onclick={Callback::from(move |_| cb.emit((q, node)))}>{l.t(q.label())}</button> }
    });
    let console = {
        let cb = p.on_console.clone();
        Callback::from(move |_| cb.emit(node))
    };
    let title = l.f(i18n::NODE_ACTIONS, &[&sim.name(node)]);
    menu(
        p,
        root,
        &title,
        html! { <>{ for items }<button role="menuitem" data-action="console" onclick={console}>{l.t(i18n::F_CONSOLE)}</button></> },
    )
}

const CUT: i18n::T = i18n::T {
    en: "Cut",
    zh: "切断",
};
const CUT_BOTH: i18n::T = i18n::T {
    en: "Cut both ways",
    zh: "双向切断",
};
const LATENCY: i18n::T = i18n::T {
    en: "Latency {0} ms",
    zh: "延迟 {0} 毫秒",
};
const LINK_ACTIONS: i18n::T = i18n::T {
    en: "Link {0} ↔ {1} ({2} ms)",
    zh: "链路 {0} ↔ {1}（{2} 毫秒）",
};

/// The menu's frame: placement, focus, Esc, ↑/↓.
fn menu(p: &Props, root: NodeRef, title: &str, items: Html) -> Html {
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
            <div id="node-menu" class="menu" role="menu" ref={root} aria-label={title.to_string()}
                style={format!("left:min({x}px, calc(100vw - 240px));top:max(0px, min({y}px, calc(100vh - 380px)))")}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())} onkeydown={keys}>
                <p class="menu-title">{title.to_string()}</p>
                {items}
            </div>
        </div>
    }
}
