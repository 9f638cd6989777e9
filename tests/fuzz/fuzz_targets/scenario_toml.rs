//! The scenario loader on TOML text (`replilab_core::scenario::parse`); a
//! scenario that loads is built and run for its first 10 s of simulated time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replilab_core::scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match scenario::parse(src) {
        Err(e) => assert!(
            e.line >= 1 && e.column >= 1 && !e.message.is_empty(),
            "{e:?}"
        ),
        Ok(mut s) => {
            s.duration_s = s.duration_s.min(10);
            let _ = scenario::run(&s, None);
        }
    }
});
