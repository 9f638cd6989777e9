//! Embeds every lesson in `static/lessons/*.toml` into the wasm, loaded by
//! the core's own loader at build time: the page makes no request for them,
//! ships them as JSON (no TOML parser in the wasm, ~60 KB gzipped less), and
//! a new lesson file appears on the landing page on the next build. A file
//! that does not load is embedded as its error, shown on its card.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from(
        "/// (file name, Ok(scenario as JSON) or Err(load error)), sorted by file name.\npub static LESSON_FILES: &[(&str, Result<&str, &str>)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let entry = match replilab_core::scenario::parse(&src) {
            Ok(s) => match serde_json::to_value(&s) {
                Ok(mut v) => {
                    // Absent is None: dropping nulls halves the embedded size.
                    strip_nulls(&mut v);
                    format!("Ok({:?})", v.to_string())
                }
                Err(e) => format!("Err({:?})", e.to_string()),
            },
            Err(e) => format!("Err({:?})", e.to_string()),
        };
        let _ = writeln!(out, "    ({name:?}, {entry}),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("lessons.rs"), out).expect("OUT_DIR is writable");
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
