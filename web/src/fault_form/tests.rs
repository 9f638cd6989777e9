//! The toolbar's form: values become the core's actions, bad values are
//! problems worded in both languages, and nothing panics.

use super::*;
use crate::i18n::Lang;
use replilab_core::action::MAX_LINE_BYTES;

fn form(node: &str, peer: &str) -> Form {
    Form {
        node: node.into(),
        peer: peer.into(),
        nodes: vec!["m".into(), "r1".into(), "r2".into()],
        ..Form::default()
    }
}

fn text(f: &Form, tool: Tool) -> String {
    match f.actions(tool) {
        Ok(a) => a
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        Err(p) => format!("error: {}", p.message(Lang::En)),
    }
}

#[test]
fn values_become_the_cores_actions() {
    let mut f = form("r1", "m");
    f.pause = "12s".into();
    assert_eq!(text(&f, Tool::Pause), "pause r1 12s");
    f.pause = " 1.5s ".into();
    assert_eq!(text(&f, Tool::Pause), "pause r1 1500ms");
    f.skew = "-3s".into();
    assert_eq!(text(&f, Tool::Skew), "skew r1 -3s");
    f.jump = "+30s".into();
    assert_eq!(text(&f, Tool::Jump), "jump r1 +30s");
    f.latency = "1ms".into();
    assert_eq!(text(&f, Tool::Link), "link r1 m latency 1ms");
    f.latency = "10s".into();
    f.jitter = "0".into();
    f.bandwidth = "2mbit".into();
    assert_eq!(
        text(&f, Tool::Link),
        "link r1 m latency 10s jitter 0ms bandwidth 2mbit"
    );
    assert_eq!(text(&f, Tool::OneWay), "oneway r1 -> m");
    assert_eq!(text(&f, Tool::CutBoth), "partition r1 / m");
    assert_eq!(text(&f, Tool::Isolate), "partition r1 / m,r2");
    assert_eq!(text(&f, Tool::CutIn), "oneway m -> r1; oneway r2 -> r1");
    assert_eq!(text(&f, Tool::Crash), "crash r1");
    assert_eq!(text(&f, Tool::Restart), "restart r1");
    f.param = "client-output-buffer-limit".into();
    f.value = "replica 256kb 0 0".into();
    assert_eq!(
        text(&f, Tool::Config),
        "@r1 CONFIG SET client-output-buffer-limit \"replica 256kb 0 0\""
    );
}

