//! The Sentinel checks of the fidelity suite: one script, run on the lab
//! (`dsl::Lab`, Sentinels at 10.0.1.x:26379) and on real redis-sentinel
//! 7.0.15 (three processes on 127.0.0.1), compared row by row.
//!
//! Topology on both sides: master `m`, replicas `r1`, `r2`, Sentinels
//! `s1..s3` (quorum 2, down-after 5 s, failover-timeout 30 s), every Redis
//! with `repl-diskless-sync-delay 0`; the Sentinels start once the replicas
//! are online. A writer writes `w:<n>` every 100 ms to m's fixed address.
//! The master stalls for 10 s (SIGSTOP / `Fault::Pause`): a false failure.
//!
//! Addresses and run ids are normalised before comparing: `host port` and
//! `host:port` of a node become its name (`m`, `r1`, `s2`), 40-hex run ids
//! become `<id>`. Which replica is promoted, and which Sentinel leads, is
//! random on the real side, so rows name roles, not instances.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use replilab_core::client::{ClientSpec, Outcome, Routing};
use replilab_core::profile::Profile;
use replilab_core::redis::RedisSpec;
use replilab_core::sentinel::{MonitorSpec, SentinelSpec};
use replilab_core::sim::{Fault, NodeSpec, NodeState};

use super::real::RealServer;
use super::runner::{pair_rows, panic_text, Obs, Row};
use super::sentinel_real::{count_existing, real_cmd, RealSentinel, Subscriber, Writer};
use crate::dsl::{field_of, Lab};

pub const DOWN_AFTER_MS: u64 = 5_000;
pub const FAILOVER_TIMEOUT_MS: u64 = 30_000;
pub const STALL_MS: u64 = 10_000;
const SENTINELS: [&str; 3] = ["s1", "s2", "s3"];

/// What a writer's run came to.
pub struct WriterOutcome {
    pub acked: u64,
    pub lost: u64,
    pub noreplicas: u64,
    pub readonly: u64,
}

/// One side of a Sentinel check.
pub trait SentinelSide {
    /// A line typed at redis-cli on `node` (m, r1, r2, s1..s3).
    fn cmd(&mut self, node: &str, line: &str) -> String;
    fn sleep_ms(&mut self, ms: u64);
    fn now_ms(&self) -> i64;
    /// Events so far: (ms, Sentinel, normalised text).
    fn events(&mut self) -> Vec<(i64, String, String)>;
    /// Every event Sentinel `s` logged so far, normalised (real: its log file,
    /// which also holds what came before anyone could subscribe).
    fn logged(&mut self, s: &str) -> Vec<String>;
    /// The master stalls for `ms` from now (it wakes on its own while the
    /// side sleeps or runs commands).
    fn pause_master(&mut self, ms: u64);
    fn kill(&mut self, node: &str);
    fn start_writer(&mut self);
    /// Stops the writer; acknowledged writes missing from the final master.
    fn writer_outcome(&mut self) -> Result<WriterOutcome, String>;
    /// Node names for addresses, `<id>` for run ids.
    fn normalize(&self, text: &str) -> String;
}

