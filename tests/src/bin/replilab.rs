//! `replilab`: the command-line runner of the lab.
//!
//! - `replilab bench [--writes N] [--keys N] [--replicas N]`: the reference benchmark.
//! - `replilab console`: a redis-cli-like prompt on a simulated deployment.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use replilab_core::demo;
use replilab_core::net::NodeId;
use replilab_core::profile::Profile;
use replilab_core::sim::{ConsoleOutcome, Fault, Sim};
use replilab_harness::bench;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => cmd_bench(&args[1..]),
        Some("console") => cmd_console(),
        Some("help") | Some("--help") | Some("-h") | None => {
            println!("usage: replilab bench [--writes N] [--keys N] [--replicas N]\n       replilab console");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("replilab: unknown command '{other}' (try: replilab help)");
            ExitCode::from(2)
        }
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
    ExitCode::SUCCESS
}

fn parse_ms(s: &str) -> Option<i64> {
    let (num, mul) = match s.strip_suffix('s') {
        Some(n) if !n.ends_with('m') => (n, 1000.0),
        _ => (s.strip_suffix("ms").unwrap_or(s), 1.0),
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v * mul) as i64)
}

fn cmd_console() -> ExitCode {
    let mut sim = demo::master_and_two_replicas(1, Profile::V7_0);
    let interactive = std::io::stdin().is_terminal();
    let mut current = NodeId(0);
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    loop {
        if interactive {
            let n = sim
                .node(current)
                .map(|n| format!("{}:{}", n.host, n.port))
                .unwrap_or_default();
            let _ = write!(out, "[{}] {}> ", sim.name(current), n);
            let _ = out.flush();
        }
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match run_console_line(&mut sim, &mut current, line) {
            Ok(text) => println!("{text}"),
            Err(e) => println!("(error) {e}"),
        }
    }
    ExitCode::SUCCESS
}

fn node(sim: &Sim, name: &str) -> Result<NodeId, String> {
    sim.node_id(name)
        .ok_or_else(|| format!("unknown node '{name}'"))
}

fn run_console_line(sim: &mut Sim, current: &mut NodeId, line: &str) -> Result<String, String> {
    if let Some(meta) = line.strip_prefix('.') {
        let parts: Vec<&str> = meta.split_whitespace().collect();
        let arg = |i: usize| {
            parts
                .get(i)
                .copied()
                .ok_or_else(|| format!("'.{}' needs more arguments (try .help)", parts[0]))
        };
        let ms = |s: &str| parse_ms(s).ok_or_else(|| format!("'{s}' is not a time (e.g. 500, 2s)"));
        return match parts.first().copied().unwrap_or("") {
            "sleep" => {
                let t = ms(arg(1)?)?.max(0) as u64;
                sim.run_for(t).map_err(|e| e.to_string())?;
                Ok(format!("t = {} ms", sim.now_ms()))
            }
            "pause" => {
                let n = node(sim, arg(1)?)?;
                let t = ms(arg(2)?)?.max(0) as u64;
                sim.apply(Fault::Pause { node: n, ms: t });
                Ok("OK".into())
            }
            "crash" => {
                let n = node(sim, arg(1)?)?;
                sim.apply(Fault::Crash { node: n });
                Ok("OK".into())
            }
            "restart" => {
                let n = node(sim, arg(1)?)?;
                sim.apply(Fault::Restart { node: n });
                Ok("OK".into())
            }
            "heal" => {
                sim.apply(Fault::Heal);
                Ok("OK".into())
            }
            "time" => Ok(format!("t = {} ms", sim.now_ms())),
            "help" => Ok(".sleep T | .pause NODE T | .crash NODE | .restart NODE | .heal | .time | .help  (T in ms, or with an s suffix)".into()),
            other => Err(format!("unknown meta-command '.{other}' (try .help)")),
        };
    }
    let mut line = line;
    if let Some(rest) = line.strip_prefix('@') {
        let (name, cmd) = rest.split_once(' ').unwrap_or((rest, ""));
        *current = node(sim, name)?;
        line = cmd.trim();
        if line.is_empty() {
            return Ok(String::new());
        }
    }
    match sim.console(*current, line) {
        ConsoleOutcome::Reply(r) => Ok(r),
        ConsoleOutcome::Pending(ticket) => {
            let deadline = sim.now_ms() + 600_000;
            while sim.now_ms() < deadline {
                if let Some(r) = sim.console_reply(ticket) {
                    return Ok(r.to_string());
                }
                let next = sim.next_event_at().unwrap_or(deadline).min(deadline);
                sim.run_until(next).map_err(|e| e.to_string())?;
            }
            Err("no reply within 600 s of simulated time".into())
        }
    }
}
