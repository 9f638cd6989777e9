//! The cluster settings as CONFIG GET/SET see them (config.c): on a plain
//! server `cluster-enabled` is `no` and the others show their defaults.

use super::ClusterSpec;
use crate::data::glob_match;

/// (name, alias) in the order CONFIG GET lists them.
const NAMES: [(&str, Option<&str>); 5] = [
    ("cluster-enabled", None),
    ("cluster-node-timeout", None),
    ("cluster-require-full-coverage", None),
    ("cluster-allow-reads-when-down", None),
    (
        "cluster-replica-validity-factor",
        Some("cluster-slave-validity-factor"),
    ),
];

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// CONFIG GET of the cluster parameters matching `pattern`.
pub fn config_get(spec: Option<&ClusterSpec>, pattern: &[u8]) -> Vec<(String, String)> {
    let values = [
        yes_no(spec.is_some()),
        spec.map_or(15000, |s| s.node_timeout_ms).to_string(),
        yes_no(spec.is_none_or(|s| s.require_full_coverage)),
        yes_no(spec.is_some_and(|s| s.allow_reads_when_down)),
        spec.map_or(10, |s| s.replica_validity_factor).to_string(),
    ];
    let mut out = Vec::new();
    for ((name, alias), v) in NAMES.iter().zip(values) {
        if glob_match(pattern, name.as_bytes(), true) {
            out.push((name.to_string(), v));
        } else if let Some(a) = alias.filter(|a| glob_match(pattern, a.as_bytes(), true)) {
            out.push((a.to_string(), v));
        }
    }
    out
}

/// CONFIG SET of a cluster parameter: None if `name` is not one; the error
/// is Redis's text after `ERR `.
pub fn config_set(
    spec: Option<&mut ClusterSpec>,
    name: &str,
    value: &str,
) -> Option<Result<(), String>> {
    let lname = name.to_ascii_lowercase();
    let known = NAMES
        .iter()
        .any(|(n, a)| *n == lname || *a == Some(lname.as_str()));
    if !known {
        return None;
    }
    let fail = |why: &str| {
        Err(format!(
            "CONFIG SET failed (possibly related to argument '{name}') - {why}"
        ))
    };
    if lname == "cluster-enabled" {
        return Some(fail("can't set immutable config"));
    }
    let flag = match value.to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let int: Option<u64> = value.parse().ok();
    let mut scratch = ClusterSpec {
        myid: String::new(),
        node_timeout_ms: 15000,
        require_full_coverage: true,
        allow_reads_when_down: false,
        replica_validity_factor: 10,
        nodes: Vec::new(),
        current_epoch: 0,
        last_vote_epoch: 0,
    };
    let s = spec.unwrap_or(&mut scratch);
    Some(match lname.as_str() {
        "cluster-node-timeout" => match int.filter(|&t| t <= i64::MAX as u64) {
            Some(t) => Ok(s.node_timeout_ms = t),
            None => fail("argument couldn't be parsed into an integer"),
        },
        "cluster-require-full-coverage" | "cluster-allow-reads-when-down" => match flag {
            Some(b) if lname == "cluster-require-full-coverage" => Ok(s.require_full_coverage = b),
            Some(b) => Ok(s.allow_reads_when_down = b),
            None => fail("argument must be 'yes' or 'no'"),
        },
        _ => match int.filter(|&f| f <= i32::MAX as u64) {
            Some(f) => Ok(s.replica_validity_factor = f),
            None => fail("argument couldn't be parsed into an integer"),
        },
    })
}
