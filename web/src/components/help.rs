//! The keyboard shortcuts overlay (`?`).

use yew::prelude::*;

use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub on_close: Callback<()>,
}

#[function_component(Help)]
pub fn help(p: &Props) -> Html {
    let l = p.lang;
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let btn = use_node_ref();
    {
        let btn = btn.clone();
        use_effect_with((), move |_| {
            if let Some(b) = btn.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{l.t(i18n::SHORTCUTS)}</h2>
                <dl class="shortcuts">
                    { for i18n::KEYS_HELP.iter().map(|(k, t)| html! { <><dt><kbd>{*k}</kbd></dt><dd>{l.t(*t)}</dd></> }) }
                </dl>
                <button class="btn primary" ref={btn} onclick={close}>{l.t(i18n::CLOSE)}</button>
            </div>
        </div>
    }
}
