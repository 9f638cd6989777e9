//! The config importer (`scenario::import::import_conf`) on any text, and the
//! import written into a small deployment (`import::apply`) at one of its
//! nodes, chosen by the first byte: every directive line is accounted for,
//! and what `apply` returns loads (`replilab_harness::cli::import::check_any_text`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let node = ["m", "r1", "r2", "s1"][usize::from(pick % 4)];
    replilab_harness::cli::import::check_any_text(&String::from_utf8_lossy(rest), node);
});
