//! The page fetches each lesson as the JSON `web/build.rs` writes with serde
//! (nulls dropped) and decodes it with the scenario's own `Deserialize`, the
//! one the TOML loader uses (`scenario::decode`; in the page through
//! `serde_wasm_bindgen`, `web/tests/lesson_json.rs`). Here, natively, through
//! serde_json both ways: every lesson, and a scenario with every field set,
//! must come back equal, and a wrong file must be an error naming its field.

use std::path::PathBuf;

use replilab_core::client::{ClusterWorkload, SaleSpec, Strategy};
use replilab_core::scenario::challenge::{Challenge, Means};
use replilab_core::scenario::cluster::{ClusterDef, SlotsDef};
use replilab_core::scenario::format::{
    toml_value::Value, ActionDef, Choice, Expect, Kind, LinkDef, MonitorDef, Network, NodeDef,
    Predict, Step, Text,
};
use replilab_core::scenario::{self, Scenario};

/// As `web/build.rs` writes it: serde's JSON without its nulls.
fn to_value(s: &Scenario) -> serde_json::Value {
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
    v
}

fn decode(json: &str) -> Result<Scenario, String> {
    scenario::decode(&mut serde_json::Deserializer::from_str(json))
}

#[test]
fn every_lesson_round_trips() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let s = scenario::parse(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let json = to_value(&s).to_string();
            // The page checks what it decoded as the loader checks a file.
            assert_eq!(scenario::check(&s), Ok(()), "{}", p.display());
            assert_eq!(decode(&json), Ok(s), "{}", p.display());
            n += 1;
        }
    }
    assert!(n >= 15, "{n} lessons");
}

/// A lesson JSON of the right shape but broken inside (here, repeated node
/// names) decodes, and the check the page runs next refuses it.
#[test]
fn a_decoded_lesson_gets_the_loaders_checks() {
    let s = decode(&to_value(&everything()).to_string()).unwrap();
    assert_eq!(
        scenario::check(&s),
        Err("[[node]] #2: duplicate node name 'r1'".to_string())
    );
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
        source: text("seed 001"),
        minutes: 12,
        // The largest integer a JavaScript number holds exactly.
        seed: (1 << 53) - 1,
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
            action: "link m r1 latency 70ms jitter 9ms bandwidth 2mbit"
                .parse()
                .unwrap(),
            id: some("w1"),
        }],
        steps: vec![Step {
            until_s: 12.5,
            title: text("Step"),
            watch: text("Watch"),
            predict: Some(Predict {
                question: text("Q"),
                choices: vec![
                    Choice {
                        en: "a".into(),
                        zh: "a（中）".into(),
                        why: Some(text("tempting")),
                    },
                    Choice {
                        en: "b".into(),
                        zh: "b".into(),
                        why: None,
                    },
                ],
                answer: 1,
            }),
            explain: text("Why"),
            challenge: Some(Challenge {
                task: text("Task"),
                from_s: Some(2.5),
                hints: vec![text("H1"), text("H2")],
                allow: vec![Means::Config, Means::Fault],
                max_actions: Some(2),
                solution: vec![ActionDef {
                    at_ms: None,
                    at_s: Some(3.0),
                    action: "@m CONFIG SET hz 20".parse().unwrap(),
                    id: None,
                }],
                explain: text("Because"),
                goals: vec![Expect {
                    check: "lost_writes".into(),
                    op: "<".into(),
                    value: Value::Int(5),
                    id: None,
                    node: None,
                    at_s: Some(9.0),
                    field: None,
                    contains: None,
                    client: some("c1"),
                    nodes: None,
                    label: text("G"),
                }],
            }),
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

/// `web/tests/lesson_json.rs` decodes this file in the browser: it must be
/// `everything()` as `web/build.rs` would write it. After a format change,
/// `REPLILAB_BLESS=1 cargo test -p replilab-harness --test lesson_json` rewrites it.
const FIXTURE: &str = "fixtures/every-field.json";

#[test]
fn a_scenario_with_every_field_set_round_trips() {
    let s = everything();
    let json = to_value(&s).to_string();
    assert_eq!(decode(&json), Ok(s.clone()));
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let pretty = serde_json::to_string_pretty(&to_value(&s)).unwrap() + "\n";
    if std::env::var_os("REPLILAB_BLESS").is_some() {
        std::fs::write(&path, &pretty).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == pretty,
        "tests/{FIXTURE} is out of date (REPLILAB_BLESS=1 rewrites it)"
    );
    assert_eq!(decode(&on_disk), Ok(s));
}

#[test]
fn a_wrong_file_is_a_clear_error() {
    let json = to_value(&everything()).to_string();
    let cases = [
        (
            json.replacen("\"kind\":\"client\"", "\"kind\":\"robot\"", 1),
            "node[0].kind: unknown variant `robot`, expected one of `redis`, `sentinel`, `client`",
        ),
        (
            json.replacen("\"quorum\":2", "\"quorum\":\"2\"", 1),
            "node[0].monitor.quorum: invalid type: string \"2\", expected u32",
        ),
        (
            json.replacen("\"port\":6390", "\"port\":70000", 1),
            "node[0].port: invalid value: integer `70000`, expected u16",
        ),
        (
            json.replacen("\"kind\":\"hot_copies\"", "\"kind\":\"cold\"", 1),
            "node[0].cluster_workload.kind: unknown variant `cold`",
        ),
        (
            json.replacen("\"id\":\"all-fields\",", "", 1),
            "missing field `id`",
        ),
        (json[..json.len() / 2].to_string(), "EOF while parsing"),
        (
            "{\"id\": \"x\", \"node\": 3}".to_string(),
            "node: invalid type: integer `3`, expected a sequence",
        ),
        ("{\"id\": \"x\"}".to_string(), "missing field `format`"),
        (
            "3".to_string(),
            "invalid type: integer `3`, expected struct Scenario",
        ),
    ];
    for (text, want) in cases {
        let e = decode(&text).unwrap_err();
        assert!(e.contains(want), "{e:?} lacks {want:?}");
    }
}
