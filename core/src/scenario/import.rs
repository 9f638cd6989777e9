//! Bring your own configuration: a pasted `redis.conf`, `sentinel.conf`,
//! `CONFIG GET *` output (redis-cli's formatted or `--raw` form) or `INFO
//! replication` output, turned into what one `[[node]]` of a scenario holds.
//!
//! The input is recognised by its content (`Format`). A file is read as
//! `loadServerConfigFromString` (config.c, 7.0) reads it: lines split on
//! `\n` and trimmed of ` \t\r\n`, `#` comments, arguments split by
//! `sdssplitargs` (`data::split_args`, the lab's one splitter), the
//! directive lowercased, the last of two lines for one parameter winning,
//! and a multi-argument parameter given as one argument split again.
//!
//! What the lab models comes from the config table CONFIG SET uses
//! (`RedisConf::params`, `cluster::config_params`); each value is checked by
//! the same `config_set` CONFIG SET runs, so a refused value carries CONFIG
//! SET's error text. Nothing is dropped silently: every line that is not
//! blank or a comment ends in `Imported::settings`, `replicaof`, `monitor`
//! or `skipped` (with a `Reason`). `edit::apply` writes the result into a
//! scenario's TOML text. Nothing here panics on any input (fuzzed:
//! `tests/fuzz/fuzz_targets/conf_import.rs`, `tests/tests/conf_import_fuzz.rs`).

mod edit;
mod lines;
mod sentinel;

pub use edit::{apply, apply_with, ApplyError};

use serde::Serialize;

use super::format::Kind;

/// The longest text accepted (256 KiB; Debian's commented redis.conf is 106 KB).
pub const MAX_BYTES: usize = 256 * 1024;
/// The most lines accepted.
pub const MAX_LINES: usize = 10_000;

/// What the text was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Format {
    RedisConf,
    SentinelConf,
    /// `CONFIG GET *` as redis-cli prints it on a terminal (`1) "maxmemory"`).
    ConfigGet,
    /// `CONFIG GET *` as `redis-cli --raw` prints it: a name line, a value line.
    ConfigGetRaw,
    /// `INFO replication` (or a whole `INFO`): `role:slave`, `master_host:`...
    InfoReplication,
}

impl Format {
    /// The kind of node the text configures.
    pub fn kind(self) -> Kind {
        match self {
            Format::SentinelConf => Kind::Sentinel,
            _ => Kind::Redis,
        }
    }

    /// Whether the text is a whole configuration (its settings replace the
    /// node's `config`); `INFO replication` says only whose replica it is.
    pub fn has_settings(self) -> bool {
        self != Format::InfoReplication
    }
}

/// A parameter the lab models, by its own name (an alias is mapped to it),
/// with the value as written; `lines` are where it was set (several for
/// `client-output-buffer-limit`, one line per class).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub name: String,
    pub value: String,
    pub lines: Vec<usize>,
}

/// `replicaof <host> <port>`; `to` is None for `replicaof no one`,
/// `role:master`, or an empty `replicaof` in CONFIG GET.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplicaOf {
    pub to: Option<(String, u16)>,
    pub lines: Vec<usize>,
}

/// `sentinel monitor <name> <host> <port> <quorum>` and the three timings
/// the scenario's `monitor` holds (Sentinel's defaults when not given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Monitor {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub quorum: u32,
    pub down_after_ms: u64,
    pub failover_timeout_ms: u64,
    pub parallel_syncs: u32,
    pub lines: Vec<usize>,
}

