//! A simulated Redis Sentinel (7.0 `sentinel.c`): monitoring, SDOWN/ODOWN,
//! leader election and failover, with Sentinel's real timers and event names.
//!
//! - `instance.rs`: what is known about each master, replica and Sentinel;
//! - `monitor.rs`: links, periodic PING / INFO / hello, replies, SDOWN/ODOWN;
//! - `failover.rs`: epochs, votes, replica selection and the failover state machine;
//! - `commands.rs`: the commands a Sentinel answers (SENTINEL ..., INFO, Pub/Sub).
//!
//! Times are the Sentinel's own clock in ms (`mstime()`), so a skewed or
//! jumping clock affects it as it would a real one (TILT).

mod commands;
mod conf;
mod down;
mod event;
mod failover;
mod info;
pub mod instance;
mod monitor;

use crate::vecmap::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

pub use event::{SentinelEvent, SentinelEventKind};
pub use failover::FailoverState;
pub use instance::{Instance, Kind};

use crate::net::{ConnId, NodeId};
use crate::node::{Cx, Input, Timer};
use crate::trace::TraceKind;

/// `sentinel monitor <name> <ip> <port> <quorum>` and its per-master settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonitorSpec {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub quorum: u32,
    pub down_after_ms: u64,
    pub failover_timeout_ms: u64,
    pub parallel_syncs: u32,
    /// State Sentinel rewrites into sentinel.conf (`sentinelFlushConfig`).
    pub config_epoch: u64,
    pub leader_epoch: u64,
    pub known_replicas: Vec<(String, u16)>,
    /// Other Sentinels: (host, port, run id).
    pub known_sentinels: Vec<(String, u16, String)>,
}

impl Default for MonitorSpec {
    fn default() -> Self {
        MonitorSpec {
            name: "mymaster".into(),
            host: "10.0.0.1".into(),
            port: 6379,
            quorum: 2,
            down_after_ms: 30_000,
            failover_timeout_ms: 180_000,
            parallel_syncs: 1,
            config_epoch: 0,
            leader_epoch: 0,
            known_replicas: Vec::new(),
            known_sentinels: Vec::new(),
        }
    }
}

/// What a Sentinel process starts from: its sentinel.conf.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SentinelSpec {
    pub monitors: Vec<MonitorSpec>,
    /// `protected-mode yes`: connections from other hosts are refused.
    pub protected_mode: bool,
    /// `sentinel myid`, written on first start so a restart keeps it.
    pub myid: Option<String>,
    /// `sentinel current-epoch`.
    pub current_epoch: u64,
}

/// Sentinel's timer tick and the TILT rule.
pub const SENTINEL_TILT_TRIGGER_MS: i64 = 2000;
pub const SENTINEL_TILT_PERIOD_MS: i64 = 30_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SentinelTimer {
    Tick,
}

/// One monitored master with its replicas and the other Sentinels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Master {
    pub name: String,
    pub inst: Instance,
    pub quorum: u32,
    pub down_after_ms: i64,
    pub failover_timeout_ms: i64,
    pub parallel_syncs: u32,
    pub config_epoch: u64,
    pub odown: bool,
    pub o_down_since: i64,
    pub replicas: VecMap<String, Instance>,
    /// Other Sentinels, by run id.
    pub sentinels: VecMap<String, Instance>,
    pub failover: FailoverState,
    pub failover_epoch: u64,
    pub failover_start_time: i64,
    pub failover_state_change_time: i64,
    pub force_failover: bool,
    /// Address (`ip:port`) of the replica being promoted.
    pub promoted: Option<String>,
    /// This Sentinel's vote for the master's failover, and its epoch.
    pub leader: Option<String>,
    pub leader_epoch: u64,
}

/// A connection into this Sentinel (a client, another Sentinel, the console).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SClient {
    pub peer: Option<NodeId>,
    pub channels: VecSet<Vec<u8>>,
    pub patterns: VecSet<Vec<u8>>,
}

