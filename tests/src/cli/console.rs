//! `replilab console [FILE]`: a redis-cli-like prompt on a simulated
//! deployment. `@node CMD` addresses a node; a bare command goes to the last
//! node addressed; lines starting with `.` act on the simulation.

use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::sim::{ConsoleOutcome, Fault, NodeState, Sim};
use replilab_core::trace::TraceKind;

pub const HELP: &str = "\
.sleep T              advance virtual time by T
.pause NODE T         stall NODE for T
.crash NODE           crash NODE (memory lost)
.restart NODE         restart NODE (new run id)
.partition A,B / C,D  split the network into groups
.oneway A -> B        cut traffic from A to B only
.heal                 heal every partition
.skew NODE ±T         skew NODE's clock by ±T
.latency A B T        set the latency between A and B
.events               print the Sentinel and replication events so far
.time                 print the virtual time
.help                 list these
Times are in ms; an `s` suffix means seconds (2s, 1.5s).";

/// A console session over a simulation.
pub struct Session {
    pub sim: Sim,
    pub current: NodeId,
    events_shown: usize,
}

/// Parses `500`, `500ms`, `2s`, `1.5s`, `-300`, `+2s`.
pub fn parse_ms(s: &str) -> Option<i64> {
    let (num, mul) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v.abs() < 1e12).then(|| (v * mul).round() as i64)
}

impl Session {
    pub fn new(sim: Sim) -> Session {
        let current = (0..sim.nodes().len())
            .find(|&i| matches!(sim.nodes()[i].state, NodeState::Redis(_)))
            .map_or(NodeId(0), |i| NodeId(i as u16));
        Session {
            sim,
            current,
            events_shown: 0,
        }
    }

    pub fn prompt(&self) -> String {
        let n = self.sim.node(self.current);
        format!(
            "[{}] {}:{}> ",
            self.sim.name(self.current),
            n.map_or("?", |n| n.host.as_str()),
            n.map_or(0, |n| n.port)
        )
    }

    fn node(&self, name: &str) -> Result<NodeId, String> {
        self.sim.node_id(name).ok_or_else(|| {
            let known: Vec<&str> = self.sim.nodes().iter().map(|n| n.name.as_str()).collect();
            format!("unknown node '{name}' (nodes: {})", known.join(", "))
        })
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
            self.current = self.node(name)?;
            cmd = c.trim();
            if cmd.is_empty() {
                return Ok(String::new());
            }
        }
        match self.sim.console(self.current, cmd) {
            ConsoleOutcome::Reply(r) => Ok(r),
            ConsoleOutcome::Pending(ticket) => {
                // Like redis-cli, wait for the answer (a paused node, a blocking WAIT).
                let deadline = self.sim.now_ms() + 600_000;
                while self.sim.now_ms() < deadline {
                    if let Some(r) = self.sim.console_reply(ticket) {
                        return Ok(r.to_string());
                    }
                    let next = self.sim.next_event_at().unwrap_or(deadline).min(deadline);
                    self.sim.run_until(next).map_err(|e| e.to_string())?;
                }
                Err("no reply within 600 s of simulated time".into())
            }
        }
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
        let time =
            |s: &str| parse_ms(s).ok_or_else(|| format!("'{s}' is not a time (e.g. 500, 2s)"));
        let ok = || Ok("OK".to_string());
        match cmd {
            "sleep" => {
                let ms = time(arg(1)?)?;
                if ms < 0 {
                    return Err("time only moves forward".into());
                }
                self.sim.run_for(ms as u64).map_err(|e| e.to_string())?;
                Ok(format!("t = {} ms", self.sim.now_ms()))
            }
            "pause" => {
                let node = self.node(arg(1)?)?;
                let ms = time(arg(2)?)?.max(0) as u64;
                self.sim.apply(Fault::Pause { node, ms });
                ok()
            }
            "crash" => {
                let node = self.node(arg(1)?)?;
                self.sim.apply(Fault::Crash { node });
                ok()
            }
            "restart" => {
                let node = self.node(arg(1)?)?;
                self.sim.apply(Fault::Restart { node });
                ok()
            }
            "partition" => {
                let spec = meta.strip_prefix("partition").unwrap_or("").trim();
                let mut groups = Vec::new();
                for g in spec.split('/') {
                    let ids: Result<Vec<NodeId>, String> = g
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(|n| self.node(n))
                        .collect();
                    groups.push(ids?);
                }
                if groups.len() < 2 || groups.iter().any(Vec::is_empty) {
                    return Err(".partition needs two or more groups: .partition A,B / C,D".into());
                }
                self.sim.apply(Fault::Partition { groups });
                ok()
            }
            "oneway" => {
                let spec = meta.strip_prefix("oneway").unwrap_or("").trim();
                let (a, b) = spec.split_once("->").ok_or(".oneway needs A -> B")?;
                let (from, to) = (self.node(a.trim())?, self.node(b.trim())?);
                self.sim.apply(Fault::Cut { from, to });
                ok()
            }
            "heal" => {
                self.sim.apply(Fault::Heal);
                ok()
            }
            "skew" => {
                let node = self.node(arg(1)?)?;
                let ms = time(arg(2)?)?;
                self.sim.apply(Fault::Skew { node, skew_ms: ms });
                ok()
            }
            "latency" => {
                let (a, b) = (self.node(arg(1)?)?, self.node(arg(2)?)?);
                let ms = time(arg(3)?)?.max(0) as u64;
                let cfg = LinkCfg {
                    latency_ms: ms,
                    ..self.sim.net.link(a, b)
                };
                self.sim.apply(Fault::Link { a, b, cfg });
                ok()
            }
            "events" => Ok(self.events()),
            "time" => Ok(format!("t = {} ms", self.sim.now_ms())),
            "help" => Ok(HELP.to_string()),
            other => Err(format!("unknown meta-command '.{other}' (see .help)")),
        }
    }

    /// Sentinel and replication events since the last `.events`.
    fn events(&mut self) -> String {
        let sim = &self.sim;
        let lines: Vec<String> = sim.trace()[self.events_shown..]
            .iter()
            .filter_map(|e| {
                let text = match &e.kind {
                    TraceKind::Sentinel { event } => event.clone(),
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