/// Why a line was not imported. The page translates the variant; the
/// `String`s are Redis's own texts, shown as Redis prints them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Reason {
    /// The lab has no such setting.
    NotModelled,
    /// State Redis or Sentinel writes (epochs, known replicas, offsets, ids),
    /// not configuration.
    State,
    /// A Redis Cluster setting: a scenario sets it once, in `[cluster]`.
    Cluster,
    /// The port: the lab gives each node its address (`host`, `port`).
    Address,
    /// A later line (`line`) sets the same parameter; the last one counts.
    Overridden { line: usize },
    /// The same parameter as `name`, listed again under its other name.
    Alias { name: String },
    /// A second `sentinel monitor` (or a setting of it): a lab Sentinel
    /// monitors one master.
    ExtraMonitor,
    /// A value Redis refuses, with its error: CONFIG SET's text after `ERR `
    /// for a parameter, Sentinel's for a `sentinel` line.
    Invalid(String),
    /// A line Redis refuses to read, with its error ("Unbalanced quotes in
    /// configuration line", "wrong number of arguments").
    Unreadable(String),
    /// A value Redis accepts but a scenario cannot hold (a negative
    /// `parallel-syncs`).
    Unsupported,
    /// A CONFIG GET name with no value after it.
    NoValue,
    /// A line that is not part of the recognised output.
    Unexpected,
}

/// One line not imported: its number (from 1), the directive (or field)
/// it names, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: usize,
    pub directive: String,
    pub reason: Reason,
}

/// What a text imports into one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub format: Format,
    /// Redis: the node's `config` table, in file order. Sentinel:
    /// `protected-mode` (the node's `protected_mode`).
    pub settings: Vec<Setting>,
    /// Redis: whose replica it is; None if the text does not say (a
    /// redis.conf without `replicaof`: a master).
    pub replicaof: Option<ReplicaOf>,
    /// Sentinel: the monitored master.
    pub monitor: Option<Monitor>,
    pub skipped: Vec<Skipped>,
}

impl Imported {
    pub fn kind(&self) -> Kind {
        self.format.kind()
    }
}

/// A text refused as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ImportError {
    /// Longer than `MAX_BYTES`.
    TooLong { bytes: usize },
    /// More than `MAX_LINES` lines.
    TooManyLines { lines: usize },
    /// Nothing but blank lines and comments.
    Empty,
}

/// Reads a pasted configuration (see the module doc).
pub fn import_conf(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLong { bytes: text.len() });
    }
    let n = text.split('\n').count();
    if n > MAX_LINES {
        return Err(ImportError::TooManyLines { lines: n });
    }
    let raw: Vec<&str> = text.split('\n').collect();
    if raw.iter().all(|l| lines::blank_or_comment(l)) {
        return Err(ImportError::Empty);
    }
    Ok(match lines::detect(&raw) {
        Format::ConfigGet => lines::config_get(&raw, false),
        Format::ConfigGetRaw => lines::config_get(&raw, true),
        Format::InfoReplication => lines::info(&raw),
        Format::SentinelConf => sentinel::read(&raw),
        Format::RedisConf => lines::redis_conf(&raw),
    })
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::RedisConf => "redis.conf",
            Format::SentinelConf => "sentinel.conf",
            Format::ConfigGet => "CONFIG GET output (redis-cli)",
            Format::ConfigGetRaw => "CONFIG GET output (redis-cli --raw)",
            Format::InfoReplication => "INFO replication output",
        })
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::NotModelled => f.write_str("not modelled by the lab"),
            Reason::State => f.write_str("state, not configuration"),
            Reason::Cluster => f.write_str("a cluster setting: set it in the scenario's [cluster]"),
            Reason::Address => f.write_str("the lab gives each node its address"),
            Reason::Overridden { line } => write!(f, "overridden by line {line}"),
            Reason::Alias { name } => write!(f, "the same parameter as '{name}'"),
            Reason::ExtraMonitor => f.write_str("a lab Sentinel monitors one master"),
            Reason::Invalid(e) => write!(f, "invalid: {e}"),
            Reason::Unreadable(e) => write!(f, "Redis cannot read this line: {e}"),
            Reason::Unsupported => f.write_str("a value the lab cannot hold"),
            Reason::NoValue => f.write_str("a name without a value"),
            Reason::Unexpected => f.write_str("not part of the recognised output"),
        }
    }
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.directive, self.reason)
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLong { bytes } => write!(
                f,
                "the text is {bytes} bytes; at most {MAX_BYTES} (256 KiB) can be imported"
            ),
            ImportError::TooManyLines { lines } => write!(
                f,
                "the text has {lines} lines; at most {MAX_LINES} can be imported"
            ),
            ImportError::Empty => f.write_str("nothing to import: only blank lines and comments"),
        }
    }
}

#[cfg(test)]
mod tests;