/// Which instance a link belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkOwner {
    pub master: String,
    pub kind: Kind,
    /// Replica address or Sentinel run id; empty for the master.
    pub key: String,
    pub pubsub: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentinelNode {
    pub spec: SentinelSpec,
    pub myid: String,
    pub host: String,
    pub port: u16,
    pub current_epoch: u64,
    pub masters: VecMap<String, Master>,
    pub links: VecMap<ConnId, LinkOwner>,
    pub clients: VecMap<ConnId, SClient>,
    pub console: SClient,
    pub console_push_ticket: u64,
    pub tilt: bool,
    pub tilt_start: i64,
    pub previous_time: i64,
    /// Every event this Sentinel emitted, at simulated ms.
    pub events: Vec<(u64, SentinelEvent)>,
}

impl SentinelNode {
    pub fn new(spec: SentinelSpec, run_id: String, host: &str, port: u16) -> SentinelNode {
        SentinelNode {
            myid: spec.myid.clone().unwrap_or(run_id),
            host: host.to_string(),
            port,
            current_epoch: 0,
            masters: VecMap::new(),
            links: VecMap::new(),
            clients: VecMap::new(),
            console: SClient::default(),
            console_push_ticket: 0,
            tilt: false,
            tilt_start: 0,
            previous_time: 0,
            events: Vec::new(),
            spec,
        }
    }

    pub fn handle(&mut self, input: Input, cx: &mut Cx) {
        self.dispatch(input, cx);
        if self.config_changed() {
            let flushed = self.config_to_flush();
            self.spec = flushed.clone();
            cx.rewrite(crate::node::NodeSpec::Sentinel(flushed));
        }
    }

    /// Whether `config_to_flush` differs from the config: the same fields,
    /// compared in place (building it on every input was ~10% of a long
    /// sandbox run).
    fn config_changed(&self) -> bool {
        let s = &self.spec;
        s.myid.as_deref() != Some(self.myid.as_str())
            || s.current_epoch != self.current_epoch
            || s.monitors.iter().any(|mon| {
                let Some(m) = self.masters.get(&mon.name) else {
                    return false;
                };
                let replicas = m.replicas.values().map(|r| (r.host.as_str(), r.port));
                let sentinels = (m.sentinels.values())
                    .map(|s| (s.host.as_str(), s.port, s.run_id.as_deref().unwrap_or("")));
                mon.host != m.inst.host
                    || mon.port != m.inst.port
                    || mon.config_epoch != m.config_epoch
                    || mon.leader_epoch != m.leader_epoch
                    || !(mon.known_replicas.iter())
                        .map(|(h, p)| (h.as_str(), *p))
                        .eq(replicas)
                    || !(mon.known_sentinels.iter())
                        .map(|(h, p, id)| (h.as_str(), *p, id.as_str()))
                        .eq(sentinels)
            })
    }

    /// What sentinel.conf would hold now: the config plus the state Sentinel persists.
    fn config_to_flush(&self) -> SentinelSpec {
        let mut spec = self.spec.clone();
        spec.myid = Some(self.myid.clone());
        spec.current_epoch = self.current_epoch;
        for mon in &mut spec.monitors {
            if let Some(m) = self.masters.get(&mon.name) {
                mon.host = m.inst.host.clone();
                mon.port = m.inst.port;
                mon.config_epoch = m.config_epoch;
                mon.leader_epoch = m.leader_epoch;
                mon.known_replicas = m
                    .replicas
                    .values()
                    .map(|r| (r.host.clone(), r.port))
                    .collect();
                mon.known_sentinels = m
                    .sentinels
                    .values()
                    .map(|s| (s.host.clone(), s.port, s.run_id.clone().unwrap_or_default()))
                    .collect();
            }
        }
        spec
    }

    fn dispatch(&mut self, input: Input, cx: &mut Cx) {
        match input {
            Input::Start { cron_phase_ms } => self.start(cron_phase_ms, cx),
            Input::Accepted { conn, peer } => self.accept(conn, peer, cx),
            Input::Connected { conn } => self.link_connected(conn, cx),
            Input::ConnFailed { conn } | Input::Closed { conn } => self.conn_gone(conn),
            Input::Msg { conn, msg } => self.on_msg(conn, msg, cx),
            Input::Timer(Timer::Sentinel(SentinelTimer::Tick)) => self.tick(cx),
            Input::Timer(_) => {}
            Input::Console { ticket, line } => self.on_console(ticket, &line, cx),
        }
    }

