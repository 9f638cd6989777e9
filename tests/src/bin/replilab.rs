//! `replilab`: the command-line runner of the lab.
//!
//! - `replilab run FILE [--seed N] [--json | --trace | --at T]`: run a lesson or
//!   scenario headless (`--trace`: the whole trace as JSON, as the page exports it)
//!   and report; exits 1 when an expectation fails. `--at T` prints the
//!   deployment at time T instead.
//! - `replilab check DIR`: run every `.toml` file in DIR, one line each.
//! - `replilab console [FILE]`: a redis-cli-like prompt on a simulated deployment.
//! - `replilab import FILE [--node NAME --into SCENARIO.toml]`: what a redis.conf,
//!   sentinel.conf, CONFIG GET or INFO replication output imports, and every line
//!   it does not; with `--into`, the scenario with that node edited, on stdout.
//! - `replilab bench [--writes N] [--keys N] [--replicas N]`: the reference benchmark.
//! - `replilab swarm [--seeds N] [--from S | --from-text T] [--seconds T]`: random
//!   scenarios judged by named properties (`replilab_harness::swarm`), one line
//!   per failure; `--seed S` runs one, `--seed S --print` prints it as TOML.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use std::rc::Rc;

use replilab_core::action;
use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::Source;
use replilab_harness::bench;
use replilab_harness::cli::{console, report};

const USAGE: &str = "usage:
  replilab run FILE [--seed N] [--json | --trace | --at T]
  replilab check DIR
  replilab console [FILE]
  replilab import FILE [--node NAME --into SCENARIO.toml]
  replilab bench [--writes N] [--keys N] [--replicas N]
  replilab swarm [--seeds N] [--from S | --from-text TEXT] [--seconds T] [--replay-every K] [--jobs J] [--verbose] [--hashes FILE]
  replilab swarm --seed S [--print | --trace WORD,WORD]";

