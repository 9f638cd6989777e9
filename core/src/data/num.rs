//! Integer parsing exactly as Redis does it (`string2ll` and `memtoull` in
//! util.c), `strtoul` for SCAN cursors (`parseScanCursorOrReply` in db.c)
//! and `strtoll` as config.c calls it.

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

/// Redis `memtoull`: digits, then an optional unit (`b`, `k` = 1000,
/// `kb` = 1024, `m`, `mb`, `g`, `gb`, any case). As in C: a leading `-` is
/// invalid, the empty string is 0, digits past `u64::MAX` saturate
/// (`strtoull`'s ERANGE is not checked), and the product wraps.
pub fn memtoull(s: &[u8]) -> Option<u64> {
    if s.first() == Some(&b'-') {
        return None;
    }
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mul: u64 = match s[digits..].to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1_000_000,
        b"mb" => 1 << 20,
        b"g" => 1_000_000_000,
        b"gb" => 1 << 30,
        _ => return None,
    };
    if digits >= 128 {
        return None;
    }
    let val = s[..digits]
        .iter()
        .try_fold(0u64, |v, c| {
            v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        })
        .unwrap_or(u64::MAX);
    Some(val.wrapping_mul(mul))
}

/// C `strtoll(s, &end, 10)` with `*end == '\0'` required, as config.c reads
/// a buffer limit's seconds: leading white space and a sign are allowed,
/// the empty string is 0, and overflow saturates.
pub fn strtoll_whole(s: &[u8]) -> Option<i64> {
    let t = s.trim_ascii_start();
    if t.is_empty() {
        // No digits: end points at the start, which is '\0' only if s was all blanks.
        return s.is_empty().then_some(0);
    }
    let (neg, digits) = match t[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mag = digits
        .iter()
        .fold(0i128, |v, c| (v * 10 + i128::from(c - b'0')).min(1 << 64));
    let v = if neg { -mag } else { mag };
    Some(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
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

    #[test]
    fn memtoull_follows_util_c() {
        assert_eq!(memtoull(b"1mb"), Some(1 << 20));
        assert_eq!(memtoull(b"1M"), Some(1_000_000));
        assert_eq!(memtoull(b"1KB"), Some(1024));
        assert_eq!(memtoull(b"16384"), Some(16384));
        assert_eq!(memtoull(b""), Some(0));
        assert_eq!(memtoull(b"mb"), Some(0));
        // 99999999999 GiB wraps to a value above i64::MAX, as in C.
        assert_eq!(memtoull(b"99999999999gb"), Some(15140462030378500096));
        for bad in [&b"-1"[..], b"+5mb", b"1.5mb", b"12xb", b" 1", b"1 "] {
            assert_eq!(memtoull(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn strtoll_whole_follows_libc() {
        assert_eq!(strtoll_whole(b""), Some(0));
        assert_eq!(strtoll_whole(b" +7"), Some(7));
        assert_eq!(strtoll_whole(b"-1"), Some(-1));
        assert_eq!(strtoll_whole(b"99999999999999999999"), Some(i64::MAX));
        for bad in [&b" "[..], b"1.5", b"7 ", b"x", b"-"] {
            assert_eq!(
                strtoll_whole(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
