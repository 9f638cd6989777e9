//! Fuzzing the config importer: 24,000 mutants of real and exported
//! configuration texts (seeded, deterministic) through `import_conf` and,
//! at a node of a small deployment, `import::apply`: no panic, every
//! directive line accounted for, every applied import loads
//! (`replilab_harness::cli::import::check_any_text`). The cargo-fuzz target
//! `tests/fuzz/fuzz_targets/conf_import.rs` runs the same check unguided.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use replilab_core::rng::Rng;
use replilab_harness::cli::import::check_any_text;

const MUTANTS_PER_SEED: usize = 3_000;

const TOKENS: &[&str] = &[
    "\"",
    "'",
    "\\",
    "\\x",
    "\\x4",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "#",
    "\u{0}",
    ":",
    ") ",
    "1) \"",
    "\"\n",
    "é",
    "中",
    "-",
    "0",
    "-1",
    "65536",
    "99999999999999999999",
    "yes",
    "no",
    "1mb",
    "64gb",
    "replicaof ",
    "slaveof no one",
    "replicaof \"\"",
    "sentinel ",
    "monitor ",
    "sentinel monitor mymaster 10.0.0.1 6379 2\n",
    "down-after-milliseconds mymaster ",
    "parallel-syncs mymaster -3",
    "known-replica ",
    "hz ",
    "repl-backlog-size ",
    "client-output-buffer-limit replica ",
    "client-output-buffer-limit \"normal 0 0 0\"",
    "min-slaves-to-write ",
    "cluster-enabled ",
    "cluster-node-timeout ",
    "port ",
    "protected-mode ",
    "role:slave\n",
    "role:master\n",
    "master_host:10.0.0.2\n",
    "master_port:6379\n",
    "# Replication\n",
    "(empty array)\n",
    "config = {",
    "[[node]]",
];

fn seeds() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conf");
    let mut out: Vec<String> = [
        "config-get-replica.txt",
        "config-get-replica-raw.txt",
        "info-replication-replica.txt",
        "info-replication-master.txt",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
    .collect();
    // Debian's redis.conf without its comments (the mutations land on directives).
    let debian = std::fs::read_to_string(dir.join("redis-7.0.conf")).unwrap();
    out.push(
        debian
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    out.push("port 6380\nreplicaof 10.0.0.1 6379\nhz 50\nmin-slaves-to-write 1\nclient-output-buffer-limit replica 1mb 1mb 0\nclient-output-buffer-limit pubsub 0 0 0\nrepl-timeout 30\ncluster-node-timeout 5000\n".into());
    out.push("port 26379\nprotected-mode no\nsentinel myid 6104cab626fdca0c43f9809133f2374629f73369\nsentinel monitor mymaster 10.0.0.2 6379 2\nsentinel down-after-milliseconds mymaster 5000\nsentinel failover-timeout mymaster 60000\nsentinel parallel-syncs mymaster 2\nsentinel config-epoch mymaster 1\nsentinel known-replica mymaster 10.0.0.1 6379\nsentinel current-epoch 1\n".into());
    out.push("m\n".into());
    out
}

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s: Vec<char> = src.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(s.len() as u64 + 1) as usize;
        match rng.below(6) {
            0 | 1 => {
                let t = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                s.splice(at..at, t.chars());
            }
            2 => {
                let end = (at + 1 + rng.below(40) as usize).min(s.len());
                s.drain(at.min(end)..end);
            }
            3 => {
                // Copy a stretch elsewhere (a line repeated, a value moved).
                let from = rng.below(s.len() as u64 + 1) as usize;
                let end = (from + 1 + rng.below(60) as usize).min(s.len());
                let piece: Vec<char> = s[from.min(end)..end].to_vec();
                s.splice(at..at, piece);
            }
            4 => {
                if let Some(c) = s.get_mut(at) {
                    *c = char::from_u32(rng.below(0x80) as u32).unwrap_or('?');
                }
            }
            _ => {
                let cut = rng.below(s.len() as u64 + 1) as usize;
                s.truncate(cut);
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn mutated_configuration_texts_never_panic_and_lose_no_line() {
    let mut rng = Rng::new(0x1600_c0f1);
    let nodes = ["m", "r1", "r2", "s1"];
    let mut tried = 0;
    let mut panics = Vec::new();
    for seed in seeds() {
        for _ in 0..MUTANTS_PER_SEED {
            let text = mutate(&mut rng, &seed);
            let node = nodes[rng.below(4) as usize];
            tried += 1;
            if catch_unwind(AssertUnwindSafe(|| check_any_text(&text, node))).is_err() {
                panics.push(format!("{node}: {text:?}"));
            }
        }
    }
    // The caps: just over each limit is refused, not read.
    check_any_text(&"x".repeat(256 * 1024 + 1), "m");
    check_any_text(&"\n".repeat(10_000), "m");
    println!("{tried} mutants tried, {} panicked", panics.len());
    assert!(tried >= 20_000);
    assert!(
        panics.is_empty(),
        "{} panics, first: {}",
        panics.len(),
        panics[0]
    );
}
