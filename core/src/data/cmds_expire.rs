//! TTL commands: EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT,
//! TTL/PTTL/EXPIRETIME/PEXPIRETIME, PERSIST (expire.c).

use super::cmds::{del_argv, eq_ci, Ctx, Prop};
use super::db::Access;
use super::errors::{
    invalid_expire, unsupported_option, EXPIRE_GT_LT_INCOMPATIBLE, EXPIRE_NX_INCOMPATIBLE, NOT_INT,
};
use super::num::{fmt_i64, parse_i64};
use super::reply::Reply;
use crate::profile::Profile;

#[derive(Default)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

/// `parseExtendedExpireArgumentsOrReply`.
fn parse_expire_flags(argv: &[Vec<u8>]) -> Result<ExpireFlags, Reply> {
    let mut f = ExpireFlags::default();
    for opt in &argv[3..] {
        if eq_ci(opt, "nx") {
            f.nx = true;
        } else if eq_ci(opt, "xx") {
            f.xx = true;
        } else if eq_ci(opt, "gt") {
            f.gt = true;
        } else if eq_ci(opt, "lt") {
            f.lt = true;
        } else {
            return Err(Reply::Error(unsupported_option(opt)));
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(Reply::err(EXPIRE_NX_INCOMPATIBLE));
    }
    if f.gt && f.lt {
        return Err(Reply::err(EXPIRE_GT_LT_INCOMPATIBLE));
    }
    Ok(f)
}

/// `expireGenericCommand`: `at` = absolute (EXPIREAT/PEXPIREAT), `seconds` =
/// second units (EXPIRE/EXPIREAT).
pub(crate) fn expire(cx: &mut Ctx, at: bool, seconds: bool) -> (Reply, Prop) {
    let argv = cx.argv;
    let key = argv[1].as_slice();
    let f = match parse_expire_flags(argv) {
        Ok(f) => f,
        Err(e) => return (e, Prop::None),
    };
    let Some(mut when) = parse_i64(&argv[2]) else {
        return (Reply::err(NOT_INT), Prop::None);
    };
    let invalid = || (Reply::Error(invalid_expire(&cx.name())), Prop::None);
    if seconds {
        match when.checked_mul(1000) {
            Some(ms) => when = ms,
            None => return invalid(),
        }
    }
    let basetime = if at { 0 } else { cx.env.now_ms };
    match when.checked_add(basetime) {
        Some(w) => when = w,
        None => return invalid(),
    }
    if !cx.db.lookup(key, cx.env, Access::Write, cx.fx, cx.stats) {
        return (Reply::Int(0), Prop::None);
    }
    if f.nx || f.xx || f.gt || f.lt {
        let current = cx.db.get_entry(key).and_then(|e| e.expire_at_ms);
        let refused = (f.nx && current.is_some())
            || (f.xx && current.is_none())
            // No TTL counts as infinite: GT never beats it, LT always does.
            || (f.gt && current.is_none_or(|c| when <= c))
            || (f.lt && current.is_some_and(|c| when >= c));
        if refused {
            return (Reply::Int(0), Prop::None);
        }
    }
    if cx.env.deletes_past_ttl(when) {
        cx.db.remove(key);
        cx.fx.deleted(key);
        return (Reply::Int(1), Prop::Rewritten(del_argv(key)));
    }
    cx.db.set_expire(key, when, cx.env);
    let prop = if cx.env.profile == Profile::V7_0 {
        // PEXPIREAT key <abs ms> plus the options as typed.
        let mut a = Vec::with_capacity(argv.len());
        a.push(b"PEXPIREAT".to_vec());
        a.push(key.to_vec());
        a.push(fmt_i64(when));
        a.extend(argv[3..].iter().cloned());
        Prop::Rewritten(a)
    } else {
        Prop::AsTyped
    };
    (Reply::Int(1), prop)
}

/// TTL / PTTL (`abs` = false) and EXPIRETIME / PEXPIRETIME (`abs` = true).
pub(crate) fn ttl(cx: &mut Ctx, abs: bool, seconds: bool) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    if !cx.db.lookup(key, cx.env, Access::Read, cx.fx, cx.stats) {
        return (Reply::Int(-2), Prop::None);
    }
    let Some(when) = cx.db.get_entry(key).and_then(|e| e.expire_at_ms) else {
        return (Reply::Int(-1), Prop::None);
    };
    let mut v = if abs {
        when
    } else {
        when.saturating_sub(cx.env.now_ms)
    };
    // A stale key a replica still shows (3.0 reads, keys from the master)
    // reports 0, never a negative TTL.
    if v < 0 {
        v = 0;
    }
    if seconds {
        // Redis rounds to the nearest second (EXPIRETIME too).
        v = v.saturating_add(500) / 1000;
    }
    (Reply::Int(v), Prop::None)
}

pub(crate) fn persist(cx: &mut Ctx) -> (Reply, Prop) {
    let key = cx.argv[1].as_slice();
    if cx.db.lookup(key, cx.env, Access::Write, cx.fx, cx.stats) && cx.db.remove_expire(key) {
        return (Reply::Int(1), Prop::AsTyped);
    }
    (Reply::Int(0), Prop::None)
}
