//! Operators (`lvm.c`): arithmetic with string coercion, concatenation,
//! comparisons, Lua 5.1's error texts for them, and `tostring`.

use super::ast::{BinOp, Expr};
use super::eval::{phrase, Interp, LuaError, MAX_STRING};
use super::value::{fmt_num, Val};

impl Interp<'_> {
    pub(super) fn arith_err(&self, e: &Expr, v: &Val) -> LuaError {
        let what = self.operand(e);
        self.rt(format_args!(
            "attempt to perform arithmetic on {}",
            phrase(&what, v.type_name())
        ))
    }

    pub(super) fn binary(
        &mut self,
        op: BinOp,
        l: Val,
        r: Val,
        a: &Expr,
        b: &Expr,
    ) -> Result<Val, LuaError> {
        use BinOp::*;
        if matches!(op, Eq | Ne | Lt | Le | Gt | Ge) {
            // Comparing two strings reads them (`charge_bytes`).
            self.charge_bytes(l.str_len().min(r.str_len()))?;
        }
        match op {
            Add | Sub | Mul | Div | Mod | Pow => {
                let x = l.to_num().ok_or_else(|| self.arith_err(a, &l))?;
                let y = r.to_num().ok_or_else(|| self.arith_err(b, &r))?;
                if op == Pow && (y.fract() != 0.0 || y.abs() > 4096.0) {
                    // Platforms' pow() differ in the last bit: native and wasm
                    // runs must agree, so only integer exponents are computed.
                    return Err(self.rt(
                        "the lab's Lua subset computes '^' for integer exponents up to 4096 only",
                    ));
                }
                Ok(Val::Num(match op {
                    Add => x + y,
                    Sub => x - y,
                    Mul => x * y,
                    Div => x / y,
                    Mod => x - (x / y).floor() * y,
                    _ => powi(x, y as i32),
                }))
            }
            Concat => match (l.to_bytes(), r.to_bytes()) {
                (Some(x), Some(y)) if x.len() + y.len() > MAX_STRING => {
                    Err(self.rt("not enough memory"))
                }
                (Some(mut x), Some(y)) => {
                    // Work in proportion to the bytes copied (`charge_bytes`).
                    self.charge_bytes(x.len() + y.len())?;
                    x.extend_from_slice(&y);
                    Ok(Val::str(&x))
                }
                (None, _) => Err(self.concat_err(a, &l)),
                _ => Err(self.concat_err(b, &r)),
            },
            Eq => Ok(Val::Bool(l.raw_eq(&r))),
            Ne => Ok(Val::Bool(!l.raw_eq(&r))),
            Lt | Le | Gt | Ge => {
                let (x, y) = if matches!(op, Gt | Ge) {
                    (&r, &l)
                } else {
                    (&l, &r)
                };
                let ord = match (x, y) {
                    (Val::Num(p), Val::Num(q)) => p.partial_cmp(q),
                    (Val::Str(p), Val::Str(q)) => Some(p.cmp(q)),
                    _ if x.type_name() == y.type_name() => {
                        return Err(self.rt(format_args!(
                            "attempt to compare two {} values",
                            x.type_name()
                        )))
                    }
                    _ => {
                        return Err(self.rt(format_args!(
                            "attempt to compare {} with {}",
                            x.type_name(),
                            y.type_name()
                        )))
                    }
                };
                Ok(Val::Bool(match ord {
                    None => false,
                    Some(o) if matches!(op, Lt | Gt) => o.is_lt(),
                    Some(o) => o.is_le(),
                }))
            }
            // Short-circuit operators never get here (`eval_inner` takes them).
            And | Or => Ok(if l.truthy() == (op == And) { r } else { l }),
        }
    }

    fn concat_err(&self, e: &Expr, v: &Val) -> LuaError {
        let what = self.operand(e);
        self.rt(format_args!(
            "attempt to concatenate {}",
            phrase(&what, v.type_name())
        ))
    }
}

/// `x^n` by repeated squaring: plain IEEE multiplications, the same on every platform.
fn powi(x: f64, n: i32) -> f64 {
    let (mut base, mut e, mut acc) = (x, n.unsigned_abs(), 1.0);
    while e > 0 {
        if e & 1 == 1 {
            acc *= base;
        }
        base *= base;
        e >>= 1;
    }
    if n < 0 {
        1.0 / acc
    } else {
        acc
    }
}

/// Formats a value for `tostring`.
pub fn tostring(v: &Val) -> Vec<u8> {
    match v {
        Val::Nil => b"nil".to_vec(),
        Val::Bool(b) => b.to_string().into_bytes(),
        Val::Num(n) => fmt_num(*n).into_bytes(),
        Val::Str(s) => s.to_vec(),
        // Lua prints an address; the lab prints none, to stay deterministic.
        Val::Table(_) => b"table".to_vec(),
        Val::Func(..) | Val::Builtin(_) => b"function".to_vec(),
    }
}
