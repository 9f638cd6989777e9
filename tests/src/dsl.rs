//! A small language for scenario tests, so they read like specs:
//! `lab.at_s(6).cmd("m", "SET k v")`, `lab.info("r1", "master_link_status")`.

use replilab_core::client::{ClientNode, ClientSpec};
use replilab_core::net::{LinkCfg, NodeId};
use replilab_core::node::NodeSpec;
use replilab_core::profile::Profile;
use replilab_core::redis::{RedisNode, RedisSpec, ReplicaState};
use replilab_core::sentinel::{MonitorSpec, SentinelSpec};
use replilab_core::sim::{ConsoleOutcome, Fault, Sim, SimConfig};
use replilab_core::trace::TraceKind;

pub struct Lab {
    pub sim: Sim,
}

/// How long a console command may block (WAIT, a stalled node) before the
/// test gives up: bounded, never a hang.
const MAX_BLOCK_MS: u64 = 120_000;

impl Lab {
    pub fn new(seed: u64) -> Lab {
        Lab {
            sim: Sim::new(SimConfig {
                seed,
                ..SimConfig::default()
            }),
        }
    }

    /// A master `m` and replicas `r1..rN` with `replicaof m`, `latency_ms` apart.
    pub fn master_with_replicas(seed: u64, n: usize, profile: Profile, latency_ms: u64) -> Lab {
        Lab::master_with_replicas_conf(seed, n, profile, latency_ms, |_| {})
    }

    /// Same, with every node's spec adjusted by `tune` first.
    pub fn master_with_replicas_conf(
        seed: u64,
        n: usize,
        profile: Profile,
        latency_ms: u64,
        tune: impl Fn(&mut RedisSpec),
    ) -> Lab {
        let mut lab = Lab::new(seed);
        let mut spec = RedisSpec::new(profile);
        tune(&mut spec);
        lab.sim
            .add_node("m", "10.0.0.1", 6379, NodeSpec::Redis(spec.clone()));
        let mut replica = spec;
        replica.replicaof = Some(("10.0.0.1".into(), 6379));
        for i in 1..=n {
            lab.sim.add_node(
                &format!("r{i}"),
                &format!("10.0.0.{}", i + 1),
                6379,
                NodeSpec::Redis(replica.clone()),
            );
        }
        lab.sim.net.default_link = LinkCfg {
            latency_ms,
            ..LinkCfg::default()
        };
        lab
    }

    /// Runs until every replica of `m` is online and streaming with the
    /// master's offset acknowledged (a diskless sync streams after the first ACK).
    pub fn wait_synced(&mut self) -> &mut Lab {
        for _ in 0..600 {
            self.run_ms(100);
            let Some(m) = self.sim.node_id("m").and_then(|id| self.sim.redis(id)) else {
                continue;
            };
            let expected = self.sim.nodes().len() - 1;
            let streaming = m.replicas.len() == expected
                && m.replicas.values().all(|r| {
                    r.state
                        == ReplicaState::Online {
                            waiting_first_ack: false,
                        }
                        && r.ack_offset == m.ids.master_repl_offset
                });
            if streaming {
                return self;
            }
        }
        panic!("replicas did not come online within 60 s of simulated time")
    }

    /// Seed 001's shape: master `m`, replicas `r1..rN`, Sentinels `s1..sK`
    /// (10.0.1.x:26379) monitoring `mymaster` with `quorum`, on a LAN.
    pub fn with_sentinels(
        seed: u64,
        replicas: usize,
        sentinels: usize,
        quorum: u32,
        tune: impl Fn(&mut RedisSpec),
        mon: impl Fn(&mut MonitorSpec),
    ) -> Lab {
        let mut m = MonitorSpec {
            quorum,
            ..MonitorSpec::default()
        };
        mon(&mut m);
        let spec = SentinelSpec {
            monitors: vec![m],
            ..SentinelSpec::default()
        };
        Lab::with_sentinel_spec(seed, replicas, sentinels, tune, spec)
    }

    /// The same with a whole Sentinel configuration (e.g. protected mode).
    pub fn with_sentinel_spec(
        seed: u64,
        replicas: usize,
        sentinels: usize,
        tune: impl Fn(&mut RedisSpec),
        spec: SentinelSpec,
    ) -> Lab {
        let mut lab = Lab::master_with_replicas_conf(seed, replicas, Profile::V7_0, 1, tune);
        for i in 1..=sentinels {
            lab.sim.add_node(
                &format!("s{i}"),
                &format!("10.0.1.{i}"),
                26379,
                NodeSpec::Sentinel(spec.clone()),
            );
        }
        lab
    }

