//! The two sides of a Sentinel check: the lab (`LabSentinels`: `dsl::Lab`
//! with three Sentinel nodes at 10.0.1.x:26379) and real redis-server and
//! redis-sentinel 7.0.15 processes on 127.0.0.1 (`RealSentinels`).

use std::time::{Duration, Instant};

use replilab_core::client::{ClientSpec, Outcome, Routing};
use replilab_core::node::{NodeSpec, NodeState};
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::sentinel::{MonitorSpec, SentinelSpec};
use replilab_core::sim::Fault;

use super::real::RealServer;
use super::sentinel::{
    items, normalize_with, poll, SentinelSide, WriterOutcome, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS,
    SENTINELS,
};
use super::sentinel_real::{count_existing, real_cmd, RealSentinel, Subscriber, Writer};
use crate::dsl::{field_of, Lab};

fn redis_conf(min_replicas: bool) -> Vec<(String, String)> {
    let mut c = vec![("repl-diskless-sync-delay".to_string(), "0".to_string())];
    if min_replicas {
        c.push(("min-replicas-to-write".into(), "1".into()));
        c.push(("min-replicas-max-lag".into(), "5".into()));
    }
    c
}

// ---------------------------------------------------------------- the lab

pub struct LabSentinels {
    pub lab: Lab,
    nodes: Vec<(String, u16, String)>,
}

impl LabSentinels {
    pub fn start(seed: u64, min_replicas: bool) -> Result<LabSentinels, String> {
        let conf = redis_conf(min_replicas);
        let mut lab =
            Lab::master_with_replicas_conf(seed, 2, Profile::V7_0, 1, |s: &mut RedisSpec| {
                for (k, v) in &conf {
                    s.conf.config_set(k, v).expect("lab config");
                }
            });
        lab.wait_synced();
        let spec = SentinelSpec {
            monitors: vec![MonitorSpec {
                quorum: 2,
                down_after_ms: DOWN_AFTER_MS,
                failover_timeout_ms: FAILOVER_TIMEOUT_MS,
                ..MonitorSpec::default()
            }],
            ..SentinelSpec::default()
        };
        for (i, s) in SENTINELS.iter().enumerate() {
            let host = format!("10.0.1.{}", i + 1);
            lab.sim
                .add_node(s, &host, 26379, NodeSpec::Sentinel(spec.clone()));
        }
        let nodes = lab
            .sim
            .nodes()
            .iter()
            .map(|n| (n.host.clone(), n.port, n.name.clone()))
            .collect();
        Ok(LabSentinels { lab, nodes })
    }
}

impl SentinelSide for LabSentinels {
    fn cmd(&mut self, node: &str, line: &str) -> String {
        self.lab.cmd(node, line)
    }
    fn sleep_ms(&mut self, ms: u64) {
        self.lab.run_ms(ms);
    }
    fn now_ms(&self) -> i64 {
        self.lab.sim.now_ms() as i64
    }
    fn events(&mut self) -> Vec<(i64, String, String)> {
        self.lab
            .sentinel_events()
            .iter()
            .filter_map(|l| {
                let mut w = l.splitn(3, ' ');
                let t = w.next()?.replace('.', "").parse::<i64>().ok()?;
                let node = w.next()?.to_string();
                Some((t, node, self.normalize(w.next()?)))
            })
            .collect()
    }
    fn logged(&mut self, s: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|(_, n, _)| n == s)
            .map(|(_, _, e)| e)
            .collect()
    }
    fn pause_master(&mut self, ms: u64) {
        self.lab.pause("m", ms);
    }
    fn kill(&mut self, node: &str) {
        let id = self.lab.id(node);
        self.lab.fault(Fault::Crash { node: id });
    }
    fn start_writer(&mut self) {
        self.lab.add_client(
            "app",
            ClientSpec {
                routing: Routing::Fixed {
                    host: "10.0.0.1".into(),
                    port: 6379,
                },
                period_ms: 100,
                ..ClientSpec::default()
            },
        );
    }
    fn writer_outcome(&mut self) -> Result<WriterOutcome, String> {
        let r = self.lab.check();
        let mut w = WriterOutcome {
            acked: r.acked_writes,
            lost: r.lost_writes.len() as u64,
            noreplicas: 0,
            readonly: 0,
        };
        for n in self.lab.sim.nodes() {
            if let NodeState::Client(c) = &n.state {
                for op in &c.history {
                    if let Outcome::Error(e) = &op.outcome {
                        w.noreplicas += e.starts_with("NOREPLICAS") as u64;
                        w.readonly += e.starts_with("READONLY") as u64;
                    }
                }
            }
        }
        Ok(w)
    }
    fn normalize(&self, text: &str) -> String {
        normalize_with(text, &self.nodes)
    }
}

// ---------------------------------------------------------------- real

pub struct RealSentinels {
    // Dropped in this order: listeners, writer, Sentinels, servers.
    subs: Vec<(String, Subscriber)>,
    writer: Option<Writer>,
    sentinels: Vec<RealSentinel>,
    servers: Vec<RealServer>,
    started: Instant,
    nodes: Vec<(String, u16, String)>,
    /// SIGCONT of the master is due then.
    resume_at: Option<Instant>,
}

