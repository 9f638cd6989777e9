//! Redis version profiles: which era of Redis a node behaves like.
//!
//! Only behaviours that a learner can observe in this lab differ between profiles.
//! docs/simplifications.md lists every difference; keep the two in step.

use serde::{Deserialize, Serialize};

/// The era of Redis a node imitates.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub enum Profile {
    /// Redis 3.0: replicas return logically expired values; TTL commands are
    /// propagated as typed (relative); PSYNC1 only (replid = run id, no replid2).
    #[serde(rename = "3.0")]
    V3_0,
    /// Redis 3.2 to 6.2: replicas hide logically expired keys; TTL commands
    /// are propagated relative (as typed); PSYNC2 (replid2).
    #[serde(rename = "6.2")]
    V6_2,
    /// Redis 7.0: every TTL is propagated as an absolute `PEXPIREAT` /
    /// `SET ... PXAT`; a TTL already in the past becomes `DEL`.
    #[serde(rename = "7.0")]
    #[default]
    V7_0,
}

impl Profile {
    /// Replicas answer reads of logically expired keys as missing (3.2+).
    pub fn replica_hides_expired(self) -> bool {
        self != Profile::V3_0
    }
    /// TTLs go to replicas as absolute unix-ms times (7.0+).
    pub fn absolute_ttl_propagation(self) -> bool {
        self == Profile::V7_0
    }
    /// PSYNC2: replid/replid2 survive promotion (4.0+).
    pub fn psync2(self) -> bool {
        self != Profile::V3_0
    }
    /// `repl-diskless-sync` default: yes since 7.0.
    pub fn diskless_sync_default(self) -> bool {
        self == Profile::V7_0
    }
    /// The version string INFO server prints.
    pub fn redis_version(self) -> &'static str {
        match self {
            Profile::V3_0 => "3.0.7",
            Profile::V6_2 => "6.2.14",
            Profile::V7_0 => "7.0.15",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Profile::V3_0 => "3.0",
            Profile::V6_2 => "6.2",
            Profile::V7_0 => "7.0",
        }
    }
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "3.0" => Some(Profile::V3_0),
            "6.2" | "3.2" | "4.0" | "5.0" | "6.0" => Some(Profile::V6_2),
            "7.0" | "7" | "7.2" => Some(Profile::V7_0),
            _ => None,
        }
    }
}
