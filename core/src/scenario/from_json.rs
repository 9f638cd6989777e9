//! Decoding a scenario from the JSON that `web/build.rs` writes with serde
//! (`serde_json::to_value`, nulls dropped): every member name here is the
//! serde name of its field (`rename`s included). `tests/tests/lesson_json.rs`
//! round-trips every lesson through serde's writer and this reader, so a
//! field added to `format.rs` but not here fails a test.

use super::format::{
    toml_value::Value, ActionDef, Expect, Kind, LinkDef, MonitorDef, Network, NodeDef, Predict,
    Scenario, Step, Text,
};
use crate::client::{ClusterWorkload, SaleSpec, Strategy};
use crate::scenario::cluster::{ClusterDef, SlotsDef};
use crate::json::{self, FromJson, Json, Obj};
use crate::vecmap::VecMap;

/// Parses and decodes a scenario from its JSON text.
pub fn scenario_from_json(text: &str) -> Result<Scenario, String> {
    Scenario::from_json(&json::parse(text)?)
}

impl FromJson for Scenario {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Scenario {
            format: o.req("format"),
            id: o.req("id"),
            title: o.req("title"),
            summary: o.or_default("summary"),
            source: o.or_default("source"),
            minutes: o.or_default("minutes"),
            seed: o.req("seed"),
            duration_s: o.req("duration_s"),
            profile: o.req("profile"),
            network: o.or_default("network"),
            cluster: o.opt("cluster"),
            nodes: o.req("node"),
            timeline: o.or_default("timeline"),
            steps: o.or_default("step"),
            expects: o.or_default("expect"),
        };
        o.done(v)
    }
}

impl FromJson for Text {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Text {
            en: o.req("en"),
            zh: o.req("zh"),
        };
        o.done(v)
    }
}

impl FromJson for Network {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Network {
            latency_ms: o.req("latency_ms"),
            jitter_ms: o.req("jitter_ms"),
            bandwidth_mbit: o.req("bandwidth_mbit"),
            links: o.or_default("link"),
        };
        o.done(v)
    }
}

impl FromJson for LinkDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = LinkDef {
            a: o.req("a"),
            b: o.req("b"),
            latency_ms: o.req("latency_ms"),
            jitter_ms: o.or_default("jitter_ms"),
            bandwidth_mbit: o.opt("bandwidth_mbit"),
        };
        o.done(v)
    }
}

/// A unit enum written as its snake_case name.
fn named<T: Copy>(j: &Json, names: &[(&str, T)]) -> Result<T, String> {
    let s = String::from_json(j)?;
    names
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("unknown value \"{s}\""))
}

impl FromJson for Kind {
    fn from_json(j: &Json) -> Result<Self, String> {
        let k = named(j, &[("redis", 0), ("sentinel", 1), ("client", 2)])?;
        Ok([Kind::Redis, Kind::Sentinel, Kind::Client][k].clone())
    }
}

impl FromJson for Strategy {
    fn from_json(j: &Json) -> Result<Self, String> {
        use Strategy::*;
        let names = [
            ("naive", Naive),
            ("script", Script),
            ("lock", Lock),
            ("multi", Multi),
            ("watch", Watch),
        ];
        named(j, &names)
    }
}

impl FromJson for NodeDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = NodeDef {
            name: o.req("name"),
            kind: o.req("kind"),
            host: o.opt("host"),
            port: o.opt("port"),
            profile: o.opt("profile"),
            replicaof: o.opt("replicaof"),
            config: o.or_default("config"),
            populate: o.opt("populate"),
            rdb_save_mb_s: o.opt("rdb_save_mb_s"),
            rdb_load_mb_s: o.opt("rdb_load_mb_s"),
            skew_ms: o.or_default("skew_ms"),
            monitor: o.opt("monitor"),
            protected_mode: o.or_default("protected_mode"),
            routing: o.opt("routing"),
            target: o.opt("target"),
            read_from: o.opt("read_from"),
            workload: o.opt("workload"),
            period_ms: o.opt("period_ms"),
            timeout_ms: o.opt("timeout_ms"),
            wait: o.opt("wait"),
            ttl_ms: o.opt("ttl_ms"),
            read_after_ms: o.opt("read_after_ms"),
            prefix: o.opt("prefix"),
            start_s: o.opt("start_s"),
            stop_s: o.opt("stop_s"),
            sale: o.opt("sale"),
            cluster_workload: o.opt("cluster_workload"),
        };
        o.done(v)
    }
}