// The swarm and the benchmarks allocate and free millions of small strings;
// glibc's malloc was a fifth of a swarm run (perf), mimalloc is a crate.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&args[1..]),
        Some("check") => cmd_check(&args[1..]),
        Some("console") => cmd_console(&args[1..]),
        Some("import") => cmd_import(&args[1..]),
        Some("bench") => cmd_bench(&args[1..]),
        Some("swarm") => cmd_swarm(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("replilab: unknown command '{other}'\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("replilab: {msg}");
    ExitCode::from(2)
}

fn cmd_run(args: &[String]) -> ExitCode {
    let Some(file) = positional(args) else {
        return fail(format!("run needs a FILE\n{USAGE}"));
    };
    let seed = match args.iter().position(|a| a == "--seed") {
        None => None,
        Some(i) => match args.get(i + 1).and_then(|v| v.parse().ok()) {
            Some(s) => Some(s),
            None => return fail("--seed needs a whole number"),
        },
    };
    if let Some(i) = args.iter().position(|a| a == "--at") {
        let Some(t_ms) = args
            .get(i + 1)
            .and_then(|v| action::parse_ms(v, false).ok())
        else {
            return fail("--at needs a time (e.g. 30s, 1500ms)");
        };
        return match report::state_at(Path::new(file), seed, t_ms as u64) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    match report::run(Path::new(file), seed) {
        Err(e) => fail(e),
        Ok((s, sim, r)) => {
            if args.iter().any(|a| a == "--trace") {
                print!("{}", replilab_core::export::trace_json(sim.trace()));
            } else if args.iter().any(|a| a == "--json") {
                println!("{}", report::json_report(&s, &sim, &r));
            } else {
                print!("{}", report::text_report(&s, &sim, &r));
            }
            if r.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn cmd_import(args: &[String]) -> ExitCode {
    match replilab_harness::cli::import::run(args) {
        Ok((out, err)) => {
            eprint!("{err}");
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn cmd_check(args: &[String]) -> ExitCode {
    let Some(dir) = args.first() else {
        return fail(format!("check needs a DIR\n{USAGE}"));
    };
    match report::check_dir(Path::new(dir)) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(text) => {
            print!("{text}");
            ExitCode::from(1)
        }
    }
}

fn cmd_console(args: &[String]) -> ExitCode {
    let source = match args.first() {
        Some(file) => match report::load(Path::new(file)) {
            Ok(s) => Source::Lesson(Rc::new(s)),
            Err(e) => return fail(e),
        },
        None => Source::Sandbox(Topo::default()),
    };
    let mut session = console::Console::new(source, None);
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        println!("replilab console: @node CMD to address a node, .help for simulation commands, Ctrl-D to quit");
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    loop {
        if interactive {
            let _ = write!(out, "{}", session.prompt());
            let _ = out.flush();
        }
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        match session.line(&line) {
            Ok(text) if text.is_empty() => {}
            Ok(text) => println!("{text}"),
            Err(e) => println!("(error) {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Every `--option` must be one the command knows: a typo (or `--help`)
/// would otherwise run the command with its defaults.
fn check_options(args: &[String], known: &[&str]) -> Result<(), String> {
    match args
        .iter()
        .find(|a| a.starts_with("--") && !known.contains(&a.as_str()))
    {
        Some(a) if a == "--help" => Err(USAGE.to_string()),
        Some(a) => Err(format!("unknown option '{a}'\n{USAGE}")),
        None => Ok(()),
    }
}

fn flag(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.replace('_', "").parse().ok())
            .ok_or_else(|| format!("{name} needs a whole number")),
    }
}

fn cmd_bench(args: &[String]) -> ExitCode {
    if let Err(e) = check_options(args, &["--writes", "--keys", "--replicas"]) {
        return fail(e);
    }
    let parsed = (|| {
        Ok::<_, String>((
            flag(args, "--writes", 1_000_000)?,
            flag(args, "--keys", 100_000)?,
            flag(args, "--replicas", 5)?,
        ))
    })();
    let (writes, keys, replicas) = match parsed {
        Ok(v) => v,
        Err(e) => {
            eprintln!("replilab bench: {e}");
            return ExitCode::from(2);
        }
    };
    let r = bench::replication_workload(replicas as usize, keys, writes, 10_000);
    println!("workload: 1 master, {replicas} replicas, {keys} keys, {writes} writes");
    println!("native_events: {} events", r.events);
    println!("native_sim_time: {} ms", r.sim_ms);
    println!("native_wall_time: {:.3} s", r.wall_s);
    println!(
        "native_events_per_s: {:.0} events/s",
        r.events as f64 / r.wall_s
    );
    println!(
        "native_commands_per_s: {:.0} commands/s",
        r.commands as f64 / r.wall_s
    );
    let origin = std::time::Instant::now();
    let clock = move || origin.elapsed().as_secs_f64();
    let f = bench::seed001_faults_timed(10, &clock);
    println!("workload: seed 001 (1 master, 5 replicas, 3 Sentinels, 2 writer clients), 10 simulated minutes of random faults");
    println!("native_seed001_events: {} events", f.events);
    println!("native_seed001_client_ops: {} operations", f.commands);
    println!("native_seed001_wall_time: {:.3} s", f.wall_s);
    println!(
        "native_seed001_events_per_s: {:.0} events/s",
        f.events_per_s()
    );
    let c = bench::cluster_timed(60, &clock);
    println!("workload: Redis Cluster (3 masters, 3 replicas, 6 cluster-aware writers), 60 simulated seconds");
    println!("native_cluster_events: {} events", c.events);
    println!("native_cluster_client_ops: {} operations", c.commands);
    println!("native_cluster_wall_time: {:.3} s", c.wall_s);
    println!(
        "native_cluster_events_per_s: {:.0} events/s",
        c.events_per_s()
    );
    println!(
        "native_cluster_commands_per_s: {:.0} commands/s",
        c.commands_per_s()
    );
    ExitCode::SUCCESS
}

fn cmd_swarm(args: &[String]) -> ExitCode {
    use replilab_harness::swarm;
    const KNOWN: &[&str] = &[
        "--seeds",
        "--from",
        "--from-text",
        "--seconds",
        "--replay-every",
        "--jobs",
        "--verbose",
        "--seed",
        "--print",
        "--trace",
        "--hashes",
    ];
    if let Err(e) = check_options(args, KNOWN) {
        return fail(e);
    }
    let text = |name: &str| {
        let i = args.iter().position(|a| a == name)?;
        args.get(i + 1).cloned()
    };
    let parsed = (|| {
        Ok::<_, String>((
            flag(args, "--seeds", 100)?,
            flag(args, "--from", 1)?,
            flag(args, "--seconds", 0)?,
            flag(args, "--replay-every", 10)?,
            flag(args, "--jobs", 1)?,
            args.iter()
                .any(|a| a == "--seed")
                .then(|| flag(args, "--seed", 0))
                .transpose()?,
        ))
    })();
    let (n, from, seconds, replay_every, jobs, one) = match parsed {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    if let Some(seed) = one {
        return swarm_one(seed, args);
    }
    let seeds: Vec<u64> = match text("--from-text") {
        Some(t) => swarm::seeds_from(&t, n),
        None => (from..from.saturating_add(n)).collect(),
    };
    match text("--from-text") {
        Some(t) => {
            let list: Vec<String> = seeds.iter().map(u64::to_string).collect();
            println!(
                "swarm: {} seeds from '{t}' (run in this order): {}",
                seeds.len(),
                list.join(" ")
            );
        }
        None => println!("swarm: seeds {from}..{}", from.saturating_add(n)),
    }
    if seconds > 0 {
        println!("swarm: stops starting new seeds after {seconds} s");
    }
    let t0 = std::time::Instant::now();
    let verbose = args.iter().any(|a| a == "--verbose");
    let tally = std::sync::Mutex::new(Tally::default());
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each worker takes the next seed of the list (a Sim stays on its thread).
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, 64) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&seed) = seeds.get(i) else { break };
                if seconds > 0 && t0.elapsed().as_secs() >= seconds {
                    break;
                }
                let case = swarm::case(seed);
                let mut o = swarm::run_case(&case);
                if replay_every > 0
                    && (i as u64).is_multiple_of(replay_every)
                    && o.failures.is_empty()
                {
                    o.failures.extend(swarm::replay_check(&case, &o));
                }
                let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
                t.add(&o, verbose);
                if t.ran.is_multiple_of(1000) {
                    // Progress of a long run, so a stopped run still tells how far it got.
                    println!(
                        "swarm: {} seeds run, {} failed, {:.0} s",
                        t.ran,
                        t.failed,
                        t0.elapsed().as_secs_f64()
                    );
                }
                if !o.trace_hash.is_empty() {
                    t.hashes.insert(i, format!("{seed}:{}", o.trace_hash));
                }
            });
        }
    });
    let Tally {
        ran,
        failed,
        events,
        excused,
        reasons,
        stats,
        hashes,
    } = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = text("--hashes") {
        // In the list's order, for the wasm determinism check
        // (core/tests/swarm_determinism.rs reads them as REPLILAB_SWARM_EXPECT).
        let lines: Vec<&str> = hashes.values().map(String::as_str).collect();
        if let Err(e) = std::fs::write(&path, lines.join("\n") + "\n") {
            return fail(format!("--hashes {path}: {e}"));
        }
        println!("swarm: {} trace hashes written to {path}", lines.len());
    }
    let covered: Vec<String> = stats.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("swarm: exercised: {}", covered.join(", "));
    for (why, n) in &reasons {
        println!("swarm: {n} excused: {why}");
    }
    let secs = t0.elapsed().as_secs_f64();
    let first = seeds.first().copied().unwrap_or(0);
    println!(
        "swarm: {ran} seeds run ({}), {failed} failed, {events} events, {excused} replicas excused from liveness, {secs:.1} s",
        if text("--from-text").is_some() { format!("{ran} of the list, in order") } else { format!("{first}..{}", first + ran) }
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `replilab swarm --seed S [--print | --trace WORDS]`: one seed, judged,
/// or printed as a lesson file.
fn swarm_one(seed: u64, args: &[String]) -> ExitCode {
    use replilab_harness::swarm;
    if seed > swarm::MAX_SEED {
        return fail(format!("--seed must be at most {}", swarm::MAX_SEED));
    }
    let case = swarm::case(seed);
    if args.iter().any(|a| a == "--print") {
        return match replilab_core::scenario::toml_out::print(&case.scenario) {
            Ok(t) => {
                print!(
                    "# {}\n# faults heal at {} ms; liveness bound {} ms after: {}\n{t}",
                    swarm::replay_command(seed),
                    case.heal_ms,
                    case.settle_ms,
                    case.settle_why
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    let mut o = swarm::run_case(&case);
    o.failures.extend(swarm::replay_check(&case, &o));
    if let (Some(sim), Some(i)) = (&o.sim, args.iter().position(|a| a == "--trace")) {
        // `--trace WORDS`: the trace lines holding any of the words (comma-separated).
        let words: Vec<&str> = args.get(i + 1).map_or(vec![""], |w| w.split(',').collect());
        print_trace(sim, &words);
    }
    for line in swarm::failure_lines(&o) {
        println!("{line}");
    }
    for e in &o.excused {
        println!("seed={seed} excused: {e}");
    }
    println!(
        "seed={seed}: {} failures, {} events, trace hash {}, {} simulated s",
        o.failures.len(),
        o.events,
        o.trace_hash,
        case.scenario.duration_s
    );
    if o.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The trace lines holding any of `words`; messages only with `net`.
fn print_trace(sim: &replilab_core::sim::Sim, words: &[&str]) {
    use replilab_core::trace::TraceKind as K;
    let names = |id| sim.name(id);
    for e in sim.trace() {
        let msg = matches!(
            e.kind,
            K::Send { .. } | K::Deliver { .. } | K::Held { .. } | K::Drop { .. }
        );
        if msg && !words.contains(&"net") {
            continue;
        }
        let l = e.line(&names);
        if words.iter().any(|w| l.contains(w)) {
            println!("{l}");
        }
    }
}

/// What a swarm run adds up, seed by seed.
#[derive(Default)]
struct Tally {
    ran: u64,
    failed: u64,
    events: u64,
    excused: u64,
    /// Why replicas were excused from liveness, by kind of reason (numbers dropped).
    reasons: std::collections::BTreeMap<String, u64>,
    stats: std::collections::BTreeMap<&'static str, u64>,
    /// `seed:trace-hash` by position in the seed list.
    hashes: std::collections::BTreeMap<usize, String>,
}

impl Tally {
    /// Counts one outcome and prints its failure lines (and excuses if `verbose`).
    fn add(&mut self, o: &replilab_harness::swarm::Outcome, verbose: bool) {
        self.ran += 1;
        self.events += o.events;
        self.excused += o.excused.len() as u64;
        for (k, v) in &o.stats {
            *self.stats.entry(k).or_default() += v;
        }
        for e in &o.excused {
            let why = e.split_once(": ").map_or(e.as_str(), |x| x.1);
            let why = why.split(" (").next().unwrap_or(why);
            let kind: String = why.chars().filter(|c| !c.is_ascii_digit()).collect();
            *self.reasons.entry(kind).or_default() += 1;
        }
        if !o.failures.is_empty() {
            self.failed += 1;
        }
        for line in replilab_harness::swarm::failure_lines(o) {
            println!("{line}");
        }
        if verbose {
            for e in &o.excused {
                println!("seed={} excused: {e}", o.seed);
            }
        }
    }
}

/// The first argument that is neither a flag nor a flag's value.
fn positional(args: &[String]) -> Option<&String> {
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if a == "--seed" {
            skip = true;
        } else if !a.starts_with("--") {
            return Some(a);
        }
    }
    None
}
