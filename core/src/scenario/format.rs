//! The lesson / scenario file format, version 1 (`format = "replilab/1"`).
//!
//! One TOML file describes a deployment (nodes and network), a timeline of
//! actions, narrative steps in 简体中文 and English, and expectations checked
//! over the run. A learner's session (the lesson plus what they added) is the
//! same format. README.md documents it with a worked example; this file is
//! the reference: every field, its unit (last in the name) and its default.

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "replilab/1";

/// Text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The English text.
    pub en: String,
    /// The 简体中文 text.
    pub zh: String,
}

/// A whole scenario: a lesson, the sandbox, or a learner's saved session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Must be "replilab/1".
    pub format: String,
    /// Short identifier used in links (`#lesson=<id>`), `[a-z0-9-]`.
    pub id: String,
    /// The lesson's name, in the header and on its card.
    pub title: Text,
    /// One-line promise shown on the lesson card; default: empty.
    #[serde(default)]
    pub summary: Text,
    /// The real case it comes from, named by its subject ("from the
    /// split-brain case", "来自脑裂案例"): shown on the lesson card. A
    /// plain string (files before the two languages) is both.
    #[serde(default, deserialize_with = "text_or_string")]
    pub source: Text,
    /// About how long it takes a learner (minutes); default 0: not shown.
    #[serde(default)]
    pub minutes: u32,
    /// The run's random seed (every random draw: jitter, election delays,
    /// buyers' arrivals); a link's `seed=` replaces it. Default 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How long the run lasts (simulated seconds).
    pub duration_s: u64,
    /// Version profile for servers that do not name one: "3.0", "6.2" or
    /// "7.0" (default).
    #[serde(default = "default_profile")]
    pub profile: String,
    /// `[network]`: the default link between any two hosts.
    #[serde(default)]
    pub network: Network,
    /// `[cluster]`: the Redis nodes form a Redis Cluster (scenario/cluster.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<crate::scenario::cluster::ClusterDef>,
    /// `[[node]]`: the hosts, at least one; their names are what every
    /// other field and action refers to.
    #[serde(rename = "node")]
    pub nodes: Vec<NodeDef>,
    /// `[[timeline]]`: actions at fixed times; default: none.
    #[serde(default, rename = "timeline")]
    pub timeline: Vec<ActionDef>,
    /// `[[step]]`: the lesson's narrative, in order; default: none (the run
    /// plays to its end).
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    /// `[[expect]]`: what the run must show, checked at its end (or at
    /// `at_s`); default: none.
    #[serde(default, rename = "expect")]
    pub expects: Vec<Expect>,
}

/// A `Text`, or one string for both languages.
fn text_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Text;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string, or a table with `en` and `zh`")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
            Ok(Text {
                en: v.to_owned(),
                zh: v.to_owned(),
            })
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Text, A::Error> {
            Text::deserialize(serde::de::value::MapAccessDeserializer::new(m))
        }
    }
    d.deserialize_any(V)
}

fn default_seed() -> u64 {
    1
}

fn default_profile() -> String {
    "7.0".into()
}

/// The network between the hosts: one default link, and overrides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// One-way delay of every link (ms); default 1.
    #[serde(default = "one")]
    pub latency_ms: u64,
    /// Random extra delay, up to this much, per message (ms); a link stays
    /// FIFO. Default 0.
    #[serde(default)]
    pub jitter_ms: u64,
    /// Bandwidth of every link (Mbit/s); default 1000.
    #[serde(default = "gigabit")]
    pub bandwidth_mbit: u64,
    /// `[[network.link]]`: links that differ from the default.
    #[serde(default, rename = "link")]
    pub links: Vec<LinkDef>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            latency_ms: 1,
            jitter_ms: 0,
            bandwidth_mbit: 1000,
            links: Vec::new(),
        }
    }
}

fn one() -> u64 {
    1
}
fn gigabit() -> u64 {
    1000
}

