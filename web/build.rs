//! Loads every lesson in `static/lessons/*.toml` with the core's own loader
//! at build time and ships it pre-parsed, outside the wasm:
//!  - `$OUT_DIR/lessons/<stem>-<hash>.json`: the whole scenario as JSON (and
//!    `<stem>-<hash>.toml`, the file itself, which the editor fetches), one
//!    file per lesson; Trunk's post-build hook (`web/post-build.sh`) copies
//!    them to `dist/lessons/`, and the page fetches one when it opens it;
//!  - `$OUT_DIR/lessons.rs`: the index the wasm needs (file, id, JSON file
//!    name) and the landing view's HTML in both languages (`LANDING_HTML`);
//!  - `$OUT_DIR/boot-head.html`, `$OUT_DIR/boot-body.html`: what the hook
//!    puts into `dist/index.html`, so the lesson picker shows from static
//!    HTML + CSS before any wasm has loaded: `web/boot.js` inline (language,
//!    theme, and a preload of the lesson the URL names), and the picker as
//!    `picker::boot` renders it. The wasm's landing is the same string.
//!  - `$OUT_DIR/lesson_files.rs`: each TOML file and its JSON, for the web
//!    crate's tests only (`web/tests/lesson_json.rs`), not in the page.
//!  - `$OUT_DIR/format.html`: the `replilab/1` format reference, generated
//!    from the format's `///` docs (`format_ref/`); the hook copies it to
//!    `dist/format.html`.
//!
//! The page decodes the JSON with the scenario's own `Deserialize` through
//! `serde_wasm_bindgen` (`lessons::decode`): a JavaScript number holds
//! integers exactly only up to 2^53, so a lesson with a larger one (a seed)
//! is indexed as an error rather than opened with another number.
//!
//! No TOML parser in the wasm (~60 KB gzipped less), no lesson bodies in it
//! either, and a new lesson file appears on the landing page on the next
//! build. A file that does not load is indexed as its error, shown on its card.

use std::fmt::Write as _;
use std::path::Path;

// The interface strings and the landing markup, shared with the wasm (one copy).
#[allow(dead_code)]
#[path = "src/i18n/mod.rs"]
mod i18n;
#[allow(dead_code)]
#[path = "src/picker.rs"]
mod picker;

use picker::{Card, Entry};

