//! Lua values: nil, booleans, numbers (doubles, as Lua 5.1), byte strings,
//! tables (an array part and an insertion-ordered hash part, so `pairs` is
//! deterministic), functions, and the built-in library functions.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::FuncDef;
use super::stdlib::Builtin;

pub type Cell = Rc<RefCell<Val>>;

#[derive(Clone, Debug)]
pub enum Val {
    Nil,
    Bool(bool),
    Num(f64),
    Str(Rc<[u8]>),
    Table(Rc<RefCell<Table>>),
    /// A Lua function and the local variables it captured (closures).
    Func(Rc<FuncDef>, Rc<Vec<(Rc<str>, Cell)>>),
    Builtin(Builtin),
}

impl Val {
    pub fn str(s: &[u8]) -> Val {
        Val::Str(s.into())
    }
    /// A string's length in bytes; 0 for any other value.
    pub fn str_len(&self) -> usize {
        match self {
            Val::Str(s) => s.len(),
            _ => 0,
        }
    }
    pub fn truthy(&self) -> bool {
        !matches!(self, Val::Nil | Val::Bool(false))
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Nil => "nil",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Table(_) => "table",
            Val::Func(..) | Val::Builtin(_) => "function",
        }
    }
    /// Raw equality (`==`): no coercion; tables and functions by identity.
    pub fn raw_eq(&self, o: &Val) -> bool {
        match (self, o) {
            (Val::Nil, Val::Nil) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Num(a), Val::Num(b)) => a == b,
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Table(a), Val::Table(b)) => Rc::ptr_eq(a, b),
            (Val::Func(a, _), Val::Func(b, _)) => Rc::ptr_eq(a, b),
            (Val::Builtin(a), Val::Builtin(b)) => a == b,
            _ => false,
        }
    }
    /// A number, or a string that reads as one (Lua's arithmetic coercion).
    pub fn to_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(s) => parse_num(std::str::from_utf8(s).ok()?),
            _ => None,
        }
    }
    /// A string, or a number formatted as Lua prints it (concatenation).
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Val::Str(s) => Some(s.to_vec()),
            Val::Num(n) => Some(fmt_num(*n).into_bytes()),
            _ => None,
        }
    }
    pub fn table(t: Table) -> Val {
        let t = Rc::new(RefCell::new(t));
        super::sweep::table(&t);
        Val::Table(t)
    }
}

/// A table: `arr` holds keys 1..=n, `hash` everything else in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub arr: Vec<Val>,
    pub hash: Vec<(Val, Val)>,
}

impl Table {
    fn arr_index(k: &Val) -> Option<usize> {
        match k {
            Val::Num(n) if *n >= 1.0 && n.fract() == 0.0 && *n < 1e15 => Some(*n as usize - 1),
            _ => None,
        }
    }
    pub fn get(&self, k: &Val) -> Val {
        if let Some(i) = Self::arr_index(k) {
            if i < self.arr.len() {
                return self.arr[i].clone();
            }
        }
        self.hash
            .iter()
            .find(|(hk, _)| hk.raw_eq(k))
            .map(|(_, v)| v.clone())
            .unwrap_or(Val::Nil)
    }
    pub fn get_str(&self, k: &str) -> Val {
        self.get(&Val::str(k.as_bytes()))
    }
    /// Sets `t[k] = v` (the caller has rejected nil and NaN keys).
    pub fn set(&mut self, k: Val, v: Val) {
        if let Some(i) = Self::arr_index(&k) {
            if i < self.arr.len() {
                self.arr[i] = v;
                while matches!(self.arr.last(), Some(Val::Nil)) {
                    self.arr.pop();
                }
                return;
            }
            if i == self.arr.len() && !matches!(v, Val::Nil) {
                self.hash.retain(|(hk, _)| !hk.raw_eq(&k));
                self.arr.push(v);
                // Move the keys that now continue the sequence.
                loop {
                    let next = Val::Num((self.arr.len() + 1) as f64);
                    let Some(p) = self.hash.iter().position(|(hk, _)| hk.raw_eq(&next)) else {
                        break;
                    };
                    let (_, nv) = self.hash.remove(p);
                    self.arr.push(nv);
                }
                return;
            }
        }
        match self.hash.iter().position(|(hk, _)| hk.raw_eq(&k)) {
            Some(p) if matches!(v, Val::Nil) => {
                self.hash.remove(p);
            }
            Some(p) => self.hash[p].1 = v,
            None if matches!(v, Val::Nil) => {}
            None => self.hash.push((k, v)),
        }
    }
    /// `#t`: the length of the array part.
    pub fn len(&self) -> usize {
        self.arr.len()
    }
    /// The entry after `k` in `pairs` order (array part, then hash part).
    pub fn next(&self, k: &Val) -> Option<(Val, Val)> {
        let start = match k {
            Val::Nil => 0,
            _ => match Self::arr_index(k).filter(|i| *i < self.arr.len()) {
                Some(i) => i + 1,
                None => {
                    let p = self.hash.iter().position(|(hk, _)| hk.raw_eq(k))?;
                    return self.hash.get(p + 1).cloned();
                }
            },
        };
        for i in start..self.arr.len() {
            if !matches!(self.arr[i], Val::Nil) {
                return Some((Val::Num((i + 1) as f64), self.arr[i].clone()));
            }
        }
        self.hash.first().cloned()
    }
}