/// `host port` / `host:port` of each (host, port, name) → name; run ids → `<id>`.
fn normalize_with(text: &str, nodes: &[(String, u16, String)]) -> String {
    let mut t = text.to_string();
    for (h, p, n) in nodes {
        for pat in [format!("{h}:{p}"), format!("{h} {p}")] {
            let mut out = String::new();
            let mut rest = t.as_str();
            while let Some(i) = rest.find(&pat) {
                let end = i + pat.len();
                let glued = rest[end..].starts_with(|c: char| c.is_ascii_digit())
                    || rest[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.');
                out.push_str(&rest[..i]);
                out.push_str(if glued { &pat } else { n });
                rest = &rest[end..];
            }
            out.push_str(rest);
            t = out;
        }
    }
    t.split(' ')
        .map(|w| {
            if w.len() == 40 && w.chars().all(|c| c.is_ascii_hexdigit()) {
                "<id>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The quoted items of a reply as redis-cli prints it (`1) "a"` lines).
fn items(reply: &str) -> Vec<String> {
    reply
        .lines()
        .filter_map(|l| {
            let (_, v) = l.split_once(") ")?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .collect()
}

/// `SENTINEL MASTER` as (key, value) pairs.
fn pairs(reply: &str) -> Vec<(String, String)> {
    let it = items(reply);
    it.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

/// The node at the address a `get-master-addr-by-name` reply names.
fn addr_reply(side: &dyn SentinelSide, reply: &str) -> String {
    match items(reply).as_slice() {
        [h, p] => {
            let name = side.normalize(&format!("{h} {p}"));
            format!("1) host of {name} 2) port of {name}")
        }
        _ => reply.to_string(),
    }
}

/// `+type` plus the instance kind when the payload starts with one.
fn event_type(text: &str) -> String {
    let mut w = text.split(' ');
    let ty = w.next().unwrap_or("");
    match w.next() {
        Some(k @ ("master" | "slave" | "sentinel")) => format!("{ty} {k}"),
        _ => ty.to_string(),
    }
}

fn poll(
    side: &mut dyn SentinelSide,
    budget_ms: i64,
    mut ok: impl FnMut(&mut dyn SentinelSide) -> bool,
) -> bool {
    let start = side.now_ms();
    loop {
        if ok(side) {
            return true;
        }
        if side.now_ms() - start > budget_ms {
            return false;
        }
        side.sleep_ms(200);
    }
}

/// Every Sentinel knows both replicas and both other Sentinels.
fn discovered(side: &mut dyn SentinelSide) -> bool {
    SENTINELS.iter().all(|s| {
        let p = pairs(&side.cmd(s, "SENTINEL master mymaster"));
        let get = |k: &str| p.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        get("num-slaves").as_deref() == Some("2")
            && get("num-other-sentinels").as_deref() == Some("2")
    })
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The script. `full`: the false-failure check with discovery, commands and
/// the event sequence; otherwise only the lost-write outcome (min-replicas).
pub fn script(side: &mut dyn SentinelSide, full: bool) -> Vec<Obs> {
    let mut out = vec![];
    let t0 = side.now_ms();
    let found = poll(side, 20_000, discovered);
    out.push(
        Obs::exact(
            "every Sentinel found 2 replicas and 2 Sentinels",
            yes(found),
        )
        .note(format!(
            "after {:.1} s",
            (side.now_ms() - t0) as f64 / 1000.0
        )),
    );
    if full {
        for s in SENTINELS {
            let mut ev = side.logged(s);
            ev.sort();
            out.push(Obs::exact(
                format!("{s} events before the stall (sorted)"),
                ev.join(" ; "),
            ));
        }
        let r = side.cmd("s1", "SENTINEL get-master-addr-by-name mymaster");
        out.push(Obs::exact(
            "s1> SENTINEL get-master-addr-by-name mymaster",
            addr_reply(side, &r),
        ));
        for line in [
            "SENTINEL get-master-addr-by-name nosuch",
            "SENTINEL ckquorum mymaster",
            "SENTINEL ckquorum nosuch",
        ] {
            out.push(Obs::exact(format!("s1> {line}"), side.cmd("s1", line)));
        }
        let p = pairs(&side.cmd("s1", "SENTINEL master mymaster"));
        let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        out.push(Obs::exact(
            "SENTINEL master mymaster: keys in order",
            keys.join(","),
        ));
        let shown = [
            "name",
            "flags",
            "config-epoch",
            "num-slaves",
            "num-other-sentinels",
            "quorum",
            "down-after-milliseconds",
            "failover-timeout",
            "parallel-syncs",
            "role-reported",
            "link-pending-commands",
            "link-refcount",
        ];
        let vals: Vec<String> = p
            .iter()
            .filter(|(k, _)| shown.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={}", side.normalize(v)))
            .collect();
        out.push(Obs::exact(
            "SENTINEL master mymaster: values",
            vals.join(" "),
        ));
    }
    side.start_writer();
    side.sleep_ms(1_000);
    let stall = side.now_ms();
    side.pause_master(STALL_MS);
    if full {
        // While some Sentinel has the master in o_down: SENTINEL master's keys.
        let mut keys = None;
        while keys.is_none() && side.now_ms() < stall + STALL_MS as i64 - 500 {
            side.sleep_ms(100);
            for s in SENTINELS {
                let p = pairs(&side.cmd(s, "SENTINEL master mymaster"));
                let flags = p.iter().find(|(k, _)| k == "flags").map(|(_, v)| v.clone());
                if flags.is_some_and(|f| f.contains("o_down")) {
                    let k: Vec<&str> = p
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .filter(|k| *k != "failover-state")
                        .collect();
                    keys = Some(k.join(","));
                    break;
                }
            }
        }
        out.push(Obs::exact(
            "SENTINEL master mymaster in o_down: keys in order (failover-state left out)",
            keys.unwrap_or_else(|| "<never o_down>".into()),
        ));
    }
    side.sleep_ms((stall + STALL_MS as i64 - side.now_ms()).max(0) as u64);
    let wake = stall + STALL_MS as i64;
    // Settled: some Sentinel converted m, and m synced with the new master.
    let converted = poll(side, 20_000, |s| {
        s.events()
            .iter()
            .any(|(_, _, e)| e.starts_with("+convert-to-slave slave m "))
    });
    let synced = converted
        && poll(side, 10_000, |s| {
            let i = s.cmd("m", "INFO replication");
            field_of(&i, "role")
                .map(|v| v.trim().to_string())
                .as_deref()
                == Some("slave")
                && field_of(&i, "master_link_status")
                    .map(|v| v.trim().to_string())
                    .as_deref()
                    == Some("up")
        });
    side.sleep_ms(500);
    let settled = format!("converted {}, synced {}", yes(converted), yes(synced));
    let tag = if full {
        "no min-replicas"
    } else {
        "min-replicas-to-write 1, max-lag 5"
    };
    match side.writer_outcome() {
        Ok(w) => {
            let note = format!(
                "lost {} of {} acked; NOREPLICAS {}, READONLY {}; {settled}",
                w.lost, w.acked, w.noreplicas, w.readonly
            );
            let lost = if w.lost > 0 { "lost > 0" } else { "lost = 0" };
            out.push(Obs::exact(format!("acknowledged writes lost ({tag})"), lost).note(note));
            out.push(Obs::exact(
                "old master refused with NOREPLICAS",
                yes(w.noreplicas > 0),
            ));
        }
        Err(e) => out.push(Obs::exact(format!("acknowledged writes lost ({tag})"), e)),
    }
    if !full {
        return out;
    }
    let events: Vec<(i64, String, String)> = side
        .events()
        .into_iter()
        .filter(|(t, _, _)| *t >= stall)
        .collect();
    if std::env::var_os("FIDELITY_SENTINEL_EVENTS").is_some() {
        for (t, n, e) in &events {
            println!("[events] {:>6} ms {n} {e}", t - stall);
        }
    }
    let leader = events
        .iter()
        .find(|(_, _, e)| e.starts_with("+elected-leader"))
        .map(|(_, s, _)| s.clone());
    let of = |s: &Option<String>, ty: &str| {
        events
            .iter()
            .find(|(_, n, e)| Some(n) == s.as_ref() && e.starts_with(ty))
            .map(|(t, _, _)| *t)
    };
    // Until the wake-up. `-odown` is left out: the leader clears ODOWN only
    // if an is-master-down reply from a follower that already switched
    // arrives before its +failover-end, a race (seen in every real run so far).
    let leader_types: Vec<String> = events
        .iter()
        .filter(|(t, n, e)| *t < wake && Some(n) == leader.as_ref() && !e.starts_with("-odown"))
        .map(|(_, _, e)| event_type(e))
        .collect();
    out.push(Obs::exact(
        "leader: event types in order (stall to wake, -odown left out)",
        leader_types.join(", "),
    ));
    // The followers learn the new master from the leader's hello messages,
    // forced right after +promoted-slave (sentinelForceHelloUpdateForMaster).
    let follower_switch = events
        .iter()
        .filter(|(_, n, e)| Some(n) != leader.as_ref() && e.starts_with("+switch-master"))
        .map(|(t, _, _)| *t)
        .max();
    let (promoted, end) = (of(&leader, "+promoted-slave"), of(&leader, "+failover-end"));
    out.push(Obs::exact(
        "both followers switch before the leader's +failover-end",
        match (follower_switch, end) {
            (Some(f), Some(e)) => yes(f < e).to_string(),
            _ => "<not observed>".into(),
        },
    ));
    // Hellos go out on the next tick (~100 ms), one network hop.
    out.push(Obs::within(
        "followers' last +switch-master after the leader's +promoted-slave",
        follower_switch.zip(promoted).map(|(a, b)| a - b),
        500,
        "ms",
    ));
    let followers: BTreeSet<String> = events
        .iter()
        .filter(|(t, n, _)| *t < wake && Some(n) != leader.as_ref())
        .map(|(_, _, e)| event_type(e))
        .collect();
    out.push(Obs::exact(
        "followers: set of event types (stall to wake)",
        followers.into_iter().collect::<Vec<_>>().join(", "),
    ));
    let switch = events
        .iter()
        .find(|(_, n, e)| Some(n) == leader.as_ref() && e.starts_with("+switch-master"))
        .map(|(_, _, e)| e.replace(" r1", " <replica>").replace(" r2", " <replica>"));
    out.push(Obs::exact(
        "leader: +switch-master",
        switch.unwrap_or_else(|| "<none>".into()),
    ));
    // After the wake-up any Sentinel may be the one that converts m, so this
    // counts over all three. `+role-change` is left out: whether the others'
    // next INFO (10 s period) reads m before or after its SLAVEOF is a race.
    let after: BTreeMap<String, usize> = events
        .iter()
        .filter(|(t, _, e)| *t >= wake && !e.starts_with("+role-change"))
        .fold(BTreeMap::new(), |mut m, (_, _, e)| {
            let e = e.replace(" r1", " <replica>").replace(" r2", " <replica>");
            *m.entry(e).or_default() += 1;
            m
        });
    out.push(Obs::exact(
        "all Sentinels, wake to settled: events (+role-change left out)",
        after
            .iter()
            .map(|(e, n)| format!("{n}x {e}"))
            .collect::<Vec<_>>()
            .join(" ; "),
    ));
    let (sdown, odown, switch_t) = (
        of(&leader, "+sdown master m"),
        of(&leader, "+odown master m"),
        of(&leader, "+switch-master"),
    );
    let convert = events
        .iter()
        .find(|(_, _, e)| e.starts_with("+convert-to-slave"))
        .map(|(t, _, _)| *t);
    let d = |a: Option<i64>, b: Option<i64>| a.zip(b).map(|(a, b)| a - b);
    // +sdown: the first unanswered PING is sent up to 1 s after the stall,
    // SDOWN once it is down-after old, seen on a tick (100 ms or so).
    out.push(Obs::within(
        "leader: +sdown after the stall starts",
        d(sdown, Some(stall)),
        1000,
        "ms",
    ));
    // +odown: the other Sentinels are asked once a second.
    out.push(Obs::within(
        "leader: +odown after its +sdown",
        d(odown, sdown),
        1000,
        "ms",
    ));
    // Election (up to 1 s of random desync), promotion and replica
    // reconfiguration are each paced by 1 s INFO / ask periods.
    out.push(Obs::within(
        "leader: +switch-master after its +odown",
        d(switch_t, odown),
        2000,
        "ms",
    ));
    // A replica reporting role master is converted once it has been up and
    // reporting that role for 8 s (SENTINEL_PUBLISH_PERIOD * 4), INFO each 1 s..10 s.
    out.push(Obs::within(
        "first +convert-to-slave after the master wakes",
        d(convert, Some(wake)),
        2000,
        "ms",
    ));
    let r = side.cmd("s1", "SENTINEL get-master-addr-by-name mymaster");
    let after = addr_reply(side, &r)
        .replace("r1", "<replica>")
        .replace("r2", "<replica>");
    out.push(Obs::exact(
        "s1> SENTINEL get-master-addr-by-name mymaster, settled",
        after,
    ));
    let fo = "SENTINEL failover mymaster";
    out.push(Obs::exact(format!("s1> {fo}"), side.cmd("s1", fo)));
    out.push(Obs::exact(
        format!("s1> {fo} (again at once)"),
        side.cmd("s1", fo),
    ));
    let p = pairs(&side.cmd("s1", "SENTINEL master mymaster"));
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    out.push(Obs::exact(
        "SENTINEL master mymaster in a failover: keys in order",
        keys.join(","),
    ));
    side.kill("s2");
    side.kill("s3");
    side.sleep_ms(DOWN_AFTER_MS + 1_500);
    out.push(Obs::exact(
        "s1> SENTINEL ckquorum mymaster, s2 and s3 dead",
        side.cmd("s1", "SENTINEL ckquorum mymaster"),
    ));
    out
}

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

fn guarded<S: SentinelSide>(
    start: impl FnOnce() -> Result<S, String>,
    full: bool,
) -> Result<Vec<Obs>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut side = start()?;
        Ok(script(&mut side, full))
        // `side` drops here, also on panic: processes killed by PID.
    }))
    .unwrap_or_else(|p| Err(format!("<panicked: {}>", panic_text(p))))
}

/// The two Sentinel checks; real runs take about 30 s and 20 s.
pub fn run_sentinel_checks(seed: u64) -> Vec<Row> {
    let mut rows = vec![];
    for (name, full, min) in [
        ("sentinel false failure", true, false),
        ("sentinel min-replicas", false, true),
    ] {
        let t = Instant::now();
        let lab = guarded(|| LabSentinels::start(seed, min), full);
        let real = guarded(|| RealSentinels::start(min), full);
        let r = pair_rows(name, lab, real);
        println!(
            "check {name:<20} {:>3} rows in {:.1}s",
            r.len(),
            t.elapsed().as_secs_f64()
        );
        rows.extend(r);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_run_ids_are_normalised() {
        let nodes = vec![
            ("127.0.0.1".to_string(), 6000, "m".to_string()),
            ("127.0.0.1".to_string(), 60001, "r1".to_string()),
        ];
        assert_eq!(
            normalize_with(
                "+slave slave 127.0.0.1:60001 127.0.0.1 60001 @ mymaster 127.0.0.1 6000",
                &nodes
            ),
            "+slave slave r1 r1 @ mymaster m"
        );
        assert_eq!(
            normalize_with(&format!("+vote-for-leader {} 1", "ab".repeat(20)), &nodes),
            "+vote-for-leader <id> 1"
        );
        assert_eq!(event_type("+sdown master mymaster m"), "+sdown master");
        assert_eq!(event_type("+new-epoch 1"), "+new-epoch");
    }
}
