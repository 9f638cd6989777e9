//! The console's time travel, checked against runs replayed from zero.

use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::{Session, Source};

use super::Console;

fn console() -> Console {
    Console::new(Source::Sandbox(Topo::seed001()), Some(1))
}

fn run(c: &mut Console, lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .map(|l| c.line(l).unwrap_or_else(|e| format!("(error) {e}")))
        .collect()
}

/// A fresh session with the same actions at the same points, run to `t_ms`.
fn replayed(c: &Console, t_ms: u64) -> Session {
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), Some(1));
    s.schedule = c.session.schedule.clone();
    s.advance_to(t_ms).unwrap();
    s
}

#[test]
fn seeking_back_and_forth_lands_where_a_replay_from_zero_does() {
    let mut c = console();
    run(
        &mut c,
        &[
            ".sleep 3s",
            "@m SET k v",
            ".pause r1 2s",
            ".sleep 4s",
            ".partition m / r1,r2",
            ".sleep 2s",
        ],
    );
    assert_eq!(c.session.now_ms(), 9_000);
    for t in [4_500, 1_000, 8_000, 9_000, 2_000] {
        assert_eq!(
            run(&mut c, &[&format!(".seek {t}")]),
            [format!("t = {t} ms")]
        );
        let fresh = replayed(&c, t);
        assert_eq!(
            c.session.sim.trace().len(),
            fresh.sim.trace().len(),
            "at {t}"
        );
        assert_eq!(c.session.sim.trace_hash(), fresh.sim.trace_hash(), "at {t}");
    }
}

#[test]
fn a_fork_keeps_a_and_the_comparison_shows_what_b_changed() {
    let mut c = console();
    run(
        &mut c,
        &[
            ".sleep 2s",
            ".fork",
            "CONFIG SET min-replicas-to-write 9",
            ".sleep 2s",
        ],
    );
    let (a, b) = c.session.branches().expect("two branches");
    assert!(a.schedule.is_empty() && b.schedule.len() == 1);
    let text = c.line(".compare").unwrap();
    assert!(text.contains("the runs part at 2000 ms"), "{text}");
    // B refuses the client's writes (NOREPLICAS): fewer acknowledged writes.
    let acked = text
        .lines()
        .find(|l| l.contains("acknowledged writes"))
        .unwrap();
    assert!(acked.starts_with('≠'), "{text}");
    // Branch B equals a replay of its own actions from zero.
    let fresh = replayed(&c, 4_000);
    assert_eq!(c.session.sim.trace_hash(), fresh.sim.trace_hash());
    assert_eq!(c.line(".swap").unwrap(), "branch A is live");
    assert!(c.session.schedule.is_empty());
    assert_eq!(c.line(".end").unwrap(), "OK");
    assert!(c.line(".compare").is_err());
}

#[test]
fn acting_after_a_seek_back_forks_by_itself() {
    let mut c = console();
    run(
        &mut c,
        &[".sleep 3s", ".crash r2", ".sleep 2s", ".seek 1s", ".heal"],
    );
    let (a, b) = c.session.branches().expect("the old run is branch A");
    assert_eq!(a.schedule.len(), 1);
    assert_eq!(b.schedule[0].action.to_string(), "heal");
    assert!(c.prompt().starts_with("B ["));
}

#[test]
fn logs_read_as_the_process_writes_them() {
    let mut c = console();
    run(&mut c, &[".sleep 3s"]);
    let log = c.line(".log r1").unwrap();
    assert!(
        log.lines().any(|l| l.starts_with("1:S 14 Nov 2023 22:13:2")
            && l.contains(" * MASTER <-> REPLICA sync started")),
        "{log}"
    );
    let log = c.line(".log s1").unwrap();
    assert!(log.lines().all(|l| l.starts_with("1:X ")), "{log}");
    assert!(c
        .line(".log nobody")
        .unwrap_err()
        .contains("unknown node 'nobody'"));
}

#[test]
fn bad_lines_are_errors_and_change_nothing() {
    let mut c = console();
    run(&mut c, &[".sleep 1s"]);
    for bad in [
        ".pause",
        ".pause m 5x",
        ".crash nobody",
        ".partition m",
        ".explode",
        ".seek soon",
        ".swap",
        "@nobody GET k",
        ". @m GET k",
    ] {
        assert!(c.line(bad).is_err(), "{bad}");
    }
    assert!(c.session.schedule.is_empty());
    assert_eq!(c.session.now_ms(), 1_000);
    assert_eq!(c.line("GET nothing").unwrap(), "(nil)");
}
