//! The lessons built into the page (`static/lessons/*.toml`, loaded and
//! embedded as JSON by `build.rs`), decoded once. A file that does not load
//! is listed with its error instead of breaking the page.

use std::rc::Rc;

use replilab_core::scenario::Scenario;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

pub const SANDBOX_ID: &str = "sandbox";

#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Ok(Rc<Scenario>),
    Broken { file: String, error: String },
}

thread_local! {
    static ALL: Vec<Entry> = LESSON_FILES
        .iter()
        .map(|(file, entry)| match entry.map(decode) {
            Ok(Ok(s)) => Entry::Ok(Rc::new(s)),
            Ok(Err(e)) => Entry::Broken { file: file.to_string(), error: e },
            Err(e) => Entry::Broken { file: file.to_string(), error: e.to_string() },
        })
        .collect();
}

pub fn all() -> Vec<Entry> {
    ALL.with(|a| a.clone())
}

pub fn find(id: &str) -> Option<Rc<Scenario>> {
    ALL.with(|a| {
        a.iter().find_map(|e| match e {
            Entry::Ok(s) if s.id == id => Some(s.clone()),
            _ => None,
        })
    })
}

fn decode(json: &str) -> Result<Scenario, String> {
    let v = js_sys::JSON::parse(json).map_err(|_| "bad embedded JSON".to_string())?;
    serde_wasm_bindgen::from_value(v).map_err(|e| e.to_string())
}
