//! Opening a `.toml` file in the editor: by the file picker or dropped on
//! the text. A file over the text cap is refused before it is read.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::i18n::{self, Lang};
use replilab_core::scenario::Limit;

pub struct FileCallbacks {
    pub pick: Callback<Event>,
    pub drop: Callback<DragEvent>,
}

pub fn on_file(
    l: Lang,
    set_text: Callback<String>,
    error: UseStateHandle<Option<String>>,
) -> FileCallbacks {
    let read = Callback::from(move |f: web_sys::File| {
        let (set_text, error) = (set_text.clone(), error.clone());
        let name = f.name();
        if f.size() > Limit::Text.max() as f64 {
            let args = [
                &*name,
                &*f.size().to_string(),
                &*Limit::Text.max().to_string(),
            ];
            error.set(Some(l.f(i18n::FILE_TOO_BIG, &args)));
            return;
        }
        yew::platform::spawn_local(async move {
            match JsFuture::from(f.text()).await.map(|t| t.as_string()) {
                Ok(Some(t)) => {
                    error.set(None);
                    set_text.emit(t);
                }
                Ok(None) => error.set(Some(l.f(i18n::FILE_UNREADABLE, &[&name, "not text"]))),
                Err(e) => error.set(Some(
                    l.f(i18n::FILE_UNREADABLE, &[&name, &format!("{e:?}")]),
                )),
            }
        });
    });
    let pick = {
        let read = read.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|fs| fs.get(0)) {
                read.emit(f);
            }
            input.set_value("");
        })
    };
    let drop = Callback::from(move |e: DragEvent| {
        let file = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|fs| fs.get(0));
        if let Some(f) = file {
            e.prevent_default();
            read.emit(f);
        }
    });
    FileCallbacks { pick, drop }
}
