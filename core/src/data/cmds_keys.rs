//! Keyspace commands: DEL/UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY,
//! FLUSHALL/FLUSHDB, SELECT, PING (db.c, server.c).
//!
//! SCAN cursors here are positions in key order (0 = start, returned 0 =
//! done), not Redis's reverse-binary bucket cursors. Keys deleted by lazy
//! expiry during a SCAN call are accounted for, so the next call resumes at
//! the right key; keys added or removed by other commands between calls may
//! shift positions (Redis guarantees more: every key present for the whole
//! iteration is returned).

use super::cmds::{eq_ci, Ctx, Prop};
use super::db::Access;
use super::errors::{DB_INDEX_OUT_OF_RANGE, INVALID_CURSOR, NOT_INT, SYNTAX};
use super::glob::glob_match;
use super::num::{parse_i64, parse_scan_cursor};
use super::reply::Reply;
use crate::profile::Profile;

/// Number of databases (`databases 16`).
pub const NUM_DBS: i64 = 16;

pub(crate) fn ping(cx: &mut Ctx) -> (Reply, Prop) {
    match cx.argv.len() {
        1 => (Reply::status("PONG"), Prop::None),
        2 => (Reply::Bulk(cx.argv[1].clone()), Prop::None),
        _ => (cx.arity_err(), Prop::None),
    }
}

/// DEL and UNLINK (`delGenericCommand`).
pub(crate) fn del(cx: &mut Ctx) -> (Reply, Prop) {
    let mut n = 0;
    for key in &cx.argv[1..] {
        cx.db.expire_if_needed(key, cx.env, false, cx.fx, cx.stats);
        if cx.db.remove(key).is_some() {
            cx.fx.deleted(key);
            n += 1;
        }
    }
    (
        Reply::Int(n),
        if n > 0 { Prop::AsTyped } else { Prop::None },
    )
}

pub(crate) fn exists(cx: &mut Ctx) -> (Reply, Prop) {
    let mut n = 0;
    for key in &cx.argv[1..] {
        if cx.db.lookup(key, cx.env, Access::Read, cx.fx, cx.stats) {
            n += 1;
        }
    }
    (Reply::Int(n), Prop::None)
}

pub(crate) fn type_(cx: &mut Ctx) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    let t = if cx.db.lookup(key, cx.env, Access::Read, cx.fx, cx.stats) {
        "string"
    } else {
        "none"
    };
    (Reply::status(t), Prop::None)
}

/// Whether KEYS/SCAN skip `key` (and, where Redis does, expire it).
fn filtered_as_expired(cx: &mut Ctx, key: &[u8], scan: bool) -> bool {
    // 7.0/6.2 KEYS only checks `keyIsExpired`; SCAN (and 3.0 KEYS) call
    // `expireIfNeeded`, which deletes on a master.
    if scan || cx.env.profile == Profile::V3_0 {
        cx.db.expire_if_needed(key, cx.env, false, cx.fx, cx.stats)
    } else {
        cx.db.key_is_expired(key, cx.env)
    }
}

pub(crate) fn keys(cx: &mut Ctx) -> (Reply, Prop) {
    let pat = cx.argv[1].as_slice();
    let all = pat == b"*";
    let candidates: Vec<Vec<u8>> = cx
        .db
        .dict
        .keys()
        .filter(|k| all || glob_match(pat, k, false))
        .map(|k| k.to_vec())
        .collect();
    let mut out = Vec::with_capacity(candidates.len());
    for k in candidates {
        let volatile = cx
            .db
            .get_entry(&k)
            .is_some_and(|e| e.expire_at_ms.is_some());
        if volatile && filtered_as_expired(cx, &k, false) {
            continue;
        }
        out.push(Reply::Bulk(k));
    }
    (Reply::Array(out), Prop::None)
}

