//! The libraries a script sees: `redis.*`, the base functions the subset
//! supports, and parts of `string`, `table` and `math`.

use super::eval::{Interp, LuaError};
use super::ops::tostring;
use super::value::{parse_num, Table, Val};
use super::{lua_to_arg, reply_to_lua};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Call,
    Pcall,
    ErrorReply,
    StatusReply,
    Sha1hex,
    Log,
    Tonumber,
    Tostring,
    Type,
    Unpack,
    Pairs,
    Ipairs,
    Next,
    INext,
    Error,
    StrLen,
    StrSub,
    StrUpper,
    StrLower,
    StrFormat,
    StrRep,
    TabInsert,
    TabConcat,
    Floor,
    Ceil,
    Max,
    Min,
    Abs,
}

use Builtin::*;

const STRING: &[(&str, Builtin)] = &[
    ("len", StrLen),
    ("sub", StrSub),
    ("upper", StrUpper),
    ("lower", StrLower),
    ("format", StrFormat),
    ("rep", StrRep),
];

impl Builtin {
    pub fn string_fn(name: &[u8]) -> Option<Builtin> {
        STRING
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, b)| *b)
    }
    /// The name Lua uses in "bad argument #1 to 'sub'".
    fn name(self) -> &'static str {
        match self {
            Call => "call",
            Pcall => "pcall",
            ErrorReply => "error_reply",
            StatusReply => "status_reply",
            Sha1hex => "sha1hex",
            Log => "log",
            Tonumber => "tonumber",
            Tostring => "tostring",
            Type => "type",
            Unpack => "unpack",
            Pairs => "pairs",
            Ipairs => "ipairs",
            Next | INext => "next",
            Error => "error",
            StrLen => "len",
            StrSub => "sub",
            StrUpper => "upper",
            StrLower => "lower",
            StrFormat => "format",
            StrRep => "rep",
            TabInsert => "insert",
            TabConcat => "concat",
            Floor => "floor",
            Ceil => "ceil",
            Max => "max",
            Min => "min",
            Abs => "abs",
        }
    }
}

fn lib(entries: &[(&str, Val)]) -> Val {
    let mut t = Table::default();
    for (k, v) in entries {
        t.set(Val::str(k.as_bytes()), v.clone());
    }
    Val::table(t)
}

/// The global table of a script run: the libraries, `KEYS` and `ARGV`.
pub fn globals(keys: &[Vec<u8>], args: &[Vec<u8>]) -> Table {
    let b = Val::Builtin;
    let strings = |v: &[Vec<u8>]| {
        Val::table(Table {
            arr: v.iter().map(|s| Val::str(s)).collect(),
            hash: Vec::new(),
        })
    };
    let n = |x: f64| Val::Num(x);
    let string: Vec<(&str, Val)> = STRING.iter().map(|(k, f)| (*k, b(*f))).collect();
    let entries = [
        ("KEYS", strings(keys)),
        ("ARGV", strings(args)),
        (
            "redis",
            lib(&[
                ("call", b(Call)),
                ("pcall", b(Pcall)),
                ("error_reply", b(ErrorReply)),
                ("status_reply", b(StatusReply)),
                ("sha1hex", b(Sha1hex)),
                ("log", b(Log)),
                ("LOG_DEBUG", n(0.0)),
                ("LOG_VERBOSE", n(1.0)),
                ("LOG_NOTICE", n(2.0)),
                ("LOG_WARNING", n(3.0)),
            ]),
        ),
        ("string", lib(&string)),
        (
            "table",
            lib(&[("insert", b(TabInsert)), ("concat", b(TabConcat))]),
        ),
        (
            "math",
            lib(&[
                ("floor", b(Floor)),
                ("ceil", b(Ceil)),
                ("max", b(Max)),
                ("min", b(Min)),
                ("abs", b(Abs)),
                ("huge", n(f64::INFINITY)),
            ]),
        ),
        ("tonumber", b(Tonumber)),
        ("tostring", b(Tostring)),
        ("type", b(Type)),
        ("unpack", b(Unpack)),
        ("pairs", b(Pairs)),
        ("ipairs", b(Ipairs)),
        ("next", b(Next)),
        ("error", b(Error)),
    ];
    let mut g = Table::default();
    for (k, v) in entries {
        g.set(Val::str(k.as_bytes()), v);
    }
    g
}

