//! WATCH/UNWATCH and optimistic locking (`multi.c`): a client's watched keys
//! are "touched" by every modification of them by any client, by expiry
//! (lazy or active), by FLUSHALL/FLUSHDB, by a replica's applied stream and
//! by loading a full sync; EXEC of a client whose watched key was touched,
//! or has expired since WATCH, answers a null array and runs nothing.

use crate::data::{self, Argv, Db, Reply};

use super::{Client, RedisNode};

/// The keys one client watches: (key, already logically expired at WATCH).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watched {
    pub keys: Vec<(Vec<u8>, bool)>,
    /// `CLIENT_DIRTY_CAS`: a watched key was touched.
    pub dirty: bool,
}

impl Watched {
    pub fn clear(&mut self) {
        self.keys.clear();
        self.dirty = false;
    }

    /// `touchWatchedKey` for one client. `exists` says whether the key is in
    /// the keyspace now.
    fn touch(&mut self, key: &[u8], exists: bool) {
        let Some(i) = self.keys.iter().position(|(k, _)| k == key) else {
            return;
        };
        if self.keys[i].1 && !exists {
            // It was already expired at WATCH and is now deleted: logically no change.
            self.keys[i].1 = false;
            return;
        }
        self.dirty = true;
        self.keys.clear();
    }
}

/// The keys a write command modifies (none for other commands).
fn written_keys(argv: &Argv) -> Vec<Vec<u8>> {
    match data::lookup_argv(argv) {
        Some(spec) if spec.is_write() => spec
            .key_positions(argv.len())
            .into_iter()
            .map(|i| argv[i].clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// FLUSHALL / FLUSHDB: call `touch_flush` before running them.
pub(crate) fn is_flush(argv: &Argv) -> bool {
    data::lookup_argv(argv)
        .is_some_and(|s| matches!(s.id, data::CmdId::Flushall | data::CmdId::Flushdb))
}

impl RedisNode {
    fn watchers(&mut self) -> impl Iterator<Item = &mut Watched> + '_ {
        self.clients
            .values_mut()
            .chain(std::iter::once(&mut self.console))
            .map(|c| &mut c.watch)
            .filter(|w| !w.keys.is_empty())
    }

    /// Touches the keys of executed write commands, for every client and for
    /// `current` (the client running them, out of the client table meanwhile).
    pub(super) fn touch_watched(&mut self, cmds: &[Argv], current: Option<&mut Client>) {
        if self.nobody_watches(current.as_deref()) {
            return;
        }
        let keys = cmds.iter().flat_map(written_keys).collect();
        self.touch_keys(keys, current);
    }

    fn nobody_watches(&mut self, current: Option<&Client>) -> bool {
        current.is_none_or(|c| c.watch.keys.is_empty()) && self.watchers().next().is_none()
    }

    /// Before a FLUSHALL/FLUSHDB (`touchAllWatchedKeysInDb`): the watched keys
    /// that exist are touched.
    pub(super) fn touch_flush(&mut self, current: Option<&mut Client>) {
        let keys = self.watched_existing_in(None, current.as_deref());
        self.touch_keys(keys, current);
    }

    fn touch_keys(&mut self, keys: Vec<Vec<u8>>, mut current: Option<&mut Client>) {
        for key in keys {
            let exists = self.db.get_entry(&key).is_some();
            for w in self.watchers() {
                w.touch(&key, exists);
            }
            if let Some(c) = current.as_deref_mut() {
                c.watch.touch(&key, exists);
            }
        }
    }

    /// Watched keys present in our keyspace or in `other` (a full sync's).
    fn watched_existing_in(&self, other: Option<&Db>, current: Option<&Client>) -> Vec<Vec<u8>> {
        let db = &self.db;
        let mut out: Vec<Vec<u8>> = Vec::new();
        let mut add = |w: &Watched| {
            for (k, _) in &w.keys {
                let present =
                    db.get_entry(k).is_some() || other.is_some_and(|o| o.get_entry(k).is_some());
                if present && !out.contains(k) {
                    out.push(k.clone());
                }
            }
        };
        for c in self.clients.values().chain([&self.console]).chain(current) {
            add(&c.watch);
        }
        out
    }

    /// A full sync replaces the keyspace: touches watched keys in either one.
    pub(super) fn touch_watched_for_load(&mut self, incoming: &Db) {
        let keys = self.watched_existing_in(Some(incoming), None);
        for key in keys {
            for w in self.watchers() {
                w.touch(&key, true);
            }
        }
    }

    /// WATCH key [key ...].
    pub(super) fn watch_command(&mut self, client: &mut Client, argv: &Argv, now_ms: i64) -> Reply {
        if client.multi.is_some() {
            return Reply::err(data::WATCH_IN_MULTI);
        }
        for key in &argv[1..] {
            if !client.watch.keys.iter().any(|(k, _)| k == key) {
                let expired = self.db.is_logically_expired(key, now_ms);
                client.watch.keys.push((key.clone(), expired));
            }
        }
        Reply::ok()
    }

    /// `isWatchedKeyExpired` or a touch: EXEC must fail.
    pub(super) fn watch_failed(&self, client: &Client, now_ms: i64) -> bool {
        client.watch.dirty
            || client
                .watch
                .keys
                .iter()
                .any(|(k, was_expired)| !was_expired && self.db.is_logically_expired(k, now_ms))
    }
}
