//! Native measurement of what snapshots cost (docs/performance.md,
//! "Scrubbing, rendering and memory"): seed 001's deployment in the sandbox, 10 simulated minutes; then
//! the time a scrub takes. A measurement, not a test (it asserts nothing):
//! `cargo run -p replilab-web --profile bench-native --example mem_probe`
//! (the probes run one after the other: the counting allocator is global).
//! `… -- MINUTES`: the whole trace's events by kind, and its share of the heap.
//! `… -- page MINUTES`: the page's configuration (a 120 s keep window, no
//! hash; issue 17): wall time, heap, one clone by part, scrubs, the live `Sim`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::{Session, Source};

struct Counting;
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(l.size(), Relaxed);
        LIVE.fetch_add(l.size() as isize, Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCATED.fetch_add(n, Relaxed);
        LIVE.fetch_add(n as isize - l.size() as isize, Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static A: Counting = Counting;

fn report(s: &mut Session) {
    let trace = s.sim.take_trace();
    let mut parts: Vec<(String, usize, usize)> = Vec::new();
    s.sim.clone_parts(&mut |name, f| {
        let a = ALLOCATED.load(Relaxed);
        f();
        let b = ALLOCATED.load(Relaxed) - a;
        match parts.iter_mut().find(|p| p.0 == name) {
            Some(p) => {
                p.1 += b;
                p.2 += 1
            }
            None => parts.push((name.to_string(), b, 1)),
        }
    });
    for (n, b, c) in parts {
        println!("  {n:<18} {:>9.1} KB  ({c}x)", b as f64 / 1024.0);
    }
    s.sim.restore_trace(trace);
}

fn seed001_snapshot_cost() {
    let live0 = LIVE.load(Relaxed);
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), Some(1));
    let t = Instant::now();
    for min in 1..=10u64 {
        s.advance_to(min * 60_000).unwrap();
        if min == 1 || min == 10 {
            println!(
                "at {min} min ({} trace events), one Sim clone by part:",
                s.sim.trace().len()
            );
            report(&mut s);
            let conns = &s.sim.net.conns;
            let in_tx: usize = conns
                .values()
                .map(|c| c.dirs.iter().map(|d| d.in_tx_len()).sum::<usize>())
                .sum();
            println!(
                "  net: {} live connections, {} messages in transmission",
                conns.len(),
                in_tx
            );
        }
    }
    let run = t.elapsed();
    let live = LIVE.load(Relaxed) - live0;
    let trace = s.sim.take_trace();
    let tl = trace.len();
    let with_trace = LIVE.load(Relaxed) - live0;
    drop(trace);
    let no_trace = LIVE.load(Relaxed) - live0;
    println!(
        "10 min run: {:.0} ms wall; session heap {:.1} MB ({} snapshots, every {} ms); trace {} events ~{:.1} MB",
        run.as_secs_f64() * 1e3,
        live as f64 / 1048576.0,
        s.snapshot_count(),
        s.snapshot_spacing(),
        tl,
        (with_trace - no_trace) as f64 / 1048576.0
    );
    println!(
        "  session heap without the trace: {:.1} MB",
        no_trace as f64 / 1048576.0
    );
}

fn seed001_scrub_times() {
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), Some(1));
    s.advance_to(600_000).unwrap();
    let times = scrub_times(&mut s, 600_000, 40, 6);
    println!(
        "scrub (native): median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
}

/// `n` seeks to points drawn (seeded) over `0..span_ms`: their wall times
/// in ms, sorted.
fn scrub_times(s: &mut Session, span_ms: u64, n: usize, seed: u64) -> Vec<f64> {
    let mut x = seed;
    let mut times = Vec::new();
    for _ in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let to = (x >> 33) % span_ms;
        let t = Instant::now();
        s.seek(to).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    times
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("page") => return page(args.get(2).and_then(|m| m.parse().ok()).unwrap_or(60)),
        Some(m) => return kinds(m.parse().unwrap_or(60)),
        None => {}
    }
    seed001_snapshot_cost();
    seed001_scrub_times();
}

fn kinds(minutes: u64) {
    use replilab_core::trace::TraceKind;
    let live0 = LIVE.load(Relaxed);
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), Some(1));
    let t = Instant::now();
    s.advance_to(minutes * 60_000).unwrap();
    println!(
        "{minutes} min: {:.1} s wall, heap {:.1} MB, {} snapshots",
        t.elapsed().as_secs_f64(),
        (LIVE.load(Relaxed) - live0) as f64 / 1048576.0,
        s.snapshot_count()
    );
    let mut c: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in s.sim.trace() {
        let k = match &e.kind {
            TraceKind::Send { .. } => "send",
            TraceKind::Deliver { .. } => "deliver",
            TraceKind::Drop { .. } => "drop",
            TraceKind::Held { .. } => "held",
            TraceKind::ConnOpen { .. } => "open",
            TraceKind::ConnClose { .. } => "close",
            TraceKind::Exec { .. } => "exec",
            TraceKind::Apply { .. } => "apply",
            TraceKind::Feed { .. } => "feed",
            TraceKind::Role { .. } => "role",
            TraceKind::Sync { .. } => "sync",
            TraceKind::Expired { .. } => "expired",
            TraceKind::Log { .. } => "log",
            TraceKind::Fault { .. } => "fault",
            TraceKind::Sentinel { .. } => "sentinel",
            TraceKind::Ack { .. } => "ack",
            TraceKind::Op { .. } => "op",
        };
        *c.entry(k).or_default() += 1;
    }
    println!("{c:?}");
    report(&mut s);
    let trace = s.sim.take_trace();
    let a = LIVE.load(Relaxed);
    drop(trace);
    println!(
        "trace {:.1} MB; rest {:.1} MB",
        (a - LIVE.load(Relaxed)) as f64 / 1048576.0,
        (LIVE.load(Relaxed) - live0) as f64 / 1048576.0
    );
}

/// The page's session (a 120 s keep window, `TRACE_KEEP_MS`, no hash) run for
/// `minutes`: wall time and heap, then one Sim clone by part.
fn page(minutes: u64) {
    let live0 = LIVE.load(Relaxed);
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), Some(1));
    s.sim.set_hashing(false);
    s.set_trace_keep(Some(120_000));
    let t = Instant::now();
    s.advance_to(minutes * 60_000).unwrap();
    println!(
        "{minutes} min with a 120 s keep window: {:.2} s wall, heap {:.1} MB, {} snapshots every {} ms, {} resident trace events",
        t.elapsed().as_secs_f64(),
        (LIVE.load(Relaxed) - live0) as f64 / 1048576.0,
        s.snapshot_count(),
        s.snapshot_spacing(),
        s.sim.trace().len()
    );
    report(&mut s);
    let times = scrub_times(&mut s, minutes * 60_000, 24, 7);
    println!(
        "scrub (native, page configuration): median {:.1} ms, max {:.1} ms",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    s.advance_to(minutes * 60_000).unwrap();
    let mut sim = s.sim.clone();
    drop(s);
    let live = LIVE.load(Relaxed) - live0;
    drop(sim.take_trace());
    let keys: usize = sim
        .nodes()
        .iter()
        .filter_map(|n| match &n.state {
            replilab_core::node::NodeState::Redis(r) => Some(r.db.len()),
            _ => None,
        })
        .sum();
    println!(
        "the live Sim alone: {:.1} MB ({:.1} MB without its trace); {keys} keys in all, {} acknowledgements recorded",
        live as f64 / 1048576.0,
        (LIVE.load(Relaxed) - live0) as f64 / 1048576.0,
        sim.run_record().acks().len()
    );
}
