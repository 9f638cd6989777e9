//! `replilab console [FILE]`: a redis-cli-like prompt on a simulated
//! deployment. `@node CMD` addresses a node; a bare command goes to the last
//! node addressed; lines starting with `.` act on the simulation: an action
//! of the one grammar (`.pause m 5s`, `replilab_core::action`), or one of
//! the console's own commands below. Everything typed is an action of the
//! core's timeline (`replilab_core::timeline`), as in the page: the console
//! can seek back and forth, fork a comparison and show both branches.

use replilab_core::action::{self, Action};
use replilab_core::checker;
use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use replilab_core::timeline::{Session, Source};
use replilab_core::trace::TraceKind;

pub const HELP: &str = "\
.sleep T              advance virtual time by T
.seek T               move the playhead to time T (back or forward)
.fork                 keep the run as branch A; what you do next happens in B only
.compare              both branches side by side (after .fork)
.swap                 make the other branch live;  .end  close the comparison
.log NODE             NODE's server log, as the process writes it
.events               print the Sentinel and replication events so far
.time                 print the virtual time
.help                 list these
Actions (the lab's one grammar, also in lesson timelines and links):
.pause NODE T         stall NODE for T
.crash NODE           crash NODE (memory lost)
.restart NODE         restart NODE (new run id)
.partition A,B / C,D  split the network into groups
.oneway A -> B        cut traffic from A to B only
.heal                 heal every partition
.skew NODE ±T         set NODE's clock offset;  .jump NODE ±T  step it
.link A B latency T [jitter T] [bandwidth 2mbit]   change a link
Times are in ms; an `s` suffix means seconds (2s, 1.5s).";

/// A console over a timeline (`Clone`: the fuzzer starts each input from a copy).
#[derive(Clone)]
pub struct Console {
    pub session: Session,
    pub current: NodeId,
    events_shown: usize,
}

/// The longest a typed command waits for its reply, in simulated ms.
const REPLY_WAIT_MS: u64 = 600_000;

impl Console {
    pub fn new(source: Source, seed: Option<u64>) -> Console {
        let session = Session::new(source, seed);
        let sim = &session.sim;
        let current = (0..sim.nodes().len())
            .find(|&i| matches!(sim.nodes()[i].state, NodeState::Redis(_)))
            .map_or(NodeId(0), |i| NodeId(i as u16));
        Console {
            session,
            current,
            events_shown: 0,
        }
    }

    pub fn prompt(&self) -> String {
        let sim = &self.session.sim;
        let n = sim.node(self.current);
        let branch = self
            .session
            .live_letter()
            .map_or(String::new(), |b| format!("{b} "));
        format!(
            "{branch}[{}] {}:{}> ",
            sim.name(self.current),
            n.map_or("?", |n| n.host.as_str()),
            n.map_or(0, |n| n.port)
        )
    }

    fn time(&self) -> String {
        let s = &self.session;
        match s.end_ms() {
            Some(end) if s.now_ms() >= end => format!("t = {} ms (the end of the run)", s.now_ms()),
            _ => format!("t = {} ms", s.now_ms()),
        }
    }

    /// Runs one line; the text is what the console prints.
    pub fn line(&mut self, line: &str) -> Result<String, String> {
        let line = line.trim();
        if line.is_empty() {
            return Ok(String::new());
        }
        if let Some(meta) = line.strip_prefix('.') {
            return self.meta(meta);
        }
        let mut cmd = line;
        if let Some(rest) = line.strip_prefix('@') {
            let (name, c) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            self.current = self.session.sim.lookup(name)?;
            cmd = c.trim();
            if cmd.is_empty() {
                return Ok(String::new());
            }
        }
        let node = self.session.sim.name(self.current);
        let action: Action = format!("@{node} {cmd}")
            .parse()
            .map_err(|e: action::ParseError| e.0)?;
        self.act(action)?;
        let Some(entry) = self.session.lines.last() else {
            return Err("the command was not recorded".into());
        };
        if let Some(r) = &entry.reply {
            return Ok(r.clone());
        }
        // Like redis-cli, wait for the answer (a paused node, a blocking WAIT).
        let deadline = self.session.now_ms() + REPLY_WAIT_MS;
        while self.session.now_ms() < deadline {
            if let Some(r) = self.session.lines.last().and_then(|l| l.reply.clone()) {
                return Ok(r);
            }
            let now = self.session.now_ms();
            self.session.advance_to(now + 100)?;
            self.session.settle();
            if self.session.now_ms() == now {
                return Err(format!("no reply by the end of the run ({})", self.time()));
            }
        }
        Err("no reply within 600 s of simulated time".into())
    }

    fn act(&mut self, action: Action) -> Result<(), String> {
        let fork = self.session.act(action)?;
        self.session.settle();
        if fork.kept {
            eprintln!("(the run from here on is kept as branch A; you are in branch B)");
        } else if fork.dropped > 0 {
            eprintln!(
                "({} later action(s) dropped from this branch)",
                fork.dropped
            );
        }
        Ok(())
    }

    fn meta(&mut self, meta: &str) -> Result<String, String> {
        let parts: Vec<&str> = meta.split_whitespace().collect();
        let cmd = parts.first().copied().unwrap_or("");
        let arg = |i: usize| {
            parts
                .get(i)
                .copied()
                .ok_or_else(|| format!(".{cmd} needs more arguments (see .help)"))
        };
        let time = |s: &str| action::parse_ms(s, false).map_err(|e| e.0);
        match cmd {
            "sleep" => {
                let ms = time(arg(1)?)? as u64;
                let target = self.session.now_ms().saturating_add(ms);
                self.session.advance_to(target)?;
                self.session.settle();
                Ok(self.time())
            }
            "seek" => {
                let ms = time(arg(1)?)? as u64;
                self.session.seek(ms)?;
                Ok(self.time())
            }
            "fork" => {
                if self.session.compare.is_some() {
                    return Err("a comparison is open already (.end closes it)".into());
                }
                self.session.keep_as_a();
                Ok("the run is kept as branch A; what you do next happens in branch B".into())
            }
            "compare" => compare_text(&mut self.session),
            "swap" => {
                if self.session.compare.is_none() {
                    return Err("no comparison is open (.fork starts one)".into());
                }
                self.session.swap_branches()?;
                Ok(format!(
                    "branch {} is live",
                    self.session.live_letter().unwrap_or('?')
                ))
            }
            "end" => {
                self.session.close_compare();
                Ok("OK".into())
            }
            "log" => {
                let node = self.session.sim.lookup(arg(1)?)?;
                let lines = self.session.sim.server_log(node);
                Ok(if lines.is_empty() {
                    "(no log lines yet)".into()
                } else {
                    lines.join("\n")
                })
            }
            "events" => Ok(self.events()),
            "time" => Ok(self.time()),
            "help" => Ok(HELP.to_string()),
            _ => {
                let action: Action = meta.parse().map_err(|e: action::ParseError| {
                    if e.0.starts_with("unknown action") {
                        format!("unknown meta-command '.{}' (see .help)", action::clip(cmd))
                    } else {
                        e.0
                    }
                })?;
                if matches!(action, Action::Command { .. }) {
                    return Err("type a command without the leading '.'".into());
                }
                self.act(action)?;
                Ok("OK".into())
            }
        }
    }

    /// Sentinel and replication events since the last `.events`.
    fn events(&mut self) -> String {
        let sim = &self.session.sim;
        let from = self.events_shown.min(sim.trace().len());
        let lines: Vec<String> = sim.trace()[from..]
            .iter()
            .filter_map(|e| {
                let text = match &e.kind {
                    TraceKind::Sentinel { event } => event.to_string(),
                    TraceKind::Sync {
                        replica,
                        full,
                        reason,
                    } => format!(
                        "{} sync for {}: {reason}",
                        if *full { "full" } else { "partial" },
                        sim.name(*replica)
                    ),
                    TraceKind::Role { role } => format!("role {role}"),
                    TraceKind::Fault { text } => format!("fault: {text}"),
                    _ => return None,
                };
                Some(format!(
                    "{}.{:03} {} {text}",
                    e.t_ms / 1000,
                    e.t_ms % 1000,
                    sim.name(e.node)
                ))
            })
            .collect();
        self.events_shown = sim.trace().len();
        if lines.is_empty() {
            "(no new events)".into()
        } else {
            lines.join("\n")
        }
    }
}

/// Both branches of a comparison: the checker's figures, each Redis node's
/// role and offset, and where the runs part.
fn compare_text(session: &mut Session) -> Result<String, String> {
    if session.compare.is_none() {
        return Err("no comparison is open (.fork starts one)".into());
    }
    session.sync_other()?;
    let Some((a, b)) = session.branches() else {
        return Err("no comparison is open".into());
    };
    let (ra, rb) = (checker::check(&a.sim), checker::check(&b.sim));
    let mark = |x: &str, y: &str| if x == y { " " } else { "≠" };
    let mut out = vec![format!("{:<26} {:>22} {:>22}", "", "A", "B")];
    let mut row = |label: &str, x: String, y: String| {
        out.push(format!("{}{label:<25} {x:>22} {y:>22}", mark(&x, &y)));
    };
    row(
        "acknowledged writes",
        ra.acked_writes.to_string(),
        rb.acked_writes.to_string(),
    );
    row(
        "lost writes",
        ra.lost_writes.len().to_string(),
        rb.lost_writes.len().to_string(),
    );
    row(
        "stale reads",
        ra.stale_reads.len().to_string(),
        rb.stale_reads.len().to_string(),
    );
    row(
        "expired reads",
        ra.expired_reads.len().to_string(),
        rb.expired_reads.len().to_string(),
    );
    row(
        "full syncs",
        ra.full_syncs.to_string(),
        rb.full_syncs.to_string(),
    );
    for (i, slot) in a.sim.nodes().iter().enumerate() {
        let id = NodeId(i as u16);
        let figure = |s: &Session| {
            s.sim.redis(id).map(|r| {
                let role = if r.is_master() { "master" } else { "replica" };
                format!("{role} @{}", r.ids.master_repl_offset)
            })
        };
        if let (Some(x), Some(y)) = (figure(a), figure(b)) {
            row(&slot.name, x, y);
        }
    }
    match session.divergence() {
        Some(d) => {
            let line = |e: Option<&replilab_core::trace::TraceEvent>, s: &Session| {
                e.map_or("(nothing)".into(), |e| e.line(&|n| s.sim.name(n)))
            };
            let (a, b) = session.branches().ok_or("no comparison is open")?;
            out.push(format!("the runs part at {} ms:", d.t_ms));
            out.push(format!("  A: {}", line(d.a, a)));
            out.push(format!("  B: {}", line(d.b, b)));
        }
        None => out.push("the runs have not parted yet".into()),
    }
    Ok(out.join("\n"))
}

#[cfg(test)]
mod tests;