/// The path between two nodes, when it differs from the default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDef {
    /// One end: a node's name.
    pub a: String,
    /// The other end: a node's name (the link is the same both ways).
    pub b: String,
    /// One-way delay on this link (ms).
    pub latency_ms: u64,
    /// Random extra delay, up to this much, per message (ms); default 0.
    #[serde(default)]
    pub jitter_ms: u64,
    /// Bandwidth of this link (Mbit/s); default: the network's `bandwidth_mbit`.
    pub bandwidth_mbit: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A redis-server (master, replica or cluster node).
    #[default]
    Redis,
    /// A redis-sentinel.
    Sentinel,
    /// An application client running a workload.
    Client,
}

/// One host. Fields that do not apply to its kind are errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    /// The node's name (`m`, `r1`, `s1`, `app`): what actions, links and
    /// other fields call it. Unique.
    pub name: String,
    /// What runs on the host: "redis", "sentinel" or "client".
    pub kind: Kind,
    /// IP address; default 10.0.0.N (servers), 10.0.1.N (Sentinels), 10.0.2.N (clients).
    pub host: Option<String>,
    /// TCP port; default 6379 (servers), 26379 (Sentinels).
    pub port: Option<u16>,
    // --- redis ---
    /// Redis only: this server's version profile ("3.0", "6.2", "7.0");
    /// default: the scenario's `profile`.
    pub profile: Option<String>,
    /// Redis only: `replicaof`, the name of another node (its host and port
    /// are used); default: none, a master.
    pub replicaof: Option<String>,
    /// Redis only: settings as CONFIG SET takes them, names and values as
    /// strings: `{ "repl-backlog-size" = "1mb" }`; default: Redis's own.
    #[serde(default)]
    pub config: std::collections::BTreeMap<String, String>,
    /// Redis only: `DEBUG POPULATE <n>` at start, a dataset of n keys;
    /// default: none, an empty dataset.
    pub populate: Option<u64>,
    /// Redis only: how fast the fork child writes an RDB (MB/s); default 200.
    pub rdb_save_mb_s: Option<u64>,
    /// Redis only: how fast this server loads an RDB as a replica (MB/s);
    /// default 300.
    pub rdb_load_mb_s: Option<u64>,
    /// The host's clock offset from true time at start (ms, may be
    /// negative); default 0.
    #[serde(default)]
    pub skew_ms: i64,
    // --- sentinel ---
    /// Sentinel only, required: the master it watches.
    pub monitor: Option<MonitorDef>,
    /// Sentinel only: `protected-mode yes`, connections from other hosts are
    /// refused (other Sentinels and clients too); default false.
    #[serde(default)]
    pub protected_mode: bool,
    // --- client ---
    /// Client only: how it finds the master: "fixed" (talks to `target`,
    /// the default), "sentinel" (asks the Sentinels, follows failovers) or
    /// "cluster" (slot map from CLUSTER SLOTS, follows MOVED and ASK; needs
    /// `[cluster]`).
    pub routing: Option<String>,
    /// Client only, with routing "fixed": the node it writes to; default: the
    /// first Redis node's address (10.0.0.1:6379).
    pub target: Option<String>,
    /// Client only: reads from this replica (read/write split); default: the master.
    pub read_from: Option<String>,
    /// Client only: what it does every `period_ms`: "writer" (default,
    /// `SET <prefix>:<n> <n>`), "write_then_read" (the SET, then a GET from
    /// the read target), "counter" (`INCR ctr`, then a GET), "expiring"
    /// (`SET` with `PX ttl_ms`, read `read_after_ms` later) or "buyers"
    /// (a flash sale, `sale`).
    pub workload: Option<String>,
    /// Client only: time between two operations (simulated ms); default 100.
    pub period_ms: Option<u64>,
    /// Client only: how long a request may take before the client gives up
    /// on it (ms); default 1000.
    pub timeout_ms: Option<u64>,
    /// Client only: `[numreplicas, timeout_ms]`, a `WAIT` after every write:
    /// the write counts as acknowledged only when that many replicas have it;
    /// default: no WAIT.
    pub wait: Option<(u32, u64)>,
    /// Client only, workload "expiring", required: the key's time to live (ms).
    pub ttl_ms: Option<u64>,
    /// Client only, workload "expiring", required: how long after the write
    /// the key is read back (ms).
    pub read_after_ms: Option<u64>,
    /// Client only: key prefix of the writer workloads, `<prefix>:<n>`;
    /// default "w".
    pub prefix: Option<String>,
    /// Client only: when the workload starts (simulated seconds); default 0.
    pub start_s: Option<u64>,
    /// Client only: when the workload stops (simulated seconds); default:
    /// it runs to the end.
    pub stop_s: Option<u64>,
    /// Client only, required by `workload = "buyers"`: the flash sale.
    pub sale: Option<crate::client::SaleSpec>,
    /// Client only, with routing "cluster": what it does every period;
    /// default `{ kind = "spread" }`.
    pub cluster_workload: Option<crate::client::ClusterWorkload>,
}

