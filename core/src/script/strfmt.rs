//! `string.format` (`str_format` in lstrlib.c), the subset scripts use.

use super::eval::{Interp, LuaError};
use super::stdlib::{bytes, num, Builtin::StrFormat};
use super::value::{fmt_g, Val};

/// `string.format` with `%d %i %s %f %g %x %c %%`, flags, width and precision.
pub(super) fn format(me: &Interp, a: &[Val]) -> Result<Vec<u8>, LuaError> {
    let fmt = bytes(me, StrFormat, a, 0)?;
    let mut out = Vec::new();
    let mut argi = 1;
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        let start = i;
        while i < fmt.len() && b"-+ #0".contains(&fmt[i]) {
            i += 1;
        }
        let flags = String::from_utf8_lossy(&fmt[start..i]).into_owned();
        let spec_end = i + fmt[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
        let spec = String::from_utf8_lossy(&fmt[i..spec_end]).into_owned();
        i = spec_end;
        let (w, p) = spec
            .split_once('.')
            .map(|(w, p)| (w, Some(p)))
            .unwrap_or((&spec, None));
        let width: usize = w.parse().unwrap_or(0).min(99);
        let prec: Option<usize> = p.map(|p| p.parse().unwrap_or(0).min(99));
        let Some(&conv) = fmt.get(i) else {
            return Err(me.rt("invalid option '%' to 'format'"));
        };
        i += 1;
        let body = match conv {
            b'd' | b'i' => {
                let n = num(me, StrFormat, a, argi)?;
                format!("{}", n as i64)
            }
            b'x' | b'X' => {
                let n = num(me, StrFormat, a, argi)? as i64;
                if conv == b'x' {
                    format!("{n:x}")
                } else {
                    format!("{n:X}")
                }
            }
            b'c' => (num(me, StrFormat, a, argi)? as u8 as char).to_string(),
            b'f' => format!("{:.*}", prec.unwrap_or(6), num(me, StrFormat, a, argi)?),
            b'g' => fmt_g(num(me, StrFormat, a, argi)?, prec.unwrap_or(6).clamp(1, 17)),
            b's' => {
                let s = bytes(me, StrFormat, a, argi)?;
                let s = String::from_utf8_lossy(&s).into_owned();
                match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            other => {
                return Err(me.rt(format_args!(
                    "invalid option '%{}' to 'format'",
                    other as char
                )));
            }
        };
        argi += 1;
        let body = if flags.contains('+') && !body.starts_with('-') && b"dif".contains(&conv) {
            format!("+{body}")
        } else {
            body
        };
        let pad = width.saturating_sub(body.chars().count());
        if flags.contains('-') {
            out.extend_from_slice(body.as_bytes());
            out.extend(std::iter::repeat_n(b' ', pad));
        } else if flags.contains('0') && conv != b's' {
            let (sign, digits) = if body.starts_with(['-', '+']) {
                body.split_at(1)
            } else {
                ("", body.as_str())
            };
            out.extend_from_slice(sign.as_bytes());
            out.extend(std::iter::repeat_n(b'0', pad));
            out.extend_from_slice(digits.as_bytes());
        } else {
            out.extend(std::iter::repeat_n(b' ', pad));
            out.extend_from_slice(body.as_bytes());
        }
    }
    Ok(out)
}
