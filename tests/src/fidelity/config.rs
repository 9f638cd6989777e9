//! Fidelity of configuration (issue 14): every parameter the lab accepts in
//! CONFIG SET and CONFIG GET, set on the lab and on real redis-server 7.0 to
//! a normal value, values with unit suffixes, through its old alias, and to
//! out-of-range and malformed values. Each row is the reply and the value
//! read back, so a rejection, a clamp and a normalization all show.
//!
//! The parameter list comes from the core (`RedisConf::params`,
//! `cluster::config_params`): a parameter added there is checked here.

use replilab_core::cluster::config_params;
use replilab_core::redis::conf::Kind;
use replilab_core::redis::RedisConf;

use super::runner::{Check, Obs};
use super::side::{Setup, Side};

/// Values tried on a numeric parameter besides its bounds: unit suffixes,
/// signs, leading zeros, blanks, fractions, words, the empty string, and
/// numbers too long for a 64-bit integer.
const INT_INPUTS: &[&str] = &[
    "8",
    "1k",
    "1kb",
    "1mb",
    "1gb",
    "+5",
    "007",
    "-0",
    " 5",
    "5 ",
    "3.5",
    "abc",
    "",
    "1e3",
    "99999999999999999999",
];
const MEMORY_INPUTS: &[&str] = &[
    "2mb",
    "1K",
    "1KB",
    "1gb",
    "1g",
    "3m",
    "100",
    "16384",
    "0",
    "-1",
    "1.5mb",
    "12xb",
    "",
    "mb",
    "+5mb",
    " 1mb",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999gb",
];
const BOOL_INPUTS: &[&str] = &["yes", "NO", "Yes", "1", "true", "", "no"];
const BUFFER_INPUTS: &[&str] = &[
    "replica 1mb 512kb 10",
    "slave 1gb 2gb 10 pubsub 1 2 3",
    "normal 1mb 2mb 3",
    "REPLICA 4 5 6 replica 7 8 9",
    "replica 1mb 512kb",
    "replica 1mb  512kb 10",
    "foo 1 1 1",
    "master 1 1 1",
    "normal -1 1 1",
    "replica 1mb 512kb -1",
    "replica 1mb 512kb 1.5",
    "replica 1.5mb 1 1",
    "replica 1 1 2147483648",
    "replica 1 1 ",
    "",
];

/// redis-cli's quoting of one argument.
fn quote(v: &str) -> String {
    format!("\"{v}\"")
}

fn set_and_get(side: &mut dyn Side, name: &str, value: &str, read: &str) -> Obs {
    let reply = side.cmd("m", &format!("CONFIG SET {name} {}", quote(value)));
    let got = side.cmd("m", &format!("CONFIG GET {read}"));
    Obs::exact(
        format!("CONFIG SET {name} {} | GET", quote(value)),
        format!("{reply} | {}", got.replace('\n', " ")),
    )
}

/// The flat strings of a redis-cli array (`1) "a"` lines), unquoted.
fn items(reply: &str) -> Vec<String> {
    reply
        .lines()
        .filter_map(|l| l.split_once(") "))
        .map(|(_, v)| v.trim_matches('"').to_string())
        .collect()
}

fn numeric_inputs(min: i64, max: i64) -> Vec<String> {
    let mut v: Vec<String> = INT_INPUTS.iter().map(|s| s.to_string()).collect();
    v.extend([min.to_string(), max.to_string()]);
    v.extend(min.checked_sub(1).map(|x| x.to_string()));
    v.push((i128::from(max) + 1).to_string());
    v
}

