//! Writing an import into a scenario's TOML text, in place: the named
//! `[[node]]`'s `config`, `replicaof`, `monitor` and `protected_mode` are
//! replaced, inserted (after its `name`) or removed; every other byte of
//! the text stays as it was. The places come from the spans of the TOML
//! parser the loader uses (`toml::de::DeTable`); the result must load
//! (`scenario::parse`) and equal the old scenario with exactly that node
//! changed, or the edit is refused.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::Imported;
use crate::scenario::build::addresses;
use crate::scenario::format::{Kind, MonitorDef, Scenario};
use crate::scenario::{parse, toml_out, LoadError};

/// Why an import could not be written into a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyError {
    /// The scenario does not load as it is.
    Load(LoadError),
    /// No `[[node]]` has that name.
    NoSuchNode(String),
    /// The node is of another kind than the text configures.
    WrongKind {
        node: String,
        kind: Kind,
        imported: Kind,
    },
    /// `replicaof` or `sentinel monitor` gives an address no Redis node of
    /// the deployment has (`build::addresses`: 10.0.0.N:6379 unless set).
    NoNodeAt { host: String, port: u16 },
    /// The node's `key` is written in a form the edit does not change in
    /// place (dotted keys, a sub-table): edit the text by hand.
    Layout { key: String },
    /// The edited text does not load: the loader's error.
    Reload(LoadError),
}

/// Writes `imp` into the node `node` of the scenario `text` (see the module
/// doc). A Redis import sets `config` (unless it is `INFO` output, which
/// has no settings) and `replicaof` (none: a master); a Sentinel import sets
/// `monitor` and `protected_mode` when the text gives them.
pub fn apply(text: &str, node: &str, imp: &Imported) -> Result<String, ApplyError> {
    apply_with(text, node, imp, &parse)
}

/// `apply`, with the loader to read the text before and after (the page
/// passes its own, which runs the same stages as `parse`).
pub fn apply_with(
    text: &str,
    node: &str,
    imp: &Imported,
    load: &dyn Fn(&str) -> Result<Scenario, LoadError>,
) -> Result<String, ApplyError> {
    let old = load(text).map_err(ApplyError::Load)?;
    let Some(idx) = old.nodes.iter().position(|n| n.name == node) else {
        return Err(ApplyError::NoSuchNode(node.to_string()));
    };
    let kind = old.nodes[idx].kind.clone();
    if kind != imp.kind() {
        return Err(ApplyError::WrongKind {
            node: node.to_string(),
            kind,
            imported: imp.kind(),
        });
    }
    let want = wanted(&old, idx, imp)?;
    let (was, now) = (&old.nodes[idx], &want.nodes[idx]);
    let mut out = text.to_string();
    if was.config != now.config {
        let v = (!now.config.is_empty()).then(|| config_text(imp));
        out = set_key(&out, idx, "config", v)?;
    }
    if was.replicaof != now.replicaof {
        out = set_key(
            &out,
            idx,
            "replicaof",
            now.replicaof.as_deref().map(toml_out::string),
        )?;
    }
    if was.monitor != now.monitor {
        out = set_key(&out, idx, "monitor", now.monitor.as_ref().map(monitor_text))?;
    }
    if was.protected_mode != now.protected_mode {
        out = set_key(
            &out,
            idx,
            "protected_mode",
            Some(now.protected_mode.to_string()),
        )?;
    }
    let got = load(&out).map_err(ApplyError::Reload)?;
    if got != want {
        return Err(ApplyError::Layout { key: "node".into() });
    }
    Ok(out)
}

/// The scenario as it should be after the edit.
fn wanted(old: &Scenario, idx: usize, imp: &Imported) -> Result<Scenario, ApplyError> {
    let addrs = addresses(old);
    let node_at = |host: &str, port: u16| {
        (0..old.nodes.len())
            .find(|&j| old.nodes[j].kind == Kind::Redis && addrs[j].0 == host && addrs[j].1 == port)
            .map(|j| old.nodes[j].name.clone())
            .ok_or(ApplyError::NoNodeAt {
                host: host.to_string(),
                port,
            })
    };
    let mut s = old.clone();
    let n = &mut s.nodes[idx];
    match n.kind {
        Kind::Redis => {
            if imp.format.has_settings() {
                n.config = imp
                    .settings
                    .iter()
                    .map(|x| (x.name.clone(), x.value.clone()))
                    .collect::<BTreeMap<_, _>>();
            }
            match imp.replicaof.as_ref().map(|r| &r.to) {
                Some(Some((h, p))) => n.replicaof = Some(node_at(h, *p)?),
                Some(None) => n.replicaof = None,
                None if imp.format.has_settings() => n.replicaof = None,
                None => {}
            }
        }
        _ => {
            if let Some(m) = &imp.monitor {
                n.monitor = Some(MonitorDef {
                    master: node_at(&m.host, m.port)?,
                    name: m.name.clone(),
                    quorum: m.quorum,
                    down_after_ms: m.down_after_ms,
                    failover_timeout_ms: m.failover_timeout_ms,
                    parallel_syncs: m.parallel_syncs,
                });
            }
            if let Some(p) = imp.settings.iter().find(|x| x.name == "protected-mode") {
                n.protected_mode = p.value.eq_ignore_ascii_case("yes");
            }
        }
    }
    Ok(s)
}