/// Lua's `luaL_typename` for "got ..." in argument errors.
fn got(v: Option<&Val>) -> &'static str {
    v.map(Val::type_name).unwrap_or("no value")
}

fn bad(me: &Interp, b: Builtin, i: usize, want: &str, v: Option<&Val>) -> LuaError {
    me.rt(format_args!(
        "bad argument #{} to '{}' ({want} expected, got {})",
        i + 1,
        b.name(),
        got(v)
    ))
}

pub(super) fn num(me: &Interp, b: Builtin, a: &[Val], i: usize) -> Result<f64, LuaError> {
    a.get(i)
        .and_then(Val::to_num)
        .ok_or_else(|| bad(me, b, i, "number", a.get(i)))
}

pub(super) fn bytes(me: &Interp, b: Builtin, a: &[Val], i: usize) -> Result<Vec<u8>, LuaError> {
    a.get(i)
        .and_then(Val::to_bytes)
        .ok_or_else(|| bad(me, b, i, "string", a.get(i)))
}

fn table(
    me: &Interp,
    b: Builtin,
    a: &[Val],
    i: usize,
) -> Result<std::rc::Rc<std::cell::RefCell<Table>>, LuaError> {
    match a.get(i) {
        Some(Val::Table(t)) => Ok(t.clone()),
        v => Err(bad(me, b, i, "table", v)),
    }
}

/// `redis.error_reply` / `luaPushErrorBuff`: "-CODE msg" keeps its code, a
/// single word gets `ERR`.
fn error_text(s: &[u8]) -> Vec<u8> {
    let s = s.strip_prefix(b"-").unwrap_or(s);
    if s.contains(&b' ') {
        s.to_vec()
    } else {
        [b"ERR ".as_slice(), s].concat()
    }
}

fn one(v: Val) -> Result<Vec<Val>, LuaError> {
    Ok(vec![v])
}

/// Argument `i`, `nil` when absent.
fn arg(a: &[Val], i: usize) -> Val {
    a.get(i).cloned().unwrap_or(Val::Nil)
}

pub fn call_builtin(me: &mut Interp, b: Builtin, a: Vec<Val>) -> Result<Vec<Val>, LuaError> {
    let out = builtin(me, b, a)?;
    // The strings a builtin returns are work in proportion to their bytes, and the
    // values past the first (`unpack`) a step per 16, as a table's search: a loop that
    // builds ever longer strings, or unpacks a long table, ends at the step budget, not
    // at gigabytes of memory or a minute's work (the first found by lua_gen).
    me.charge_bytes(out.iter().map(Val::str_len).sum())?;
    me.charge(out.len().saturating_sub(1))?;
    Ok(out)
}

fn builtin(me: &mut Interp, b: Builtin, a: Vec<Val>) -> Result<Vec<Val>, LuaError> {
    match b {
        Call | Pcall => redis_call(me, b, &a),
        ErrorReply | StatusReply => {
            let s = bytes(me, b, &a, 0)?;
            let (k, v) = if b == ErrorReply {
                ("err", error_text(&s))
            } else {
                ("ok", s)
            };
            one(lib(&[(k, Val::str(&v))]))
        }
        Sha1hex => one(Val::str(
            super::sha1::sha1_hex(&bytes(me, b, &a, 0)?).as_bytes(),
        )),
        Log => redis_log(me, b, &a),
        Tonumber => one(tonumber(me, b, &a)?),
        Tostring => one(Val::str(&tostring(&arg(&a, 0)))),
        Type => match a.first() {
            Some(v) => one(Val::str(v.type_name().as_bytes())),
            None => Err(me.rt("bad argument #1 to 'type' (value expected)")),
        },
        Unpack => {
            let t = table(me, b, &a, 0)?;
            let t = t.borrow();
            Ok((1..=t.len()).map(|i| t.get(&Val::Num(i as f64))).collect())
        }
        Pairs => Ok(vec![
            Val::Builtin(Next),
            Val::Table(table(me, b, &a, 0)?),
            Val::Nil,
        ]),
        Ipairs => Ok(vec![
            Val::Builtin(INext),
            Val::Table(table(me, b, &a, 0)?),
            Val::Num(0.0),
        ]),
        Next => next(me, b, &a),
        INext => inext(me, b, &a),
        Error => match arg(&a, 0) {
            Val::Table(t) => match t.borrow().get_str("err") {
                Val::Str(e) => Err(me.raise(&String::from_utf8_lossy(&e))),
                _ => Err(me.raise("ERR user_script: error object is not a string")),
            },
            v => Err(me.rt(String::from_utf8_lossy(&tostring(&v)))),
        },
        StrLen => one(Val::Num(bytes(me, b, &a, 0)?.len() as f64)),
        StrSub => one(string_sub(me, b, &a)?),
        StrUpper => one(Val::str(&bytes(me, b, &a, 0)?.to_ascii_uppercase())),
        StrLower => one(Val::str(&bytes(me, b, &a, 0)?.to_ascii_lowercase())),
        StrRep => one(Val::str(&string_rep(me, b, &a)?)),
        StrFormat => one(Val::str(&super::strfmt::format(me, &a)?)),
        TabInsert => {
            table_insert(me, b, &a)?;
            Ok(Vec::new())
        }
        TabConcat => one(Val::str(&table_concat(me, b, &a)?)),
        Floor => one(Val::Num(num(me, b, &a, 0)?.floor())),
        Ceil => one(Val::Num(num(me, b, &a, 0)?.ceil())),
        Abs => one(Val::Num(num(me, b, &a, 0)?.abs())),
        Max | Min => one(Val::Num(min_max(me, b, &a)?)),
    }
}