// The format reference's generator, shared with tests/tests/format_reference.rs.
#[allow(dead_code)]
#[path = "format_ref/mod.rs"]
mod format_ref;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=boot.js");
    println!("cargo:rerun-if-changed=src/i18n");
    println!("cargo:rerun-if-changed=src/picker.rs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let json_dir = Path::new(&out_dir).join("lessons");
    // Start clean: a deleted or changed lesson leaves no stale file behind.
    let _ = std::fs::remove_dir_all(&json_dir);
    std::fs::create_dir_all(&json_dir).expect("OUT_DIR is writable");
    let mut out = String::from(
        "/// One entry per lesson file, sorted by file name.\npub static INDEX: &[(&str, Result<Meta, &str>)] = &[\n",
    );
    // Loaded lessons (or errors), and each lesson's JSON file for boot.js.
    let mut loaded = Vec::new();
    let mut files_js = serde_json::Map::new();
    let mut files_rs = String::from(
        "/// (file name, TOML, JSON) of every lesson that loads, sorted by file name.\npub static LESSON_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let stem = name.trim_end_matches(".toml");
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let entry = match replilab_core::scenario::parse(&src) {
            Ok(s) => match serde_json::to_value(&s) {
                Ok(v) if !js_exact(&v) => Err(
                    "an integer beyond 2^53 (9007199254740991) cannot reach the page exactly"
                        .to_string(),
                ),
                Ok(mut v) => {
                    // Absent is None: dropping nulls halves the file.
                    strip_nulls(&mut v);
                    let json = v.to_string();
                    // The name changes with the file's text or its JSON (comments too).
                    let key = fnv1a(json.as_bytes()) ^ fnv1a(src.as_bytes()).rotate_left(1);
                    let url = format!("lessons/{stem}-{key:016x}.json");
                    let path = json_dir.join(&url["lessons/".len()..]);
                    std::fs::write(&path, &json).expect("OUT_DIR is writable");
                    // The TOML beside it, for the page's editor ("Edit").
                    std::fs::write(path.with_extension("toml"), &src).expect("OUT_DIR is writable");
                    let _ = writeln!(
                        files_rs,
                        "    ({name:?}, include_str!({:?}), include_str!({:?})),",
                        f.display().to_string(),
                        path.display().to_string()
                    );
                    files_js.insert(s.id.clone(), url.clone().into());
                    let _ = writeln!(
                        out,
                        "    ({name:?}, Ok(Meta {{ id: {:?}, url: {url:?} }})),",
                        s.id
                    );
                    Ok(s)
                }
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = &entry {
            let _ = writeln!(out, "    ({name:?}, Err({e:?})),");
        }
        loaded.push((name, entry));
    }
    out.push_str("];\n");
    let entries: Vec<Entry> = loaded
        .iter()
        .map(|(file, e)| match e {
            Ok(s) => Entry::Lesson(Card {
                id: &s.id,
                title: (&s.title.en, &s.title.zh),
                summary: (&s.summary.en, &s.summary.zh),
                source: (&s.source.en, &s.source.zh),
                minutes: s.minutes,
            }),
            Err(error) => Entry::Broken { file, error },
        })
        .collect();
    let _ = writeln!(
        out,
        "/// The landing view (English, 简体中文): `picker::landing`, as in `dist/index.html`.\npub static LANDING_HTML: (&str, &str) = ({:?}, {:?});",
        picker::landing(i18n::Lang::En, &entries),
        picker::landing(i18n::Lang::Zh, &entries)
    );
    let out_dir = Path::new(&out_dir);
    std::fs::write(out_dir.join("lessons.rs"), out).expect("OUT_DIR is writable");
    // boot.js, inline, with each lesson's JSON file ("<" escaped: no "</script>" inside).
    let files_js = serde_json::Value::Object(files_js)
        .to_string()
        .replace('<', "\\u003c");
    // Without its comment lines (they explain the file, not the page).
    let boot_js: String = include_str!("boot.js")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let boot_js = boot_js.replace("/*LESSON_FILES*/{}", &files_js);
    std::fs::write(
        out_dir.join("boot-head.html"),
        format!("<script>{boot_js}</script>\n"),
    )
    .expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("boot-body.html"), picker::boot(&entries))
        .expect("OUT_DIR is writable");
    files_rs.push_str("];\n");
    std::fs::write(out_dir.join("lesson_files.rs"), files_rs).expect("OUT_DIR is writable");
    format_reference(out_dir);
}

/// `$OUT_DIR/format.html` from the format's sources (a source the generator
/// cannot read is a build error, named).
fn format_reference(out_dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed=format_ref");
    for f in format_ref::SOURCES
        .iter()
        .chain([&format_ref::ZH_FILE, &format_ref::EXAMPLE_FILE])
    {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    let (reference, example) =
        format_ref::load(&root).unwrap_or_else(|e| panic!("the format reference: {e}"));
    std::fs::write(
        out_dir.join("format.html"),
        format_ref::page(&reference, &example),
    )
    .expect("OUT_DIR is writable");
}

/// Every integer in `v` is one a JavaScript number holds exactly.
fn js_exact(v: &serde_json::Value) -> bool {
    const MAX: u64 = (1 << 53) - 1;
    match v {
        serde_json::Value::Number(n) => {
            n.as_u64().is_none_or(|u| u <= MAX)
                && n.as_i64().is_none_or(|i| i.unsigned_abs() <= MAX)
        }
        serde_json::Value::Object(m) => m.values().all(js_exact),
        serde_json::Value::Array(a) => a.iter().all(js_exact),
        _ => true,
    }
}

/// FNV-1a, 64 bits: names each JSON file by its content, so a cached copy
/// never outlives a rebuilt page.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
