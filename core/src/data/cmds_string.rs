//! String commands: SET and friends, GET/GETDEL/GETEX, MGET/MSET, INCR
//! family, APPEND, STRLEN (t_string.c).

use super::argv::Argv;
use super::cmds::{del_argv, eq_ci, Ctx, Prop};
use super::db::Access;
use super::errors::{
    invalid_expire, wrong_args, DECR_OVERFLOW, NOT_INT, OVERFLOW, PROTO_MAX_BULK_LEN,
    STRING_TOO_LONG, SYNTAX,
};
use super::num::{fmt_i64, parse_i64};
use super::reply::Reply;
use crate::profile::Profile;

/// The unit of a TTL option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Ex,
    Px,
    Exat,
    Pxat,
}

impl Unit {
    fn seconds(self) -> bool {
        matches!(self, Unit::Ex | Unit::Exat)
    }
    fn relative(self) -> bool {
        matches!(self, Unit::Ex | Unit::Px)
    }
}

#[derive(Default)]
struct Flags<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    expire: Option<(Unit, &'a [u8])>,
}

/// `parseExtendedStringArgumentsOrReply` for SET (`is_set`) or GETEX.
fn parse_flags<'a>(argv: &'a [Vec<u8>], start: usize, is_set: bool) -> Result<Flags<'a>, Reply> {
    let mut f = Flags::default();
    let mut j = start;
    while j < argv.len() {
        let opt = argv[j].as_slice();
        let next = argv.get(j + 1).map(Vec::as_slice);
        let unit = f.expire.map(|(u, _)| u);
        let no_other_unit = |u: Unit| unit.is_none() || unit == Some(u);
        if is_set && eq_ci(opt, "nx") && !f.xx {
            f.nx = true;
        } else if is_set && eq_ci(opt, "xx") && !f.nx {
            f.xx = true;
        } else if is_set && eq_ci(opt, "get") {
            f.get = true;
        } else if is_set && eq_ci(opt, "keepttl") && !f.persist && unit.is_none() {
            f.keepttl = true;
        } else if !is_set && eq_ci(opt, "persist") && unit.is_none() && !f.keepttl {
            f.persist = true;
        } else if let (Some(u), Some(n)) = (unit_of(opt), next) {
            if f.keepttl || f.persist || !no_other_unit(u) {
                return Err(Reply::err(SYNTAX));
            }
            f.expire = Some((u, n));
            j += 1;
        } else {
            return Err(Reply::err(SYNTAX));
        }
        j += 1;
    }
    Ok(f)
}

fn unit_of(opt: &[u8]) -> Option<Unit> {
    if eq_ci(opt, "ex") {
        Some(Unit::Ex)
    } else if eq_ci(opt, "px") {
        Some(Unit::Px)
    } else if eq_ci(opt, "exat") {
        Some(Unit::Exat)
    } else if eq_ci(opt, "pxat") {
        Some(Unit::Pxat)
    } else {
        None
    }
}

