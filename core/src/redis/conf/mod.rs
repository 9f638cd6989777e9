//! The replication and expiry settings of one server: what CONFIG GET/SET see.
//!
//! Names, defaults, units and the CONFIG SET error texts follow Redis 7.0
//! (`config.c`). Memory values accept Redis's units (`1mb`, `64gb`, ...).

use serde::{Deserialize, Serialize};

use crate::profile::Profile;

/// `client-output-buffer-limit` for one client class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BufferLimit {
    pub hard_bytes: u64,
    pub soft_bytes: u64,
    pub soft_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct RedisConf {
    pub repl_backlog_size: u64,
    pub repl_backlog_ttl: u64,
    pub repl_timeout: u64,
    pub repl_ping_replica_period: u64,
    pub repl_diskless_sync: bool,
    pub repl_diskless_sync_delay: u64,
    pub repl_diskless_sync_max_replicas: u64,
    pub min_replicas_to_write: u64,
    pub min_replicas_max_lag: u64,
    pub replica_read_only: bool,
    pub replica_serve_stale_data: bool,
    pub replica_priority: u64,
    pub replica_announced: bool,
    pub replica_lazy_flush: bool,
    pub client_output_buffer_limit_normal: BufferLimit,
    pub client_output_buffer_limit_replica: BufferLimit,
    pub client_output_buffer_limit_pubsub: BufferLimit,
    pub hz: u64,
    pub active_expire_effort: u64,
    pub protected_mode: bool,
}

impl RedisConf {
    pub fn for_profile(profile: Profile) -> RedisConf {
        RedisConf {
            repl_diskless_sync: profile.diskless_sync_default(),
            ..RedisConf::default()
        }
    }
}

impl Default for RedisConf {
    fn default() -> Self {
        RedisConf {
            repl_backlog_size: 1024 * 1024,
            repl_backlog_ttl: 3600,
            repl_timeout: 60,
            repl_ping_replica_period: 10,
            repl_diskless_sync: true,
            repl_diskless_sync_delay: 5,
            repl_diskless_sync_max_replicas: 0,
            min_replicas_to_write: 0,
            min_replicas_max_lag: 10,
            replica_read_only: true,
            replica_serve_stale_data: true,
            replica_priority: 100,
            replica_announced: true,
            replica_lazy_flush: false,
            client_output_buffer_limit_normal: BufferLimit {
                hard_bytes: 0,
                soft_bytes: 0,
                soft_seconds: 0,
            },
            client_output_buffer_limit_replica: BufferLimit {
                hard_bytes: 256 << 20,
                soft_bytes: 64 << 20,
                soft_seconds: 60,
            },
            client_output_buffer_limit_pubsub: BufferLimit {
                hard_bytes: 32 << 20,
                soft_bytes: 8 << 20,
                soft_seconds: 60,
            },
            hz: 10,
            active_expire_effort: 1,
            protected_mode: false,
        }
    }
}

/// The kind of value a parameter holds (config.c's `create*Config`), which
/// decides how CONFIG SET parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `MEMORY_CONFIG`: `memtoull` units, then the bounds (as a C `long long`).
    Memory {
        min: i64,
        max: i64,
    },
    /// `INTEGER_CONFIG`: `string2ll`, then the bounds.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    BufferLimits,
}

/// `INT_MAX`, the upper bound of config.c's `createIntConfig` parameters.
pub(crate) const INT_MAX: i64 = i32::MAX as i64;

impl Kind {
    /// A numeric value as `numericParseString` + `numericBoundaryCheck`
    /// read it; the error is Redis's reason text.
    pub(crate) fn number(self, value: &str) -> Result<i64, String> {
        let (v, min, max) = match self {
            Kind::Memory { min, max } => match crate::data::memtoull(value.as_bytes()) {
                // The C cast from unsigned long long to long long.
                Some(v) => (v as i64, min, max),
                None => return Err("argument must be a memory value".into()),
            },
            Kind::Int { min, max } => match crate::data::parse_i64(value.as_bytes()) {
                Some(v) => (v, min, max),
                None => return Err("argument couldn't be parsed into an integer".into()),
            },
            Kind::Bool | Kind::BufferLimits => unreachable!("not a numeric parameter"),
        };
        if v < min || v > max {
            return Err(format!(
                "argument must be between {min} and {max} inclusive"
            ));
        }
        Ok(v)
    }

    /// `yesnotoi`: `yes` or `no`, in any case.
    pub(crate) fn flag(value: &str) -> Result<bool, String> {
        match value.to_ascii_lowercase().as_str() {
            "yes" => Ok(true),
            "no" => Ok(false),
            _ => Err("argument must be 'yes' or 'no'".into()),
        }
    }
}

struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
}

const fn int(name: &'static str, alias: Option<&'static str>, min: i64, max: i64) -> Param {
    Param {
        name,
        alias,
        kind: Kind::Int { min, max },
    }
}

const fn flag(name: &'static str, alias: Option<&'static str>) -> Param {
    Param {
        name,
        alias,
        kind: Kind::Bool,
    }
}

