//! The few browser services the page uses, each failing quietly: storage,
//! the URL hash, the clipboard, downloads, and messages to an embedding page.

use replilab_core::export::{Embed, EmbedMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.remove_item(key);
    }
}

pub fn navigator_language() -> Option<String> {
    window()?.navigator().language()
}

pub fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Replaces the hash without adding a history entry or a hashchange event.
pub fn replace_hash(hash: &str) {
    let Some(w) = window() else { return };
    let current = w.location().hash().unwrap_or_default();
    if current == hash {
        return;
    }
    if let Ok(h) = w.history() {
        let url = if hash.is_empty() {
            let href = w.location().href().unwrap_or_default();
            href.split('#').next().unwrap_or_default().to_string()
        } else {
            hash.to_string()
        };
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The page's address with `hash`.
pub fn href_with(hash: &str) -> String {
    let href = window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    format!("{}{}", href.split('#').next().unwrap_or_default(), hash)
}

pub fn copy(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

pub fn set_root_attr(name: &str, value: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute(name, value);
    }
}

pub fn set_body_attr(name: &str, value: &str) {
    if let Some(b) = window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = b.set_attribute(name, value);
    }
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let (Ok(a), Some(body)) = (doc.create_element("a"), doc.body()) {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
    // Revoking at once can cancel the download: later.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Tells an embedding page what happened: `{source: "replilab", type, ...}`
/// (`replilab_core::export::EmbedMessage`).
pub fn post_parent(event: Embed) {
    let Some(w) = window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    if let Ok(msg) = embed_message(event) {
        let _ = parent.post_message(&msg, "*");
    }
}

/// The message as a plain JS object (JSON-compatible: maps as objects).
pub fn embed_message(event: Embed) -> Result<JsValue, serde_wasm_bindgen::Error> {
    use serde::Serialize as _;
    EmbedMessage::from(event).serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

pub fn focus(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

pub fn outer_html(id: &str) -> Option<String> {
    Some(window()?.document()?.get_element_by_id(id)?.outer_html())
}

/// Sets the hash as a navigation (a history entry and a hashchange event:
/// the page reopens on it).
pub fn set_hash(hash: &str) {
    if let Some(w) = window() {
        let _ = w.location().set_hash(hash);
    }
}
