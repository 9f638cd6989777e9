//! The same seed gives the same trace, byte for byte, natively and in wasm.
//! One test body runs in both places: the wasm build aliases `test` to
//! `wasm_bindgen_test` and runs in headless Chromium (`wasm-pack test`).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use replilab_core::demo;
use replilab_core::net::LinkCfg;
use replilab_core::net::NodeId;
use replilab_core::profile::Profile;
use replilab_core::sim::{Fault, Sim};
use replilab_core::trace::TraceKind;

/// A run that touches every mechanism: handshake, full sync, writes with
/// TTLs, a pause, a partition and heal, a crash and restart, jitter.
fn scripted_run(seed: u64) -> Sim {
    let mut sim = demo::master_and_two_replicas(seed, Profile::V7_0);
    let (m, r1, r2) = (
        sim.node_id("m").unwrap(),
        sim.node_id("r1").unwrap(),
        sim.node_id("r2").unwrap(),
    );
    sim.set_link(
        m,
        r2,
        LinkCfg {
            latency_ms: 30,
            jitter_ms: 20,
            ..LinkCfg::default()
        },
    );
    sim.run_until(8_000).unwrap();
    for i in 0..50 {
        sim.console(m, &format!("SET k{i} v{i} EX {}", 5 + i % 7));
        sim.run_for(37).unwrap();
    }
    sim.apply(Fault::Pause {
        node: r1,
        ms: 3_000,
    });
    sim.console(m, "INCR counter");
    sim.apply(Fault::Partition {
        groups: vec![vec![m], vec![r2]],
    });
    sim.run_for(2_000).unwrap();
    sim.console(m, "EXPIRE counter 100");
    sim.apply(Fault::Heal);
    sim.run_for(5_000).unwrap();
    sim.apply(Fault::Crash { node: r2 });
    sim.run_for(1_000).unwrap();
    sim.apply(Fault::Restart { node: r2 });
    sim.run_for(15_000).unwrap();
    sim
}

#[test]
fn same_seed_same_trace_twice() {
    let a = scripted_run(7);
    let b = scripted_run(7);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace().len(), b.trace().len());
    let c = scripted_run(8);
    assert_ne!(
        a.trace_hash(),
        c.trace_hash(),
        "a different seed must change something (run ids at least)"
    );
}

/// A golden trace: its story (`story`) must equal a text file in
/// `tests/golden/`, so a change of behaviour shows as a diff, and the whole
/// trace's hash is pinned. Both are checked natively and in wasm (where the
/// file is compiled in). A deliberate change updates both in the same
/// commit: run the test natively with `UPDATE_EXPECT=1`, read the diff, then
/// copy the new hash from the file's header.
#[cfg(not(target_arch = "wasm32"))]
type Golden = expect_test::ExpectFile;
#[cfg(target_arch = "wasm32")]
type Golden = &'static str;

macro_rules! golden {
    ($file:literal) => {{
        #[cfg(not(target_arch = "wasm32"))]
        let g = expect_test::expect_file![concat!("golden/", $file)];
        #[cfg(target_arch = "wasm32")]
        let g = include_str!(concat!("golden/", $file));
        g
    }};
}

/// At most this many story lines per run in a golden file.
const STORY_LINES: usize = 300;

/// Which trace lines a golden file shows.
#[derive(Clone, Copy)]
enum Story {
    /// What a reader follows: commands, roles, syncs, expiries, faults,
    /// Sentinel events and log lines; not the messages and connections, nor
    /// each command fed into and applied from the stream.
    Plot,
    /// Only roles, syncs, faults and Sentinel events.
    Landmarks,
}

fn story(sim: &Sim, kind: Story) -> String {
    let names = |id: NodeId| sim.name(id);
    let shown = |k: &TraceKind| match kind {
        Story::Plot => !matches!(
            k,
            TraceKind::Send { .. }
                | TraceKind::Deliver { .. }
                | TraceKind::Drop { .. }
                | TraceKind::Held { .. }
                | TraceKind::ConnOpen { .. }
                | TraceKind::ConnClose { .. }
                | TraceKind::Apply { .. }
                | TraceKind::Feed { .. }
        ),
        Story::Landmarks => matches!(
            k,
            TraceKind::Role { .. }
                | TraceKind::Sync { .. }
                | TraceKind::Fault { .. }
                | TraceKind::Sentinel { .. }
        ),
    };
    let mut out = String::new();
    for e in sim
        .trace()
        .iter()
        .filter(|e| shown(&e.kind))
        .take(STORY_LINES)
    {
        out.push_str(&e.line(&names));
        out.push('\n');
    }
    out
}