/// `redis.call` / `redis.pcall`: runs the command on the host; `call`
/// raises an error reply, `pcall` returns it as a table.
fn redis_call(me: &mut Interp, b: Builtin, a: &[Val]) -> Result<Vec<Val>, LuaError> {
    if a.is_empty() {
        return Err(me.raise("ERR Please specify at least one argument for this redis lib call"));
    }
    let Some(argv) = a.iter().map(lua_to_arg).collect::<Option<Vec<_>>>() else {
        return Err(me.raise("ERR Lua redis lib command arguments must be strings or integers"));
    };
    // The arguments are copied into the command (`charge_bytes`).
    me.charge_bytes(argv.iter().map(Vec::len).sum())?;
    let reply = me.host.call(argv);
    if let (Call, crate::data::Reply::Error(e)) = (b, &reply) {
        return Err(me.raise(&String::from_utf8_lossy(&error_text(e.as_bytes()))));
    }
    // An array reply's values cost a step per 16 and its strings' bytes as built ones
    // (a top-level string is charged by `call_builtin`).
    let mut inside = (0, 0);
    let v = reply_to_lua(&reply, &mut inside);
    me.charge(inside.0)?;
    me.charge_bytes(inside.1)?;
    one(v)
}

/// `redis.log(level, ...)`: the arguments joined by spaces.
fn redis_log(me: &mut Interp, b: Builtin, a: &[Val]) -> Result<Vec<Val>, LuaError> {
    let level = num(me, b, a, 0)? as i64;
    let parts: Vec<Vec<u8>> = a[1..].iter().map(tostring).collect();
    me.host.log(
        level,
        String::from_utf8_lossy(&parts.join(&b' ')).into_owned(),
    );
    Ok(Vec::new())
}

/// `tonumber(v [, base])`: `nil` for what does not parse.
fn tonumber(me: &Interp, b: Builtin, a: &[Val]) -> Result<Val, LuaError> {
    Ok(match (arg(a, 0), a.get(1)) {
        (v, None) => match v {
            Val::Num(_) => v,
            Val::Str(s) => std::str::from_utf8(&s)
                .ok()
                .and_then(parse_num)
                .map(Val::Num)
                .unwrap_or(Val::Nil),
            _ => Val::Nil,
        },
        (v, Some(_)) => {
            let base = num(me, b, a, 1)? as u32;
            let s = String::from_utf8_lossy(&tostring(&v)).trim().to_string();
            match (2..=36).contains(&base) {
                true => i64::from_str_radix(&s, base)
                    .map(|n| Val::Num(n as f64))
                    .unwrap_or(Val::Nil),
                false => return Err(me.rt("bad argument #2 to 'tonumber' (base out of range)")),
            }
        }
    })
}

/// `next(t, k)`, the iterator `pairs` returns; charged by the table's size.
fn next(me: &mut Interp, b: Builtin, a: &[Val]) -> Result<Vec<Val>, LuaError> {
    let t = table(me, b, a, 0)?;
    me.charge(t.borrow().hash.len())?;
    me.charge_bytes(arg(a, 1).str_len())?;
    let r = t.borrow().next(&arg(a, 1));
    Ok(r.map(|(k, v)| vec![k, v]).unwrap_or_else(|| vec![Val::Nil]))
}

