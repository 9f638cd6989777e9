//! Integer parsing exactly as Redis does it (`string2ll` in util.c), and
//! `strtoul` for SCAN cursors (`parseScanCursorOrReply` in db.c); and
//! `parse_f64`, decimal floats without the standard library's parser.

/// Redis `string2ll`: optional `-`, no `+`, no spaces, no leading zeros
/// (except the string "0"), at most 20 bytes, full i64 range.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    const LONG_STR_SIZE: usize = 21;
    if s.is_empty() || s.len() >= LONG_STR_SIZE {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let first = *digits.first()?;
    if !(b'1'..=b'9').contains(&first) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if negative {
        if v > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Decimal text of an i64 (what Redis stores after INCR).
pub fn fmt_i64(v: i64) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// A SCAN cursor as C `strtoul` reads it (leading space, trailing junk,
/// overflow and the empty string are invalid; a leading `-` wraps around).
pub fn parse_scan_cursor(s: &[u8]) -> Option<u64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

// `parse_f64`: `str::parse::<f64>` is correctly rounded for every input, and carries a
// ~10 KB table of 128-bit powers of five into the wasm for it. The lab
// parses few floats (Lua numbers, `DEBUG SLEEP` seconds, lesson times), and
// all of the usual ones (at most 15 significant digits, a power of ten up
// to 22) take the exact path below (Clinger's fast path: both factors are
// exact `f64`s, so the one multiplication or division rounds correctly).
// Others are within a few units in the last place. Native and wasm run
// this same code, so traces stay identical.

/// 10^0 ..= 10^22, each exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `[+-]digits[.digits][(e|E)[+-]digits]`, at least one digit before the
/// exponent; also `inf`, `infinity` and `nan` in any case, like `str::parse`.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let word = std::str::from_utf8(b).ok()?.to_ascii_lowercase();
    let v = match word.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => decimal(b),
    }?;
    Some(if neg { -v } else { v })
}

fn decimal(b: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut mant: u64 = 0;
    let mut digits = 0u32;
    let mut exp10: i64 = 0;
    let mut exact = true;
    let mut seen_point = false;
    let mut any = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                any = true;
                if mant == 0 && c == b'0' {
                    // Leading zeros are not significant.
                } else if digits < 19 {
                    mant = mant * 10 + u64::from(c - b'0');
                    digits += 1;
                } else {
                    exact &= c == b'0';
                    exp10 += 1;
                }
                if seen_point {
                    exp10 -= 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(c @ b'0'..=b'9') = b.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if neg { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    if mant == 0 {
        return Some(0.0);
    }
    let m = mant as f64;
    if exact && mant < 1 << 53 && exp10.abs() <= 22 {
        let p = POW10[exp10.unsigned_abs() as usize];
        return Some(if exp10 < 0 { m / p } else { m * p });
    }
    // Outside the exact path: scale in steps of exact powers of ten.
    let mut v = m;
    let mut e = exp10.clamp(-400, 400);
    while e > 0 && v.is_finite() {
        let k = e.min(22);
        v *= POW10[k as usize];
        e -= k;
    }
    while e < 0 && v != 0.0 {
        let k = (-e).min(22);
        v /= POW10[k as usize];
        e += k;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string2ll_accepts_only_canonical_integers() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"007",
            b"+7",
            b" 7",
            b"7 ",
            b"1e3",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"99999999999999999999",
            b"1.5",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn scan_cursor_parses_like_strtoul() {
        assert_eq!(parse_scan_cursor(b"0"), Some(0));
        assert_eq!(parse_scan_cursor(b"+0"), Some(0));
        assert_eq!(parse_scan_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_scan_cursor(b"18446744073709551615"), Some(u64::MAX));
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"abc",
            b"18446744073709551616",
            b"-",
        ] {
            assert_eq!(parse_scan_cursor(bad), None);
        }
    }
}

#[cfg(test)]
mod float_tests {
    use super::*;

    #[test]
    fn usual_numbers_are_exactly_what_std_parses() {
        let cases = [
            "0",
            "-0",
            "1",
            "+1.5",
            "0.1",
            "3.14159",
            "2.5e3",
            "1e22",
            "1E-5",
            "123456789012345",
            "0.000001",
            ".5",
            "5.",
            "007",
            "1e0",
            "-42.125",
            "9007199254740991",
            "0.30000000000000004",
        ];
        for c in cases {
            assert_eq!(
                parse_f64(c).map(f64::to_bits),
                c.parse::<f64>().ok().map(f64::to_bits),
                "{c}"
            );
        }
        let mut x: u64 = 1;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let int = (x >> 20) % 10_000_000;
            let frac = (x >> 8) % 100_000;
            let exp = (x % 31) as i64 - 15;
            let text = format!("{int}.{frac:05}e{exp}");
            assert_eq!(parse_f64(&text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn other_numbers_are_close() {
        for c in [
            "1.2345678901234567890123",
            "1e300",
            "4.9e-300",
            "123456789012345678901234567890",
            "1e-320",
        ] {
            let (a, b) = (parse_f64(c).unwrap(), c.parse::<f64>().unwrap());
            assert!(((a - b) / b).abs() < 1e-14, "{c}: {a} vs {b}");
        }
        assert_eq!(parse_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_f64("1e-400"), Some(0.0));
        assert_eq!(parse_f64("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_f64("NaN").unwrap().is_nan());
    }

    #[test]
    fn malformed_text_is_refused() {
        for c in [
            "", "-", ".", "e5", "1e", "1e+", "1.2.3", "1x", " 1", "--1", "0x10", "1_000",
        ] {
            assert_eq!(parse_f64(c), None, "{c:?}");
            assert!(c.parse::<f64>().is_err(), "{c:?} parses in std");
        }
    }
}