/// Every golden comparison goes through here.
fn check(runs: &[(&str, &Sim, u64)], kind: Story, golden: Golden) {
    let text: String = runs
        .iter()
        .map(|(name, sim, _)| {
            format!(
                "# {name}: {} events, trace hash {:#018x}\n{}",
                sim.trace().len(),
                sim.trace_hash(),
                story(sim, kind)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    #[cfg(not(target_arch = "wasm32"))]
    golden.assert_eq(&text);
    #[cfg(target_arch = "wasm32")]
    assert_eq!(text, golden, "the story differs from the golden file");
    for (name, sim, pinned) in runs {
        assert_eq!(
            sim.trace_hash(),
            *pinned,
            "{name}: trace hash changed ({:#018x}); {} events",
            sim.trace_hash(),
            sim.trace().len()
        );
    }
}

#[test]
fn seed_7_trace_is_golden() {
    let sim = scripted_run(7);
    check(
        &[("seed 7", &sim, PINNED_SEED_7)],
        Story::Plot,
        golden!("seed-7.txt"),
    );
}

/// The same, for a set of seeds (the wasm build must agree on every one).
#[test]
fn seeds_1_to_5_traces_are_golden() {
    let sims: Vec<Sim> = (1..=5).map(scripted_run).collect();
    let names: Vec<String> = (1..=5).map(|s| format!("seed {s}")).collect();
    let runs: Vec<(&str, &Sim, u64)> = sims
        .iter()
        .zip(&names)
        .zip(PINNED_SEEDS_1_TO_5)
        .map(|((sim, name), h)| (name.as_str(), sim, h))
        .collect();
    check(&runs, Story::Landmarks, golden!("seeds-1-to-5.txt"));
}

/// A Sentinel failover (lesson 08: a paused master is failed over, comes
/// back as a replica): its Sentinel events, roles and syncs.
#[test]
fn sentinel_failover_lesson_trace_is_golden() {
    let src = include_str!("../../static/lessons/10-split-brain-false-failure.toml");
    let s = replilab_core::scenario::parse(src).expect("lesson 08 parses");
    let (sim, _) = replilab_core::scenario::run(&s, None).expect("lesson 08 runs");
    check(
        &[("lesson 08", &sim, PINNED_LESSON_08)],
        Story::Landmarks,
        golden!("lesson-08-sentinel.txt"),
    );
}

const PINNED_LESSON_08: u64 = 0xa0e7_b8b3_cd6d_e7ab;

const PINNED_SEEDS_1_TO_5: [u64; 5] = [
    0x416c_bdeb_fe73_fbf1,
    0x3f76_051c_8384_48cd,
    0x4e50_1c2a_aea8_cec5,
    0x9378_55b0_78a6_de5a,
    0xbc0b_f74c_0a00_a049,
];

const PINNED_SEED_7: u64 = 0x7155_ce19_1bed_d153;

/// A snapshot is a clone: running a snapshot forward gives the same trace as
/// the original, and changing the future from it forks cleanly.
#[test]
fn re_running_from_a_snapshot_gives_the_same_trace() {
    let mut original = demo::master_and_two_replicas(3, Profile::V7_0);
    let m = original.node_id("m").unwrap();
    original.run_until(7_000).unwrap();
    original.console(m, "SET a 1 EX 3");
    let snapshot = original.clone();
    let run = |mut sim: Sim, extra: bool| {
        if extra {
            sim.console(m, "SET b 2");
        }
        sim.apply(Fault::Pause {
            node: sim.node_id("r2").unwrap(),
            ms: 2_000,
        });
        sim.run_until(20_000).unwrap();
        sim
    };
    let a = run(original, false);
    let b = run(snapshot.clone(), false);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace(), b.trace());
    let forked = run(snapshot, true);
    assert_ne!(forked.trace_hash(), a.trace_hash());
}
