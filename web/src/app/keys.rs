//! Keyboard shortcuts: Space, ←/→ (Shift: landmarks), /, ?, Escape.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::controls::Step;
use super::KeyHandler;
use crate::dom;
use crate::state::{Action, UiState};

/// The handler for this render (the latest closure sees the latest state).
pub fn shortcuts(
    d: UseReducerDispatcher<UiState>,
    step: Step,
    has_session: bool,
    on_toggle: Callback<()>,
) -> KeyHandler {
    {
        Rc::new(move |e: web_sys::KeyboardEvent| {
            let key = e.key();
            let tag = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            if key == "Escape" {
                d.dispatch(Action::CloseMenu);
                return;
            }
            if matches!(tag.as_str(), "input" | "select" | "textarea")
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
            {
                return;
            }
            match key.as_str() {
                " " if has_session && !matches!(tag.as_str(), "button" | "a" | "summary") => {
                    e.prevent_default();
                    on_toggle.emit(());
                }
                "ArrowRight" if has_session => {
                    e.prevent_default();
                    step(1, e.shift_key());
                }
                "ArrowLeft" if has_session => {
                    e.prevent_default();
                    step(-1, e.shift_key());
                }
                "/" if has_session => {
                    e.prevent_default();
                    dom::focus("console-input");
                }
                "?" => {
                    e.prevent_default();
                    d.dispatch(Action::ToggleHelp);
                }
                _ => {}
            }
        })
    }
}
