//! The keyspace of one Redis database, and the key lookups that apply the
//! expiry rules (mirrors `lookupKey` / `expireIfNeeded` / `keyIsExpired` in
//! db.c).
//!
//! TTLs are absolute unix milliseconds on the node's own clock. A key is
//! logically expired when `now_ms > expire_at_ms`. What happens then depends
//! on who asks (`ExecEnv`):
//! - master: the key is deleted, `expired_keys` counts it, and `DEL key` is
//!   propagated (only the DEL, never the read that found it);
//! - replica (3.2+ profiles): reads answer "missing" but the key stays until
//!   the master's DEL arrives (DBSIZE still counts it); commands from the
//!   master see every key; on a writable 7.0 replica a write lookup deletes
//!   the expired key locally;
//! - replica under the 3.0 profile: reads return the stale value;
//! - while loading nothing is expired.
//!
//! Only ordered maps (`CowMap`, `BTreeSet`) are used: iteration order is the key order, so
//! every run is reproducible.

use std::collections::BTreeSet;

use super::effects::{DataStats, Effects};
use crate::cowmap::CowMap;
use crate::profile::Profile;

/// The role of the node executing a command, as the data layer needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Master,
    Replica { read_only: bool },
}

/// Everything about "who, when, where" that a command's semantics depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecEnv {
    /// The node's clock (simulated time plus its skew), unix ms. One snapshot
    /// per command, like `commandTimeSnapshot`.
    pub now_ms: i64,
    pub role: Role,
    /// The command arrived on the replication link from our master.
    pub from_master: bool,
    pub profile: Profile,
    /// The node is loading an RDB: nothing expires.
    pub loading: bool,
    /// A fresh random draw from the driver's RNG (RANDOMKEY).
    pub rand: u64,
}

impl ExecEnv {
    pub fn is_master(&self) -> bool {
        self.role == Role::Master
    }
    pub fn is_replica(&self) -> bool {
        !self.is_master()
    }
    /// `checkAlreadyExpired`: a TTL at or before now deletes the key at once
    /// only on a master that is not loading.
    pub fn deletes_past_ttl(&self, when_ms: i64) -> bool {
        when_ms <= self.now_ms && !self.loading && self.is_master()
    }
    /// A client (not the master link) of a writable replica sets a TTL: the
    /// replica must expire that key itself (`rememberSlaveKeyWithExpire`).
    pub(crate) fn tracks_replica_ttl(&self) -> bool {
        matches!(self.role, Role::Replica { read_only: false })
            && !self.from_master
            && self.profile != Profile::V3_0
    }
}

/// A key or a value in the keyspace: up to 16 bytes inline (most of them),
/// longer ones on the heap; 24 bytes either way, like a `Vec<u8>`.
pub type Bytes = smallvec::SmallVec<[u8; 16]>;

/// One key's value and TTL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub value: Bytes,
    /// Absolute unix ms; `None` = no TTL.
    pub expire_at_ms: Option<i64>,
}

/// One database. `PartialEq`/`Eq` compare the keyspace only (keys, values,
/// TTLs), not the expiry cursors or the writable-replica bookkeeping, so a
/// master and its replica compare equal when their data agree.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Shared between clones chunk by chunk (`CowMap`): snapshots and full
    /// syncs copy little.
    pub(crate) dict: CowMap<Bytes, Entry>,
    /// Keys that have a TTL (Redis's `db->expires`).
    pub(crate) expires: BTreeSet<Vec<u8>>,
    /// Active expire cycle resume point: the last key examined.
    pub(crate) expire_cursor: Option<Vec<u8>>,
    /// Keys given a TTL by clients of a writable replica (`slaveKeysWithExpire`).
    pub(crate) replica_keys_with_expire: BTreeSet<Vec<u8>>,
    pub(crate) replica_expire_cursor: Option<Vec<u8>>,
}

impl PartialEq for Db {
    fn eq(&self, other: &Db) -> bool {
        self.dict == other.dict
    }
}
impl Eq for Db {}

/// How a lookup treats a logically expired key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// `lookupKeyRead`: counts keyspace hits/misses.
    Read,
    /// `lookupKeyWrite`: no stats; deletes on writable 7.0 replicas.
    Write,
}

impl Db {
    pub fn new() -> Db {
        Db::default()
    }

