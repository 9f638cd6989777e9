//! The page's lesson decoding in a real browser: the JSON `web/build.rs`
//! wrote, parsed by the browser (`JSON.parse`, as `Response::json()` does),
//! decoded by `lessons::decode` (serde_wasm_bindgen into the scenario's own
//! `Deserialize`) must equal what the TOML loader reads from the same file.
//! The native side of this is `tests/tests/lesson_json.rs`.
//!   wasm-pack test --headless --chrome web --test lesson_json
#![cfg(target_arch = "wasm32")]

use replilab_core::export::Embed;
use replilab_core::scenario;
use replilab_web::lessons;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/lesson_files.rs"));

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

#[wasm_bindgen_test]
fn every_lesson_decodes_to_what_the_toml_loader_reads() {
    assert!(LESSON_FILES.len() >= 15, "{} lessons", LESSON_FILES.len());
    for (name, toml, json) in LESSON_FILES {
        let want = scenario::parse(toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(lessons::decode(parse(json)), Ok(want), "{name}");
    }
}

/// `tests/fixtures/every-field.json`: a scenario with every field set, as
/// `web/build.rs` writes it (the native test keeps it current). Decoded here
/// and written again with serde, it gives the same JSON.
#[wasm_bindgen_test]
fn a_scenario_with_every_field_set_decodes() {
    let fixture = include_str!("../../tests/fixtures/every-field.json");
    let s = lessons::decode(parse(fixture)).unwrap();
    assert_eq!(s.id, "all-fields");
    let mut again = serde_json::to_value(&s).unwrap();
    strip_nulls(&mut again);
    let want: serde_json::Value = serde_json::from_str(fixture).unwrap();
    assert_eq!(again, want);
}

fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[wasm_bindgen_test]
fn a_wrong_lesson_is_an_error_naming_the_field() {
    let fixture = include_str!("../../tests/fixtures/every-field.json");
    let cases = [
        (
            fixture.replacen("\"kind\": \"client\"", "\"kind\": \"robot\"", 1),
            "node[0].kind: unknown variant `robot`, expected one of `redis`, `sentinel`, `client`",
        ),
        (
            fixture.replacen("\"quorum\": 2", "\"quorum\": \"2\"", 1),
            "node[0].monitor.quorum: invalid type: string \"2\", expected u32",
        ),
        (
            fixture.replacen("\"port\": 6390", "\"port\": 70000", 1),
            "node[0].port: invalid value: integer `70000`, expected u16",
        ),
        (
            // Beyond 2^53: not an integer a JavaScript number holds.
            fixture.replacen(
                "\"seed\": 9007199254740991",
                "\"seed\": 18446744073709551615",
                1,
            ),
            "seed: invalid type: floating point",
        ),
        (
            r#"{"id": "first-full-sync", "nodes": 3}"#.to_string(),
            "missing field `format`",
        ),
        (
            "3".to_string(),
            "invalid type: floating point `3.0`, expected struct Scenario",
        ),
        (
            "null".to_string(),
            "invalid type: unit value, expected struct Scenario",
        ),
    ];
    for (text, want) in cases {
        let e = lessons::decode(parse(&text)).unwrap_err();
        assert!(e.contains(want), "{e:?} lacks {want:?}");
    }
}

/// The postMessage events keep the shape README documents.
#[wasm_bindgen_test]
fn embed_messages_are_plain_objects() {
    let msg = replilab_web::dom::embed_message(Embed::Step { step: 2, t: 41000 }).unwrap();
    assert!(msg.is_object() && !msg.has_type::<js_sys::Map>());
    let json: String = js_sys::JSON::stringify(&msg).unwrap().into();
    assert_eq!(
        json,
        r#"{"source":"replilab","type":"step","step":2,"t":41000}"#
    );
    let ready = replilab_web::dom::embed_message(Embed::Ready).unwrap();
    let json: String = js_sys::JSON::stringify(&ready).unwrap().into();
    assert_eq!(json, r#"{"source":"replilab","type":"ready"}"#);
}