impl NodeDef {
    /// A host named `name` of `kind`, every optional field unset.
    pub fn new(name: &str, kind: Kind) -> NodeDef {
        NodeDef {
            name: name.into(),
            kind,
            host: None,
            port: None,
            profile: None,
            replicaof: None,
            config: Default::default(),
            populate: None,
            rdb_save_mb_s: None,
            rdb_load_mb_s: None,
            skew_ms: 0,
            monitor: None,
            protected_mode: false,
            routing: None,
            target: None,
            read_from: None,
            workload: None,
            period_ms: None,
            timeout_ms: None,
            wait: None,
            ttl_ms: None,
            read_after_ms: None,
            prefix: None,
            start_s: None,
            stop_s: None,
            sale: None,
            cluster_workload: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorDef {
    /// The name of the monitored master node.
    pub master: String,
    /// The master's name in Sentinel (`SENTINEL MONITOR <name> ...`);
    /// default "mymaster".
    #[serde(default = "mymaster")]
    pub name: String,
    /// How many Sentinels must agree the master is down (ODOWN); at least 1.
    pub quorum: u32,
    /// `down-after-milliseconds`: silence before a Sentinel deems the master
    /// down (ms); default 30000.
    #[serde(default = "down_after")]
    pub down_after_ms: u64,
    /// `failover-timeout` (ms); default 180000.
    #[serde(default = "failover_timeout")]
    pub failover_timeout_ms: u64,
    /// `parallel-syncs`: replicas reconfigured at once after a failover;
    /// default 1.
    #[serde(default = "one_u32")]
    pub parallel_syncs: u32,
}

fn mymaster() -> String {
    "mymaster".into()
}
fn down_after() -> u64 {
    30_000
}
fn failover_timeout() -> u64 {
    180_000
}
fn one_u32() -> u32 {
    1
}

/// An action at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// When (simulated ms); give this or `at_s`.
    pub at_ms: Option<u64>,
    /// When (simulated seconds, fractions allowed); give this or `at_ms`.
    pub at_s: Option<f64>,
    /// What happens, in the one grammar of actions (`core/src/action.rs`):
    /// `"@m SET k v"` (a command typed at redis-cli on `m`), `"pause m 12s"`,
    /// `"crash m"`, `"restart m"`, `"partition m,app / r1,r2"`,
    /// `"oneway m -> r1"`, `"heal"`, `"skew r1 -5s"`, `"jump r1 +2s"`,
    /// `"link m r1 latency 500ms jitter 0ms bandwidth 2mbit"`.
    #[serde(rename = "do")]
    pub action: crate::action::Action,
    /// Names a command's reply so expectations (`check = "reply"`) can
    /// refer to it; default: none.
    pub id: Option<String>,
}

impl ActionDef {
    /// When the action happens, in ms (None: no valid time given).
    pub fn at_ms(&self) -> Option<u64> {
        self.at_ms.or(self
            .at_s
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| (s * 1000.0) as u64))
    }
}

/// A narrative step: what to watch, a prediction, then why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step plays until this time (simulated seconds), then pauses.
    pub until_s: f64,
    /// The step's heading.
    pub title: Text,
    /// What to watch during the step.
    pub watch: Text,
    /// A question asked before the step plays; default: none.
    pub predict: Option<Predict>,
    /// Shown after the step ran: why it happened.
    pub explain: Text,
    /// A task the learner must solve on their own run; default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<crate::scenario::challenge::Challenge>,
}

