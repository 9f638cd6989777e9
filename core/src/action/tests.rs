//! The action grammar: random actions round-trip through their text form,
//! and bad texts are errors that say what was expected.

use super::*;
use crate::rng::Rng;

fn random_name(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    let len = 1 + rng.below(32) as usize;
    (0..len)
        .map(|_| CHARS[rng.below(CHARS.len() as u64) as usize] as char)
        .collect()
}

fn random_ms(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => 0,
        1 => rng.below(1000),
        2 => rng.below(100) * 1000,
        _ => rng.below(MAX_MS + 1),
    }
}

fn random_line(rng: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "SET",
        "k",
        "\"a b\"",
        "GET",
        "CONFIG",
        "min-replicas-to-write",
        "1",
        "->",
        "/",
        ",",
        "@x",
        "%",
        ";",
        ":",
        "中文",
        "'q'",
        "\\\"",
        "partition",
        "#",
    ];
    let n = 1 + rng.below(8) as usize;
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

fn random_action(rng: &mut Rng) -> Action {
    let node = |rng: &mut Rng| random_name(rng);
    let signed = |rng: &mut Rng| {
        let ms = random_ms(rng) as i64;
        if rng.below(2) == 0 {
            -ms
        } else {
            ms
        }
    };
    let opt = |rng: &mut Rng, v: u64| (rng.below(2) == 0).then_some(v);
    match rng.below(10) {
        0 => Action::Command {
            node: node(rng),
            line: random_line(rng),
        },
        1 => Action::Pause {
            node: node(rng),
            ms: random_ms(rng),
        },
        2 => Action::Crash { node: node(rng) },
        3 => Action::Restart { node: node(rng) },
        4 => Action::Partition {
            groups: (0..2 + rng.below(3))
                .map(|_| (0..1 + rng.below(4)).map(|_| node(rng)).collect())
                .collect(),
        },
        5 => Action::OneWay {
            from: node(rng),
            to: node(rng),
        },
        6 => Action::Heal,
        7 => Action::Skew {
            node: node(rng),
            ms: signed(rng),
        },
        8 => Action::Jump {
            node: node(rng),
            ms: signed(rng),
        },
        _ => {
            let (l, j, bw) = (random_ms(rng), random_ms(rng), 1 + rng.below(1_250_000_000));
            let mut change = LinkChange {
                latency_ms: opt(rng, l),
                jitter_ms: opt(rng, j),
                bandwidth_bytes_per_ms: opt(rng, bw),
            };
            if change == LinkChange::default() {
                change.latency_ms = Some(random_ms(rng));
            }
            Action::Link {
                a: node(rng),
                b: node(rng),
                change,
            }
        }
    }
}

#[test]
fn random_actions_round_trip_through_their_text() {
    for seed in 1..=20_000u64 {
        let mut rng = Rng::new(seed);
        let action = random_action(&mut rng);
        let text = action.to_string();
        let back: Action = text
            .parse()
            .unwrap_or_else(|e| panic!("seed {seed}: {text:?} does not parse: {e}"));
        assert_eq!(back, action, "seed {seed}: {text:?}");
        assert_eq!(back.to_string(), text, "seed {seed}: the text is canonical");
    }
}

#[test]
fn texts_read_as_written_by_hand() {
    let cases: &[(&str, &str)] = &[
        ("pause m 12s", "pause m 12s"),
        ("pause  m   12000", "pause m 12s"),
        ("pause m 1.5s", "pause m 1500ms"),
        ("pause m .25s", "pause m 250ms"),
        ("skew r1 -5s", "skew r1 -5s"),
        ("skew r1 300", "skew r1 +300ms"),
        ("jump s2 +0", "jump s2 +0ms"),
        ("partition m, app / r1,r2", "partition m,app / r1,r2"),
        ("oneway m->r1", "oneway m -> r1"),
        ("link m r1 latency 10ms", "link m r1 latency 10ms"),
        (
            "link m r1 bandwidth 2mbit jitter 0",
            "link m r1 jitter 0ms bandwidth 2mbit",
        ),
        ("link m r1 bandwidth 100B/ms", "link m r1 bandwidth 100B/ms"),
        ("@m  SET k \"a b\" ", "@m SET k \"a b\""),
        ("  heal ", "heal"),
    ];
    for (text, canonical) in cases {
        let a: Action = text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(a.to_string(), *canonical, "{text:?}");
    }
}

#[test]
fn bad_texts_are_errors_naming_what_was_expected() {
    let cases: &[(&str, &str)] = &[
        ("", "an action is missing"),
        ("explode m", "unknown action 'explode'"),
        ("pause m", "usage: pause NODE T"),
        ("pause m 5x", "'5x' is not a time"),
        ("pause m -5s", "'-5s' is not a time"),
        ("pause m 2d", "is not a time"),
        ("pause m 86400001", "more than a day"),
        ("pause m 99999999999999999999s", "is not a time"),
        ("pause m 1.5", "is not a time"),
        ("pause m 1.2345s", "is not a time"),
        ("crash", "usage: crash NODE"),
        ("crash m r1", "usage: crash NODE"),
        ("crash m!", "is not a node name"),
        ("partition m", "two or more groups"),
        ("partition m / ", "a node name is missing"),
        ("partition m,,r / x", "a node name is missing"),
        ("oneway m r1", "usage: oneway A -> B"),
        ("oneway m -> r1 r2", "usage: oneway A -> B"),
        ("heal now", "usage: heal"),
        ("link m r1", "usage: link"),
        ("link m r1 latency", "usage: link"),
        ("link m r1 speed 5", "unknown setting 'speed'"),
        ("link m r1 latency 1 latency 2", "'latency' given twice"),
        ("link m r1 bandwidth 0mbit", "is not a bandwidth"),
        ("link m r1 bandwidth fast", "is not a bandwidth"),
        ("@m", "needs a command"),
        ("@ GET k", "a node name is missing"),
        ("@m GET k\nGET j", "one line"),
        ("skew m", "usage: skew NODE ±T"),
    ];
    for (text, want) in cases {
        match text.parse::<Action>() {
            Ok(a) => panic!("{text:?} parsed as {a:?}"),
            Err(e) => assert!(e.0.contains(want), "{text:?}: {e} (wanted {want:?})"),
        }
    }
    let long = format!("@m SET k {}", "x".repeat(MAX_LINE_BYTES));
    assert!(long.parse::<Action>().is_err());
}

#[test]
fn config_set_quotes_what_redis_cli_would_split() {
    assert_eq!(
        Action::config_set("m", "min-replicas-to-write", "1").to_string(),
        "@m CONFIG SET min-replicas-to-write 1"
    );
    assert_eq!(
        Action::config_set("m", "save", "").to_string(),
        "@m CONFIG SET save \"\""
    );
    assert_eq!(
        Action::config_set("m", "client-output-buffer-limit", "replica 1mb 0 0").to_string(),
        "@m CONFIG SET client-output-buffer-limit \"replica 1mb 0 0\""
    );
}