fn config_text(imp: &Imported) -> String {
    let pairs: Vec<String> = imp
        .settings
        .iter()
        .map(|s| {
            format!(
                "{} = {}",
                toml_out::string(&s.name),
                toml_out::string(&s.value)
            )
        })
        .collect();
    format!("{{ {} }}", pairs.join(", "))
}

fn monitor_text(m: &MonitorDef) -> String {
    format!(
        "{{ master = {}, name = {}, quorum = {}, down_after_ms = {}, failover_timeout_ms = {}, parallel_syncs = {} }}",
        toml_out::string(&m.master),
        toml_out::string(&m.name),
        m.quorum,
        m.down_after_ms,
        m.failover_timeout_ms,
        m.parallel_syncs
    )
}

/// The spans of `key` and of `name` in the `idx`-th `[[node]]`:
/// (key's key span, its value span), (name's key span, its value span).
type Entry = (Range<usize>, Range<usize>);

fn spans(text: &str, idx: usize, key: &str) -> Option<(Option<Entry>, Entry)> {
    let doc = DeTable::parse(text).ok()?;
    let (_, nodes) = doc.get_ref().iter().find(|(k, _)| k.get_ref() == "node")?;
    let DeValue::Array(items) = nodes.get_ref() else {
        return None;
    };
    let DeValue::Table(t) = items.get(idx)?.get_ref() else {
        return None;
    };
    let find = |name: &str| {
        t.iter()
            .find(|(k, _)| k.get_ref() == name)
            .map(|(k, v)| (k.span(), v.span()))
    };
    Some((find(key), find("name")?))
}

/// Whether `key = value` is written plainly: only `=` between the two.
fn plain(text: &str, (k, v): &Entry) -> bool {
    k.end <= v.start && text.get(k.end..v.start).is_some_and(|s| s.trim() == "=")
}

fn set_key(text: &str, idx: usize, key: &str, value: Option<String>) -> Result<String, ApplyError> {
    let layout = || ApplyError::Layout {
        key: key.to_string(),
    };
    let (found, name) = spans(text, idx, key).ok_or_else(layout)?;
    let mut out = text.to_string();
    match (found, value) {
        (Some(e), _) if !plain(text, &e) => return Err(layout()),
        (Some((k, v)), Some(val)) => out.replace_range(k.start..v.end, &format!("{key} = {val}")),
        (Some((k, v)), None) => out.replace_range(removal(text, k.start..v.end), ""),
        (None, None) => {}
        (None, Some(val)) => {
            if !plain(text, &name) {
                return Err(layout());
            }
            let (ns, ne) = (name.0.start, name.1.end);
            let line_start = text[..ns].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..ns].trim().is_empty() {
                // A table: a line of its own after the `name` line.
                match text[ne..].find('\n') {
                    Some(i) => {
                        let eol = if text[..ne + i].ends_with('\r') {
                            "\r\n"
                        } else {
                            "\n"
                        };
                        out.insert_str(ne + i + 1, &format!("{key} = {val}{eol}"));
                    }
                    None => out.push_str(&format!("\n{key} = {val}")),
                }
            } else {
                // An inline table.
                out.insert_str(ne, &format!(", {key} = {val}"));
            }
        }
    }
    Ok(out)
}

/// What to cut to remove `key = value` at `r`: its whole line when nothing
/// else is on it but blanks and a comment; in an inline table, a comma too.
fn removal(text: &str, r: Range<usize>) -> Range<usize> {
    let line_start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[r.end..];
    let line_end = rest.find('\n').map_or(text.len(), |i| r.end + i + 1);
    let after = text[r.end..line_end].trim_start();
    if text[line_start..r.start].trim().is_empty() && (after.is_empty() || after.starts_with('#')) {
        return line_start..line_end;
    }
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[spaces..].starts_with(',') {
        let more = &rest[spaces + 1..];
        let more_spaces = more.len() - more.trim_start_matches([' ', '\t']).len();
        return r.start..r.end + spaces + 1 + more_spaces;
    }
    let before = text[..r.start].trim_end_matches([' ', '\t']);
    match before.strip_suffix(',') {
        Some(b) => b.len()..r.end,
        None => r,
    }
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = |k: &Kind| match k {
            Kind::Redis => "a Redis server",
            Kind::Sentinel => "a Sentinel",
            Kind::Client => "a client",
        };
        match self {
            ApplyError::Load(e) => write!(f, "the scenario does not load: {e}"),
            ApplyError::NoSuchNode(n) => write!(f, "no node named '{n}'"),
            ApplyError::WrongKind {
                node,
                kind: k,
                imported,
            } => write!(
                f,
                "'{node}' is {}, the text configures {}",
                kind(k),
                kind(imported)
            ),
            ApplyError::NoNodeAt { host, port } => {
                write!(
                    f,
                    "no Redis node of the deployment listens at {host}:{port}"
                )
            }
            ApplyError::Layout { key } => write!(
                f,
                "the node's `{key}` is not written as `{key} = ...`: edit it by hand"
            ),
            ApplyError::Reload(e) => write!(f, "the edited scenario does not load: {e}"),
        }
    }
}
