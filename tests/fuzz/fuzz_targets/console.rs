//! The console's command line: each input is up to 16 lines typed at
//! `replilab console` (sandbox: a master, two replicas, three Sentinels).
//! Every line goes through `split_args` (a Redis command's argv) and the
//! action grammar (with its one-text-form round trip), then through the
//! console's own line handler on a fresh copy of the console.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replilab_core::action::{self, Action};
use replilab_core::data::{format_argv, split_args};
use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::Source;
use replilab_harness::cli::console::Console;

/// `.sleep` and `.seek` further than this are skipped: a long sleep is slow,
/// not wrong (the event budget bounds it), and would starve the fuzzer.
const MAX_ADVANCE_MS: i64 = 20_000;

thread_local! {
    static BASE: Console = {
        let topo = Topo { sentinels: 3, ..Topo::default() };
        Console::new(Source::Sandbox(topo), Some(1))
    };
}

/// The action grammar's one text form: what parses prints back to itself.
fn grammar(text: &str) {
    if let Ok(argv) = split_args(text) {
        let shown = format_argv(&argv);
        assert_eq!(split_args(&shown), Ok(argv), "{shown}");
    }
    if let Ok(a) = text.parse::<Action>() {
        let shown = a.to_string();
        let again: Action = shown
            .parse()
            .unwrap_or_else(|e| panic!("{a:?} prints as {shown:?}, which fails: {e:?}"));
        assert_eq!(again, a, "{shown:?} does not read back");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut console = BASE.with(|b| b.clone());
    for line in text.lines().take(16) {
        grammar(line);
        if let Some(meta) = line.trim().strip_prefix('.') {
            grammar(meta);
            let mut parts = meta.split_whitespace();
            if matches!(parts.next(), Some("sleep" | "seek")) {
                let far = parts
                    .next()
                    .and_then(|t| action::parse_ms(t, false).ok())
                    .is_some_and(|ms| ms > MAX_ADVANCE_MS);
                if far {
                    continue;
                }
            }
        }
        let _ = console.line(line);
    }
});
