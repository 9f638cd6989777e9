//! The `replilab/1` format reference, generated from the format's own source:
//! the `///` docs of the structs, fields and enum variants that `Scenario`
//! reaches (`core/src/scenario/format.rs` and the files in `SOURCES`), with
//! serde's renames and defaults, and the Chinese text beside them
//! (`core/src/scenario/format.zh.toml`, keyed by the anchor `table.field`).
//!
//! Shared by `web/build.rs` (which writes `format.html` into the page's
//! folder) and `tests/tests/format_reference.rs` (which fails when a field
//! lacks its English doc or its Chinese text, the Chinese file names a field
//! that does not exist, or a field is missing from the page), through
//! `#[path]`: build-time code only, never in the wasm.

mod attrs;
mod extract;
mod html;

use extract::extract;
pub use extract::Table;
pub use html::page;

use std::path::Path;

/// The files the types of the format live in, from the workspace root.
pub const SOURCES: &[&str] = &[
    "core/src/scenario/format.rs",
    "core/src/scenario/cluster.rs",
    "core/src/scenario/challenge.rs",
    "core/src/client/buyer.rs",
    "core/src/client/cluster.rs",
];
/// The Chinese text of every table, field and value, keyed by its anchor.
pub const ZH_FILE: &str = "core/src/scenario/format.zh.toml";
/// The worked example at the top of the page (a scenario that loads).
pub const EXAMPLE_FILE: &str = "core/src/scenario/format.example.toml";

/// The reference: the tables in the order the file nests them.
#[derive(Debug)]
pub struct Reference {
    pub tables: Vec<Table>,
}

impl Reference {
    /// Every anchor (table, field, value), in page order.
    pub fn anchors(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for t in &self.tables {
            out.push(t.path.as_str());
            for e in &t.fields {
                if !e.table {
                    out.push(e.path.as_str());
                }
                out.extend(e.values.iter().map(|v| v.path.as_str()));
            }
        }
        out
    }

    /// The anchor that documents a key path as serde writes it (`node.monitor.quorum`,
    /// `step.challenge.goal.check` → `expect.check`, `node.config.maxmemory` →
    /// `node.config`): None if the reference does not know it.
    pub fn anchor_of(&self, key_path: &str) -> Option<String> {
        let mut table = self.table("top")?;
        let mut segs = key_path.split('.');
        loop {
            let seg = segs.next()?;
            let e = table.fields.iter().find(|e| e.name == seg)?;
            if !e.table {
                // A leaf: what is below it (a text's en/zh, a map's keys) is its own.
                return Some(e.path.clone());
            }
            table = self.table(&e.path)?;
            if let Some(home) = &table.same_as {
                table = self.table(home)?;
            }
            if segs.clone().next().is_none() {
                return Some(e.path.clone());
            }
        }
    }

    pub fn table(&self, path: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.path == path)
    }
}

/// Reads the sources, the Chinese text and the example under `root` (the
/// workspace) and builds the reference; an error names what is wrong.
pub fn load(root: &Path) -> Result<(Reference, String), String> {
    let mut files = Vec::new();
    for f in SOURCES {
        let text = std::fs::read_to_string(root.join(f)).map_err(|e| format!("{f}: {e}"))?;
        files.push(syn::parse_file(&text).map_err(|e| format!("{f}: {e}"))?);
    }
    let zh_text =
        std::fs::read_to_string(root.join(ZH_FILE)).map_err(|e| format!("{ZH_FILE}: {e}"))?;
    let zh: std::collections::BTreeMap<String, String> =
        toml::from_str(&zh_text).map_err(|e| format!("{ZH_FILE}: {e}"))?;
    let mut r = Reference {
        tables: extract(&files)?,
    };
    for t in &mut r.tables {
        t.zh = zh.get(&t.path).cloned();
        for e in &mut t.fields {
            e.zh = zh.get(&e.path).cloned();
            for v in &mut e.values {
                v.zh = zh.get(&v.path).cloned();
            }
        }
    }
    let example = std::fs::read_to_string(root.join(EXAMPLE_FILE))
        .map_err(|e| format!("{EXAMPLE_FILE}: {e}"))?;
    Ok((r, example))
}

/// The Chinese file's keys, for the test (a key naming no anchor is an error).
pub fn zh_keys(root: &Path) -> Result<Vec<String>, String> {
    let text =
        std::fs::read_to_string(root.join(ZH_FILE)).map_err(|e| format!("{ZH_FILE}: {e}"))?;
    let zh: std::collections::BTreeMap<String, String> =
        toml::from_str(&text).map_err(|e| format!("{ZH_FILE}: {e}"))?;
    Ok(zh.into_keys().collect())
}
