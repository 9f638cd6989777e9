//! The two sides of a fidelity check. A check's script is written once
//! against `Side` and runs on both: `LabSide` drives the simulation
//! (`dsl::Lab`, profile 7.0, virtual time) and `RealSide` drives real
//! redis-server 7.0 processes (wall-clock time).
//!
//! Faults map as the issue states: a pause is SIGSTOP/SIGCONT on the real
//! process and `Fault::Pause` in the lab; a crash is SIGKILL by PID and
//! `Fault::Crash`. A broken replication link is the same command on both
//! sides (`CLIENT KILL TYPE master` on the replica, or `CLIENT KILL TYPE
//! replica` on the master while the replica is paused), typed by the script.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use redis::{ConnectionLike, IntoConnectionInfo};
use replilab_core::net::LinkCfg;
use replilab_core::node::NodeSpec;
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::sim::Fault;

use super::cli;
use super::real::{Monitor, RealServer};
use crate::dsl::{field_of, Lab};

/// What a check starts: a master `m` and replicas `r1..rN`, every node with
/// the same extra config (Redis config names and values).
#[derive(Clone, Debug)]
pub struct Setup {
    pub replicas: usize,
    pub conf: Vec<(String, String)>,
    /// Watch what r1 applies (real: `redis-cli MONITOR` on r1; lab: its trace).
    pub watch_stream: bool,
    /// After the initial sync, let one ACK period (1.1 s) pass before the
    /// script starts: a real master streams to a diskless-synced replica only
    /// after its first REPLCONF ACK, and the checks compare steady state.
    pub settle: bool,
}

impl Setup {
    pub fn new(replicas: usize) -> Setup {
        Setup {
            replicas,
            conf: vec![("repl-diskless-sync-delay".into(), "0".into())],
            watch_stream: false,
            settle: true,
        }
    }

    pub fn no_settle(mut self) -> Setup {
        self.settle = false;
        self
    }

    pub fn conf(mut self, name: &str, value: &str) -> Setup {
        self.conf.retain(|(k, _)| k != name);
        self.conf.push((name.into(), value.into()));
        self
    }

    pub fn watch_stream(mut self) -> Setup {
        self.watch_stream = true;
        self
    }

    fn node_names(&self) -> Vec<String> {
        let mut v = vec!["m".to_string()];
        v.extend((1..=self.replicas).map(|i| format!("r{i}")));
        v
    }
}

pub trait Side {
    /// "lab" or "real".
    fn label(&self) -> &'static str;
    /// A line typed at redis-cli on `node`; what redis-cli prints.
    fn cmd(&mut self, node: &str, line: &str) -> String;
    /// Lets time pass: virtual in the lab, wall-clock for real.
    fn sleep_ms(&mut self, ms: u64);
    /// Milliseconds since the side started (virtual or wall-clock).
    fn elapsed_ms(&self) -> u64;
    /// The node's clock (unix ms for real servers).
    fn clock_ms(&mut self, node: &str) -> i64;
    /// The process stalls for `ms` (SIGSTOP then SIGCONT / `Fault::Pause`).
    fn pause(&mut self, node: &str, ms: u64);
    /// The process dies (SIGKILL / `Fault::Crash`).
    fn crash(&mut self, node: &str);
    /// Forgets what r1 applied so far.
    fn mark_stream(&mut self);
    /// Commands r1 applied from its master since the mark, as argument lists
    /// (command name upper-cased); PING and REPLCONF left out (MONITOR never
    /// shows REPLCONF, and PINGs depend on the ping phase).
    fn stream(&mut self) -> Vec<Vec<String>>;
    /// Replaces every node's host and port in `text` by `<host>` / `<port>`.
    fn hide_addresses(&self, text: &str) -> String;
    /// The longest a wait for replicas may take on this side.
    fn sync_budget_ms(&self) -> u64;

