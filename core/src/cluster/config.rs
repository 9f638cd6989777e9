//! The cluster settings as CONFIG GET/SET see them (config.c): on a plain
//! server `cluster-enabled` is `no` and the others show their defaults.
//! Values are parsed by the same rules as every other parameter
//! (`redis::conf::Kind`).

use super::ClusterSpec;
use crate::redis::conf::{Kind, INT_MAX};

/// (name, alias, kind), in the lab's order.
const PARAMS: [(&str, Option<&str>, Kind); 5] = [
    ("cluster-enabled", None, Kind::Bool),
    (
        "cluster-node-timeout",
        None,
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
    ),
    ("cluster-require-full-coverage", None, Kind::Bool),
    ("cluster-allow-reads-when-down", None, Kind::Bool),
    (
        "cluster-replica-validity-factor",
        Some("cluster-slave-validity-factor"),
        Kind::Int {
            min: 0,
            max: INT_MAX,
        },
    ),
];

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

impl ClusterSpec {
    /// The cluster parameters of a server not in cluster mode: config.c's
    /// defaults, and no node table.
    pub fn plain() -> ClusterSpec {
        ClusterSpec {
            myid: String::new(),
            node_timeout_ms: 15000,
            require_full_coverage: true,
            allow_reads_when_down: false,
            replica_validity_factor: 10,
            nodes: Vec::new(),
            current_epoch: 0,
            last_vote_epoch: 0,
        }
    }
}

/// Every cluster entry of the config table (aliases as their own entries)
/// with its value; `enabled` is whether the server runs in cluster mode.
pub fn entries(spec: &ClusterSpec, enabled: bool) -> Vec<(&'static str, String)> {
    let values = [
        yes_no(enabled),
        spec.node_timeout_ms.to_string(),
        yes_no(spec.require_full_coverage),
        yes_no(spec.allow_reads_when_down),
        spec.replica_validity_factor.to_string(),
    ];
    let mut out = Vec::new();
    for ((name, alias, _), v) in PARAMS.iter().zip(values) {
        out.push((*name, v.clone()));
        if let Some(a) = alias {
            out.push((*a, v));
        }
    }
    out
}

/// The cluster parameters: (name, alias, kind).
pub fn params() -> impl Iterator<Item = (&'static str, Option<&'static str>, Kind)> {
    PARAMS.iter().copied()
}

/// The cluster entry `name` selects, case-insensitively.
pub fn entry_name(name: &str) -> Option<&'static str> {
    PARAMS
        .iter()
        .flat_map(|(n, a, _)| std::iter::once(*n).chain(*a))
        .find(|n| n.eq_ignore_ascii_case(name))
}

/// Whether CONFIG SET refuses the entry outright (`IMMUTABLE_CONFIG`).
pub fn immutable(entry: &str) -> bool {
    entry == "cluster-enabled"
}

/// CONFIG SET of a cluster parameter: None if `name` is not one; the error
/// is Redis's text after `ERR `. A server not in cluster mode keeps the
/// values too (Redis does), though nothing uses them.
pub fn config_set(s: &mut ClusterSpec, name: &str, value: &str) -> Option<Result<(), String>> {
    let entry = entry_name(name)?;
    let (_, _, kind) = PARAMS
        .iter()
        .find(|(n, a, _)| *n == entry || *a == Some(entry))?;
    let fail =
        |why: String| format!("CONFIG SET failed (possibly related to argument '{entry}') - {why}");
    if immutable(entry) {
        return Some(Err(fail("can't set immutable config".into())));
    }
    Some(match kind {
        Kind::Bool => Kind::flag(value).map_err(fail).map(|b| {
            if entry == "cluster-require-full-coverage" {
                s.require_full_coverage = b
            } else {
                s.allow_reads_when_down = b
            }
        }),
        _ => kind.number(value).map_err(fail).map(|v| {
            if entry == "cluster-node-timeout" {
                s.node_timeout_ms = v as u64
            } else {
                s.replica_validity_factor = v as u64
            }
        }),
    })
}
