//! Issue 16: the format reference (`dist/format.html`, written by
//! `web/build.rs`) is complete. It is generated from the format's `///` docs
//! (`web/format_ref/`, the same code the build runs); this fails when a
//! table, field or value lacks its English doc or its Chinese text
//! (`core/src/scenario/format.zh.toml`), when the Chinese file names
//! something the format does not have, or when a field that serde reads or
//! writes has no anchor on the page.

use std::collections::BTreeSet;
use std::path::PathBuf;

use replilab_core::scenario::{self, challenge::Challenge, cluster, format::*};

#[allow(dead_code)]
#[path = "../../web/format_ref/mod.rs"]
mod format_ref;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load() -> (format_ref::Reference, String, String) {
    let (r, example) = format_ref::load(&root()).unwrap_or_else(|e| panic!("{e}"));
    let page = format_ref::page(&r, &example);
    (r, example, page)
}

#[test]
fn every_table_field_and_value_has_its_english_doc_and_chinese_text() {
    let (r, _, _) = load();
    let mut bad = Vec::new();
    for t in &r.tables {
        let mut items: Vec<(&str, &str, Option<&str>)> = vec![(&t.path, &t.doc, t.zh.as_deref())];
        for e in &t.fields {
            items.push((&e.path, &e.doc, e.zh.as_deref()));
            items.extend(
                e.values
                    .iter()
                    .map(|v| (v.path.as_str(), v.doc.as_str(), v.zh.as_deref())),
            );
        }
        for (path, en, zh) in items {
            if en.trim().is_empty() {
                bad.push(format!("{path}: no `///` doc (English)"));
            }
            match zh {
                None => bad.push(format!(
                    "{path}: no Chinese text in {}",
                    format_ref::ZH_FILE
                )),
                Some(z) if z.trim().is_empty() => bad.push(format!("{path}: empty Chinese text")),
                Some(z) => {
                    if let Some(at) = half_width(z) {
                        bad.push(format!(
                            "{path}: half-width punctuation in Chinese text: …{at}…"
                        ));
                    }
                }
            }
        }
    }
    let anchors: BTreeSet<&str> = r.anchors().into_iter().collect();
    for k in format_ref::zh_keys(&root()).unwrap() {
        if !anchors.contains(k.as_str()) {
            bad.push(format!(
                "{}: names `{k}`, which the format does not have",
                format_ref::ZH_FILE
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "the format reference is incomplete:\n{}",
        bad.join("\n")
    );
}

/// Every key path of a JSON value (`node.monitor.quorum`), arrays looked through.
fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                key_paths(x, &p, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| key_paths(x, prefix, out)),
        _ => {}
    }
}

/// A scenario with every field set (the compiler insists on each struct's
/// every field; each kind of tagged value appears once).
fn everything() -> Scenario {
    let text = || Text {
        en: "e".into(),
        zh: "z".into(),
    };
    let expect = Expect {
        check: "info".into(),
        op: "=".into(),
        value: toml_value::Value::Int(1),
        id: Some("x".into()),
        node: Some("m".into()),
        at_s: Some(1.0),
        field: Some("role".into()),
        contains: Some("x".into()),
        client: Some("c".into()),
        nodes: Some(vec!["m".into()]),
        label: text(),
    };
    let action = ActionDef {
        at_ms: Some(1),
        at_s: Some(1.0),
        action: "heal".parse().unwrap(),
        id: Some("x".into()),
    };
    let mut nodes = Vec::new();
    for w in [
        replilab_core::client::ClusterWorkload::Spread,
        replilab_core::client::ClusterWorkload::Tagged { tag: "t".into() },
        replilab_core::client::ClusterWorkload::Bigkey {
            key: "k".into(),
            bytes: 1,
        },
        replilab_core::client::ClusterWorkload::HotRead { key: "k".into() },
        replilab_core::client::ClusterWorkload::HotCopies {
            key: "k".into(),
            copies: 1,
            write_every: 1,
        },
    ] {
        let mut n = NodeDef::new("c", Kind::Client);
        n.cluster_workload = Some(w);
        nodes.push(n);
    }
    let mut n = NodeDef::new("s", Kind::Sentinel);
    n.host = Some("h".into());
    n.port = Some(1);
    n.profile = Some("7.0".into());
    n.replicaof = Some("m".into());
    n.config.insert("maxmemory".into(), "1".into());
    n.populate = Some(1);
    n.rdb_save_mb_s = Some(1);
    n.rdb_load_mb_s = Some(1);
    n.monitor = Some(MonitorDef {
        master: "m".into(),
        name: "n".into(),
        quorum: 1,
        down_after_ms: 1,
        failover_timeout_ms: 1,
        parallel_syncs: 1,
    });
    n.routing = Some("fixed".into());
    n.target = Some("m".into());
    n.read_from = Some("m".into());
    n.workload = Some("buyers".into());
    n.period_ms = Some(1);
    n.timeout_ms = Some(1);
    n.wait = Some((1, 1));
    n.ttl_ms = Some(1);
    n.read_after_ms = Some(1);
    n.prefix = Some("p".into());
    n.start_s = Some(1);
    n.stop_s = Some(1);
    n.sale = Some(Default::default());
    nodes.push(n);
    Scenario {
        format: FORMAT.into(),
        id: "x".into(),
        title: text(),
        summary: text(),
        source: text(),
        minutes: 1,
        seed: 1,
        duration_s: 1,
        profile: "7.0".into(),
        network: Network {
            links: vec![LinkDef {
                a: "m".into(),
                b: "s".into(),
                latency_ms: 1,
                jitter_ms: 1,
                bandwidth_mbit: Some(1),
            }],
            ..Default::default()
        },
        cluster: Some(cluster::ClusterDef {
            node_timeout_ms: 1,
            require_full_coverage: true,
            allow_reads_when_down: true,
            replica_validity_factor: 1,
            slots: vec![cluster::SlotsDef {
                node: "m".into(),
                ranges: vec![(0, 1)],
            }],
        }),
        nodes,
        timeline: vec![action.clone()],
        steps: vec![Step {
            until_s: 1.0,
            title: text(),
            watch: text(),
            predict: Some(Predict {
                question: text(),
                choices: vec![Choice {
                    en: "e".into(),
                    zh: "z".into(),
                    why: Some(text()),
                }],
                answer: 0,
            }),
            explain: text(),
            challenge: Some(Challenge {
                task: text(),
                from_s: Some(1.0),
                hints: vec![text()],
                allow: vec![scenario::challenge::Means::Config],
                max_actions: Some(1),
                solution: vec![action],
                explain: text(),
                goals: vec![expect.clone()],
            }),
        }],
        expects: vec![expect],
    }
}

#[test]
fn every_field_serde_knows_appears_in_the_page() {
    let (r, _, page) = load();
    let mut paths = BTreeSet::new();
    key_paths(&serde_json::to_value(everything()).unwrap(), "", &mut paths);
    // And every key the shipped lessons write, as the loader reads them.
    for f in std::fs::read_dir(root().join("static/lessons"))
        .unwrap()
        .flatten()
    {
        if f.path().extension().is_some_and(|x| x == "toml") {
            let s = scenario::parse(&std::fs::read_to_string(f.path()).unwrap()).unwrap();
            key_paths(&serde_json::to_value(s).unwrap(), "", &mut paths);
        }
    }
    assert!(paths.len() > 100, "{} key paths", paths.len());
    let mut bad = Vec::new();
    for p in &paths {
        match r.anchor_of(p) {
            None => bad.push(format!("{p}: not in the reference")),
            Some(a) if !page.contains(&format!(" id=\"{a}\"")) => {
                bad.push(format!("{p}: no anchor #{a} in format.html"))
            }
            Some(_) => {}
        }
    }
    for a in r.anchors() {
        if !page.contains(&format!(" id=\"{a}\"")) {
            bad.push(format!("#{a}: not in format.html"));
        }
    }
    assert!(
        bad.is_empty(),
        "the format reference misses fields:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_page_names_the_toml_headers_and_its_example_loads() {
    let (r, example, page) = load();
    scenario::parse(&example).unwrap_or_else(|e| panic!("{}: {e}", format_ref::EXAMPLE_FILE));
    let order: Vec<&str> = r.tables.iter().map(|t| t.path.as_str()).collect();
    for (before, after) in [
        ("top", "network"),
        ("network", "network.link"),
        ("node", "node.monitor"),
        ("step", "step.predict"),
        ("step.predict", "step.predict.choices"),
        ("timeline", "expect"),
    ] {
        let at = |p: &str| {
            order
                .iter()
                .position(|x| *x == p)
                .unwrap_or_else(|| panic!("no table {p}: {order:?}"))
        };
        assert!(at(before) < at(after), "{before} before {after}: {order:?}");
    }
    for needle in [
        "<code>[[node]]</code>",
        "<code>[network]</code>",
        "<code>[[network.link]]</code>",
        "id=\"duration_s\"",
        "id=\"node.replicaof\"",
        "id=\"node.kind.sentinel\"",
        "id=\"node.cluster_workload.kind.hot_read\"",
        "<code>&quot;7.0&quot;</code>",
    ] {
        assert!(page.contains(needle), "format.html lacks {needle}");
    }
    // Text from the sources is escaped: no tag but the page's own.
    assert!(!page.contains("<prefix>") && page.contains("&lt;prefix&gt;"));
    // No request but itself: no src= or external href.
    assert!(!page.contains(" src="), "format.html loads something");
    for href in page.split("href=\"").skip(1) {
        let url = &href[..href.find('"').unwrap()];
        assert!(
            url.starts_with('#') || url == "./" || url == "data:,",
            "href {url}"
        );
    }
}

fn han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Half-width `,:;?!()` touching a Chinese character, with some context.
fn half_width(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    (0..cs.len()).find_map(|i| {
        let near = |j: Option<usize>| j.and_then(|j| cs.get(j)).is_some_and(|c| han(*c));
        let bad = match cs[i] {
            ',' | ':' | ';' | '?' | '!' | ')' => near(i.checked_sub(1)) || near(Some(i + 1)),
            '(' => near(i.checked_sub(1)),
            _ => false,
        };
        bad.then(|| {
            cs[i.saturating_sub(12)..(i + 12).min(cs.len())]
                .iter()
                .collect()
        })
    })
}
