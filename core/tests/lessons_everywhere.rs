//! Every lesson file passes its expectations, natively and in wasm (the same
//! files, embedded). `tests/tests/lessons.rs` checks this list is complete
//! (every file in static/lessons/ is named here).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use replilab_core::scenario;

macro_rules! lessons {
    ($($file:literal),* $(,)?) => {
        pub const LESSONS: &[(&str, &str)] = &[$(($file, include_str!(concat!("../../static/lessons/", $file)))),*];
    };
}

lessons![
    "01-read-write-split-lag.toml",
    "02-first-full-sync.toml",
    "03-backlog-partial-vs-full.toml",
    "04-replication-storm.toml",
    "05-cascading-replicas.toml",
    "06-expired-keys-on-replicas.toml",
    "07-expire-vs-expireat.toml",
    "08-split-brain-false-failure.toml",
    "09-split-brain-partition.toml",
    "10-sentinel-pitfalls.toml",
    "11-cluster-slots-hash-tags.toml",
    "12-cluster-data-skew.toml",
    "13-cluster-hot-keys.toml",
    "14-cluster-failover-node-timeout.toml",
    "15-flash-sale.toml",
    "x-healthy-failover.toml",
    "x-crash-acked-writes.toml",
    "x-planned-maintenance.toml",
    "x-cluster-resharding.toml",
    "x-cluster-minority-partition.toml",
    "x-incident-rehearsal.toml",
];

#[test]
fn every_embedded_lesson_passes_its_expectations() {
    for (name, src) in LESSONS {
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
}
