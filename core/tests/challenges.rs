//! Challenges: the loader's checks, the judging of a learner's branch
//! (goals, allowed means, action count), "Show solution", and the proof.

use std::rc::Rc;

use replilab_core::action::Action;
use replilab_core::scenario::{self, challenge::Means};
use replilab_core::timeline::{prove, Breach, Session, Source};

/// A master and a replica 200 ms away; a read of `k` on the replica at 3.1 s.
/// The challenge (from 2 s): make that read see `v`, with one command.
fn lesson(challenge_extra: &str, solution: &str) -> String {
    format!(
        r#"format = "replilab/1"
id = "c"
duration_s = 5
title = {{ en = "t", zh = "t" }}

[[node]]
name = "m"
kind = "redis"
config = {{ "repl-diskless-sync-delay" = "0" }}

[[node]]
name = "r1"
kind = "redis"
replicaof = "m"

[[network.link]]
a = "m"
b = "r1"
latency_ms = 200

[[timeline]]
at_ms = 3100
do = "@r1 GET k"
id = "read"

[[step]]
until_s = 2
title = {{ en = "a", zh = "a" }}
watch = {{ en = "a", zh = "a" }}
explain = {{ en = "a", zh = "a" }}

[[step]]
until_s = 5
title = {{ en = "b", zh = "b" }}
watch = {{ en = "b", zh = "b" }}
explain = {{ en = "b", zh = "b" }}
[step.challenge]
task = {{ en = "Make the read see v", zh = "让读取看到 v" }}
explain = {{ en = "x", zh = "x" }}
{challenge_extra}
solution = [ {solution} ]
[[step.challenge.goal]]
check = "reply"
id = "read"
value = "\"v\""
label = {{ en = "the read sees v", zh = "读到 v" }}
"#
    )
}

const SOLUTION: &str = r#"{ at_ms = 2500, do = "@m SET k v" }"#;

fn session(src: &str) -> Session {
    let s = scenario::parse(src).unwrap_or_else(|e| panic!("{e}"));
    Session::new(Source::Lesson(Rc::new(s)), None)
}

#[test]
fn the_proof_holds_when_the_baseline_fails_and_the_solution_passes() {
    let s = Rc::new(scenario::parse(&lesson("max_actions = 1", SOLUTION)).unwrap());
    let proofs = prove(&s).unwrap();
    assert_eq!(proofs.len(), 1);
    assert_eq!(proofs[0].baseline.step, 1);
    assert_eq!(proofs[0].baseline.start_ms, 2000);
    assert!(!proofs[0].baseline.solved, "{:?}", proofs[0].baseline);
    assert!(proofs[0].solution.solved, "{:?}", proofs[0].solution);
    assert!(proofs[0].holds());
}

#[test]
fn a_solution_that_does_not_solve_is_not_proven() {
    let late = r#"{ at_ms = 3200, do = "@m SET k v" }"#;
    let s = Rc::new(scenario::parse(&lesson("", late)).unwrap());
    let p = &prove(&s).unwrap()[0];
    assert!(!p.solution.solved && !p.holds());
}

#[test]
fn show_solution_forks_and_keeps_the_run_so_far_as_branch_a() {
    let mut s = session(&lesson("", SOLUTION));
    s.advance_to(5000).unwrap();
    s.apply_solution(1).unwrap();
    assert_eq!(s.live_letter(), Some('B'));
    s.advance_to(5000).unwrap();
    assert!(s.challenge_status(1).unwrap().solved);
    let (a, _) = s.branches().unwrap();
    assert!(a.schedule.is_empty());
    assert!(s.apply_solution(0).is_err(), "step 1 has no challenge");
}

#[test]
fn goals_are_not_final_before_the_end() {
    let mut s = session(&lesson("", SOLUTION));
    s.apply_solution(1).unwrap();
    s.advance_to(4000).unwrap();
    let st = s.challenge_status(1).unwrap();
    assert!(!st.solved && !st.goals[0].1, "{st:?}");
}

#[test]
fn means_the_challenge_does_not_allow_are_breaches() {
    let mut s = session(&lesson(
        "allow = [\"config\"]\nmax_actions = 1",
        r#"{ at_ms = 2500, do = "@m CONFIG SET hz 10" }"#,
    ));
    s.advance_to(2500).unwrap();
    s.act(Action::Command {
        node: "m".into(),
        line: "SET k v".into(),
    })
    .unwrap();
    s.act(Action::Pause {
        node: "r1".into(),
        ms: 10,
    })
    .unwrap();
    s.advance_to(5000).unwrap();
    let st = s.challenge_status(1).unwrap();
    assert!(
        !st.solved,
        "the goal is met, by means the challenge forbids"
    );
    assert_eq!(st.goals[0].0.as_ref().map(|o| o.pass), Some(true));
    assert_eq!(
        st.breaches,
        vec![
            Breach::NotAllowed {
                action: "@m SET k v".into(),
                means: Means::Command
            },
            Breach::NotAllowed {
                action: "pause r1 10ms".into(),
                means: Means::Fault
            },
            Breach::TooMany { used: 2, max: 1 },
        ]
    );
}

#[test]
fn the_loader_names_what_is_wrong_with_a_challenge() {
    let cases = [
        (lesson("", r#"{ at_ms = 1000, do = "@m SET k v" }"#), "outside the challenge"),
        (lesson("allow = [\"fault\"]", SOLUTION), "uses command, which `allow` does not list"),
        (lesson("max_actions = 0", SOLUTION), "more than `max_actions`"),
        (lesson("", r#"{ at_ms = 2500, do = "@r9 SET k v" }"#), "unknown node 'r9'"),
        (lesson("", r#"{ at_ms = 2500, do = "@m CONFIG SET hz abc" }"#), "challenge solution #1"),
        (lesson("from_s = 99", SOLUTION), "`from_s` must be a time within the run"),
        (lesson("allow = [\"magic\"]", SOLUTION), "unknown variant `magic`"),
        (
            lesson(
                "hints = [{ en = \"1\", zh = \"1\" }, { en = \"2\", zh = \"2\" }, { en = \"3\", zh = \"3\" }, { en = \"4\", zh = \"4\" }]",
                SOLUTION,
            ),
            "at most 3 `hints`",
        ),
        (lesson("", SOLUTION).replace("check = \"reply\"", "check = \"nope\""), "challenge goal #1: unknown check"),
        (lesson("", SOLUTION).replace("id = \"read\"\nvalue", "id = \"other\"\nvalue"), "no timeline command has id 'other'"),
    ];
    for (src, want) in cases {
        let e = scenario::parse(&src).expect_err(want).to_string();
        assert!(e.contains(want), "wanted '{want}' in: {e}");
    }
}

#[test]
fn show_solution_drops_the_learners_actions_from_the_start_on() {
    let mut s = session(&lesson("", SOLUTION));
    s.advance_to(2000).unwrap();
    s.act(Action::Crash { node: "m".into() }).unwrap();
    s.advance_to(2600).unwrap();
    s.act(Action::Pause {
        node: "r1".into(),
        ms: 10,
    })
    .unwrap();
    s.apply_solution(1).unwrap();
    let texts: Vec<String> = s.schedule.iter().map(|e| e.action.to_string()).collect();
    assert_eq!(texts, ["@m SET k v"]);
    s.advance_to(5000).unwrap();
    assert!(s.challenge_status(1).unwrap().solved);
}
