//! Every lesson in static/lessons/ loads, runs, and meets its expectations;
//! and a broken expectation is reported as a failure.

use std::path::PathBuf;

use replilab_core::scenario;

fn lessons_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons")
}

fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("static/lessons exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_lesson_passes_its_own_expectations() {
    let files = lesson_files();
    assert!(!files.is_empty());
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let s = scenario::parse(&src).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let (_, r) = scenario::run(&s, None).expect("within the event budget");
        for o in &r.expectations {
            assert!(
                o.pass,
                "{}: expectation '{}' failed: got {}, wanted {}",
                f.display(),
                o.label_en,
                o.got,
                o.wanted
            );
        }
        assert!(
            !r.expectations.is_empty(),
            "{}: a lesson must expect something",
            f.display()
        );
        for step in &s.steps {
            assert!(
                !step.title.zh.is_empty()
                    && !step.watch.zh.is_empty()
                    && !step.explain.zh.is_empty(),
                "{}: complete in both languages",
                f.display()
            );
        }
    }
}

#[test]
fn a_broken_expectation_fails_the_run() {
    let src =
        std::fs::read_to_string(lessons_dir().join("10-split-brain-false-failure.toml")).unwrap();
    let broken = src.replace(
        "client = \"app\"\nop = \"=\"\nvalue = 101",
        "client = \"app\"\nop = \"=\"\nvalue = 0",
    );
    assert_ne!(broken, src, "the edit applied");
    let s = scenario::parse(&broken).unwrap();
    let (_, r) = scenario::run(&s, None).unwrap();
    assert!(!r.passed());
    let failed: Vec<_> = r.expectations.iter().filter(|o| !o.pass).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].label_en,
        "A: app loses 101 acknowledged writes (w:313–w:413)"
    );
}

/// The worked example in README.md loads and meets its expectation.
#[test]
fn the_readme_example_runs() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    // The first whole file among the TOML blocks (others are fragments).
    let example = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .find(|b| b.contains("format = \"replilab/1\""))
        .expect("a whole scenario as a toml block");
    let s = scenario::parse(example).unwrap_or_else(|e| panic!("README example: {e}"));
    let (_, r) = scenario::run(&s, None).unwrap();
    assert!(r.passed(), "{:?}", r.expectations);
}

/// core/tests/lessons_everywhere.rs embeds every lesson for the wasm run.
#[test]
fn every_lesson_file_is_embedded_for_the_wasm_run() {
    let list = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/lessons_everywhere.rs"),
    )
    .unwrap();
    for f in lesson_files() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            list.contains(&format!("\"{name}\"")),
            "{name} is missing from core/tests/lessons_everywhere.rs"
        );
    }
}