impl RealSentinels {
    pub fn start(min_replicas: bool) -> Result<RealSentinels, String> {
        let conf = redis_conf(min_replicas);
        let mut side = RealSentinels {
            subs: vec![],
            writer: None,
            sentinels: vec![],
            servers: vec![],
            started: Instant::now(),
            nodes: vec![],
            resume_at: None,
        };
        let m = RealServer::start("m", &conf)?;
        let mport = m.port;
        side.servers.push(m);
        for r in ["r1", "r2"] {
            let mut c = conf.clone();
            c.push(("replicaof".into(), format!("127.0.0.1 {mport}")));
            side.servers.push(RealServer::start(r, &c)?);
        }
        let online = poll(&mut side, 10_000, |s| {
            let i = s.cmd("m", "INFO replication");
            (0..2).all(|k| {
                field_of(&i, &format!("slave{k}")).is_some_and(|v| v.contains("state=online"))
            })
        });
        if !online {
            return Err(format!(
                "real replicas not online within 10 s: {:?}",
                side.cmd("m", "INFO replication")
            ));
        }
        for s in SENTINELS {
            let sentinel = RealSentinel::start(s, mport, DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS)?;
            side.subs
                .push((s.to_string(), Subscriber::start(sentinel.port)?));
            side.sentinels.push(sentinel);
        }
        side.nodes = side
            .servers
            .iter()
            .map(|s| ("127.0.0.1".to_string(), s.port, s.name.clone()))
            .chain(
                side.sentinels
                    .iter()
                    .map(|s| ("127.0.0.1".to_string(), s.port, s.name.clone())),
            )
            .collect();
        Ok(side)
    }

    fn port(&self, node: &str) -> Option<u16> {
        let servers = self.servers.iter().map(|s| (&s.name, s.port));
        let sentinels = self.sentinels.iter().map(|s| (&s.name, s.port));
        servers
            .chain(sentinels)
            .find(|(n, _)| *n == node)
            .map(|(_, p)| p)
    }
}

impl SentinelSide for RealSentinels {
    fn cmd(&mut self, node: &str, line: &str) -> String {
        match self.port(node) {
            Some(p) => real_cmd(p, line),
            None => format!("<no node {node}>"),
        }
    }
    fn sleep_ms(&mut self, ms: u64) {
        let end = Instant::now() + Duration::from_millis(ms);
        loop {
            let now = Instant::now();
            if self.resume_at.is_some_and(|t| t <= now) {
                self.resume_at = None;
                let _ = self.servers[0].cont();
            }
            if now >= end {
                return;
            }
            let until = self.resume_at.map_or(end, |t| t.min(end));
            std::thread::sleep(
                until
                    .saturating_duration_since(now)
                    .min(Duration::from_millis(20)),
            );
        }
    }
    fn now_ms(&self) -> i64 {
        self.started.elapsed().as_millis() as i64
    }
    fn events(&mut self) -> Vec<(i64, String, String)> {
        let started = self.started;
        let mut all = vec![];
        for (name, sub) in &mut self.subs {
            for (t, e) in sub.events() {
                all.push((
                    t.duration_since(started).as_millis() as i64,
                    name.clone(),
                    e.clone(),
                ));
            }
        }
        all.sort_by_key(|(t, _, _)| *t);
        all.into_iter()
            .map(|(t, n, e)| (t, n, normalize_with(&e, &self.nodes)))
            .collect()
    }
    fn logged(&mut self, s: &str) -> Vec<String> {
        let ev = self
            .sentinels
            .iter()
            .find(|x| x.name == s)
            .map(|x| x.log_events())
            .unwrap_or_default();
        ev.iter().map(|e| self.normalize(e)).collect()
    }
    fn pause_master(&mut self, ms: u64) {
        if self.servers[0].stop().is_ok() {
            self.resume_at = Some(Instant::now() + Duration::from_millis(ms));
        }
    }
    fn kill(&mut self, node: &str) {
        self.subs.retain(|(n, _)| n != node);
        if let Some(s) = self.sentinels.iter_mut().find(|s| s.name == node) {
            s.kill();
        }
    }
    fn start_writer(&mut self) {
        self.writer = Some(Writer::start(self.servers[0].port, 100));
    }
    fn writer_outcome(&mut self) -> Result<WriterOutcome, String> {
        let st = self.writer.take().ok_or("no writer")?.finish();
        let r = self.cmd("s1", "SENTINEL get-master-addr-by-name mymaster");
        let port: u16 = items(&r)
            .get(1)
            .and_then(|p| p.parse().ok())
            .ok_or(format!("no master address: {r}"))?;
        let keys: Vec<String> = st.acked.iter().map(|n| format!("w:{n}")).collect();
        let there = count_existing(port, &keys)?;
        Ok(WriterOutcome {
            acked: keys.len() as u64,
            lost: keys.len() as u64 - there.min(keys.len() as u64),
            noreplicas: st.noreplicas,
            readonly: st.readonly,
        })
    }
    fn normalize(&self, text: &str) -> String {
        normalize_with(text, &self.nodes)
    }
}