pub(crate) fn scan(cx: &mut Ctx) -> (Reply, Prop) {
    let argv = cx.argv;
    let Some(cursor) = parse_scan_cursor(&argv[1]) else {
        return (Reply::err(INVALID_CURSOR), Prop::None);
    };
    let (mut count, mut pat, mut typ): (u64, Option<&[u8]>, Option<&[u8]>) = (10, None, None);
    let mut i = 2;
    while i < argv.len() {
        let has_value = i + 1 < argv.len();
        if eq_ci(&argv[i], "count") && has_value {
            match parse_i64(&argv[i + 1]) {
                None => return (Reply::err(NOT_INT), Prop::None),
                Some(c) if c < 1 => return (Reply::err(SYNTAX), Prop::None),
                Some(c) => count = c as u64,
            }
        } else if eq_ci(&argv[i], "match") && has_value {
            pat = Some(argv[i + 1].as_slice()).filter(|p| *p != b"*");
        } else if eq_ci(&argv[i], "type") && has_value {
            typ = Some(argv[i + 1].as_slice());
        } else {
            return (Reply::err(SYNTAX), Prop::None);
        }
        i += 2;
    }
    let len = cx.db.len() as u64;
    if cursor >= len {
        return (scan_reply(0, Vec::new()), Prop::None);
    }
    let take = usize::try_from(count.min(len - cursor)).unwrap_or(usize::MAX);
    let window: Vec<Vec<u8>> = cx
        .db
        .dict
        .keys()
        .skip(cursor as usize)
        .take(take)
        .map(|k| k.to_vec())
        .collect();
    let examined = window.len() as u64;
    let mut out = Vec::new();
    let mut vanished = 0u64;
    for k in window {
        let wanted =
            pat.is_none_or(|p| glob_match(p, &k, false)) && typ.is_none_or(|t| eq_ci(t, "string"));
        let volatile = cx
            .db
            .get_entry(&k)
            .is_some_and(|e| e.expire_at_ms.is_some());
        if volatile && filtered_as_expired(cx, &k, true) {
            if cx.db.get_entry(&k).is_none() {
                vanished += 1;
            }
            continue;
        }
        if wanted {
            out.push(Reply::Bulk(k));
        }
    }
    let next = cursor + examined - vanished;
    let next = if next >= cx.db.len() as u64 { 0 } else { next };
    (scan_reply(next, out), Prop::None)
}

fn scan_reply(next: u64, keys: Vec<Reply>) -> Reply {
    Reply::Array(vec![
        Reply::Bulk(next.to_string().into_bytes()),
        Reply::Array(keys),
    ])
}

/// RANDOMKEY (`dbRandomKey`): starts at a position drawn from `env.rand` and
/// walks forward in key order (wrapping) to the first key that is not
/// expired; a master deletes the expired keys it walks over. If every key
/// is logically expired, a replica returns the first one anyway (Redis gives
/// up after 100 tries and does the same).
pub(crate) fn randomkey(cx: &mut Ctx) -> (Reply, Prop) {
    let len = cx.db.len();
    if len == 0 {
        return (Reply::Nil, Prop::None);
    }
    let start_i = usize::try_from(cx.env.rand % len as u64).unwrap_or(0);
    let Some(start) = cx.db.dict.keys().nth(start_i).map(|k| k.to_vec()) else {
        return (Reply::Nil, Prop::None);
    };
    let mut key = start.clone();
    for _ in 0..len {
        let volatile = cx
            .db
            .get_entry(&key)
            .is_some_and(|e| e.expire_at_ms.is_some());
        if !volatile || !cx.db.expire_if_needed(&key, cx.env, false, cx.fx, cx.stats) {
            return (Reply::Bulk(key), Prop::None);
        }
        let next = cx
            .db
            .dict
            .iter_after(key.as_slice())
            .next()
            .or_else(|| cx.db.dict.iter().next())
            .map(|(k, _)| k.to_vec());
        match next {
            Some(n) if n != start => key = n,
            _ => break,
        }
    }
    if cx.env.is_replica() && cx.db.get_entry(&start).is_some() {
        return (Reply::Bulk(start), Prop::None);
    }
    (Reply::Nil, Prop::None)
}

/// FLUSHALL / FLUSHDB [ASYNC|SYNC]: always propagated as typed. With one db
/// per call, FLUSHALL empties the db given; a node with several dbs must
/// flush the others itself.
pub(crate) fn flush(cx: &mut Ctx) -> (Reply, Prop) {
    let argv = cx.argv;
    if argv.len() > 2 || (argv.len() == 2 && !eq_ci(&argv[1], "async") && !eq_ci(&argv[1], "sync"))
    {
        return (Reply::err(SYNTAX), Prop::None);
    }
    if cx.fx.trace_writes {
        let keys: Vec<Vec<u8>> = cx.db.dict.keys().map(|k| k.to_vec()).collect();
        for k in keys {
            cx.fx.deleted(&k);
        }
    }
    cx.db.flush();
    (Reply::ok(), Prop::AsTyped)
}

/// SELECT: validates the index (0..16). The node switches the client's db.
pub(crate) fn select(cx: &mut Ctx) -> (Reply, Prop) {
    match parse_i64(&cx.argv[1]).filter(|i| i32::try_from(*i).is_ok()) {
        None => (Reply::err(NOT_INT), Prop::None),
        Some(i) if !(0..NUM_DBS).contains(&i) => (Reply::err(DB_INDEX_OUT_OF_RANGE), Prop::None),
        Some(_) => (Reply::ok(), Prop::None),
    }
}