    /// Adds a simulated application client on host 10.0.2.x.
    pub fn add_client(&mut self, name: &str, spec: ClientSpec) -> NodeId {
        let n = self
            .sim
            .nodes()
            .iter()
            .filter(|s| matches!(s.spec, NodeSpec::Client(_)))
            .count()
            + 1;
        self.sim
            .add_node(name, &format!("10.0.2.{n}"), 0, NodeSpec::Client(spec))
    }

    pub fn client(&self, name: &str) -> &ClientNode {
        match &self.sim.node(self.id(name)).expect("node").state {
            replilab_core::node::NodeState::Client(c) => c,
            _ => panic!("{name} is not a client"),
        }
    }

    pub fn check(&self) -> replilab_core::checker::Report {
        replilab_core::checker::check(&self.sim)
    }

    /// Sentinel events so far, as `t node event` lines.
    pub fn sentinel_events(&self) -> Vec<String> {
        let names = |id: NodeId| self.sim.name(id);
        self.sim
            .trace()
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::Sentinel { .. }))
            .map(|e| e.line(&names))
            .collect()
    }

    pub fn id(&self, name: &str) -> NodeId {
        self.sim
            .node_id(name)
            .unwrap_or_else(|| panic!("no node named {name}"))
    }

    pub fn redis(&self, name: &str) -> &RedisNode {
        self.sim
            .redis(self.id(name))
            .unwrap_or_else(|| panic!("{name} is not a running Redis"))
    }

    /// Runs until simulated second `s`.
    pub fn at_s(&mut self, s: u64) -> &mut Lab {
        self.at_ms(s * 1000)
    }

    pub fn at_ms(&mut self, ms: u64) -> &mut Lab {
        self.sim.run_until(ms).expect("within the event budget");
        self
    }

    pub fn run_ms(&mut self, ms: u64) -> &mut Lab {
        let t = self.sim.now_ms() + ms;
        self.at_ms(t)
    }

    /// Types `line` at redis-cli on `node` and returns what redis-cli prints;
    /// a blocked command (WAIT, a paused node) runs the simulation until it answers.
    pub fn cmd(&mut self, node: &str, line: &str) -> String {
        let id = self.id(node);
        match self.sim.console(id, line) {
            ConsoleOutcome::Reply(r) => r,
            ConsoleOutcome::Pending(ticket) => {
                let deadline = self.sim.now_ms() + MAX_BLOCK_MS;
                while self.sim.now_ms() < deadline {
                    if let Some(r) = self.sim.console_reply(ticket) {
                        return r.to_string();
                    }
                    let next = self.sim.next_event_at().unwrap_or(deadline).min(deadline);
                    self.sim.run_until(next).expect("within the event budget");
                }
                panic!("`{line}` on {node} did not answer within {MAX_BLOCK_MS} ms")
            }
        }
    }

    /// A field of `INFO replication` on `node`.
    pub fn info(&mut self, node: &str, field: &str) -> String {
        let text = self.cmd(node, "INFO replication");
        field_of(&text, field)
            .unwrap_or_else(|| panic!("INFO replication on {node} has no field {field}:\n{text}"))
    }

    /// A field of any INFO section on `node`.
    pub fn info_all(&mut self, node: &str, field: &str) -> String {
        let text = self.cmd(node, "INFO");
        field_of(&text, field).unwrap_or_else(|| panic!("INFO on {node} has no field {field}"))
    }

    pub fn offset(&self, node: &str) -> u64 {
        self.redis(node).ids.master_repl_offset
    }

    pub fn fault(&mut self, fault: Fault) -> &mut Lab {
        self.sim.apply(fault);
        self
    }

    pub fn pause(&mut self, node: &str, ms: u64) -> &mut Lab {
        let id = self.id(node);
        self.fault(Fault::Pause { node: id, ms })
    }

    /// Trace lines that contain `needle`.
    pub fn trace_lines(&self, needle: &str) -> Vec<String> {
        let names = |id: NodeId| self.sim.name(id);
        self.sim
            .trace()
            .iter()
            .map(|e| e.line(&names))
            .filter(|l| l.contains(needle))
            .collect()
    }
}

pub fn field_of(info: &str, field: &str) -> Option<String> {
    info.lines().find_map(|l| {
        l.strip_prefix(field)
            .and_then(|r| r.strip_prefix(':'))
            .map(str::to_string)
    })
}

/// The seeds a property test runs: `SIM_SEED=<seed>` replays one, else 1..=cases.
pub fn property_seeds(cases: u64) -> Vec<u64> {
    match std::env::var("SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => (1..=cases).collect(),
    }
}

/// Fails with the first failures of a property test and how to replay them.
pub fn assert_no_failures(failures: &[String], total: usize, what: &str) {
    assert!(
        failures.is_empty(),
        "{} of {total} schedules {what}; reproduce with SIM_SEED=<seed>:\n{}",
        failures.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