    fn start(&mut self, phase_ms: u64, cx: &mut Cx) {
        let now = cx.clock_ms;
        self.previous_time = now;
        self.current_epoch = self.spec.current_epoch;
        for m in self.spec.monitors.clone() {
            let mut inst = Instance::new(Kind::Master, &m.host, m.port, now);
            inst.role_is_master = true;
            let replicas = m
                .known_replicas
                .iter()
                .map(|(h, p)| (format!("{h}:{p}"), Instance::new(Kind::Replica, h, *p, now)))
                .collect();
            let sentinels = m
                .known_sentinels
                .iter()
                .map(|(h, p, id)| {
                    let mut s = Instance::new(Kind::Sentinel, h, *p, now);
                    s.run_id = Some(id.clone());
                    (id.clone(), s)
                })
                .collect();
            let master = Master {
                name: m.name.clone(),
                inst,
                quorum: m.quorum,
                down_after_ms: m.down_after_ms as i64,
                failover_timeout_ms: m.failover_timeout_ms as i64,
                parallel_syncs: m.parallel_syncs.max(1),
                config_epoch: m.config_epoch,
                odown: false,
                o_down_since: 0,
                replicas,
                sentinels,
                failover: FailoverState::None,
                failover_epoch: 0,
                failover_start_time: 0,
                failover_state_change_time: 0,
                force_failover: false,
                promoted: None,
                leader: None,
                leader_epoch: m.leader_epoch,
            };
            self.masters.insert(m.name.clone(), master);
            let desc = format!(
                "master {} {} {} quorum {}",
                m.name, m.host, m.port, m.quorum
            );
            self.event(cx, SentinelEventKind::Monitor, desc);
        }
        cx.timer(phase_ms + 1, Timer::Sentinel(SentinelTimer::Tick));
    }

    /// `sentinelEvent`: traced, kept for the panel, and published to subscribers.
    pub(crate) fn event(&mut self, cx: &mut Cx, kind: SentinelEventKind, payload: String) {
        let event = SentinelEvent { kind, payload };
        cx.trace(TraceKind::Sentinel {
            event: event.clone(),
        });
        self.publish_local(kind.name().as_bytes(), event.payload.as_bytes(), cx);
        self.events.push((cx.now_ms, event));
    }

    /// `%@` of sentinelEvent: `<type> <name> <ip> <port>` plus `@ <master> <ip> <port>` for non-masters.
    pub(crate) fn describe(&self, master: &str, kind: Kind, key: &str) -> String {
        let Some(m) = self.masters.get(master) else {
            return String::new();
        };
        let inst = match kind {
            Kind::Master => &m.inst,
            Kind::Replica => match m.replicas.get(key) {
                Some(r) => r,
                None => return String::new(),
            },
            Kind::Sentinel => match m.sentinels.get(key) {
                Some(s) => s,
                None => return String::new(),
            },
        };
        let base = format!(
            "{} {} {} {}",
            inst.kind_name(),
            inst.name(master),
            inst.host,
            inst.port
        );
        if kind == Kind::Master {
            base
        } else {
            format!("{base} @ {} {} {}", master, m.inst.host, m.inst.port)
        }
    }

    fn tick(&mut self, cx: &mut Cx) {
        // The hz is randomised (10..19) each time so Sentinels do not act in lockstep.
        let hz = 10 + cx.rand_below(10);
        cx.timer(1000 / hz, Timer::Sentinel(SentinelTimer::Tick));
        let now = cx.clock_ms;
        let delta = now - self.previous_time;
        self.previous_time = now;
        if !(0..=SENTINEL_TILT_TRIGGER_MS).contains(&delta) {
            self.tilt = true;
            self.tilt_start = now;
            self.event(cx, SentinelEventKind::Tilt, "#tilt mode entered".into());
        }
        if self.tilt && now - self.tilt_start > SENTINEL_TILT_PERIOD_MS {
            self.tilt = false;
            self.event(
                cx,
                SentinelEventKind::TiltExited,
                "#tilt mode exited".into(),
            );
        }
        let names: Vec<String> = self.masters.keys().cloned().collect();
        for name in names {
            self.handle_master(&name, cx);
        }
    }
}
