//! The page decodes each lesson from the JSON `web/build.rs` writes with
//! serde (`core/src/scenario/from_json.rs`, no serde in the wasm). Every
//! lesson, and a scenario with every field set, must come back equal.

use std::path::PathBuf;

use replilab_core::client::{ClusterWorkload, SaleSpec, Strategy};
use replilab_core::scenario::cluster::{ClusterDef, SlotsDef};
use replilab_core::scenario::format::{
    toml_value::Value, ActionDef, Expect, Kind, LinkDef, MonitorDef, Network, NodeDef, Predict,
    Step, Text,
};
use replilab_core::scenario::{self, scenario_from_json, Scenario};

/// As `web/build.rs` writes it: serde's JSON without its nulls.
fn to_json(s: &Scenario) -> String {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(s).unwrap();
    strip(&mut v);
    v.to_string()
}

#[test]
fn every_lesson_round_trips() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let s = scenario::parse(&std::fs::read_to_string(&p).unwrap()).unwrap();
            assert_eq!(scenario_from_json(&to_json(&s)), Ok(s), "{}", p.display());
            n += 1;
        }
    }
    assert!(n >= 15, "{n} lessons");
}

fn text(s: &str) -> Text {
    Text {
        en: s.into(),
        zh: format!("{s}(中)"),
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.into())
}

/// Every field of every type set to a value that is not its default.
fn everything() -> Scenario {
    let node = NodeDef {
        name: "r1".into(),
        kind: Kind::Client,
        host: some("10.0.0.9"),
        port: Some(6390),
        profile: some("6.2"),
        replicaof: some("m"),
        config: [("repl-backlog-size".to_string(), "1mb".to_string())]
            .into_iter()
            .collect(),
        populate: Some(100),
        rdb_save_mb_s: Some(7),
        rdb_load_mb_s: Some(8),
        skew_ms: -250,
        monitor: Some(MonitorDef {
            master: "m".into(),
            name: "other".into(),
            quorum: 2,
            down_after_ms: 5000,
            failover_timeout_ms: 60000,
            parallel_syncs: 3,
        }),
        protected_mode: true,
        routing: some("sentinel"),
        target: some("m"),
        read_from: some("r1"),
        workload: some("expiring"),
        period_ms: Some(50),
        timeout_ms: Some(900),
        wait: Some((1, 100)),
        ttl_ms: Some(2000),
        read_after_ms: Some(30),
        prefix: some("k\"\\\n"),
        start_s: Some(2),
        stop_s: Some(9),
        sale: Some(SaleSpec {
            strategy: Strategy::Watch,
            buyers: 10,
            stock: -3,
            key: "stock".into(),
            arrival_ms: 1,
            work_ms: 2,
            lock_ttl_ms: 3,
            retry_ms: 4,
            safe_release: true,
        }),
        cluster_workload: Some(ClusterWorkload::HotCopies {
            key: "hot".into(),
            copies: 4,
            write_every: 10,
        }),
    };
    let workloads = [
        ClusterWorkload::Spread,
        ClusterWorkload::Tagged { tag: "t".into() },
        ClusterWorkload::Bigkey {
            key: "b".into(),
            bytes: 1 << 20,
        },
        ClusterWorkload::HotRead { key: "h".into() },
    ];
    let strategies = [
        Strategy::Naive,
        Strategy::Script,
        Strategy::Lock,
        Strategy::Multi,
    ];
    let mut nodes = vec![node.clone()];
    for (i, (w, s)) in workloads.into_iter().zip(strategies).enumerate() {
        let mut n = node.clone();
        n.kind = [Kind::Redis, Kind::Sentinel, Kind::Client, Kind::Redis][i].clone();
        n.cluster_workload = Some(w);
        n.sale.as_mut().unwrap().strategy = s;
        nodes.push(n);
    }
    Scenario {
        format: "replilab/1".into(),
        id: "all-fields".into(),
        title: text("Title"),
        summary: text("Summary"),
        source: "seed 001".into(),
        minutes: 12,
        seed: u64::MAX,
        duration_s: 90,
        profile: "3.0".into(),
        network: Network {
            latency_ms: 3,
            jitter_ms: 2,
            bandwidth_mbit: 10,
            links: vec![LinkDef {
                a: "m".into(),
                b: "r1".into(),
                latency_ms: 40,
                jitter_ms: 5,
                bandwidth_mbit: Some(1),
            }],
        },
        cluster: Some(ClusterDef {
            node_timeout_ms: 2000,
            require_full_coverage: false,
            allow_reads_when_down: true,
            replica_validity_factor: 0,
            slots: vec![SlotsDef {
                node: "m".into(),
                ranges: vec![(0, 100), (200, 16383)],
            }],
        }),
        nodes,
        timeline: vec![ActionDef {
            at_ms: Some(1500),
            at_s: Some(1.25),
            action: "link m r1 latency 70ms jitter 9ms bandwidth 2mbit".parse().unwrap(),
            id: some("w1"),
        }],
        steps: vec![Step {
            until_s: 12.5,
            title: text("Step"),
            watch: text("Watch"),
            predict: Some(Predict {
                question: text("Q"),
                choices: vec![text("a"), text("b")],
                answer: 1,
            }),
            explain: text("Why"),
        }],
        expects: vec![
            Expect {
                check: "info".into(),
                op: ">=".into(),
                value: Value::Int(-7),
                id: some("w1"),
                node: some("r1"),
                at_s: Some(30.5),
                field: some("master_link_status"),
                contains: some("+sdown"),
                client: some("c1"),
                nodes: Some(vec!["m".into(), "r1".into()]),
                label: text("Label"),
            },
            Expect {
                value: Value::Text("up".into()),
                ..Expect {
                    check: "same".into(),
                    op: "=".into(),
                    value: Value::Int(0),
                    id: None,
                    node: None,
                    at_s: None,
                    field: None,
                    contains: None,
                    client: None,
                    nodes: None,
                    label: text("L2"),
                }
            },
        ],
    }
}

#[test]
fn a_scenario_with_every_field_set_round_trips() {
    let s = everything();
    let json = to_json(&s);
    assert_eq!(scenario_from_json(&json), Ok(s));
}

#[test]
fn a_wrong_file_is_a_clear_error() {
    let json = to_json(&everything());
    let cases = [
        (
            json.replacen("\"kind\":\"client\"", "\"kind\":\"robot\"", 1),
            "kind: unknown value \"robot\"",
        ),
        (
            json.replacen("\"quorum\":2", "\"quorum\":\"2\"", 1),
            "quorum: expected a number",
        ),
        (
            json.replacen("\"id\":\"all-fields\",", "", 1),
            "missing field \"id\"",
        ),
        (json[..json.len() / 2].to_string(), "JSON: "),
        ("{\"id\": \"x\", \"nodes\": 3}".to_string(), "missing field"),
    ];
    for (text, want) in cases {
        let e = scenario_from_json(&text).unwrap_err();
        assert!(e.contains(want), "{e:?} lacks {want:?}");
    }
}
