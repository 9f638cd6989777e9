//! The reference benchmark (`tests/src/bench.rs`, included below so both
//! platforms run the same code) compiled to wasm32 and run in Node:
//!
//! ```text
//! bash tests/scripts/bench.sh          # native and wasm figures
//! ```
//!
//! It is a bench target, not a test: `cargo test` and `wasm-pack test` never
//! build it. Natively it compiles to nothing (`replilab bench` is the native
//! runner). The clock is `performance.now()` (wasm-bindgen-test's `Instant`);
//! the core itself reads none.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

#[path = "../../tests/src/bench.rs"]
#[allow(dead_code)]
mod bench;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen_test::{console_log, wasm_bindgen_test, Instant};

    /// Workload size from the environment of the build (`REPLILAB_BENCH_WRITES`),
    /// since a wasm module has no command line.
    fn writes() -> u64 {
        option_env!("REPLILAB_BENCH_WRITES")
            .and_then(|w| w.replace('_', "").parse().ok())
            .unwrap_or(1_000_000)
    }

    #[wasm_bindgen_test]
    fn replication_workload() {
        let (replicas, keys, writes) = (5, 100_000, writes());
        let origin = Instant::now();
        let clock = move || origin.elapsed().as_secs_f64();
        let r = super::bench::replication_workload_timed(replicas, keys, writes, 10_000, &clock);
        console_log!("workload: 1 master, {replicas} replicas, {keys} keys, {writes} writes");
        console_log!("wasm_events: {} events", r.events);
        console_log!("wasm_wall_time: {:.3} s", r.wall_s);
        console_log!("wasm_events_per_s: {:.0} events/s", r.events_per_s());
        console_log!("wasm_commands_per_s: {:.0} commands/s", r.commands_per_s());
        let f = super::bench::seed001_faults_timed(10, &clock);
        console_log!("wasm_seed001_events: {} events", f.events);
        console_log!("wasm_seed001_wall_time: {:.3} s", f.wall_s);
        console_log!(
            "wasm_seed001_events_per_s: {:.0} events/s",
            f.events_per_s()
        );
        let c = super::bench::cluster_timed(60, &clock);
        console_log!("wasm_cluster_events: {} events", c.events);
        console_log!(
            "wasm_cluster_events_per_s: {:.0} events/s",
            c.events_per_s()
        );
        console_log!(
            "wasm_cluster_commands_per_s: {:.0} commands/s",
            c.commands_per_s()
        );
    }
}
