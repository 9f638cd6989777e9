//! A cluster failover side by side: 3 masters and 3 replicas with
//! cluster-node-timeout 2000, m1 killed; which log lines appear where, and
//! who ends up master. Real side: redis-server processes on loopback formed
//! with ADDSLOTSRANGE, MEET and CLUSTER REPLICATE.

use std::time::{Duration, Instant};

use replilab_core::scenario;
use replilab_core::sim::ConsoleOutcome;
use replilab_core::trace::TraceKind;

use super::real::{redis_cli, RealServer};
use super::runner::{pair_rows, panic_text, Obs, Row};

const NAMES: [&str; 6] = ["m1", "m2", "m3", "r1", "r2", "r3"];

/// The log lines compared (as Redis words them), and on which nodes.
const LINES: [(&str, &[usize]); 6] = [
    ("possibly failing", &[1, 2]),
    ("as failing (quorum reached).", &[1, 2, 3, 4, 5]),
    ("Start of election delayed for", &[3]),
    ("Starting a failover election for epoch", &[3]),
    ("Failover election won: I'm the new master.", &[3]),
    ("after successful failover", &[3]),
];

fn observe(logs: &[String], roles: &[String]) -> Vec<Obs> {
    let mut o = Vec::new();
    for (needle, nodes) in LINES {
        let any = nodes.iter().any(|&i| logs[i].contains(needle));
        o.push(Obs::exact(
            format!(
                "log {needle:?} on {}",
                nodes
                    .iter()
                    .map(|&i| NAMES[i])
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            if any { "yes" } else { "no" },
        ));
    }
    o.push(Obs::exact("r1 role", roles[0].clone()));
    o.push(Obs::exact("m2 sees", roles[1].clone()));
    o
}

fn lab() -> Result<Vec<Obs>, String> {
    let mut src = String::from("format = \"replilab/1\"\nid = \"f\"\ntitle = { en = \"f\", zh = \"f\" }\nduration_s = 60\n[cluster]\nnode_timeout_ms = 2000\n");
    for (i, n) in NAMES.iter().enumerate() {
        src.push_str(&format!("[[node]]\nname = \"{n}\"\nkind = \"redis\"\n"));
        if i >= 3 {
            src.push_str(&format!("replicaof = \"m{}\"\n", i - 2));
        }
    }
    src.push_str("[[timeline]]\nat_s = 10\ndo = \"crash m1\"\n");
    let s = scenario::parse(&src).map_err(|e| e.to_string())?;
    let mut sim = scenario::build::build(&s, None);
    sim.run_until(25_000).map_err(|e| format!("{e:?}"))?;
    let logs: Vec<String> = NAMES
        .iter()
        .map(|n| {
            let id = sim.node_id(n);
            sim.trace()
                .iter()
                .filter(|t| Some(t.node) == id)
                .filter_map(|t| match &t.kind {
                    TraceKind::Log { text } => Some(text.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let mut ask = |n: &str, line: &str| match sim.console(sim.node_id(n).expect("node"), line) {
        ConsoleOutcome::Reply(r) => r,
        ConsoleOutcome::Pending(_) => "<pending>".into(),
    };
    let role = ask("r1", "ROLE").lines().next().unwrap_or("").to_string();
    let info = ask("m2", "CLUSTER INFO");
    Ok(observe(
        &logs,
        &[role, info.lines().next().unwrap_or("").to_string()],
    ))
}

fn real() -> Result<Vec<Obs>, String> {
    let conf = |k: &str, v: &str| (k.to_string(), v.to_string());
    let mut s = Vec::new();
    for n in NAMES {
        s.push(RealServer::start(
            &format!("failover-{n}"),
            &[
                conf("cluster-enabled", "yes"),
                conf("cluster-config-file", "nodes.conf"),
                conf("cluster-node-timeout", "2000"),
                // `*** NODE … possibly failing` is logged at debug level.
                conf("loglevel", "debug"),
            ],
        )?);
    }
    let cli = |s: &[RealServer], i: usize, args: &[&str]| {
        let v: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        redis_cli(s[i].port, &v)
    };
    let ids: Vec<String> = (0..6)
        .map(|i| cli(&s, i, &["CLUSTER", "MYID"]).map(|x| x.trim_matches('"').to_string()))
        .collect::<Result<_, _>>()?;
    for (i, (a, b)) in [("0", "5460"), ("5461", "10922"), ("10923", "16383")]
        .iter()
        .enumerate()
    {
        cli(&s, i, &["CLUSTER", "ADDSLOTSRANGE", a, b])?;
    }
    let p0 = s[0].port.to_string();
    for i in 1..6 {
        cli(&s, i, &["CLUSTER", "MEET", "127.0.0.1", &p0])?;
    }
    let wait = |s: &[RealServer], what: &dyn Fn(&[RealServer]) -> bool, secs: u64| {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if what(s) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let known = |s: &[RealServer]| {
        (0..6).all(|i| {
            cli(s, i, &["CLUSTER", "INFO"]).is_ok_and(|t| t.contains("cluster_known_nodes:6"))
        })
    };
    if !wait(&s, &known, 30) {
        return Err("the real nodes did not all meet within 30 s".into());
    }
    for i in 3..6 {
        cli(&s, i, &["CLUSTER", "REPLICATE", &ids[i - 3]])?;
    }
    let synced = |s: &[RealServer]| {
        (3..6).all(|i| {
            cli(s, i, &["INFO", "replication"]).is_ok_and(|t| t.contains("master_link_status:up"))
        }) && (0..6)
            .all(|i| cli(s, i, &["CLUSTER", "INFO"]).is_ok_and(|t| t.contains("cluster_state:ok")))
    };
    if !wait(&s, &synced, 30) {
        return Err("the real replicas did not sync within 30 s".into());
    }
    std::thread::sleep(Duration::from_secs(3));
    s[0].kill();
    let promoted =
        |s: &[RealServer]| cli(s, 3, &["ROLE"]).is_ok_and(|t| t.starts_with("1) \"master\""));
    wait(&s, &promoted, 20);
    std::thread::sleep(Duration::from_secs(2));
    let logs: Vec<String> = s.iter().map(|x| x.log()).collect();
    let role = cli(&s, 3, &["ROLE"])?
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let info = cli(&s, 1, &["CLUSTER", "INFO"])?
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    Ok(observe(&logs, &[role, info]))
}

fn guarded(f: fn() -> Result<Vec<Obs>, String>) -> Result<Vec<Obs>, String> {
    std::panic::catch_unwind(f).unwrap_or_else(|p| Err(format!("<panicked: {}>", panic_text(p))))
}

/// The failover check (about 15 s of real time).
pub fn run_cluster_failover_check() -> Vec<Row> {
    let t = Instant::now();
    let rows = pair_rows("cluster failover", guarded(lab), guarded(real));
    println!(
        "check {:<20} {:>3} rows in {:.1}s",
        "cluster failover",
        rows.len(),
        t.elapsed().as_secs_f64()
    );
    rows
}