/// A prediction: the learner answers before the step plays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    /// The question.
    pub question: Text,
    /// The answers offered (shuffled for each learner).
    pub choices: Vec<Choice>,
    /// Index into `choices` of the right answer, from 0 (as written in the file).
    pub answer: usize,
}

/// One choice of a prediction; a wrong one says why it tempts and fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The choice in English.
    pub en: String,
    /// The choice in 简体中文.
    pub zh: String,
    /// A wrong choice: why it tempts, and why it fails; default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Text>,
}

impl Choice {
    pub fn text(&self) -> Text {
        Text {
            en: self.en.clone(),
            zh: self.zh.clone(),
        }
    }
}

/// Something checked over the run. `check` says which.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// What is checked. Checker counts: `lost_writes`, `acked_writes`,
    /// `stale_reads`, `expired_reads`, `full_syncs`, `partial_syncs`,
    /// `max_unavailable_ms` (the longest a client got no answer, ms). Of the
    /// run: `reply` (of the timeline command `id`), `role` (of `node`),
    /// `info` (an INFO `field` of `node`), `event` (Sentinel events that
    /// `contains` a text, counted), `log` (server log lines that `contains`
    /// a text, counted), `same` (an INFO `field` equal on all `nodes`).
    /// Flash sale: `oversold`, `purchases`, `final_stock`, `sold_out`,
    /// `lock_contention`, `lock_expired`, `foreign_releases`,
    /// `watch_retries`. Redis Cluster: `cluster` (its `field`).
    pub check: String,
    /// How the result compares with `value`: `=` (default), `!=`, `>`,
    /// `>=`, `<`, `<=`, or `contains` (text).
    #[serde(default = "eq")]
    pub op: String,
    /// The value to compare with (a number or a text).
    pub value: toml_value::Value,
    /// `reply`: the `id` of a timeline command.
    pub id: Option<String>,
    /// `role`, `info`, `log`, `cluster`: which node.
    pub node: Option<String>,
    /// When the check is taken (simulated seconds); default: the end of the run.
    pub at_s: Option<f64>,
    /// `info`, `same`: the INFO field (any section), e.g. `master_link_status`.
    /// `cluster`: `keys`, `bytes` (estimated), `ops_per_s` (last 5 s) or
    /// `slots` of a `node`; `max_keys_ratio_pct` (most over least loaded
    /// master, %), `max_slot_keys`; `moved`, `asked`, `stale_copy_reads` of
    /// the cluster clients (or of one `client`).
    pub field: Option<String>,
    /// `event` / `log`: text a Sentinel event / a server log line must
    /// contain; compared as a count (`log` may be limited to `node`).
    pub contains: Option<String>,
    /// Checker results of one client only (lost_writes, acked_writes,
    /// stale_reads, expired_reads, max_unavailable_ms, the flash-sale and
    /// cluster-client counts); default: all clients.
    pub client: Option<String>,
    /// `same`: the INFO `field` must be equal on all these nodes (value "equal").
    pub nodes: Option<Vec<String>>,
    /// What is expected, in words: shown in the goals panel.
    pub label: Text,
}

fn eq() -> String {
    "=".into()
}

/// A number or a text, as written in the file.
pub mod toml_value {
    use serde::de::{self, Deserializer, Visitor};
    use serde::{Deserialize, Serialize, Serializer};

    /// Written by hand rather than `#[serde(untagged)]`: untagged enums buffer
    /// their input in serde's `Content`, which costs tens of KB of wasm.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Value {
        Int(i64),
        Text(String),
    }

    impl Default for Value {
        fn default() -> Self {
            Value::Int(0)
        }
    }

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Int(i) => s.serialize_i64(*i),
                Value::Text(t) => s.serialize_str(t),
            }
        }
    }

    struct ValueVisitor;

    impl Visitor<'_> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an integer or a string")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Int(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            i64::try_from(v)
                .map(Value::Int)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
            Ok(Value::Text(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
            Ok(Value::Text(v))
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }

    impl std::fmt::Display for Value {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Value::Int(i) => write!(f, "{i}"),
                Value::Text(s) => write!(f, "{s:?}"),
            }
        }
    }
}