    /// Waits (bounded) until every replica is online at the master's offset.
    fn wait_synced(&mut self, replicas: usize) -> Result<(), String> {
        let start = self.elapsed_ms();
        let mut last = String::new();
        while self.elapsed_ms() - start < self.sync_budget_ms() {
            let info = self.cmd("m", "INFO replication");
            let off = field_of(&info, "master_repl_offset").unwrap_or_default();
            let good = (0..replicas).all(|i| {
                field_of(&info, &format!("slave{i}")).is_some_and(|s| {
                    s.contains("state=online") && s.contains(&format!("offset={},", off.trim()))
                })
            });
            let links_up = (1..=replicas).all(|i| {
                let r = self.cmd(&format!("r{i}"), "INFO replication");
                field_of(&r, "master_link_status").as_deref().map(str::trim) == Some("up")
                    && field_of(&r, "slave_repl_offset").as_deref().map(str::trim)
                        == Some(off.trim())
            });
            if good && links_up {
                return Ok(());
            }
            last = info;
            self.sleep_ms(50);
        }
        Err(format!(
            "{}: replicas not in sync within {} ms; master INFO:\n{last}",
            self.label(),
            self.sync_budget_ms()
        ))
    }
}

/// See `Setup::settle`.
const SETTLE_MS: u64 = 1_100;

/// An INFO field's value without the trailing `\r`.
pub fn info_field(info: &str, field: &str) -> String {
    field_of(info, field)
        .map(|v| v.trim_end().to_string())
        .unwrap_or_else(|| format!("<no {field}>"))
}