/// Every value of one parameter, then its alias, then its first value again
/// (so the next parameter starts from where the server started).
fn one_param(side: &mut dyn Side, name: &str, alias: Option<&str>, kind: Kind) -> Vec<Obs> {
    let start = items(&side.cmd("m", &format!("CONFIG GET {name}")));
    let start = start.get(1).cloned().unwrap_or_default();
    let values: Vec<String> = match kind {
        Kind::Int { min, max } => numeric_inputs(min, max),
        Kind::Memory { .. } => MEMORY_INPUTS.iter().map(|s| s.to_string()).collect(),
        Kind::Bool => BOOL_INPUTS.iter().map(|s| s.to_string()).collect(),
        Kind::BufferLimits => BUFFER_INPUTS.iter().map(|s| s.to_string()).collect(),
    };
    let mut out: Vec<Obs> = values
        .iter()
        .map(|v| set_and_get(side, name, v, name))
        .collect();
    let upper = name.to_ascii_uppercase();
    out.push(set_and_get(side, &upper, &values[0], &upper));
    if let Some(alias) = alias {
        out.push(set_and_get(side, alias, &values[0], alias));
        out.push(set_and_get(side, alias, "x y", name));
    }
    side.cmd("m", &format!("CONFIG SET {name} {}", quote(&start)));
    out
}

fn every_parameter(side: &mut dyn Side) -> Vec<Obs> {
    let params: Vec<_> = RedisConf::params().chain(config_params()).collect();
    let mut out = Vec::new();
    for (name, alias, kind) in params {
        out.extend(one_param(side, name, alias, kind));
    }
    out
}

/// The command's own rules: argument counts, unknown, immutable and
/// repeated parameters, all-or-nothing, and CONFIG GET of patterns.
fn command_rules(side: &mut dyn Side) -> Vec<Obs> {
    const LINES: &[&str] = &[
        "CONFIG SET repl-timeout",
        "CONFIG SET repl-timeout 5 repl-timeout",
        "CONFIG SET nosuch 1",
        "CONFIG SET repl-timeout 7 nosuch 1",
        "CONFIG SET nosuch 1 repl-timeout 0",
        "CONFIG SET repl-timeout 5 REPL-TIMEOUT 6",
        "CONFIG SET min-replicas-max-lag 5 min-slaves-max-lag 6",
        "CONFIG SET cluster-enabled yes",
        "CONFIG SET repl-timeout 0 cluster-enabled yes",
        "CONFIG SET repl-timeout 9 hz abc",
        "CONFIG GET repl-timeout",
        "CONFIG SET repl-timeout 9 repl-backlog-size 1mb",
        "CONFIG GET repl-timeout",
        "CONFIG GET REPL-TIMEOUT",
        "CONFIG GET repl-timeout REPL-TIMEOUT repl-timeout",
        "CONFIG GET nosuch",
        "CONFIG GET",
        "CONFIG SET repl-timeout 60",
    ];
    let mut out: Vec<Obs> = LINES
        .iter()
        .map(|l| Obs::exact(l.to_string(), side.cmd("m", l).replace('\n', " ")))
        .collect();
    // A pattern: Redis answers in hash-table order, so pairs are sorted;
    // the real server's parameters the lab does not model are left out.
    let known: Vec<&str> = RedisConf::params()
        .chain(config_params())
        .flat_map(|(n, a, _)| std::iter::once(n).chain(a))
        .collect();
    for pat in [
        "repl-*",
        "*slave*",
        "min-*",
        "*-priority",
        "cluster-*",
        "hz",
    ] {
        let lines = items(&side.cmd("m", &format!("CONFIG GET {pat}")));
        let mut pairs: Vec<String> = lines
            .chunks(2)
            .filter(|p| known.contains(&p[0].as_str()))
            .map(|p| p.join("="))
            .collect();
        pairs.sort();
        out.push(Obs::exact(
            format!("CONFIG GET {pat} (sorted)"),
            pairs.join(" "),
        ));
    }
    out
}

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "config parameters",
            setup: Setup::new(0),
            script: every_parameter,
        },
        Check {
            name: "config command",
            setup: Setup::new(0),
            script: command_rules,
        },
    ]
}