/// Lua 5.1's `tostring` of a number: `%.14g`.
pub fn fmt_num(n: f64) -> String {
    fmt_g(n, 14)
}

/// C's `%.<prec>g` (1 <= prec <= 17).
pub fn fmt_g(n: f64, prec: usize) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf" } else { "-inf" }.into();
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let sci = format!("{:.*e}", prec - 1, n);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= prec as i32 {
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let decimals = (prec as i32 - 1 - exp).max(0) as usize;
    trim_zeros(&format!("{:.*}", decimals, n)).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `luaO_str2d`: decimal or hex, surrounding spaces allowed.
pub fn parse_num(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let v = u64::from_str_radix(hex, 16).ok()? as f64;
        return Some(if neg { -v } else { v });
    }
    let ok = !body.is_empty()
        && body
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == b'.');
    if !ok {
        return None;
    }
    let v = body.parse::<f64>().ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_lua_5_1() {
        // Checked with redis-server 7.0.15: tostring(...) in EVAL.
        let cases = [
            (3.5, "3.5"),
            (5.0, "5"),
            (1e15, "1e+15"),
            (1e16, "1e+16"),
            (0.1, "0.1"),
            (2f64.powi(53), "9.007199254741e+15"),
            (-3.5, "-3.5"),
            (100.0, "100"),
            (1e14, "1e+14"),
            (123456789012.0, "123456789012"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.0 / 3.0, "0.33333333333333"),
            (f64::INFINITY, "inf"),
        ];
        for (n, s) in cases {
            assert_eq!(fmt_num(n), s, "{n}");
        }
        // redis.call's number arguments: `%.17g` (SET n 0.1 stores this).
        assert_eq!(fmt_g(0.1, 17), "0.10000000000000001");
        assert_eq!(fmt_g(3.5, 17), "3.5");
    }

    #[test]
    fn parses_numbers_like_lua() {
        assert_eq!(parse_num("0x10"), Some(16.0));
        assert_eq!(parse_num("  5  "), Some(5.0));
        assert_eq!(parse_num("1e3"), Some(1000.0));
        assert_eq!(parse_num("z"), None);
        assert_eq!(parse_num(""), None);
        assert_eq!(parse_num("inf"), None);
    }

    #[test]
    fn tables_keep_sequences_in_the_array_part() {
        let mut t = Table::default();
        t.set(Val::Num(2.0), Val::Num(20.0));
        t.set(Val::Num(1.0), Val::Num(10.0));
        assert_eq!(t.len(), 2);
        t.set(Val::str(b"k"), Val::Bool(true));
        let mut k = Val::Nil;
        let mut n = 0;
        while let Some((nk, _)) = t.next(&k) {
            k = nk;
            n += 1;
        }
        assert_eq!(n, 3);
        t.set(Val::Num(2.0), Val::Nil);
        assert_eq!(t.len(), 1);
    }
}