/// The parameters the lab models, with config.c's bounds (7.0).
const PARAMS: &[Param] = &[
    int("active-expire-effort", None, 1, 10),
    Param {
        name: "client-output-buffer-limit",
        alias: None,
        kind: Kind::BufferLimits,
    },
    // Accepts 0..INT_MAX; `updateHZ` then caps it to 1..500.
    int("hz", None, 0, INT_MAX),
    int(
        "min-replicas-max-lag",
        Some("min-slaves-max-lag"),
        0,
        INT_MAX,
    ),
    int(
        "min-replicas-to-write",
        Some("min-slaves-to-write"),
        0,
        INT_MAX,
    ),
    flag("protected-mode", None),
    Param {
        name: "repl-backlog-size",
        alias: None,
        kind: Kind::Memory {
            min: 1,
            max: i64::MAX,
        },
    },
    // createTimeTConfig, up to LONG_MAX.
    int("repl-backlog-ttl", None, 0, i64::MAX),
    flag("repl-diskless-sync", None),
    int("repl-diskless-sync-delay", None, 0, INT_MAX),
    int("repl-diskless-sync-max-replicas", None, 0, INT_MAX),
    int(
        "repl-ping-replica-period",
        Some("repl-ping-slave-period"),
        1,
        INT_MAX,
    ),
    int("repl-timeout", None, 1, INT_MAX),
    flag("replica-announced", None),
    flag("replica-lazy-flush", Some("slave-lazy-flush")),
    int("replica-priority", Some("slave-priority"), 0, INT_MAX),
    flag("replica-read-only", Some("slave-read-only")),
    flag("replica-serve-stale-data", Some("slave-serve-stale-data")),
];

/// `CONFIG_MIN_HZ` / `CONFIG_MAX_HZ` (server.h).
const HZ_RANGE: (u64, u64) = (1, 500);
/// `CONFIG_REPL_BACKLOG_MIN_SIZE` (server.h).
const BACKLOG_MIN: u64 = 16 * 1024;

