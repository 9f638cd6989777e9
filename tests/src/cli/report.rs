//! `replilab run` and `replilab check`: run lessons headless and report.

use std::fmt::Write;
use std::path::Path;
use std::rc::Rc;

use replilab_core::node::NodeState;
use replilab_core::scenario::{self, RunResult, Scenario};
use replilab_core::sentinel::SentinelEventKind;
use replilab_core::sim::Sim;
use replilab_core::timeline::{Session, Source};
use replilab_core::trace::TraceKind;
use serde::Serialize;

fn t(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

/// Loads a lesson file; the error names the file, line and column.
pub fn load(path: &Path) -> Result<Scenario, String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    scenario::parse(&src).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(path: &Path, seed: Option<u64>) -> Result<(Scenario, Sim, RunResult), String> {
    let s = load(path)?;
    let (sim, r) = scenario::run(&s, seed).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((s, sim, r))
}

/// The key events of a run: faults, role changes, sync decisions, Sentinel events, console commands.
pub fn key_events(sim: &Sim) -> Vec<(u64, String, String)> {
    sim.trace()
        .iter()
        .filter_map(|e| {
            let text = match &e.kind {
                TraceKind::Fault { text } => format!("fault: {text}"),
                TraceKind::Role { role } => format!("role {role}"),
                TraceKind::Sync {
                    replica,
                    full,
                    reason,
                } => {
                    format!(
                        "{} sync for {}: {reason}",
                        if *full { "full" } else { "partial" },
                        sim.name(*replica)
                    )
                }
                TraceKind::Sentinel { event } if event.kind != SentinelEventKind::Monitor => {
                    event.to_string()
                }
                TraceKind::Exec { client, cmd, reply } if client == "console" => {
                    format!("> {cmd}\n{reply}")
                }
                _ => return None,
            };
            Some((e.t_ms, sim.name(e.node), text))
        })
        .collect()
}

fn node_state(sim: &Sim) -> Vec<String> {
    sim.nodes()
        .iter()
        .map(|n| {
            let what = match &n.state {
                NodeState::Down => "down".to_string(),
                NodeState::Redis(r) => match &r.master {
                    None => format!(
                        "master, offset {}, {} keys, {} replicas",
                        r.ids.master_repl_offset,
                        r.db.len(),
                        r.replicas.len()
                    ),
                    Some(m) => format!(
                        "replica of {}:{} (link {}), offset {}, {} keys",
                        m.host,
                        m.port,
                        if m.is_connected() { "up" } else { "down" },
                        r.ids.master_repl_offset,
                        r.db.len()
                    ),
                },
                NodeState::Sentinel(s) => {
                    let masters: Vec<String> = s
                        .masters
                        .values()
                        .map(|m| format!("{} at {}:{}", m.name, m.inst.host, m.inst.port))
                        .collect();
                    format!(
                        "sentinel, epoch {}, {}",
                        s.current_epoch,
                        masters.join(", ")
                    )
                }
                NodeState::Client(c) => {
                    let ok = c.history.iter().filter(|o| o.ok().is_some()).count();
                    format!("client, {} operations ({ok} ok)", c.history.len())
                }
            };
            format!(
                "  {:<6} {:<16} {what}",
                n.name,
                format!("{}:{}", n.host, n.port)
            )
        })
        .collect()
}

/// `replilab run FILE --at T`: the deployment at simulated time `t_ms`
/// (the timeline's own run, as the page's playhead shows it).
pub fn state_at(path: &Path, seed: Option<u64>, t_ms: u64) -> Result<String, String> {
    let s = load(path)?;
    let mut session = Session::new(Source::Lesson(Rc::new(s)), seed);
    session.seek(t_ms)?;
    let sim = &session.sim;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} at {}, seed {}",
        session.id(),
        t(sim.now_ms()),
        session.seed
    );
    let _ = writeln!(
        out,
        "
state"
    );
    for l in node_state(sim) {
        let _ = writeln!(out, "{l}");
    }
    let rep = replilab_core::checker::check(sim);
    let _ = writeln!(
        out,
        "
checker so far"
    );
    let _ = writeln!(
        out,
        "  acknowledged writes: {}, lost: {}, stale reads: {}, expired reads: {}",
        rep.acked_writes,
        rep.lost_writes.len(),
        rep.stale_reads.len(),
        rep.expired_reads.len()
    );
    let _ = writeln!(
        out,
        "  full syncs: {}, partial syncs: {}",
        rep.full_syncs, rep.partial_syncs
    );
    Ok(out)
}

