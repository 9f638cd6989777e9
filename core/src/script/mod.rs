//! Lua scripting (`EVAL`): a compact interpreter for a subset of Lua 5.1,
//! the language of Redis 7.0 scripts, with `redis.call` re-entering the
//! node's command execution through `Host`.
//!
//! Why not a Lua VM crate: ARCHITECTURE.md ("Hand-written, and why") and
//! docs/performance.md (the VM measured). The subset and its limits are
//! listed in docs/simplifications.md. Files: `lex.rs`
//! (tokens), `parse.rs` (syntax tree, `ast.rs`), `eval.rs` (the evaluator and
//! the step budget), `ops.rs` (operators), `value.rs` (values, tables, number formatting),
//! `stdlib.rs` (libraries), `strfmt.rs` (`string.format`), `sha1.rs` (script ids),
//! `sweep.rs` (a run's reference cycles broken when it ends). The glue to a node (the
//! script cache, EVAL/EVALSHA/SCRIPT, what `redis.call` may run) is
//! `redis/scripting.rs`.

mod ast;
mod eval;
mod lex;
mod ops;
mod parse;
mod sha1;
mod stdlib;
mod strfmt;
mod sweep;
mod value;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fuzz;

use std::rc::Rc;

use crate::data::Reply;

pub use eval::{LuaError, STEP_BUDGET};
pub use sha1::sha1_hex;
use value::{fmt_g, Table, Val};

/// What a script can do to the outside world.
pub trait Host {
    /// Runs one command for `redis.call` / `redis.pcall`.
    fn call(&mut self, argv: Vec<Vec<u8>>) -> Reply;
    /// `redis.log(level, ...)`.
    fn log(&mut self, level: i64, msg: String);
}

/// A compiled script body.
#[derive(Debug)]
pub struct Compiled(ast::Block);

/// Compiles a script; the error is the reply Redis gives (`Error compiling script`).
pub fn compile(src: &[u8]) -> Result<Rc<Compiled>, String> {
    parse::parse(src)
        .map(|b| Rc::new(Compiled(b)))
        .map_err(|e| format!("ERR Error compiling script (new function): {e}"))
}

/// Runs a compiled script with `KEYS` and `ARGV`; its reply, or its error as
/// Redis 7.0 words it (`<error> script: <sha>, on @user_script:<line>.`).
pub fn run(
    code: &Compiled,
    sha: &str,
    keys: &[Vec<u8>],
    args: &[Vec<u8>],
    host: &mut dyn Host,
) -> Reply {
    let _sweep = sweep::Sweep::start();
    let mut it = eval::Interp::new(host, stdlib::globals(keys, args));
    match it.exec_block(&code.0) {
        Ok(eval::Flow::Return(v)) => script_reply(v.first().unwrap_or(&Val::Nil)),
        Ok(_) => Reply::Nil,
        Err(e) => Reply::Error(format!(
            "{} script: {sha}, on @user_script:{}.",
            e.msg, e.line
        )),
    }
}

/// A `redis.call` argument: strings as they are, numbers as `%.17g`.
fn lua_to_arg(v: &Val) -> Option<Vec<u8>> {
    match v {
        Val::Str(s) => Some(s.to_vec()),
        Val::Num(n) => Some(fmt_g(*n, 17).into_bytes()),
        _ => None,
    }
}

/// A command's reply as Lua sees it (`redisProtocolToLuaType`). `inside` counts
/// the values within its arrays and their strings' bytes (what `redis.call`
/// charges to the step budget).
fn reply_to_lua(r: &Reply, inside: &mut (usize, usize)) -> Val {
    let field = |k: &str, v: &str| {
        let mut t = Table::default();
        t.set(Val::str(k.as_bytes()), Val::str(v.as_bytes()));
        Val::table(t)
    };
    match r {
        Reply::Status(s) => field("ok", s),
        Reply::Error(e) => field("err", e),
        Reply::Int(i) => Val::Num(*i as f64),
        Reply::Bulk(b) => Val::str(b),
        Reply::Nil | Reply::NilArray => Val::Bool(false),
        Reply::Array(items) => Val::table(Table {
            arr: (items.iter())
                .map(|x| {
                    inside.0 += 1;
                    if let Reply::Bulk(b) = x {
                        inside.1 += b.len();
                    }
                    reply_to_lua(x, inside)
                })
                .collect(),
            hash: Vec::new(),
        }),
    }
}

/// The most values a script's reply may hold. A table that holds itself
/// (`table.insert(KEYS, KEYS)`) makes Redis build a reply that doubles with
/// each level; Redis stops only at its Lua stack limit, after the server has
/// hung. The lab refuses such a reply instead (docs/simplifications.md).
pub const REPLY_BUDGET: usize = 1_000_000;

/// A script's return value as a reply, or the lab's error past `REPLY_BUDGET`.
fn script_reply(v: &Val) -> Reply {
    let mut budget = REPLY_BUDGET;
    lua_to_reply(v, 0, &mut budget).unwrap_or_else(|| {
        Reply::Error(format!(
            "ERR the script's reply exceeded the lab's budget of {REPLY_BUDGET} values"
        ))
    })
}

/// A script's return value as a reply (`luaReplyToRedisReply`): numbers
/// truncate to integers, true is 1, false and nil are nil, `{ok=…}` a status,
/// `{err=…}` an error, any other table an array up to its first nil. `None`
/// once `budget` values have been converted.
fn lua_to_reply(v: &Val, depth: u32, budget: &mut usize) -> Option<Reply> {
    *budget = budget.checked_sub(1)?;
    if depth > 100 {
        return Some(Reply::err("ERR reached lua stack limit"));
    }
    Some(match v {
        Val::Str(s) => Reply::Bulk(s.to_vec()),
        // C's `(long long)` cast: out of range (inf, NaN) gives i64::MIN on x86-64.
        Val::Num(n) if n.abs() < 9.2e18 => Reply::Int(*n as i64),
        Val::Num(_) => Reply::Int(i64::MIN),
        Val::Bool(true) => Reply::Int(1),
        Val::Table(t) => {
            let t = t.borrow();
            if let Val::Str(e) = t.get_str("err") {
                return Some(Reply::Error(String::from_utf8_lossy(&e).into_owned()));
            }
            if let Val::Str(s) = t.get_str("ok") {
                return Some(Reply::Status(
                    String::from_utf8_lossy(&s).into_owned().into(),
                ));
            }
            let items = t.arr.iter().take_while(|v| !matches!(v, Val::Nil));
            Reply::Array(
                items
                    .map(|v| lua_to_reply(v, depth + 1, budget))
                    .collect::<Option<_>>()?,
            )
        }
        _ => Reply::Nil,
    })
}