/// One class's `<hard> <soft> <seconds>` as `updateClientOutputBufferLimit`
/// reads them.
fn buffer_limit(hard: &str, soft: &str, secs: &str) -> Option<BufferLimit> {
    let hard = crate::data::memtoull(hard.as_bytes())?;
    let soft = crate::data::memtoull(soft.as_bytes())?;
    // `int soft_seconds = strtoll(...)`: the C truncation to int.
    let secs = crate::data::strtoll_whole(secs.as_bytes())? as i32;
    (secs >= 0).then_some(BufferLimit {
        hard_bytes: hard,
        soft_bytes: soft,
        soft_seconds: secs as u64,
    })
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

impl RedisConf {
    fn int_slot(&mut self, name: &str) -> Option<&mut u64> {
        Some(match name {
            "active-expire-effort" => &mut self.active_expire_effort,
            "hz" => &mut self.hz,
            "min-replicas-max-lag" => &mut self.min_replicas_max_lag,
            "min-replicas-to-write" => &mut self.min_replicas_to_write,
            "repl-backlog-size" => &mut self.repl_backlog_size,
            "repl-backlog-ttl" => &mut self.repl_backlog_ttl,
            "repl-diskless-sync-delay" => &mut self.repl_diskless_sync_delay,
            "repl-diskless-sync-max-replicas" => &mut self.repl_diskless_sync_max_replicas,
            "repl-ping-replica-period" => &mut self.repl_ping_replica_period,
            "repl-timeout" => &mut self.repl_timeout,
            "replica-priority" => &mut self.replica_priority,
            _ => return None,
        })
    }

    fn bool_slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "protected-mode" => &mut self.protected_mode,
            "repl-diskless-sync" => &mut self.repl_diskless_sync,
            "replica-announced" => &mut self.replica_announced,
            "replica-lazy-flush" => &mut self.replica_lazy_flush,
            "replica-read-only" => &mut self.replica_read_only,
            "replica-serve-stale-data" => &mut self.replica_serve_stale_data,
            _ => return None,
        })
    }

    fn get(&self, p: &Param) -> String {
        let mut c = self.clone();
        match p.kind {
            Kind::Bool => yes_no(*c.bool_slot(p.name).unwrap_or(&mut false)),
            Kind::Memory { .. } | Kind::Int { .. } => {
                c.int_slot(p.name).map_or(0, |v| *v).to_string()
            }
            Kind::BufferLimits => {
                let classes = [
                    ("normal", self.client_output_buffer_limit_normal),
                    ("slave", self.client_output_buffer_limit_replica),
                    ("pubsub", self.client_output_buffer_limit_pubsub),
                ];
                let text: Vec<String> = classes
                    .iter()
                    .map(|(n, l)| {
                        format!("{n} {} {} {}", l.hard_bytes, l.soft_bytes, l.soft_seconds)
                    })
                    .collect();
                text.join(" ")
            }
        }
    }

    /// The parameters the lab models: (name, alias, kind).
    pub fn params() -> impl Iterator<Item = (&'static str, Option<&'static str>, Kind)> {
        PARAMS.iter().map(|p| (p.name, p.alias, p.kind))
    }

    /// Every entry of the config table as CONFIG GET names it: each
    /// parameter and, as its own entry, its alias (config.c registers both),
    /// with the value.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        PARAMS.iter().flat_map(move |p| {
            let v = self.get(p);
            std::iter::once((p.name, v.clone())).chain(p.alias.map(|a| (a, v)))
        })
    }

    /// The table entry `name` selects, case-insensitively: the parameter's
    /// own name or its alias (what CONFIG SET's errors quote).
    pub fn entry_name(name: &str) -> Option<&'static str> {
        PARAMS
            .iter()
            .flat_map(|p| std::iter::once(p.name).chain(p.alias))
            .find(|n| n.eq_ignore_ascii_case(name))
    }

    /// CONFIG SET of one parameter, then its apply step (`updateHZ` caps
    /// `hz`, `resizeReplicationBacklog` raises the backlog to 16 KB). The
    /// error is Redis's text after `ERR `, naming the table entry.
    pub fn config_set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let Some(entry) = Self::entry_name(name) else {
            return Err(format!(
                "Unknown option or number of arguments for CONFIG SET - '{name}'"
            ));
        };
        let fail = |why: String| {
            format!("CONFIG SET failed (possibly related to argument '{entry}') - {why}")
        };
        let Some(p) = PARAMS
            .iter()
            .find(|p| p.name == entry || p.alias == Some(entry))
        else {
            unreachable!("entry_name returns table names")
        };
        match p.kind {
            Kind::Bool => {
                let v = Kind::flag(value).map_err(fail)?;
                if let Some(slot) = self.bool_slot(p.name) {
                    *slot = v;
                }
            }
            Kind::Memory { .. } | Kind::Int { .. } => {
                let v = p.kind.number(value).map_err(fail)? as u64;
                let v = match p.name {
                    "hz" => v.clamp(HZ_RANGE.0, HZ_RANGE.1),
                    "repl-backlog-size" => v.max(BACKLOG_MIN),
                    _ => v,
                };
                if let Some(slot) = self.int_slot(p.name) {
                    *slot = v;
                }
            }
            Kind::BufferLimits => self.set_buffer_limits(value).map_err(|w| fail(w.into()))?,
        }
        Ok(())
    }

    /// `updateClientOutputBufferLimit`: groups of `<class> <hard> <soft>
    /// <seconds>` split on single spaces (`sdssplitlen`), all or nothing.
    fn set_buffer_limits(&mut self, value: &str) -> Result<(), &'static str> {
        let parts: Vec<&str> = if value.is_empty() {
            Vec::new()
        } else {
            value.split(' ').collect()
        };
        if !parts.len().is_multiple_of(4) {
            return Err("Wrong number of arguments in buffer limit configuration.");
        }
        let mut next = self.clone();
        for chunk in parts.chunks(4) {
            let slot = match chunk[0].to_ascii_lowercase().as_str() {
                "normal" => &mut next.client_output_buffer_limit_normal,
                "slave" | "replica" => &mut next.client_output_buffer_limit_replica,
                "pubsub" => &mut next.client_output_buffer_limit_pubsub,
                _ => return Err("Invalid client class specified in buffer limit configuration."),
            };
            *slot = buffer_limit(chunk[1], chunk[2], chunk[3]).ok_or(
                "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
            )?;
        }
        *self = next;
        Ok(())
    }

    /// The settings that differ from Redis's defaults, as `redis.conf` lines.
    pub fn to_conf_lines(&self, profile: Profile) -> Vec<String> {
        let base = RedisConf::for_profile(profile);
        let mut lines = Vec::new();
        for p in PARAMS {
            let (v, d) = (self.get(p), base.get(p));
            if v != d {
                if let Kind::BufferLimits = p.kind {
                    let classes = [
                        (
                            "normal",
                            self.client_output_buffer_limit_normal,
                            base.client_output_buffer_limit_normal,
                        ),
                        (
                            "replica",
                            self.client_output_buffer_limit_replica,
                            base.client_output_buffer_limit_replica,
                        ),
                        (
                            "pubsub",
                            self.client_output_buffer_limit_pubsub,
                            base.client_output_buffer_limit_pubsub,
                        ),
                    ];
                    for (class, l, _) in classes.iter().filter(|(_, l, d)| l != d) {
                        lines.push(format!(
                            "client-output-buffer-limit {class} {} {} {}",
                            l.hard_bytes, l.soft_bytes, l.soft_seconds
                        ));
                    }
                } else {
                    lines.push(format!("{} {}", p.name, v));
                }
            }
        }
        lines
    }
}

impl super::RedisSpec {
    /// redis.conf for a server listening on `port`: `port`, `replicaof`,
    /// and the settings that differ from the profile's defaults.
    pub fn conf_file_lines(&self, port: u16) -> Vec<String> {
        let mut out = vec![format!("port {port}")];
        if let Some((h, p)) = &self.replicaof {
            out.push(format!("replicaof {h} {p}"));
        }
        out.extend(self.conf.to_conf_lines(self.profile));
        out
    }
}

mod table;

#[cfg(test)]
mod tests;