/// The readable report of `replilab run`.
pub fn text_report(s: &Scenario, sim: &Sim, r: &RunResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}), seed {}, {} s simulated, {} events, trace {}",
        s.title.en, s.id, r.seed, r.duration_s, r.events, r.trace_hash
    );
    let _ = writeln!(out, "\ntimeline");
    for (ms, node, text) in key_events(sim) {
        for (i, line) in text.lines().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "  {:>10}  {:<6} {line}", t(ms), node);
            } else {
                let _ = writeln!(out, "  {:>10}  {:<6} {line}", "", "");
            }
        }
    }
    let _ = writeln!(out, "\nfinal state");
    for l in node_state(sim) {
        let _ = writeln!(out, "{l}");
    }
    let rep = &r.report;
    let _ = writeln!(out, "\nchecker");
    let _ = writeln!(
        out,
        "  final master: {}",
        rep.final_master.as_deref().unwrap_or("(none)")
    );
    let _ = writeln!(
        out,
        "  acknowledged writes: {}, surviving: {}, lost: {}",
        rep.acked_writes,
        rep.surviving_writes,
        rep.lost_writes.len()
    );
    for l in rep.lost_writes.iter().take(5) {
        let _ = writeln!(
            out,
            "    lost {} acknowledged by {} at {} ({}:{}); {}",
            l.cmd,
            l.acked_by,
            t(l.acked_ms),
            l.replid,
            l.offset,
            l.erased_by
        );
    }
    if rep.lost_writes.len() > 5 {
        let _ = writeln!(out, "    … {} more", rep.lost_writes.len() - 5);
    }
    let _ = writeln!(
        out,
        "  stale reads: {}, reads of expired keys: {}",
        rep.stale_reads.len(),
        rep.expired_reads.len()
    );
    for b in rep.stale_reads.iter().chain(&rep.expired_reads).take(5) {
        let _ = writeln!(
            out,
            "    {} read {} on {} at {}: got {}, expected {}",
            b.client,
            b.key,
            b.node,
            t(b.read_ms),
            b.got,
            b.expected
        );
    }
    for w in &rep.unavailable {
        let _ = writeln!(
            out,
            "  {} could not write from {} to {} ({} failed writes)",
            w.client,
            t(w.from_ms),
            t(w.to_ms),
            w.failed_writes
        );
    }
    let _ = writeln!(
        out,
        "  full syncs: {}, partial syncs: {}",
        rep.full_syncs, rep.partial_syncs
    );
    for s in &rep.sales {
        let _ = writeln!(
            out,
            "  sale: {}",
            replilab_core::checker::oversell::describe(s)
        );
    }
    let _ = writeln!(out, "\nexpectations");
    for e in &r.expectations {
        let _ = writeln!(
            out,
            "  {}  {} (got {}, wanted {})",
            if e.pass { "PASS" } else { "FAIL" },
            e.label_en,
            e.got,
            e.wanted
        );
    }
    out
}

/// The documented JSON report (README: "JSON report").
#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub format: &'static str,
    pub lesson: &'a str,
    pub passed: bool,
    #[serde(flatten)]
    pub result: &'a RunResult,
    pub events: Vec<JsonEvent>,
}

#[derive(Serialize)]
pub struct JsonEvent {
    pub t_ms: u64,
    pub node: String,
    pub text: String,
}

pub fn json_report(s: &Scenario, sim: &Sim, r: &RunResult) -> String {
    let events = key_events(sim)
        .into_iter()
        .map(|(t_ms, node, text)| JsonEvent { t_ms, node, text })
        .collect();
    let j = JsonReport {
        format: "replilab-report/1",
        lesson: &s.id,
        passed: r.passed(),
        result: r,
        events,
    };
    serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// `replilab check DIR`: one line per file; Err when any fails.
pub fn check_dir(dir: &Path) -> Result<String, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no .toml files", dir.display()));
    }
    let mut out = String::new();
    let mut failed = 0;
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match run(f, None) {
            Ok((lesson, _, r)) => {
                let passed = r.expectations.iter().filter(|e| e.pass).count();
                let mut lines = String::new();
                let proofs = prove_challenges(lesson, &mut lines);
                let ok = r.passed() && proofs;
                failed += usize::from(!ok);
                let _ = writeln!(
                    out,
                    "{} {name}: {passed}/{} expectations, {} events",
                    if ok { "ok  " } else { "FAIL" },
                    r.expectations.len(),
                    r.events
                );
                out.push_str(&lines);
                for s in &r.report.sales {
                    let _ = writeln!(
                        out,
                        "     sale {}",
                        replilab_core::checker::oversell::describe(s)
                    );
                }
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(out, "FAIL {name}: {e}");
            }
        }
    }
    let _ = writeln!(out, "{} passed, {failed} failed", files.len() - failed);
    if failed > 0 {
        Err(out)
    } else {
        Ok(out)
    }
}

/// Proves each challenge of a lesson (the unchanged run fails its goals,
/// the file's solution meets them), a line each; false if one does not hold.
fn prove_challenges(lesson: Scenario, out: &mut String) -> bool {
    let lesson = std::rc::Rc::new(lesson);
    let proofs = match replilab_core::timeline::prove(&lesson) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(out, "     challenges: the run stopped: {e}");
            return false;
        }
    };
    let mut all = true;
    for p in &proofs {
        let holds = p.holds();
        all &= holds;
        let met = |s: &replilab_core::timeline::ChallengeStatus| {
            s.goals
                .iter()
                .filter(|(o, fin)| *fin && o.as_ref().is_some_and(|o| o.pass))
                .count()
        };
        let _ = writeln!(
            out,
            "     challenge of step {}: {} (unchanged run meets {}/{} goals, solution {}/{}{})",
            p.baseline.step + 1,
            if holds { "proven" } else { "NOT PROVEN" },
            met(&p.baseline),
            p.baseline.goals.len(),
            met(&p.solution),
            p.solution.goals.len(),
            if p.solution.breaches.is_empty() {
                ""
            } else {
                ", solution breaks the rules"
            },
        );
        for (b, s) in p.baseline.goals.iter().zip(&p.solution.goals) {
            let got = |g: &(Option<replilab_core::scenario::Outcome>, bool)| {
                g.0.as_ref().map_or("-".to_string(), |o| o.got.clone())
            };
            let label =
                b.0.as_ref()
                    .or(s.0.as_ref())
                    .map_or("", |o| o.label_en.as_str());
            let _ = writeln!(
                out,
                "       {label}: unchanged {}, solution {}",
                got(b),
                got(s)
            );
        }
    }
    all
}