/// The iterator `ipairs` returns: stops at the first `nil`.
fn inext(me: &Interp, b: Builtin, a: &[Val]) -> Result<Vec<Val>, LuaError> {
    let t = table(me, b, a, 0)?;
    let i = num(me, b, a, 1)? + 1.0;
    let v = t.borrow().get(&Val::Num(i));
    Ok(if matches!(v, Val::Nil) {
        vec![Val::Nil]
    } else {
        vec![Val::Num(i), v]
    })
}

/// `string.sub(s, i [, j])` with Lua's negative and out-of-range indices.
fn string_sub(me: &Interp, b: Builtin, a: &[Val]) -> Result<Val, LuaError> {
    let s = bytes(me, b, a, 0)?;
    let len = s.len() as i64;
    let fix = |i: i64| if i < 0 { (len + i + 1).max(0) } else { i };
    let i = fix(num(me, b, a, 1)? as i64).max(1);
    let j = match a.get(2) {
        Some(_) => fix(num(me, b, a, 2)? as i64).min(len),
        None => len,
    };
    Ok(Val::str(if i > j {
        &[]
    } else {
        &s[i as usize - 1..j as usize]
    }))
}

/// `string.rep(s, n)`, refused past the interpreter's string limit.
fn string_rep(me: &Interp, b: Builtin, a: &[Val]) -> Result<Vec<u8>, LuaError> {
    let s = bytes(me, b, a, 0)?;
    let n = num(me, b, a, 1)?.max(0.0) as usize;
    if s.len().saturating_mul(n) > super::eval::MAX_STRING {
        return Err(me.rt("not enough memory"));
    }
    Ok(s.repeat(n))
}

/// `table.insert(t, v)` appends; `table.insert(t, pos, v)` shifts up.
fn table_insert(me: &mut Interp, b: Builtin, a: &[Val]) -> Result<(), LuaError> {
    let t = table(me, b, a, 0)?;
    let mut t = t.borrow_mut();
    match a.len() {
        2 => {
            let n = t.len() + 1;
            t.set(Val::Num(n as f64), arg(a, 1));
        }
        3 => {
            let pos = num(me, b, a, 1)? as usize;
            let n = t.len();
            if pos < 1 || pos > n + 1 {
                return Err(me.rt("bad argument #2 to 'insert' (position out of bounds)"));
            }
            // The entries moved up are work, a step per 16 as a table's search
            // (inserting at the front in a loop is quadratic).
            me.charge(n + 1 - pos)?;
            for i in (pos..=n).rev() {
                let v = t.get(&Val::Num(i as f64));
                t.set(Val::Num((i + 1) as f64), v);
            }
            t.set(Val::Num(pos as f64), arg(a, 2));
        }
        _ => return Err(me.rt("wrong number of arguments to 'insert'")),
    }
    Ok(())
}

/// `table.concat(t [, sep])`, refused past the interpreter's string limit.
fn table_concat(me: &mut Interp, b: Builtin, a: &[Val]) -> Result<Vec<u8>, LuaError> {
    let t = table(me, b, a, 0)?;
    // A step per 16 entries joined (the result's bytes are charged by `call_builtin`).
    me.charge(t.borrow().len())?;
    let sep = if a.len() > 1 {
        bytes(me, b, a, 1)?
    } else {
        Vec::new()
    };
    let t = t.borrow();
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut total = 0;
    for i in 1..=t.len() {
        match t.get(&Val::Num(i as f64)).to_bytes() {
            Some(s) if total + s.len() > super::eval::MAX_STRING => {
                return Err(me.rt("not enough memory"))
            }
            Some(s) => {
                total += s.len() + sep.len();
                out.push(s)
            }
            None => {
                return Err(me.rt(format_args!(
                    "invalid value (at index {i}) in table for 'concat'"
                )))
            }
        }
    }
    Ok(out.join(sep.as_slice()))
}

/// `math.max` / `math.min` over one or more numbers.
fn min_max(me: &Interp, b: Builtin, a: &[Val]) -> Result<f64, LuaError> {
    let mut best = num(me, b, a, 0)?;
    for i in 1..a.len() {
        let x = num(me, b, a, i)?;
        if (b == Max && x > best) || (b == Min && x < best) {
            best = x;
        }
    }
    Ok(best)
}
