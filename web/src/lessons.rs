//! The lessons of the page (`static/lessons/*.toml`). `build.rs` loads them
//! with the core's loader and ships each as a JSON file in `dist/lessons/`;
//! the wasm holds only the index below (ids and JSON files) and the landing
//! view's HTML (`LANDING_HTML`, rendered by `picker` at build time), and
//! fetches a lesson's JSON, by a relative URL, when it is opened, and decodes
//! it with serde (`decode`). A file
//! that does not load is listed with its error instead of breaking the page.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::scenario::Scenario;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A lesson the page can open, and where its JSON is.
pub struct Meta {
    pub id: &'static str,
    /// Relative to the page: `lessons/<stem>-<hash>.json`.
    pub url: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

pub use replilab_core::scenario::sandbox::SANDBOX_ID;

thread_local! {
    /// Lessons fetched so far, with their ids (a handful: a Vec is smaller
    /// wasm than another map type).
    static LOADED: RefCell<Vec<(&'static str, Rc<Scenario>)>> = const { RefCell::new(Vec::new()) };
}

/// Every lesson file: its name, and its index entry or load error.
pub fn index() -> &'static [(&'static str, Result<Meta, &'static str>)] {
    INDEX
}

pub fn meta(id: &str) -> Option<&'static Meta> {
    INDEX
        .iter()
        .find_map(|(_, e)| e.as_ref().ok().filter(|m| m.id == id))
}

/// The lesson, if it has been fetched already.
pub fn loaded(id: &str) -> Option<Rc<Scenario>> {
    LOADED.with(|l| {
        l.borrow()
            .iter()
            .find_map(|(k, s)| (*k == id).then(|| s.clone()))
    })
}

/// Fetches and decodes the lesson's JSON (once; later calls reuse it).
pub async fn fetch(meta: &'static Meta) -> Result<Rc<Scenario>, String> {
    if let Some(s) = loaded(meta.id) {
        return Ok(s);
    }
    let s = Rc::new(fetch_json(meta.url).await?);
    if s.id != meta.id {
        return Err(format!("{}: id \"{}\"", meta.url, s.id));
    }
    LOADED.with(|l| l.borrow_mut().push((meta.id, s.clone())));
    Ok(s)
}

/// A JS error's message (or its debug form).
fn js_err(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// `url` fetched, if it answers 2xx.
async fn get(url: &str) -> Result<web_sys::Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    Ok(resp)
}

async fn fetch_json(url: &str) -> Result<Scenario, String> {
    let resp = get(url).await?;
    // The browser parses the JSON (a syntax error rejects the promise).
    let value = JsFuture::from(resp.json().map_err(js_err)?)
        .await
        .map_err(|e| format!("{url}: {}", js_err(e)))?;
    // The shape, then the loader's checks: the file may be damaged or
    // hand-made (decoding alone checks only the shape).
    let s = decode(value).map_err(|e| format!("{url}: {e}"))?;
    replilab_core::scenario::check(&s).map_err(|e| format!("{url}: {e}"))?;
    Ok(s)
}

/// A lesson from its parsed JSON (`Response::json()`, or `JSON.parse`),
/// through the scenario's own `Deserialize` (the one the TOML loader uses).
pub fn decode(value: wasm_bindgen::JsValue) -> Result<Scenario, String> {
    // serde_wasm_bindgen's errors print as JS errors do: "Error: " first.
    replilab_core::scenario::decode(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| e.replacen("Error: ", "", 1))
}

/// A scenario that came by link (`scn=`) or from the editor: its link code,
/// its text and what it loads as. One at a time.
pub struct Custom {
    pub code: String,
    pub text: String,
    pub scenario: Rc<Scenario>,
}

thread_local! {
    static CUSTOM: RefCell<Option<Custom>> = const { RefCell::new(None) };
}

/// The custom scenario this link code carries, if it is the one open.
pub fn custom(code: &str) -> Option<Rc<Scenario>> {
    CUSTOM.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|c| c.code == code)
            .map(|c| c.scenario.clone())
    })
}

pub fn set_custom(custom: Custom) {
    CUSTOM.with(|c| *c.borrow_mut() = Some(custom));
}

/// The link code and text of `s`, if it is the custom scenario.
pub fn custom_of(s: &Scenario) -> Option<(String, String)> {
    CUSTOM.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|c| std::ptr::eq(&*c.scenario, s))
            .map(|c| (c.code.clone(), c.text.clone()))
    })
}

/// Where a scenario's progress is kept, and the link that opens it afresh:
/// a custom scenario is not the shipped lesson whose id it may keep.
pub fn progress_key_and_link(s: &Scenario) -> (String, String) {
    match custom_of(s) {
        Some((code, _)) => (format!("custom:{}", s.id), format!("#scn={code}")),
        None => (s.id.clone(), format!("#lesson={}", s.id)),
    }
}

/// The lesson's own TOML file (beside its JSON), for the editor.
pub async fn fetch_toml(meta: &'static Meta) -> Result<String, String> {
    let url = meta.url.replace(".json", ".toml");
    let resp = get(&url).await?;
    let text = JsFuture::from(resp.text().map_err(js_err)?)
        .await
        .map_err(|e| format!("{url}: {}", js_err(e)))?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}