    /// Number of keys, logically expired ones included (DBSIZE).
    pub fn len(&self) -> usize {
        self.dict.len()
    }
    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }
    /// Keys with a TTL (INFO keyspace `expires=`).
    pub fn expires_count(&self) -> usize {
        self.expires.len()
    }
    /// Keys a writable replica expires itself (INFO `slave_expires_tracked_keys`).
    pub fn replica_tracked_keys(&self) -> usize {
        self.replica_keys_with_expire.len()
    }

    /// Raw access without expiry semantics (UI, checkers, tests).
    pub fn get_entry(&self, key: &[u8]) -> Option<&Entry> {
        self.dict.get(key)
    }
    /// Every key in key order, with value and TTL (UI).
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> + '_ {
        self.dict.iter().map(|(k, e)| (k.as_slice(), e))
    }
    /// Whether `key` exists and is logically expired at `now_ms`.
    pub fn is_logically_expired(&self, key: &[u8], now_ms: i64) -> bool {
        self.dict
            .get(key)
            .and_then(|e| e.expire_at_ms)
            .is_some_and(|t| now_ms > t)
    }

    /// Stores a key as-is (RDB load, tests). Replaces any TTL.
    pub fn insert_raw(&mut self, key: &[u8], value: &[u8], expire_at_ms: Option<i64>) {
        self.dict.insert(
            Bytes::from_slice(key),
            Entry {
                value: Bytes::from_slice(value),
                expire_at_ms,
            },
        );
        if expire_at_ms.is_some() {
            self.expires.insert(key.to_vec());
        } else {
            self.expires.remove(key);
        }
    }

    /// Deletes every key (FLUSHDB, full sync).
    pub fn flush(&mut self) -> usize {
        let n = self.dict.len();
        self.dict.clear();
        self.expires.clear();
        self.expire_cursor = None;
        self.replica_keys_with_expire.clear();
        self.replica_expire_cursor = None;
        n
    }

    /// A master loading an RDB drops keys already expired (`rdbLoad`); returns
    /// how many (`rdb_last_load_keys_expired`).
    pub fn drop_expired_on_load(&mut self, now_ms: i64) -> u64 {
        let dead: Vec<Vec<u8>> = self
            .expires
            .iter()
            .filter(|k| self.is_logically_expired(k, now_ms))
            .cloned()
            .collect();
        for k in &dead {
            self.remove(k);
        }
        dead.len() as u64
    }

    /// DEBUG POPULATE: keys `prefix:0..count` with values `value:N` (cut or
    /// zero-padded to `size` bytes when `size > 0`); existing keys are kept.
    pub fn populate(&mut self, count: u64, prefix: &str, size: usize) {
        for j in 0..count {
            let key = Bytes::from_vec(format!("{prefix}:{j}").into_bytes());
            if self.dict.contains_key(key.as_slice()) {
                continue;
            }
            let mut value = Bytes::from_vec(format!("value:{j}").into_bytes());
            if size > 0 {
                value.resize(size, 0);
            }
            self.dict.insert(
                key,
                Entry {
                    value,
                    expire_at_ms: None,
                },
            );
        }
    }

    /// Average remaining TTL of keys with a TTL, in ms (INFO `avg_ttl`;
    /// exact here, where Redis keeps a sampled estimate).
    pub fn avg_ttl_ms(&self, now_ms: i64) -> i64 {
        let (mut sum, mut n) = (0i128, 0i128);
        for k in &self.expires {
            if let Some(t) = self.dict.get(k.as_slice()).and_then(|e| e.expire_at_ms) {
                if t > now_ms {
                    sum += i128::from(t) - i128::from(now_ms);
                    n += 1;
                }
            }
        }
        if n == 0 {
            0
        } else {
            i64::try_from(sum / n).unwrap_or(i64::MAX)
        }
    }

    /// FNV-1a over keys, values and TTLs in key order: equal digests mean
    /// equal keyspaces (for convergence checks).
    pub fn digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for (k, e) in self.dict.iter() {
            eat(&(k.len() as u64).to_le_bytes());
            eat(k);
            eat(&(e.value.len() as u64).to_le_bytes());
            eat(&e.value);
            match e.expire_at_ms {
                Some(t) => {
                    eat(&[1]);
                    eat(&t.to_le_bytes());
                }
                None => eat(&[0]),
            }
        }
        h
    }

    /// Estimated size of an RDB holding this db: header (`REDIS0010`, 9 bytes)
    /// plus aux fields (~100 bytes), SELECTDB and RESIZEDB (~8), per key a type
    /// byte and length-prefixed key and value, 9 bytes per TTL (opcode + 8-byte
    /// ms), EOF byte and an 8-byte checksum. An estimate: real RDBs encode
    /// integers and compress long strings.
    pub fn rdb_size_bytes(&self) -> u64 {
        fn len_prefix(n: usize) -> u64 {
            match n {
                0..=63 => 1,
                64..=16383 => 2,
                _ if n <= u32::MAX as usize => 5,
                _ => 9,
            }
        }
        let mut total: u64 = 9 + 100 + 8 + 1 + 8;
        for (k, e) in self.dict.iter() {
            total += 1
                + len_prefix(k.len())
                + k.len() as u64
                + len_prefix(e.value.len())
                + e.value.len() as u64;
            if e.expire_at_ms.is_some() {
                total += 9;
            }
        }
        total
    }

    // ---- internal mutation helpers -------------------------------------

    pub(crate) fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let e = self.dict.remove(key)?;
        if e.expire_at_ms.is_some() {
            self.expires.remove(key);
        }
        Some(e)
    }

    /// `setKey`: stores `value`, keeping the TTL only if `keep_ttl`. Reuses the
    /// key and value allocations when the key exists.
    pub(crate) fn set_value(&mut self, key: &[u8], value: &[u8], keep_ttl: bool) {
        if let Some(e) = self.dict.get_mut(key) {
            e.value.clear();
            e.value.extend_from_slice(value);
            if !keep_ttl && e.expire_at_ms.take().is_some() {
                self.expires.remove(key);
            }
        } else {
            self.dict.insert(
                Bytes::from_slice(key),
                Entry {
                    value: Bytes::from_slice(value),
                    expire_at_ms: None,
                },
            );
        }
    }

    /// A key that exists and is not logically expired (or nothing expires
    /// now): every lookup would see it, with no side effects. The fast path
    /// of reads and writes (one tree walk instead of two).
    pub(crate) fn live_entry(&self, key: &[u8], env: &ExecEnv) -> Option<&Entry> {
        self.dict
            .get(key)
            .filter(|e| env.loading || e.expire_at_ms.is_none_or(|t| env.now_ms <= t))
    }

    /// Overwrites the value of a key that exists and is live (`live_entry`)
    /// in place and applies `ttl` (`None` = drop any TTL, `Some(ms)` = set
    /// it), touching the expires index only when the key's volatility
    /// changes: the fast path of a plain SET, in one tree walk. False,
    /// changing nothing, if the key is missing or logically expired (the
    /// caller then takes the path that applies lazy expiry).
    pub(crate) fn overwrite_live(
        &mut self,
        key: &[u8],
        value: &[u8],
        ttl: Option<i64>,
        env: &ExecEnv,
    ) -> bool {
        let Some(e) = self.dict.get_mut(key) else {
            return false;
        };
        if !(env.loading || e.expire_at_ms.is_none_or(|t| env.now_ms <= t)) {
            return false;
        }
        e.value.clear();
        e.value.extend_from_slice(value);
        let was_volatile = std::mem::replace(&mut e.expire_at_ms, ttl).is_some();
        match (was_volatile, ttl.is_some()) {
            (true, false) => {
                self.expires.remove(key);
            }
            (false, true) => {
                self.expires.insert(key.to_vec());
            }
            _ => {}
        }
        if ttl.is_some() && env.tracks_replica_ttl() && !self.replica_keys_with_expire.contains(key)
        {
            self.replica_keys_with_expire.insert(key.to_vec());
        }
        true
    }

    /// `setExpire` on an existing key.
    pub(crate) fn set_expire(&mut self, key: &[u8], when_ms: i64, env: &ExecEnv) {
        if let Some(e) = self.dict.get_mut(key) {
            if e.expire_at_ms.replace(when_ms).is_none() {
                self.expires.insert(key.to_vec());
            }
            if env.tracks_replica_ttl() && !self.replica_keys_with_expire.contains(key) {
                self.replica_keys_with_expire.insert(key.to_vec());
            }
        }
    }

    /// `removeExpire`: true if the key had a TTL.
    pub(crate) fn remove_expire(&mut self, key: &[u8]) -> bool {
        let had = self
            .dict
            .get_mut(key)
            .is_some_and(|e| e.expire_at_ms.take().is_some());
        if had {
            self.expires.remove(key);
        }
        had
    }

    /// `keyIsExpired` (no side effects).
    pub(crate) fn key_is_expired(&self, key: &[u8], env: &ExecEnv) -> bool {
        !env.loading && self.is_logically_expired(key, env.now_ms)
    }

    /// Deletes an expired key and propagates its DEL on a master
    /// (`deleteExpiredKeyAndPropagate`).
    pub(crate) fn delete_expired(
        &mut self,
        key: &[u8],
        env: &ExecEnv,
        fx: &mut Effects,
        stats: &mut DataStats,
    ) {
        if self.remove(key).is_some() {
            stats.expired_keys += 1;
            fx.expired(key);
            if env.is_master() {
                fx.propagate.push(vec![b"DEL".to_vec(), key.to_vec()]);
            }
        }
    }

    /// `expireIfNeeded`: true if the key is (now) to be treated as missing.
    /// `force_delete` is set for write lookups on writable 7.0 replicas.
    pub(crate) fn expire_if_needed(
        &mut self,
        key: &[u8],
        env: &ExecEnv,
        force_delete: bool,
        fx: &mut Effects,
        stats: &mut DataStats,
    ) -> bool {
        if !self.key_is_expired(key, env) {
            return false;
        }
        if env.is_replica() {
            if env.from_master {
                return false;
            }
            if !force_delete {
                return true;
            }
        }
        self.delete_expired(key, env, fx, stats);
        true
    }

    /// `lookupKey*`: whether the key is visible to this access, applying lazy
    /// expiry. Profiles: a 3.0 replica shows stale values to reads; a 6.2
    /// replica shows them to writes; a writable 7.0 replica deletes them on
    /// writes.
    pub(crate) fn lookup(
        &mut self,
        key: &[u8],
        env: &ExecEnv,
        access: Access,
        fx: &mut Effects,
        stats: &mut DataStats,
    ) -> bool {
        let exists = match self.dict.get(key) {
            None => false,
            Some(e) => match e.expire_at_ms {
                None => true,
                Some(_) => {
                    let stale_visible = env.is_replica()
                        && !env.from_master
                        && self.key_is_expired(key, env)
                        && match access {
                            Access::Read => env.profile == Profile::V3_0,
                            Access::Write => env.profile != Profile::V7_0,
                        };
                    if stale_visible {
                        true
                    } else {
                        let force = access == Access::Write
                            && env.role == (Role::Replica { read_only: false });
                        !self.expire_if_needed(key, env, force, fx, stats)
                    }
                }
            },
        };
        if access == Access::Read {
            if exists {
                stats.keyspace_hits += 1;
            } else {
                stats.keyspace_misses += 1;
            }
        }
        exists
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn env(now_ms: i64, role: Role, profile: Profile) -> ExecEnv {
        ExecEnv {
            now_ms,
            role,
            from_master: false,
            profile,
            loading: false,
            rand: 0,
        }
    }

    #[test]
    fn equality_and_digest_ignore_cursors_and_follow_data() {
        let mut a = Db::new();
        a.insert_raw(b"k", b"v", Some(10));
        let mut b = a.clone();
        b.expire_cursor = Some(b"k".to_vec());
        assert_eq!(a, b);
        assert_eq!(a.digest(), b.digest());
        b.insert_raw(b"k", b"v", Some(11));
        assert_ne!(a, b);
        assert_ne!(a.digest(), b.digest());
        b.insert_raw(b"k", b"v", None);
        assert_eq!(b.expires_count(), 0);
    }

    #[test]
    fn master_lookup_of_expired_key_deletes_and_propagates_del() {
        let mut db = Db::new();
        db.insert_raw(b"k", b"v", Some(1000));
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        let e = env(1000, Role::Master, Profile::V7_0);
        assert!(
            db.lookup(b"k", &e, Access::Read, &mut fx, &mut st),
            "now == expire time is not yet expired"
        );
        let e = env(1001, Role::Master, Profile::V7_0);
        assert!(!db.lookup(b"k", &e, Access::Read, &mut fx, &mut st));
        assert_eq!(db.len(), 0);
        assert_eq!(st.expired_keys, 1);
        assert_eq!((st.keyspace_hits, st.keyspace_misses), (1, 1));
        assert_eq!(fx.propagate, vec![vec![b"DEL".to_vec(), b"k".to_vec()]]);
        assert_eq!(fx.expired_keys().collect::<Vec<_>>(), ["k"]);
    }

    #[test]
    fn nothing_expires_while_loading() {
        let mut db = Db::new();
        db.insert_raw(b"k", b"v", Some(1000));
        let (mut fx, mut st) = (Effects::default(), DataStats::default());
        let mut e = env(5000, Role::Master, Profile::V7_0);
        e.loading = true;
        assert!(db.lookup(b"k", &e, Access::Read, &mut fx, &mut st));
        assert!(fx.propagate.is_empty());
    }

    #[test]
    fn rdb_size_estimate_grows_with_keys_and_ttls() {
        let mut db = Db::new();
        let empty = db.rdb_size_bytes();
        db.insert_raw(b"key", b"value", None);
        assert_eq!(db.rdb_size_bytes(), empty + 1 + 1 + 3 + 1 + 5);
        db.insert_raw(b"key", b"value", Some(1));
        assert_eq!(db.rdb_size_bytes(), empty + 11 + 9);
    }

    #[test]
    fn populate_and_avg_ttl() {
        let mut db = Db::new();
        db.populate(3, "key", 0);
        assert_eq!(db.get_entry(b"key:2").unwrap().value[..], b"value:2"[..]);
        db.populate(1, "p", 10);
        assert_eq!(
            db.get_entry(b"p:0").unwrap().value[..],
            b"value:0\0\0\0"[..]
        );
        db.insert_raw(b"a", b"1", Some(2000));
        db.insert_raw(b"b", b"1", Some(4000));
        assert_eq!(db.avg_ttl_ms(1000), 2000);
        assert_eq!(db.drop_expired_on_load(3000), 1);
        assert_eq!(db.len(), 5);
    }
}
