//! The editor's text area with its line numbers (a gutter that scrolls with
//! the text and marks the line of the loader's error), and moving the caret
//! to an error's line and column.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub text: String,
    pub error_line: Option<usize>,
    pub area: NodeRef,
    pub label: &'static str,
    pub drop_hint: &'static str,
    pub oninput: Callback<InputEvent>,
    pub ondrop: Callback<DragEvent>,
}

#[function_component(Lines)]
pub fn lines(p: &Props) -> Html {
    let gutter = use_node_ref();
    let onscroll = {
        let (gutter, area) = (gutter.clone(), p.area.clone());
        Callback::from(move |_: Event| {
            if let (Some(g), Some(a)) = (
                gutter.cast::<web_sys::Element>(),
                area.cast::<web_sys::Element>(),
            ) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    let n = p.text.split('\n').count();
    let numbers = (1..=n).map(|i| {
        let err = p.error_line == Some(i);
        html! { <span class={classes!(err.then_some("err"))}>{i}{"\n"}</span> }
    });
    html! {
        <div class="ed-text" ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={p.ondrop.clone()}>
            <pre ref={gutter} class="ed-gutter" aria-hidden="true">{for numbers}</pre>
            <textarea id="ed-area" ref={p.area.clone()} aria-label={p.label} title={p.drop_hint} spellcheck="false"
                autocomplete="off" wrap="off" value={p.text.clone()} oninput={p.oninput.clone()} {onscroll} />
        </div>
    }
}

/// Puts the caret at `line`, `column` (from 1, in characters) of `text`.
pub fn jump(area: NodeRef, text: String, line: usize, column: usize) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let Some(a) = area.cast::<web_sys::HtmlTextAreaElement>() else {
            return;
        };
        // The text area counts in UTF-16 code units.
        let mut at = 0u32;
        for (i, l) in text.split('\n').enumerate() {
            if i + 1 == line {
                at += l
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| c.len_utf16() as u32)
                    .sum::<u32>();
                break;
            }
            at += l.encode_utf16().count() as u32 + 1;
        }
        let _ = a.focus();
        let _ = a.set_selection_range(at, at);
    })
}