/// `getExpireMillisecondsOrReply`: (absolute ms, ms as given in ms units).
fn expire_ms(arg: &[u8], unit: Unit, now_ms: i64, cmd: &str) -> Result<(i64, i64), Reply> {
    let v = parse_i64(arg).ok_or_else(|| Reply::err(NOT_INT))?;
    let invalid = || Reply::Error(invalid_expire(cmd));
    if v <= 0 || (unit.seconds() && v > i64::MAX / 1000) {
        return Err(invalid());
    }
    let ms = if unit.seconds() { v * 1000 } else { v };
    let abs = if unit.relative() {
        ms.checked_add(now_ms).ok_or_else(invalid)?
    } else {
        ms
    };
    if abs <= 0 {
        return Err(invalid());
    }
    Ok((abs, ms))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetKind {
    Set,
    Setex,
    Setnx,
}

fn set_generic(
    cx: &mut Ctx,
    kind: SetKind,
    f: &Flags,
    key_i: usize,
    val_i: usize,
    cmd: &str,
) -> (Reply, Prop) {
    let argv = cx.argv;
    let (key, val) = (argv[key_i].as_slice(), argv[val_i].as_slice());
    let exp = match f.expire {
        Some((u, a)) => match expire_ms(a, u, cx.env.now_ms, cmd) {
            Ok((abs, ms)) => Some((u, abs, ms)),
            Err(e) => return (e, Prop::None),
        },
        None => None,
    };
    // Fast path: a plain overwrite of a live key (one tree walk).
    let fast = !f.nx
        && !f.xx
        && !f.get
        && !f.keepttl
        && cx
            .db
            .overwrite_live(key, val, exp.map(|(_, abs, _)| abs), cx.env);
    if !fast {
        let mut old = Reply::Nil;
        if f.get {
            old = read_value(cx, key).map_or(Reply::Nil, Reply::Bulk);
        }
        let found = cx.db.lookup(key, cx.env, Access::Write, cx.fx, cx.stats);
        if (f.nx && found) || (f.xx && !found) {
            let r = match (f.get, kind) {
                (true, _) => old,
                (false, SetKind::Setnx) => Reply::Int(0),
                (false, _) => Reply::Nil,
            };
            return (r, Prop::None);
        }
        cx.db.set_value(key, val, f.keepttl);
        if let Some((_, abs, _)) = exp {
            cx.db.set_expire(key, abs, cx.env);
        }
        if f.get {
            cx.fx.set(key);
            return (old, set_prop(cx, f, exp, key, val));
        }
    }
    cx.fx.set(key);
    let reply = if kind == SetKind::Setnx {
        Reply::Int(1)
    } else {
        Reply::ok()
    };
    (reply, set_prop(cx, f, exp, key, val))
}

/// What a successful SET/SETEX/SETNX propagates, by profile.
fn set_prop(cx: &Ctx, f: &Flags, exp: Option<(Unit, i64, i64)>, key: &[u8], val: &[u8]) -> Prop {
    let argv = cx.argv;
    let set_with = |opt: &[u8], ms: i64| -> Prop {
        Prop::Rewritten(vec![
            b"SET".to_vec(),
            key.to_vec(),
            val.to_vec(),
            opt.to_vec(),
            fmt_i64(ms),
        ])
    };
    match (cx.env.profile, exp) {
        (Profile::V7_0, Some((_, abs, _))) => set_with(b"PXAT", abs),
        (Profile::V6_2, Some((u, abs, ms))) => {
            if u.relative() {
                set_with(b"PX", ms)
            } else {
                set_with(b"PXAT", abs)
            }
        }
        _ if f.get => Prop::Rewritten(strip_get(argv)),
        _ => Prop::AsTyped,
    }
}

/// The argv without its GET options (arguments from index 3 on).
fn strip_get(argv: &[Vec<u8>]) -> Argv {
    argv.iter()
        .enumerate()
        .filter(|(i, a)| *i < 3 || !eq_ci(a, "get"))
        .map(|(_, a)| a.clone())
        .collect()
}

pub(crate) fn set(cx: &mut Ctx) -> (Reply, Prop) {
    match parse_flags(cx.argv, 3, true) {
        Ok(f) => set_generic(cx, SetKind::Set, &f, 1, 2, "set"),
        Err(e) => (e, Prop::None),
    }
}

/// SETEX key seconds value / PSETEX key ms value.
pub(crate) fn setex(cx: &mut Ctx, ms: bool) -> (Reply, Prop) {
    let argv = cx.argv;
    let unit = if ms { Unit::Px } else { Unit::Ex };
    let f = Flags {
        expire: Some((unit, argv[2].as_slice())),
        ..Flags::default()
    };
    let (reply, prop) = set_generic(
        cx,
        SetKind::Setex,
        &f,
        1,
        3,
        if ms { "psetex" } else { "setex" },
    );
    // 3.0 propagated SETEX/PSETEX as typed.
    let prop = match (cx.env.profile, prop) {
        (Profile::V3_0, Prop::Rewritten(_)) => Prop::AsTyped,
        (_, p) => p,
    };
    (reply, prop)
}

pub(crate) fn setnx(cx: &mut Ctx) -> (Reply, Prop) {
    let f = Flags {
        nx: true,
        ..Flags::default()
    };
    set_generic(cx, SetKind::Setnx, &f, 1, 2, "setnx")
}

fn read_value(cx: &mut Ctx, key: &[u8]) -> Option<Vec<u8>> {
    if let Some(e) = cx.db.live_entry(key, cx.env) {
        cx.stats.keyspace_hits += 1;
        return Some(e.value.to_vec());
    }
    if cx.db.lookup(key, cx.env, Access::Read, cx.fx, cx.stats) {
        cx.db.get_entry(key).map(|e| e.value.to_vec())
    } else {
        None
    }
}

pub(crate) fn get(cx: &mut Ctx) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    (
        read_value(cx, key).map_or(Reply::Nil, Reply::Bulk),
        Prop::None,
    )
}

pub(crate) fn getdel(cx: &mut Ctx) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    let value = read_value(cx, key);
    // `dbSyncDelete` runs even when the read hid an expired key (replica).
    if cx.db.remove(key).is_some() {
        cx.fx.deleted(key);
        let r = value.map_or(Reply::Nil, Reply::Bulk);
        return (r, Prop::Rewritten(del_argv(key)));
    }
    (value.map_or(Reply::Nil, Reply::Bulk), Prop::None)
}