impl FromJson for VecMap<String, String> {
    fn from_json(j: &Json) -> Result<Self, String> {
        let Json::Obj(members) = j else {
            return Err("expected an object".into());
        };
        let mut m = VecMap::new();
        for (k, v) in members {
            m.insert(
                k.clone(),
                String::from_json(v).map_err(|e| format!("{k}: {e}"))?,
            );
        }
        Ok(m)
    }
}

impl FromJson for MonitorDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = MonitorDef {
            master: o.req("master"),
            name: o.req("name"),
            quorum: o.req("quorum"),
            down_after_ms: o.req("down_after_ms"),
            failover_timeout_ms: o.req("failover_timeout_ms"),
            parallel_syncs: o.req("parallel_syncs"),
        };
        o.done(v)
    }
}

impl FromJson for SaleSpec {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = SaleSpec {
            strategy: o.req("strategy"),
            buyers: o.req("buyers"),
            stock: o.req("stock"),
            key: o.req("key"),
            arrival_ms: o.req("arrival_ms"),
            work_ms: o.req("work_ms"),
            lock_ttl_ms: o.req("lock_ttl_ms"),
            retry_ms: o.req("retry_ms"),
            safe_release: o.req("safe_release"),
        };
        o.done(v)
    }
}

/// Internally tagged by `kind`, like serde's `#[serde(tag = "kind")]`.
impl FromJson for ClusterWorkload {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let kind: String = o.req("kind");
        let v = match kind.as_str() {
            "spread" => ClusterWorkload::Spread,
            "tagged" => ClusterWorkload::Tagged { tag: o.req("tag") },
            "bigkey" => ClusterWorkload::Bigkey {
                key: o.req("key"),
                bytes: o.req("bytes"),
            },
            "hot_read" => ClusterWorkload::HotRead { key: o.req("key") },
            "hot_copies" => ClusterWorkload::HotCopies {
                key: o.req("key"),
                copies: o.req("copies"),
                write_every: o.req("write_every"),
            },
            _ => return Err(format!("kind: unknown value \"{kind}\"")),
        };
        o.done(v)
    }
}

impl FromJson for ClusterDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = ClusterDef {
            node_timeout_ms: o.req("node_timeout_ms"),
            require_full_coverage: o.req("require_full_coverage"),
            allow_reads_when_down: o.req("allow_reads_when_down"),
            replica_validity_factor: o.req("replica_validity_factor"),
            slots: o.or_default("slots"),
        };
        o.done(v)
    }
}

impl FromJson for SlotsDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = SlotsDef {
            node: o.req("node"),
            ranges: o.req("ranges"),
        };
        o.done(v)
    }
}

impl FromJson for ActionDef {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = ActionDef {
            at_ms: o.opt("at_ms"),
            at_s: o.opt("at_s"),
            action: o.req("do"),
            id: o.opt("id"),
        };
        o.done(v)
    }
}

impl FromJson for crate::action::Action {
    fn from_json(j: &Json) -> Result<Self, String> {
        String::from_json(j)?.parse().map_err(|e: crate::action::ParseError| e.0)
    }
}

impl FromJson for Step {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Step {
            until_s: o.req("until_s"),
            title: o.req("title"),
            watch: o.req("watch"),
            predict: o.opt("predict"),
            explain: o.req("explain"),
        };
        o.done(v)
    }
}

impl FromJson for Predict {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Predict {
            question: o.req("question"),
            choices: o.req("choices"),
            answer: o.req("answer"),
        };
        o.done(v)
    }
}

impl FromJson for Value {
    fn from_json(j: &Json) -> Result<Self, String> {
        match j {
            Json::Str(s) => Ok(Value::Text(s.clone())),
            Json::Num(_) => i64::from_json(j).map(Value::Int),
            _ => Err("expected an integer or a string".into()),
        }
    }
}

impl FromJson for Expect {
    fn from_json(j: &Json) -> Result<Self, String> {
        let mut o = Obj::of(j)?;
        let v = Expect {
            check: o.req("check"),
            op: o.req("op"),
            value: o.req("value"),
            id: o.opt("id"),
            node: o.opt("node"),
            at_s: o.opt("at_s"),
            field: o.opt("field"),
            contains: o.opt("contains"),
            client: o.opt("client"),
            nodes: o.opt("nodes"),
            label: o.req("label"),
        };
        o.done(v)
    }
}
