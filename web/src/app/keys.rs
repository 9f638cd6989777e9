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
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let tag = target
                .as_ref()
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            // A focused scrolling panel (tabindex="0") keeps the keys that scroll it:
            // Space when it scrolls down, ←/→ when it scrolls sideways.
            let (scrolls_y, scrolls_x) = target
                .as_ref()
                .filter(|el| el.has_attribute("tabindex"))
                .map(|el| {
                    (
                        el.scroll_height() > el.client_height(),
                        el.scroll_width() > el.client_width(),
                    )
                })
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
                " " if has_session
                    && !scrolls_y
                    && !matches!(tag.as_str(), "button" | "a" | "summary") =>
                {
                    e.prevent_default();
                    on_toggle.emit(());
                }
                "ArrowRight" if has_session && !scrolls_x => {
                    e.prevent_default();
                    step(1, e.shift_key());
                }
                "ArrowLeft" if has_session && !scrolls_x => {
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
