//! The scenario JSON the page fetches (`replilab_core::scenario::decode`,
//! here from serde_json, in the page from `serde_wasm_bindgen`); a scenario
//! that decodes is opened as the page opens it (a `Session`) and run for its
//! first 2 s of simulated time.
#![no_main]

use std::rc::Rc;

use libfuzzer_sys::fuzz_target;
use replilab_core::scenario;
use replilab_core::timeline::{Session, Source};

fuzz_target!(|data: &[u8]| {
    let mut de = serde_json::Deserializer::from_slice(data);
    let Ok(mut s) = scenario::decode(&mut de) else {
        return;
    };
    s.duration_s = s.duration_s.min(2);
    let mut session = Session::new(Source::Lesson(Rc::new(s)), None);
    let _ = session.advance_to(2_000);
});