pub(crate) fn getex(cx: &mut Ctx) -> (Reply, Prop) {
    let argv = cx.argv;
    let key = argv[1].as_slice();
    let f = match parse_flags(argv, 2, false) {
        Ok(f) => f,
        Err(e) => return (e, Prop::None),
    };
    let Some(value) = read_value(cx, key) else {
        return (Reply::Nil, Prop::None);
    };
    let exp = match f.expire {
        Some((u, a)) => match expire_ms(a, u, cx.env.now_ms, "getex") {
            Ok((abs, ms)) => Some((u, abs, ms)),
            Err(e) => return (e, Prop::None),
        },
        None => None,
    };
    let reply = Reply::Bulk(value);
    let key_argv = |name: &[u8], ms: i64| -> Prop {
        Prop::Rewritten(vec![name.to_vec(), key.to_vec(), fmt_i64(ms)])
    };
    let prop = match exp {
        Some((u, abs, _)) if !u.relative() && cx.env.deletes_past_ttl(abs) => {
            cx.db.remove(key);
            cx.fx.deleted(key);
            Prop::Rewritten(del_argv(key))
        }
        Some((u, abs, ms)) => {
            cx.db.set_expire(key, abs, cx.env);
            if cx.env.profile != Profile::V7_0 && u.relative() {
                key_argv(b"PEXPIRE", ms)
            } else {
                key_argv(b"PEXPIREAT", abs)
            }
        }
        None if f.persist && cx.db.remove_expire(key) => {
            Prop::Rewritten(vec![b"PERSIST".to_vec(), key.to_vec()])
        }
        None => Prop::None,
    };
    (reply, prop)
}

pub(crate) fn mget(cx: &mut Ctx) -> (Reply, Prop) {
    let argv = cx.argv;
    let mut out = Vec::with_capacity(argv.len() - 1);
    for key in &argv[1..] {
        out.push(read_value(cx, key).map_or(Reply::Nil, Reply::Bulk));
    }
    (Reply::Array(out), Prop::None)
}

pub(crate) fn mset(cx: &mut Ctx) -> (Reply, Prop) {
    let argv = cx.argv;
    if argv.len() & 1 == 0 {
        return (Reply::Error(wrong_args("mset")), Prop::None);
    }
    for pair in argv[1..].chunks_exact(2) {
        cx.db
            .lookup(&pair[0], cx.env, Access::Write, cx.fx, cx.stats);
        cx.db.set_value(&pair[0], &pair[1], false);
        cx.fx.set(&pair[0]);
    }
    (Reply::ok(), Prop::AsTyped)
}

/// INCR / DECR (`fixed`) and INCRBY (increment parsed from argv[2]).
pub(crate) fn incr_by(cx: &mut Ctx, fixed: Option<i64>) -> (Reply, Prop) {
    let incr = match fixed {
        Some(i) => i,
        None => match parse_i64(&cx.argv[2]) {
            Some(i) => i,
            None => return (Reply::err(NOT_INT), Prop::None),
        },
    };
    incr_decr(cx, incr)
}

pub(crate) fn decrby(cx: &mut Ctx) -> (Reply, Prop) {
    match parse_i64(&cx.argv[2]) {
        None => (Reply::err(NOT_INT), Prop::None),
        Some(i64::MIN) => (Reply::err(DECR_OVERFLOW), Prop::None),
        Some(d) => incr_decr(cx, -d),
    }
}

fn incr_decr(cx: &mut Ctx, incr: i64) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    let old = if cx.db.lookup(key, cx.env, Access::Write, cx.fx, cx.stats) {
        match cx.db.get_entry(key).and_then(|e| parse_i64(&e.value)) {
            Some(v) => v,
            None => return (Reply::err(NOT_INT), Prop::None),
        }
    } else {
        0
    };
    let Some(new) = old.checked_add(incr) else {
        return (Reply::err(OVERFLOW), Prop::None);
    };
    cx.db.set_value(key, &fmt_i64(new), true);
    cx.fx.set(key);
    (Reply::Int(new), Prop::AsTyped)
}

pub(crate) fn append(cx: &mut Ctx) -> (Reply, Prop) {
    let (key, extra) = (cx.argv[1].as_slice(), cx.argv[2].as_slice());
    let exists = cx.db.lookup(key, cx.env, Access::Write, cx.fx, cx.stats);
    let len = match cx.db.dict.get_mut(key) {
        Some(e) if exists => {
            if e.value.len().saturating_add(extra.len()) > PROTO_MAX_BULK_LEN {
                return (Reply::err(STRING_TOO_LONG), Prop::None);
            }
            e.value.extend_from_slice(extra);
            e.value.len()
        }
        _ => {
            cx.db.set_value(key, extra, false);
            extra.len()
        }
    };
    cx.fx.set(key);
    (Reply::Int(len as i64), Prop::AsTyped)
}

pub(crate) fn strlen(cx: &mut Ctx) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    let n = if cx.db.lookup(key, cx.env, Access::Read, cx.fx, cx.stats) {
        cx.db.get_entry(key).map_or(0, |e| e.value.len())
    } else {
        0
    };
    (Reply::Int(n as i64), Prop::None)
}
