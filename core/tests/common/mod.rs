//! Helpers shared by the core's browser tests (compiled for wasm32 only).
//!
//! A long test hands the browser's main thread back now and then: chromedriver
//! gives up on a renderer that answers nothing for 30 s, and a debug wasm
//! build of the core runs a few times slower than native.

/// Resolves in a later task of the browser's event loop (`setTimeout(0)`).
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
                .expect("setTimeout")
                .into();
        set_timeout
            .call1(&js_sys::wasm_bindgen::JsValue::NULL, &resolve)
            .expect("setTimeout(resolve)");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("a timer never rejects");
}
