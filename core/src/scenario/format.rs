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
    pub en: String,
    pub zh: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Must be "replilab/1".
    pub format: String,
    /// Short identifier used in links (`#lesson=<id>`), `[a-z0-9-]`.
    pub id: String,
    pub title: Text,
    /// One-line promise shown on the lesson card.
    #[serde(default)]
    pub summary: Text,
    /// The real case it comes from, named by its subject ("from the
    /// split-brain case", "来自脑裂案例"): shown on the lesson card. A
    /// plain string (files before the two languages) is both.
    #[serde(default, deserialize_with = "text_or_string")]
    pub source: Text,
    /// About how long it takes a learner.
    #[serde(default)]
    pub minutes: u32,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How long the run lasts (simulated seconds).
    pub duration_s: u64,
    /// Version profile for servers that do not name one: "3.0", "6.2", "7.0".
    #[serde(default = "default_profile")]
    pub profile: String,
    #[serde(default)]
    pub network: Network,
    /// `[cluster]`: the Redis nodes form a Redis Cluster (scenario/cluster.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<crate::scenario::cluster::ClusterDef>,
    #[serde(rename = "node")]
    pub nodes: Vec<NodeDef>,
    #[serde(default, rename = "timeline")]
    pub timeline: Vec<ActionDef>,
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    #[serde(default = "one")]
    pub latency_ms: u64,
    #[serde(default)]
    pub jitter_ms: u64,
    #[serde(default = "gigabit")]
    pub bandwidth_mbit: u64,
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
    pub a: String,
    pub b: String,
    pub latency_ms: u64,
    #[serde(default)]
    pub jitter_ms: u64,
    pub bandwidth_mbit: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Redis,
    Sentinel,
    Client,
}

/// One host. Fields that do not apply to its kind are errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    pub name: String,
    pub kind: Kind,
    /// IP address; default 10.0.0.N (servers), 10.0.1.N (Sentinels), 10.0.2.N (clients).
    pub host: Option<String>,
    pub port: Option<u16>,
    // --- redis ---
    pub profile: Option<String>,
    /// `replicaof`: the name of another node (its host and port are used).
    pub replicaof: Option<String>,
    /// Settings as CONFIG SET takes them: `{ "repl-backlog-size" = "1mb" }`.
    #[serde(default)]
    pub config: std::collections::BTreeMap<String, String>,
    /// `DEBUG POPULATE <n>` at start: a dataset of n keys.
    pub populate: Option<u64>,
    /// How fast the fork child writes an RDB / a replica loads one (MB/s).
    pub rdb_save_mb_s: Option<u64>,
    pub rdb_load_mb_s: Option<u64>,
    /// Clock offset from true time at start.
    #[serde(default)]
    pub skew_ms: i64,
    // --- sentinel ---
    pub monitor: Option<MonitorDef>,
    #[serde(default)]
    pub protected_mode: bool,
    // --- client ---
    /// "fixed" (talks to `target`) or "sentinel" (asks the Sentinels).
    pub routing: Option<String>,
    pub target: Option<String>,
    /// Reads from this replica (read/write split); default: the master.
    pub read_from: Option<String>,
    /// "writer", "write_then_read", "counter", "expiring".
    pub workload: Option<String>,
    pub period_ms: Option<u64>,
    pub timeout_ms: Option<u64>,
    /// `[numreplicas, timeout_ms]`: WAIT after every write.
    pub wait: Option<(u32, u64)>,
    pub ttl_ms: Option<u64>,
    pub read_after_ms: Option<u64>,
    pub prefix: Option<String>,
    pub start_s: Option<u64>,
    pub stop_s: Option<u64>,
    /// `workload = "buyers"`: the flash sale (`client/buyer.rs` `SaleSpec`).
    pub sale: Option<crate::client::SaleSpec>,
    /// With routing = "cluster": `{ kind = "spread" | "tagged" | "bigkey" |
    /// "hot_read" | "hot_copies", ... }` (client/cluster.rs).
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
    #[serde(default = "mymaster")]
    pub name: String,
    pub quorum: u32,
    #[serde(default = "down_after")]
    pub down_after_ms: u64,
    #[serde(default = "failover_timeout")]
    pub failover_timeout_ms: u64,
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
    /// When, in simulated ms (`at_s` is also accepted).
    pub at_ms: Option<u64>,
    pub at_s: Option<f64>,
    /// What happens, in the one grammar of actions (`core/src/action.rs`):
    /// `"@m SET k v"` (a command typed at redis-cli on `m`), `"pause m 12s"`,
    /// `"crash m"`, `"restart m"`, `"partition m,app / r1,r2"`,
    /// `"oneway m -> r1"`, `"heal"`, `"skew r1 -5s"`, `"jump r1 +2s"`,
    /// `"link m r1 latency 500ms jitter 0ms bandwidth 2mbit"`.
    #[serde(rename = "do")]
    pub action: crate::action::Action,
    /// Names a command's reply so expectations can refer to it.
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
    pub title: Text,
    /// What to watch during the step.
    pub watch: Text,
    pub predict: Option<Predict>,
    /// Shown after the step ran: why it happened.
    pub explain: Text,
    /// A task the learner must solve on their own run (`challenge.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<crate::scenario::challenge::Challenge>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub question: Text,
    pub choices: Vec<Choice>,
    /// Index into `choices` of the right answer.
    pub answer: usize,
}

/// One choice of a prediction; a wrong one says why it tempts and fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub en: String,
    pub zh: String,
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
    /// lost_writes | acked_writes | stale_reads | expired_reads | full_syncs |
    /// partial_syncs | max_unavailable_ms | reply | role | info | event | log | same
    pub check: String,
    /// `=`, `!=`, `>`, `>=`, `<`, `<=`, or `contains` (text).
    #[serde(default = "eq")]
    pub op: String,
    /// The value to compare with (a number or a text).
    pub value: toml_value::Value,
    /// `reply`: the `id` of a timeline command.
    pub id: Option<String>,
    /// `role` / `info`: which node, when (default: the end of the run).
    pub node: Option<String>,
    pub at_s: Option<f64>,
    /// `info`: the INFO field (any section), e.g. `master_link_status`.
    pub field: Option<String>,
    /// `event` / `log`: text a Sentinel event / a server log line must
    /// contain; compared as a count (`log` may be limited to `node`).
    pub contains: Option<String>,
    /// Checker results of one client only (lost_writes, acked_writes,
    /// stale_reads, expired_reads, max_unavailable_ms).
    pub client: Option<String>,
    /// `same`: the INFO `field` must be equal on all these nodes (value "equal").
    pub nodes: Option<Vec<String>>,
    /// Shown in the goals panel.
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