#[test]
fn bad_values_are_problems_in_both_languages() {
    let mut f = form("r1", "m");
    let cases: &[(Tool, &str, &str)] = &[
        (Tool::Pause, "", "Pause length: enter a time, e.g. 12s."),
        (
            Tool::Pause,
            "-5s",
            "Pause length: cannot be negative ('-5s').",
        ),
        (Tool::Pause, "abc", "Pause length: 'abc' is not a time."),
        (Tool::Pause, "2d", "is not a time"),
        (
            Tool::Pause,
            "86401s",
            "Pause length: '86401s' is more than a day (at most 86400s).",
        ),
        (Tool::Skew, "-86401s", "(at most ±86400s)"),
        (Tool::Skew, "", "Clock offset: enter a time, e.g. -3s."),
        (Tool::Jump, "soon", "Clock step: 'soon' is not a time."),
    ];
    for (tool, value, want) in cases {
        let field = tool.time_field().expect("a time tool");
        f.set_text(field, value.to_string());
        assert_eq!(f.text(field), *value);
        let p = f.actions(*tool).expect_err(value);
        assert!(
            p.message(Lang::En).contains(want),
            "{value:?}: {}",
            p.message(Lang::En)
        );
        assert!(!p.message(Lang::Zh).is_empty());
        assert_eq!(p.field(), tool.time_field());
    }
    f.pause = "abc".into();
    let zh = f.actions(Tool::Pause).unwrap_err().message(Lang::Zh);
    assert_eq!(
        zh,
        "暂停时长：“abc”不是时间。请写成 12s 这样的形式（单位为 ms 或 s，不带单位即为毫秒）。"
    );

    let link: &[(&str, &str, &str, &str)] = &[
        ("", "", "", "Link: enter a latency"),
        ("-1ms", "", "", "Latency: cannot be negative"),
        ("abc", "", "", "Latency: 'abc' is not a time."),
        ("1ms", "x", "", "Jitter: 'x' is not a time."),
        ("", "", "2", "Bandwidth: '2' is not a rate."),
        (
            "",
            "",
            "0mbit",
            "Bandwidth: '0mbit' is out of range (1B/ms to 10000000mbit).",
        ),
        ("", "", "-2mbit", "Bandwidth: cannot be negative"),
    ];
    for (lat, jit, bw, want) in link {
        let f = Form {
            latency: lat.to_string(),
            jitter: jit.to_string(),
            bandwidth: bw.to_string(),
            ..form("m", "r1")
        };
        let p = f.actions(Tool::Link).expect_err(want);
        assert!(
            p.message(Lang::En).contains(want),
            "{}",
            p.message(Lang::En)
        );
        assert!(p.field().is_some());
    }
    let f = Form {
        latency: "1ms".into(),
        ..form("m", "m")
    };
    assert_eq!(f.actions(Tool::Link), Err(Problem::SameNode));
    assert_eq!(f.actions(Tool::OneWay), Err(Problem::SameNode));
    let alone = Form {
        nodes: vec!["m".into()],
        ..form("m", "r1")
    };
    assert_eq!(alone.actions(Tool::Isolate), Err(Problem::Alone));
    let long = Form {
        param: "hz".into(),
        value: "1".repeat(MAX_LINE_BYTES),
        ..form("m", "r1")
    };
    let p = long.actions(Tool::Config).unwrap_err();
    assert_eq!(p, Problem::TooLong);
    assert_eq!(
        p.message(Lang::En),
        "The command would be longer than 4096 bytes."
    );
}

#[test]
fn a_fresh_form_applies_the_old_presets() {
    let f = Form {
        node: "m".into(),
        nodes: vec!["m".into(), "r1".into()],
        ..Form::new()
    };
    assert_eq!(text(&f, Tool::Pause), "pause m 5s");
    assert_eq!(text(&f, Tool::Skew), "skew m +10s");
    assert_eq!(text(&f, Tool::Jump), "jump m -30s");
}

#[test]
fn every_tool_has_a_code_and_both_labels() {
    for tool in TOOLS {
        assert_eq!(Tool::from_code(tool.code()), Some(tool));
        assert!(!tool.label().en.is_empty() && !tool.label().zh.is_empty());
    }
    assert_eq!(Tool::from_code("nonsense"), None);
}

#[test]
fn any_text_gives_actions_that_read_back_or_a_problem() {
    // A small deterministic sweep of odd inputs: never a panic, and every
    // action the form gives reads back from its text.
    let nines = format!("{}s", "9".repeat(40));
    let odd = [
        "",
        " ",
        "0",
        "-0",
        "+",
        "1.",
        ".5s",
        "1.2345s",
        &nines,
        "１２s",
        "12S",
        "12 s",
        "0.001s",
        "86400s",
        "\u{0}",
        "2mbit",
        "1250000000B/ms",
        "1250000001B/ms",
        "\"",
        "a b",
    ];
    for tool in TOOLS {
        for v in &odd {
            let f = Form {
                pause: v.to_string(),
                skew: v.to_string(),
                jump: v.to_string(),
                latency: v.to_string(),
                jitter: v.to_string(),
                bandwidth: v.to_string(),
                param: "hz".into(),
                value: v.to_string(),
                ..form("r2", "m")
            };
            if let Ok(actions) = f.actions(tool) {
                for a in actions {
                    assert_eq!(
                        a.to_string().parse::<Action>().as_ref(),
                        Ok(&a),
                        "{tool:?} {v:?}"
                    );
                }
            }
        }
    }
}
