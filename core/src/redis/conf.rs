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

/// The kind of value a parameter holds, for parsing and printing.
enum Kind {
    Bytes,
    Int { min: u64, max: u64 },
    Bool,
    BufferLimits,
}

struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
}

const PARAMS: &[Param] = &[
    Param {
        name: "active-expire-effort",
        alias: None,
        kind: Kind::Int { min: 1, max: 10 },
    },
    Param {
        name: "client-output-buffer-limit",
        alias: None,
        kind: Kind::BufferLimits,
    },
    Param {
        name: "hz",
        alias: None,
        kind: Kind::Int { min: 1, max: 500 },
    },
    Param {
        name: "min-replicas-max-lag",
        alias: Some("min-slaves-max-lag"),
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "min-replicas-to-write",
        alias: Some("min-slaves-to-write"),
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "protected-mode",
        alias: None,
        kind: Kind::Bool,
    },
    Param {
        name: "repl-backlog-size",
        alias: None,
        kind: Kind::Bytes,
    },
    Param {
        name: "repl-backlog-ttl",
        alias: None,
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "repl-diskless-sync",
        alias: None,
        kind: Kind::Bool,
    },
    Param {
        name: "repl-diskless-sync-delay",
        alias: None,
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "repl-diskless-sync-max-replicas",
        alias: None,
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "repl-ping-replica-period",
        alias: Some("repl-ping-slave-period"),
        kind: Kind::Int {
            min: 1,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "repl-timeout",
        alias: None,
        kind: Kind::Int {
            min: 1,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "replica-announced",
        alias: None,
        kind: Kind::Bool,
    },
    Param {
        name: "replica-lazy-flush",
        alias: Some("slave-lazy-flush"),
        kind: Kind::Bool,
    },
    Param {
        name: "replica-priority",
        alias: Some("slave-priority"),
        kind: Kind::Int {
            min: 0,
            max: i32::MAX as u64,
        },
    },
    Param {
        name: "replica-read-only",
        alias: Some("slave-read-only"),
        kind: Kind::Bool,
    },
    Param {
        name: "replica-serve-stale-data",
        alias: Some("slave-serve-stale-data"),
        kind: Kind::Bool,
    },
];

/// Parses a Redis memory value: `123`, `1k` (1000), `1kb` (1024), `1mb`, `1gb`.
pub fn parse_memory(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let (num, mul) = [
        ("gb", 1u64 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1000),
        ("b", 1),
    ]
    .iter()
    .find_map(|(suffix, mul)| lower.strip_suffix(suffix).map(|n| (n, *mul)))
    .unwrap_or((lower.as_str(), 1));
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    num.parse::<u64>().ok()?.checked_mul(mul)
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
            Kind::Bytes | Kind::Int { .. } => c.int_slot(p.name).map_or(0, |v| *v).to_string(),
            Kind::BufferLimits => {
                let r = self.client_output_buffer_limit_replica;
                let s = self.client_output_buffer_limit_pubsub;
                format!(
                    "normal 0 0 0 slave {} {} {} pubsub {} {} {}",
                    r.hard_bytes,
                    r.soft_bytes,
                    r.soft_seconds,
                    s.hard_bytes,
                    s.soft_bytes,
                    s.soft_seconds
                )
            }
        }
    }

    /// CONFIG GET: (name, value) pairs whose names match the glob `pattern`,
    /// in the order Redis 7 returns them (the order of its config table).
    pub fn config_get(&self, pattern: &[u8]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for p in PARAMS {
            let alias_hit = p
                .alias
                .filter(|a| crate::data::glob_match(pattern, a.as_bytes(), true));
            if crate::data::glob_match(pattern, p.name.as_bytes(), true) {
                out.push((p.name.to_string(), self.get(p)));
            } else if let Some(a) = alias_hit {
                out.push((a.to_string(), self.get(p)));
            }
        }
        out
    }

    /// CONFIG SET of one parameter; the error is Redis's text after `ERR `.
    pub fn config_set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let lname = name.to_ascii_lowercase();
        let Some(p) = PARAMS
            .iter()
            .find(|p| p.name == lname || p.alias == Some(lname.as_str()))
        else {
            return Err(format!(
                "Unknown option or number of arguments for CONFIG SET - '{name}'"
            ));
        };
        let fail = |why: &str| {
            format!("CONFIG SET failed (possibly related to argument '{name}') - {why}")
        };
        match p.kind {
            Kind::Bool => {
                let v = match value.to_ascii_lowercase().as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(fail("argument must be 'yes' or 'no'")),
                };
                if let Some(slot) = self.bool_slot(p.name) {
                    *slot = v;
                }
            }
            Kind::Bytes => {
                let v =
                    parse_memory(value).ok_or_else(|| fail("argument must be a memory value"))?;
                if let Some(slot) = self.int_slot(p.name) {
                    *slot = v;
                }
            }
            Kind::Int { min, max } => {
                let v: i64 = value
                    .parse()
                    .map_err(|_| fail("argument couldn't be parsed into an integer"))?;
                if v < min as i64 || v > max as i64 {
                    return Err(fail(&format!(
                        "argument must be between {min} and {max} inclusive"
                    )));
                }
                if let Some(slot) = self.int_slot(p.name) {
                    *slot = v as u64;
                }
            }
            Kind::BufferLimits => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if parts.is_empty() || parts.len() % 4 != 0 {
                    return Err(fail(
                        "Wrong number of arguments in buffer limit configuration.",
                    ));
                }
                let mut next = self.clone();
                for chunk in parts.chunks(4) {
                    let class = chunk[0].to_ascii_lowercase();
                    let hard = parse_memory(chunk[1]);
                    let soft = parse_memory(chunk[2]);
                    let secs = chunk[3].parse::<u64>().ok();
                    let (Some(hard), Some(soft), Some(secs)) = (hard, soft, secs) else {
                        return Err(fail("Error in hard, soft or soft_seconds setting in buffer limit configuration."));
                    };
                    let lim = BufferLimit {
                        hard_bytes: hard,
                        soft_bytes: soft,
                        soft_seconds: secs,
                    };
                    match class.as_str() {
                        "normal" => {}
                        "slave" | "replica" => next.client_output_buffer_limit_replica = lim,
                        "pubsub" => next.client_output_buffer_limit_pubsub = lim,
                        _ => {
                            return Err(fail(
                                "Invalid client class specified in buffer limit configuration.",
                            ))
                        }
                    }
                }
                *self = next;
            }
        }
        Ok(())
    }

    /// The settings that differ from Redis's defaults, as `redis.conf` lines.
    pub fn to_conf_lines(&self, profile: Profile) -> Vec<String> {
        let base = RedisConf::for_profile(profile);
        let mut lines = Vec::new();
        for p in PARAMS {
            let (v, d) = (self.get(p), base.get(p));
            if v != d {
                lines.push(match p.kind {
                    Kind::BufferLimits => {
                        let r = self.client_output_buffer_limit_replica;
                        format!(
                            "client-output-buffer-limit replica {} {} {}",
                            r.hard_bytes, r.soft_bytes, r.soft_seconds
                        )
                    }
                    _ => format!("{} {}", p.name, v),
                });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units_follow_redis() {
        assert_eq!(parse_memory("1mb"), Some(1 << 20));
        assert_eq!(parse_memory("1m"), Some(1_000_000));
        assert_eq!(parse_memory("16384"), Some(16384));
        assert_eq!(parse_memory("-1"), None);
        assert_eq!(parse_memory("mb"), None);
    }

    #[test]
    fn config_set_validates_and_get_prints_bytes() {
        let mut c = RedisConf::default();
        assert!(c.config_set("repl-backlog-size", "2mb").is_ok());
        assert_eq!(
            c.config_get(b"repl-backlog-size"),
            vec![("repl-backlog-size".into(), "2097152".into())]
        );
        assert_eq!(
            c.config_set("repl-timeout", "abc").unwrap_err(),
            "CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"
        );
        assert!(c
            .config_set("nope", "1")
            .unwrap_err()
            .starts_with("Unknown option"));
        assert!(c
            .config_set("client-output-buffer-limit", "replica 1mb 512kb 10")
            .is_ok());
        assert_eq!(c.client_output_buffer_limit_replica.soft_bytes, 512 * 1024);
    }
}
