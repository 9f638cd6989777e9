//! The curriculum as a whole: every challenge proven, Chinese text with
//! full-width punctuation.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use replilab_core::scenario::{self, Scenario};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lessons() -> Vec<(String, Scenario)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("static/lessons"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let s = scenario::parse(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, s)
        })
        .collect()
}

/// `replilab check`'s proof, as a test: the unchanged run fails each
/// challenge's goals, and the file's solution meets them.
#[test]
fn every_challenge_is_proven() {
    let mut proven = 0;
    for (name, s) in lessons() {
        for p in replilab_core::timeline::prove(&Rc::new(s)).unwrap() {
            assert!(
                !p.baseline.solved,
                "{name}: the unchanged run already meets the challenge of step {}",
                p.baseline.step + 1
            );
            assert!(
                p.solution.solved,
                "{name}: the solution of step {} does not meet it: {:?}",
                p.baseline.step + 1,
                p.solution
            );
            proven += 1;
        }
    }
    assert!(proven > 0);
}

fn han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Half-width `,:;?!()` touching a Chinese character, with some context.
fn half_width(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    (0..cs.len()).find_map(|i| {
        let c = cs[i];
        let near = |j: Option<usize>| j.and_then(|j| cs.get(j)).is_some_and(|c| han(*c));
        let bad = match c {
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

fn zh_texts(s: &Scenario) -> Vec<String> {
    // Every `zh` of the file, through its serde form.
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("zh", serde_json::Value::String(t)) => out.push(t.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::to_value(s).unwrap(), &mut out);
    out
}

#[test]
fn chinese_text_uses_full_width_punctuation() {
    let mut bad = Vec::new();
    for (name, s) in lessons() {
        for t in zh_texts(&s) {
            if let Some(at) = half_width(&t) {
                bad.push(format!("{name}: …{at}…"));
            }
        }
    }
    for f in rust_files(&root().join("web/src")) {
        let src = std::fs::read_to_string(&f).unwrap();
        for lit in src
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|l| l.chars().any(han))
        {
            if let Some(at) = half_width(lit) {
                bad.push(format!("{}: …{at}…", f.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "half-width punctuation in Chinese text:\n{}",
        bad.join("\n")
    );
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// Issue 15's bar for the curriculum: at least 20 lessons, each with a
/// challenge; every wrong choice says why; the right answers spread over
/// the positions (none holds more than 40%), and are not mostly the
/// longest choice.
#[test]
fn the_curriculum_is_complete_and_its_predictions_fair() {
    let lessons = lessons();
    assert!(lessons.len() >= 20, "{} lessons", lessons.len());
    let mut at = [0usize; 8];
    let (mut total, mut longest) = (0, 0);
    for (name, s) in &lessons {
        assert!(s.challenges().count() >= 1, "{name}: no challenge");
        for (i, st) in s.steps.iter().enumerate() {
            let Some(p) = &st.predict else { continue };
            for (k, c) in p.choices.iter().enumerate() {
                let why = c
                    .why
                    .as_ref()
                    .is_some_and(|w| !w.en.is_empty() && !w.zh.is_empty());
                assert!(
                    k == p.answer || why,
                    "{name}: step {} choice {k} has no `why`",
                    i + 1
                );
            }
            at[p.answer.min(7)] += 1;
            total += 1;
            let len = |k: usize| p.choices[k].en.chars().count();
            longest +=
                usize::from((0..p.choices.len()).all(|k| k == p.answer || len(k) < len(p.answer)));
        }
    }
    assert!(total > 0);
    for (pos, n) in at.iter().enumerate() {
        assert!(
            n * 100 <= total * 40,
            "position {pos} holds {n} of {total} right answers: {at:?}"
        );
    }
    assert!(
        longest * 100 <= total * 35,
        "the right answer is the longest in {longest} of {total}"
    );
}
