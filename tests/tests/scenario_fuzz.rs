//! Fuzzing the lesson loader: mutated lesson files must load or fail with a
//! clear error, never panic; mutants that still load must build and run.
//! Deterministic (seeded); prints the inputs tried and the panics found.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use replilab_core::rng::Rng;
use replilab_core::scenario;

const MUTANTS_PER_FILE: usize = 3_000;

const TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "#",
    "\\",
    "\\u{0}",
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "18446744073709551616",
    "true",
    "\"\"\"",
    "é",
    "中",
    "\u{0}",
    "node",
    "timeline",
    "expect",
    "step",
    "do = \"pause m 1s\"",
    "do = \"@m\"",
    "do = \"partition m / \"",
    "do = \"link m r1 latency 99999999999999s\"",
    "at_s = -5",
    "for_s = 1e20",
    "quorum = 0",
    "replicaof = \"m\"",
    "kind = \"sentinel\"",
    "kind = \"client\"",
    "value = []",
    "duration_s = 0",
    "op = \"~\"",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut b: Vec<u8> = src.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = b.len().max(1) as u64;
        let at = rng.below(len) as usize;
        match rng.below(6) {
            0 => {
                if !b.is_empty() {
                    let i = at.min(b.len() - 1);
                    b[i] = rng.below(256) as u8;
                }
            }
            1 => {
                let end = (at + 1 + rng.below(40) as usize).min(b.len());
                b.drain(at.min(end)..end);
            }
            2 => {
                let tok = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                let at = at.min(b.len());
                b.splice(at..at, tok.bytes());
            }
            3 => b.truncate(at),
            4 => {
                // Duplicate a slice somewhere else (tables, keys twice).
                let end = (at + rng.below(200) as usize).min(b.len());
                let piece: Vec<u8> = b[at.min(end)..end].to_vec();
                let to = rng.below(b.len().max(1) as u64) as usize;
                let to = to.min(b.len());
                b.splice(to..to, piece);
            }
            _ => {
                // Swap two lines.
                let text = String::from_utf8_lossy(&b).to_string();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 2 {
                    let (i, j) = (
                        rng.below(lines.len() as u64) as usize,
                        rng.below(lines.len() as u64) as usize,
                    );
                    lines.swap(i, j);
                }
                b = lines.join("\n").into_bytes();
            }
        }
    }
    String::from_utf8_lossy(&b).to_string()
}

#[test]
fn mutated_lessons_never_panic_the_loader_or_the_simulation() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut rng = Rng::new(0xf022);
    let (mut tried, mut loaded, mut ran, mut panics) = (0u64, 0u64, 0u64, Vec::new());
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for _ in 0..MUTANTS_PER_FILE {
            let m = mutate(&src, &mut rng);
            tried += 1;
            let parsed = catch_unwind(AssertUnwindSafe(|| scenario::parse(&m)));
            match parsed {
                Err(_) => panics.push(format!("parse panicked on a mutant of {}", f.display())),
                Ok(Err(e)) => assert!(e.line >= 1 && e.column >= 1 && !e.message.is_empty()),
                Ok(Ok(mut s)) => {
                    loaded += 1;
                    if ran < 300 {
                        ran += 1;
                        s.duration_s = s.duration_s.min(3);
                        if catch_unwind(AssertUnwindSafe(|| scenario::run(&s, None))).is_err() {
                            panics.push(format!("run panicked on a mutant of {}", f.display()));
                        }
                    }
                }
            }
        }
    }
    println!(
        "scenario fuzz: {tried} inputs tried, {loaded} loaded, {ran} run, {} panics",
        panics.len()
    );
    assert!(panics.is_empty(), "{panics:?}");
}
