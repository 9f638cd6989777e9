//! The sandbox's topology: chosen in the sandbox panel's form and carried by
//! the permalink as `topo=<profile>,<replicas>,<chained>,<sentinels>,<quorum>,
//! <clients>,<workload>,<read_from>` (e.g. `topo=7.0,5,0,3,2,1,writer,master`,
//! seed 001's deployment). The default topology (a master and two replicas
//! on slow links) is the original demo and is left out of links. A bad field
//! is reported by name and takes its default; parsing never panics.

use crate::demo;
use crate::profile::Profile;
use crate::scenario::build;
use crate::scenario::format::{Kind, MonitorDef, Network, NodeDef, Scenario, Text};
use crate::sim::Sim;
use std::collections::BTreeMap;

/// The id of the sandbox in links (`lesson=sandbox`).
pub const SANDBOX_ID: &str = "sandbox";

pub const PROFILES: [&str; 3] = ["3.0", "6.2", "7.0"];
pub const WORKLOADS: [&str; 4] = ["writer", "write_then_read", "counter", "expiring"];
pub const READ_FROM: [&str; 2] = ["master", "replica"];
pub const MAX_REPLICAS: u8 = 8;
pub const MAX_SENTINELS: u8 = 5;
pub const MAX_CLIENTS: u8 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topo {
    pub profile: &'static str,
    pub replicas: u8,
    /// r2 replicates from r1, r3 from r2, ...
    pub chained: bool,
    pub sentinels: u8,
    pub quorum: u8,
    pub clients: u8,
    pub workload: &'static str,
    pub read_from: &'static str,
}

impl Default for Topo {
    fn default() -> Topo {
        Topo {
            profile: "7.0",
            replicas: 2,
            chained: false,
            sentinels: 0,
            quorum: 2,
            clients: 0,
            workload: WORKLOADS[0],
            read_from: READ_FROM[0],
        }
    }
}

impl Topo {
    /// Lesson 08's deployment (seed 001): a master, five replicas, three
    /// Sentinels with quorum 2, one writing client.
    pub fn seed001() -> Topo {
        Topo {
            replicas: 5,
            sentinels: 3,
            quorum: 2,
            clients: 1,
            ..Topo::default()
        }
    }

    pub fn encode(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}",
            self.profile,
            self.replicas,
            u8::from(self.chained),
            self.sentinels,
            self.quorum,
            self.clients,
            self.workload,
            self.read_from
        )
    }

    /// Reads `topo=`; the names of bad fields come back with the result.
    pub fn parse(s: &str) -> (Topo, Vec<String>) {
        let d = Topo::default();
        let mut bad = Vec::new();
        let f: Vec<&str> = s.split(',').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let mut num = |i: usize, name: &str, lo: u8, hi: u8, def: u8| match get(i).parse::<u8>() {
            Ok(n) if (lo..=hi).contains(&n) => n,
            _ => {
                bad.push(format!(
                    "{name} \"{}\"",
                    get(i).chars().take(12).collect::<String>()
                ));
                def
            }
        };
        let replicas = num(1, "replicas", 0, MAX_REPLICAS, d.replicas);
        let chained = num(2, "chained", 0, 1, 0) == 1;
        let sentinels = num(3, "sentinels", 0, MAX_SENTINELS, d.sentinels);
        let quorum = num(4, "quorum", 1, MAX_SENTINELS, d.quorum);
        let clients = num(5, "clients", 0, MAX_CLIENTS, d.clients);
        let mut pick = |i: usize, name: &str, set: &[&'static str], def: &'static str| {
            set.iter()
                .copied()
                .find(|x| *x == get(i))
                .unwrap_or_else(|| {
                    bad.push(format!(
                        "{name} \"{}\"",
                        get(i).chars().take(16).collect::<String>()
                    ));
                    def
                })
        };
        let profile = pick(0, "profile", &PROFILES, d.profile);
        let workload = pick(6, "workload", &WORKLOADS, d.workload);
        let read_from = pick(7, "read_from", &READ_FROM, d.read_from);
        let topo = Topo {
            profile,
            replicas,
            chained,
            sentinels,
            quorum,
            clients,
            workload,
            read_from,
        };
        (topo, bad)
    }

    /// The simulation this topology starts with.
    pub fn build(&self, seed: u64) -> Sim {
        if *self == Topo::default() {
            return demo::master_and_two_replicas(seed, Profile::V7_0);
        }
        build::build(&self.scenario(seed), Some(seed))
    }

    /// This topology as a scenario to edit and run: the sandbox's
    /// deployment, 10 minutes long, without steps (the page's editor).
    pub fn editable(&self, seed: u64) -> Scenario {
        let mut s = self.scenario(seed);
        s.id = "my-scenario".into();
        s.title = Text {
            en: "My scenario".into(),
            zh: "我的场景".into(),
        };
        s.duration_s = 600;
        s
    }

    fn scenario(&self, seed: u64) -> Scenario {
        let fast = || {
            let mut c = BTreeMap::new();
            c.insert("repl-diskless-sync-delay".to_string(), "0".to_string());
            c
        };
        let mut nodes = vec![NodeDef::new("m", Kind::Redis)];
        nodes[0].config = fast();
        for i in 1..=self.replicas {
            let mut r = NodeDef::new(&format!("r{i}"), Kind::Redis);
            r.replicaof = Some(if self.chained && i > 1 {
                format!("r{}", i - 1)
            } else {
                "m".into()
            });
            r.config = fast();
            nodes.push(r);
        }
        for i in 1..=self.sentinels {
            let mut s = NodeDef::new(&format!("s{i}"), Kind::Sentinel);
            s.monitor = Some(MonitorDef {
                master: "m".into(),
                name: "mymaster".into(),
                quorum: u32::from(self.quorum.min(self.sentinels)),
                down_after_ms: 10_000,
                failover_timeout_ms: 60_000,
                parallel_syncs: 1,
            });
            nodes.push(s);
        }
        for i in 1..=self.clients {
            let name = if i == 1 {
                "app".to_string()
            } else {
                format!("app{i}")
            };
            let mut c = NodeDef::new(&name, Kind::Client);
            c.routing = Some("fixed".into());
            c.target = Some("m".into());
            c.workload = Some(self.workload.into());
            c.period_ms = Some(100);
            c.prefix = (i > 1).then(|| format!("w{i}"));
            if self.read_from == "replica" && self.replicas > 0 {
                c.read_from = Some("r1".into());
            }
            nodes.push(c);
        }
        Scenario {
            format: "replilab/1".into(),
            id: crate::scenario::sandbox::SANDBOX_ID.into(),
            title: Text::default(),
            summary: Text::default(),
            source: Text::default(),
            minutes: 0,
            seed,
            duration_s: 0,
            profile: self.profile.into(),
            network: Network {
                latency_ms: 1,
                ..Network::default()
            },
            nodes,
            timeline: Vec::new(),
            steps: Vec::new(),
            expects: Vec::new(),
            cluster: None,
        }
    }
}
