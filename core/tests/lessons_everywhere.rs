//! Every lesson file passes its expectations, natively and in wasm (the same
//! files, embedded). `tests/tests/lessons.rs` checks this list is complete
//! (every file in static/lessons/ is named here).

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#[cfg(target_arch = "wasm32")]
mod common;

use replilab_core::scenario;

macro_rules! lessons {
    ($($file:literal),* $(,)?) => {
        pub const LESSONS: &[(&str, &str)] = &[$(($file, include_str!(concat!("../../static/lessons/", $file)))),*];
    };
}

lessons![
    "02-read-write-split-lag.toml",
    "01-first-full-sync.toml",
    "03-backlog-partial-vs-full.toml",
    "04-replication-storm.toml",
    "05-cascading-replicas.toml",
    "06-expired-keys-on-replicas.toml",
    "07-expire-vs-expireat.toml",
    "10-split-brain-false-failure.toml",
    "11-split-brain-partition.toml",
    "12-sentinel-pitfalls.toml",
    "14-cluster-slots-hash-tags.toml",
    "15-cluster-data-skew.toml",
    "17-cluster-hot-keys.toml",
    "18-cluster-failover-node-timeout.toml",
    "20-flash-sale.toml",
    "08-healthy-failover.toml",
    "09-crash-acked-writes.toml",
    "13-planned-maintenance.toml",
    "16-cluster-resharding.toml",
    "19-cluster-minority-partition.toml",
    "21-incident-rehearsal.toml",
];

/// Runs one lesson and checks every expectation it states.
fn check(name: &str, src: &str) {
    let s = scenario::parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (_, r) = scenario::run(&s, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    for o in &r.expectations {
        assert!(
            o.pass,
            "{name}: '{}' got {}, wanted {}",
            o.label_en, o.got, o.wanted
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_embedded_lesson_passes_its_expectations() {
    for (name, src) in LESSONS {
        check(name, src);
    }
}

/// In the browser, one lesson per task of the event loop (`common`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
async fn every_embedded_lesson_passes_its_expectations() {
    for (name, src) in LESSONS {
        check(name, src);
        common::next_task().await;
    }
}
