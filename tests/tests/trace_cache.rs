//! The trace as a cache (issue 17, `core/src/timeline/history.rs`): a
//! session that keeps only a window of its trace judges, hashes and shows
//! the same run as one that keeps it all, and a dropped stretch comes back
//! event for event.

use std::path::PathBuf;
use std::rc::Rc;

use replilab_core::action::Action;
use replilab_core::checker;
use replilab_core::scenario::{self, sandbox::Topo};
use replilab_core::timeline::{Session, Source};

fn pair(source: Source, keep_ms: u64) -> (Session, Session) {
    let whole = Session::new(source.clone(), None);
    let mut kept = Session::new(source, None);
    kept.set_trace_keep(Some(keep_ms));
    (whole, kept)
}

/// `kept`'s resident trace is the same stretch of `whole`'s trace.
fn same_stretch(whole: &Session, kept: &Session) {
    let (w, k) = (&whole.sim, &kept.sim);
    assert_eq!(w.trace_end(), k.trace_end());
    assert_eq!(w.trace_hash(), k.trace_hash());
    let from = k.trace_base() - w.trace_base();
    assert_eq!(&w.trace()[from..], k.trace());
}

fn lesson(file: &str) -> Source {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    Source::Lesson(Rc::new(scenario::parse(&text).unwrap()))
}

#[test]
fn a_kept_window_judges_the_whole_run() {
    let (mut whole, mut kept) = pair(Source::Sandbox(Topo::seed001()), 10_000);
    for s in [&mut whole, &mut kept] {
        s.advance_to(300_000).unwrap();
    }
    assert!(kept.sim.trace_base() > 0, "nothing was dropped");
    assert!(kept.sim.trace().len() * 10 < whole.sim.trace().len());
    same_stretch(&whole, &kept);
    assert_eq!(checker::check(&whole.sim), checker::check(&kept.sim));
    assert_eq!(
        whole.sim.run_record().marks(),
        kept.sim.run_record().marks()
    );
    assert_eq!(
        whole.sim.run_record().offsets(),
        kept.sim.run_record().offsets()
    );
    assert_eq!(kept.whole_trace().unwrap(), whole.sim.trace());
}

#[test]
fn lost_writes_are_explained_without_the_trace() {
    for file in [
        "09-crash-acked-writes.toml",
        "11-split-brain-partition.toml",
    ] {
        let (mut whole, mut kept) = pair(lesson(file), 2_000);
        let end = whole.end_ms().unwrap();
        for s in [&mut whole, &mut kept] {
            s.advance_to(end).unwrap();
        }
        assert!(kept.sim.trace_base() > 0, "{file}: nothing was dropped");
        let report = checker::check(&whole.sim);
        assert!(!report.lost_writes.is_empty(), "{file}: loses no write");
        assert_eq!(report, checker::check(&kept.sim), "{file}");
        assert_eq!(whole.goals(), kept.goals(), "{file}");
    }
}

#[test]
fn a_dropped_stretch_comes_back_event_for_event() {
    let (mut whole, mut kept) = pair(Source::Sandbox(Topo::seed001()), 10_000);
    for s in [&mut whole, &mut kept] {
        s.advance_to(240_000).unwrap();
    }
    // Far back: the snapshot there is not next to anything kept.
    for s in [&mut whole, &mut kept] {
        s.seek(61_500).unwrap();
    }
    same_stretch(&whole, &kept);
    assert!(kept.fill_history(20_000).unwrap());
    same_stretch(&whole, &kept);
    let first = kept.sim.trace()[0].t_ms;
    assert!(first <= 61_500 - 20_000, "history starts at {first} ms");
    assert!(!kept.fill_history(20_000).unwrap(), "filled twice");
    // Forward again, past what `future` kept.
    for s in [&mut whole, &mut kept] {
        s.seek(200_250).unwrap();
    }
    same_stretch(&whole, &kept);
    kept.fill_history(30_000).unwrap();
    same_stretch(&whole, &kept);
    // Acting in the past forks; both sessions then run the same branch.
    for s in [&mut whole, &mut kept] {
        s.seek(90_000).unwrap();
        s.act(Action::Crash { node: "r1".into() }).unwrap();
        s.advance_to(150_000).unwrap();
    }
    same_stretch(&whole, &kept);
    assert_eq!(checker::check(&whole.sim), checker::check(&kept.sim));
}
