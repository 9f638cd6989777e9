//! A scenario as a TOML file: `replilab swarm --seed S --print`, and the
//! page's editor opening the sandbox (which has no file of its own).
//!
//! The workspace's `toml` crate is built without its writer (`display`
//! needs `toml_writer` ≥ 1.2, not in the offline registry), so this goes
//! through the scenario's serde form (`serde_json::Value`) and writes the
//! small subset of TOML a scenario needs: top-level tables, arrays of tables
//! (`[[node]]`, `[[timeline]]`), inline tables inside them. `print` checks
//! that the lesson loader reads back the very same scenario.

use std::fmt::Write;

use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// The scenario as TOML text that `scenario::parse` turns back into it.
pub fn print(s: &Scenario) -> Result<String, String> {
    let out = write(s)?;
    match crate::scenario::parse(&out) {
        Ok(back) if back == *s => Ok(out),
        Ok(_) => Err("the TOML text reads back as a different scenario".into()),
        Err(e) => Err(format!("the TOML text does not load: {e}")),
    }
}

/// The scenario as TOML text, unchecked (the page's editor checks what it
/// shows with its own loader; `print` is this, checked).
pub fn write(s: &Scenario) -> Result<String, String> {
    let v = serde_json::to_value(s).map_err(|e| e.to_string())?;
    let Value::Object(top) = v else {
        return Err("a scenario serializes to a table".into());
    };
    let mut out = String::new();
    table(&mut out, "", &top, false)?;
    Ok(out)
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        string(k)
    }
}

/// A TOML basic string (the config import writes its values with it too).
pub(crate) fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A table's entries, in the order a person writes them: what names the
/// file or the node first, then the rest alphabetically (as serde_json
/// keeps them).
fn ordered(t: &Map<String, Value>) -> Vec<(&String, &Value)> {
    const FIRST: [&str; 5] = ["format", "id", "name", "kind", "at_ms"];
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()));
    v
}

fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object))
}

fn inline(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Null => return Err("null has no TOML form".into()),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if n.is_f64() && f.is_finite() => format!("{f:?}"),
            _ => return Err(format!("{n} does not fit a TOML integer")),
        },
        Value::String(s) => string(s),
        Value::Array(a) => {
            let items: Result<Vec<String>, String> = a.iter().map(inline).collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Object(o) => {
            let items: Result<Vec<String>, String> = ordered(o)
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| Ok(format!("{} = {}", key(k), inline(v)?)))
                .collect();
            let items = items?;
            if items.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", items.join(", "))
            }
        }
    })
}

/// Writes `t`'s values, then its sub-tables. Inside an array of tables
/// (`nested`) sub-tables are written inline, as the lessons write them.
fn table(out: &mut String, path: &str, t: &Map<String, Value>, nested: bool) -> Result<(), String> {
    let sub = |v: &Value| !nested && (v.is_object() || is_table_array(v));
    for (k, v) in ordered(t) {
        if v.is_null() || sub(v) || matches!(v, Value::Array(a) if a.is_empty()) {
            continue;
        }
        writeln!(out, "{} = {}", key(k), inline(v)?).map_err(|e| e.to_string())?;
    }
    if nested {
        return Ok(());
    }
    for (k, v) in t {
        let p = if path.is_empty() {
            key(k)
        } else {
            format!("{path}.{}", key(k))
        };
        match v {
            Value::Object(o) => {
                let _ = write!(out, "\n[{p}]\n");
                table(out, &p, o, false)?;
            }
            Value::Array(a) if is_table_array(v) => {
                for item in a {
                    let _ = write!(out, "\n[[{p}]]\n");
                    if let Value::Object(o) = item {
                        table(out, &p, o, true)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}