/// Replaces `needle` in `text` where it is not part of a longer number or address.
fn replace_whole(text: &str, needle: &str, with: &str) -> String {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
    let mut out = String::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(needle).map(|i| i + from) {
        let end = i + needle.len();
        out.push_str(&text[from..i]);
        if glued(text[..i].chars().last()) || glued(text[end..].chars().next()) {
            out.push_str(needle);
        } else {
            out.push_str(with);
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

// ---------------------------------------------------------------- the lab

/// How long the lab's master runs before its replicas start (see `LabSide::start`).
const MASTER_HEAD_START_MS: u64 = 1_000;

pub struct LabSide {
    pub lab: Lab,
    stream_mark: usize,
}

impl LabSide {
    /// Starts the nodes the way `RealSide` does: the master first, the
    /// replicas once it has run for a while (a real master's first
    /// replicationCron, the one that would PING replicas at loop 0, is long
    /// over when a replica process started after it connects). Layout as
    /// `dsl::Lab`: m = 10.0.0.1, rN = 10.0.0.(N+1), port 6379, 1 ms apart.
    pub fn start(setup: &Setup, seed: u64) -> Result<LabSide, String> {
        let mut spec = RedisSpec::new(Profile::V7_0);
        for (k, v) in &setup.conf {
            spec.conf
                .config_set(k, v)
                .map_err(|e| format!("lab config {k} {v}: {e}"))?;
        }
        let mut lab = Lab::new(seed);
        lab.sim.net.default_link = LinkCfg {
            latency_ms: 1,
            ..LinkCfg::default()
        };
        lab.sim
            .add_node("m", "10.0.0.1", 6379, NodeSpec::Redis(spec.clone()));
        lab.run_ms(MASTER_HEAD_START_MS);
        let mut replica = spec;
        replica.replicaof = Some(("10.0.0.1".into(), 6379));
        for i in 1..=setup.replicas {
            lab.sim.add_node(
                &format!("r{i}"),
                &format!("10.0.0.{}", i + 1),
                6379,
                NodeSpec::Redis(replica.clone()),
            );
        }
        let mut side = LabSide {
            lab,
            stream_mark: 0,
        };
        if setup.replicas > 0 {
            side.wait_synced(setup.replicas)?;
            if setup.settle {
                side.sleep_ms(SETTLE_MS);
            }
        }
        side.mark_stream();
        Ok(side)
    }
}

impl Side for LabSide {
    fn label(&self) -> &'static str {
        "lab"
    }
    fn cmd(&mut self, node: &str, line: &str) -> String {
        self.lab.cmd(node, line)
    }
    fn sleep_ms(&mut self, ms: u64) {
        self.lab.run_ms(ms);
    }
    fn elapsed_ms(&self) -> u64 {
        self.lab.sim.now_ms()
    }
    fn clock_ms(&mut self, node: &str) -> i64 {
        let id = self.lab.id(node);
        self.lab.sim.clock_ms(id)
    }
    fn pause(&mut self, node: &str, ms: u64) {
        self.lab.pause(node, ms);
    }
    fn crash(&mut self, node: &str) {
        let id = self.lab.id(node);
        self.lab.fault(Fault::Crash { node: id });
    }
    fn mark_stream(&mut self) {
        self.stream_mark = self.lab.sim.trace().len();
    }
    fn stream(&mut self) -> Vec<Vec<String>> {
        let sim = &self.lab.sim;
        let names = |id| sim.name(id);
        sim.trace()[self.stream_mark.min(sim.trace().len())..]
            .iter()
            .map(|e| e.line(&names))
            .filter_map(|l| {
                let cmd = l.split(" r1 apply ").nth(1)?;
                let cmd = cmd.rsplit_once(" (").map_or(cmd, |(c, _)| c);
                stream_entry(cmd)
            })
            .collect()
    }
    fn hide_addresses(&self, text: &str) -> String {
        let mut t = text.to_string();
        for slot in self.lab.sim.nodes() {
            t = replace_whole(&t, &slot.host, "<host>");
            t = replace_whole(&t, &slot.port.to_string(), "<port>");
        }
        t
    }
    fn sync_budget_ms(&self) -> u64 {
        60_000
    }
}

/// One stream command as argument strings, or None for PING/REPLCONF.
fn stream_entry(quoted: &str) -> Option<Vec<String>> {
    let args = cli::split_args(quoted)?;
    let mut v: Vec<String> = args
        .into_iter()
        .map(|a| String::from_utf8_lossy(&a).into_owned())
        .collect();
    let name = v.first_mut()?;
    *name = name.to_ascii_uppercase();
    if name == "PING" || name == "REPLCONF" {
        return None;
    }
    Some(v)
}

// ---------------------------------------------------------------- real Redis

struct RealNode {
    server: RealServer,
    conn: Option<redis::Connection>,
    /// SIGCONT is due at this instant.
    resume_at: Option<Instant>,
}

pub struct RealSide {
    nodes: BTreeMap<String, RealNode>,
    started: Instant,
    monitor: Option<Monitor>,
}

/// How long one command may take on a real server before it counts as no reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(15);

pub(crate) fn connect(port: u16) -> Result<redis::Connection, String> {
    let info = format!("redis://127.0.0.1:{port}/")
        .into_connection_info()
        .map_err(|e| e.to_string())?;
    // No CLIENT SETINFO on connect: 7.0 does not know it, and it would count
    // as an error reply on every server.
    let settings = info.redis_settings().clone().set_skip_set_lib_name();
    let client =
        redis::Client::open(info.set_redis_settings(settings)).map_err(|e| e.to_string())?;
    let conn = client
        .get_connection_with_timeout(Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    conn.set_read_timeout(Some(REPLY_TIMEOUT))
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

impl RealSide {
    pub fn start(setup: &Setup) -> Result<RealSide, String> {
        let mut side = RealSide {
            nodes: BTreeMap::new(),
            started: Instant::now(),
            monitor: None,
        };
        let master = RealServer::start("m", &setup.conf)?;
        let mport = master.port;
        side.add("m", master)?;
        for name in setup.node_names().into_iter().skip(1) {
            let mut conf = setup.conf.clone();
            conf.push(("replicaof".into(), format!("127.0.0.1 {mport}")));
            let server = RealServer::start(&name, &conf)?;
            side.add(&name, server)?;
        }
        if setup.replicas > 0 {
            side.wait_synced(setup.replicas)?;
            if setup.settle {
                side.sleep_ms(SETTLE_MS);
            }
        }
        if setup.watch_stream && setup.replicas > 0 {
            side.monitor = Some(Monitor::start(side.nodes["r1"].server.port)?);
        }
        Ok(side)
    }

    fn add(&mut self, name: &str, server: RealServer) -> Result<(), String> {
        let conn = connect(server.port)?;
        self.nodes.insert(
            name.into(),
            RealNode {
                server,
                conn: Some(conn),
                resume_at: None,
            },
        );
        Ok(())
    }

    pub fn port(&self, node: &str) -> Option<u16> {
        self.nodes.get(node).map(|n| n.server.port)
    }

    /// Sends SIGCONT to every node whose pause is over.
    fn resume_due(&mut self) {
        let now = Instant::now();
        for n in self.nodes.values_mut() {
            if n.resume_at.is_some_and(|t| t <= now) {
                n.resume_at = None;
                let _ = n.server.cont();
            }
        }
    }

    fn exec(&mut self, node: &str, line: &str) -> String {
        // A paused process answers when it wakes: wait for the SIGCONT.
        if let Some(t) = self.nodes.get(node).and_then(|n| n.resume_at) {
            let d = t.saturating_duration_since(Instant::now());
            std::thread::sleep(d);
            self.resume_due();
        }
        let Some(args) = cli::split_args(line) else {
            return "Invalid argument(s)".into();
        };
        if args.is_empty() {
            return String::new();
        }
        let Some(n) = self.nodes.get_mut(node) else {
            return format!("<no node {node}>");
        };
        if !n.server.is_running() {
            return "Could not connect to Redis: Connection refused".into();
        }
        if n.conn.is_none() {
            match connect(n.server.port) {
                Ok(c) => n.conn = Some(c),
                Err(e) => return format!("<connect failed: {e}>"),
            }
        }
        let Some(conn) = n.conn.as_mut() else {
            return "<no connection>".into();
        };
        let mut c = redis::Cmd::new();
        for a in &args {
            c.arg(&a[..]);
        }
        match conn.req_command(&c) {
            Ok(v) => cli::format_reply(&v, cli::prints_raw(&args)),
            Err(e) => {
                if let Some(code) = e.code() {
                    let text = match e.detail() {
                        Some(d) => format!("{code} {d}"),
                        None => code.to_string(),
                    };
                    format!("(error) {text}")
                } else {
                    n.conn = None;
                    format!("<client error: {e}>")
                }
            }
        }
    }
}

impl Side for RealSide {
    fn label(&self) -> &'static str {
        "real"
    }
    fn cmd(&mut self, node: &str, line: &str) -> String {
        self.exec(node, line)
    }
    fn sleep_ms(&mut self, ms: u64) {
        let end = Instant::now() + Duration::from_millis(ms);
        loop {
            self.resume_due();
            let now = Instant::now();
            if now >= end {
                return;
            }
            let next_resume = self.nodes.values().filter_map(|n| n.resume_at).min();
            let until = next_resume.map_or(end, |t| t.min(end));
            std::thread::sleep(
                until
                    .saturating_duration_since(now)
                    .min(Duration::from_millis(20)),
            );
        }
    }
    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }
    fn clock_ms(&mut self, _node: &str) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
    fn pause(&mut self, node: &str, ms: u64) {
        if let Some(n) = self.nodes.get_mut(node) {
            if n.server.stop().is_ok() {
                n.resume_at = Some(Instant::now() + Duration::from_millis(ms));
            }
        }
    }
    fn crash(&mut self, node: &str) {
        if let Some(n) = self.nodes.get_mut(node) {
            n.conn = None;
            n.resume_at = None;
            n.server.kill();
        }
    }
    fn mark_stream(&mut self) {
        if let Some(m) = self.monitor.as_mut() {
            m.drain();
        }
    }
    fn stream(&mut self) -> Vec<Vec<String>> {
        let Some(m) = self.monitor.as_mut() else {
            return vec![];
        };
        m.drain()
            .iter()
            .filter_map(|l| {
                // 1795285907.714882 [0 127.0.0.1:17001] "SET" "a" "1"
                let (_, cmd) = l.split_once("] ")?;
                stream_entry(cmd)
            })
            .collect()
    }
    fn hide_addresses(&self, text: &str) -> String {
        let mut t = replace_whole(text, "127.0.0.1", "<host>");
        for n in self.nodes.values() {
            t = replace_whole(&t, &n.server.port.to_string(), "<port>");
        }
        t
    }
    fn sync_budget_ms(&self) -> u64 {
        10_000
    }
}

impl Drop for RealSide {
    fn drop(&mut self) {
        // Connections first, then the monitor, then the processes (by PID).
        for n in self.nodes.values_mut() {
            n.conn = None;
        }
        self.monitor = None;
        self.nodes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::replace_whole;

    #[test]
    fn addresses_are_hidden_only_as_whole_tokens() {
        assert_eq!(
            replace_whole("ip=10.0.0.2,port=6379,offset=163790", "6379", "<port>"),
            "ip=10.0.0.2,port=<port>,offset=163790"
        );
        assert_eq!(
            replace_whole("10.0.0.1 10.0.0.12", "10.0.0.1", "<host>"),
            "<host> 10.0.0.12"
        );
    }
}
