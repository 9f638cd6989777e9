//! The values inside actions: times (`500ms`, `2s`, `1.5s`, `-300ms`) and
//! link rates (`2mbit`, `500B/ms`). One rule for the grammar's parser and
//! for the page's fault toolbar: the parser words a refusal in English
//! (`parse_ms`), the page in its own languages from the [`BadValue`].

use super::{clip, ParseError};

/// The longest pause, skew or clock step: a day.
pub const MAX_MS: u64 = 86_400_000;
/// Bytes per ms in one Mbit/s.
pub const MBIT_BYTES_PER_MS: u64 = 125;
/// The fastest link: 10 000 000 Mbit/s.
pub const MAX_BYTES_PER_MS: u64 = 1_250_000_000;

/// Why a text is not a time or a rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadValue {
    /// Nothing was given.
    Empty,
    /// A sign where only a length makes sense (a pause, a latency, a rate).
    Negative,
    /// Not of the form: `5x`, `abc`, `1.5` (a fraction of ms), `2d`.
    Malformed,
    /// Well formed, but beyond the limits: over a day, 0 or over
    /// `MAX_BYTES_PER_MS`.
    OutOfRange,
}

/// `500`, `500ms`, `2s`, `1.5s` (and a sign when `signed`), in ms, at most
/// `MAX_MS` either way.
pub fn time_ms(s: &str, signed: bool) -> Result<i64, BadValue> {
    let (neg, body) = match s.as_bytes().first() {
        None => return Err(BadValue::Empty),
        Some(b'+') if signed => (false, &s[1..]),
        Some(b'-') if signed => (true, &s[1..]),
        Some(b'-') => return Err(BadValue::Negative),
        _ => (false, s),
    };
    let (num, per) = if let Some(n) = body.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = body.strip_suffix('s') {
        (n, 1000)
    } else {
        (body, 1)
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(BadValue::Malformed);
    }
    let ms = if let Some((whole, frac)) = num.split_once('.') {
        // Fractions only of seconds, to the millisecond: 1.5s, 0.25s.
        if per != 1000 || frac.is_empty() || frac.len() > 3 || frac.contains('.') {
            return Err(BadValue::Malformed);
        }
        let w: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| BadValue::Malformed)?
        };
        let f: u64 = format!("{frac:0<3}")
            .parse()
            .map_err(|_| BadValue::Malformed)?;
        w.checked_mul(1000).and_then(|w| w.checked_add(f))
    } else {
        num.parse::<u64>().ok().and_then(|n| n.checked_mul(per))
    };
    match ms {
        Some(ms) if ms <= MAX_MS => Ok(if neg { -(ms as i64) } else { ms as i64 }),
        Some(_) => Err(BadValue::OutOfRange),
        None => Err(BadValue::Malformed),
    }
}

/// `2mbit` (Mbit/s) or `500B/ms`, in bytes per ms, 1 to `MAX_BYTES_PER_MS`.
pub fn rate(s: &str) -> Result<u64, BadValue> {
    if s.is_empty() {
        return Err(BadValue::Empty);
    }
    if s.starts_with('-') {
        return Err(BadValue::Negative);
    }
    let v = if let Some(n) = s.strip_suffix("mbit") {
        n.parse::<u64>()
            .ok()
            .map(|n| n.checked_mul(MBIT_BYTES_PER_MS))
    } else if let Some(n) = s.strip_suffix("B/ms") {
        n.parse::<u64>().ok().map(Some)
    } else {
        None
    };
    match v {
        None => Err(BadValue::Malformed),
        Some(Some(v)) if (1..=MAX_BYTES_PER_MS).contains(&v) => Ok(v),
        Some(_) => Err(BadValue::OutOfRange),
    }
}

/// [`time_ms`], with the refusal in words.
pub fn parse_ms(s: &str, signed: bool) -> Result<i64, ParseError> {
    time_ms(s, signed).map_err(|e| {
        ParseError(match e {
            BadValue::OutOfRange => format!("'{}' is more than a day", clip(s)),
            _ => format!(
                "'{}' is not a time (e.g. 500ms, 2s{})",
                clip(s),
                if signed { ", -300ms" } else { "" }
            ),
        })
    })
}

/// [`rate`], with the refusal in words.
pub fn parse_bandwidth(s: &str) -> Result<u64, ParseError> {
    rate(s).map_err(|_| {
        ParseError(format!(
            "'{}' is not a bandwidth (e.g. 2mbit, 1000mbit, 500B/ms; at most {}mbit)",
            clip(s),
            MAX_BYTES_PER_MS / MBIT_BYTES_PER_MS
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_rates_say_what_is_wrong() {
        assert_eq!(time_ms("12s", false), Ok(12_000));
        assert_eq!(time_ms("1.5s", false), Ok(1_500));
        assert_eq!(time_ms("-3s", true), Ok(-3_000));
        assert_eq!(time_ms("+0ms", true), Ok(0));
        assert_eq!(time_ms("", false), Err(BadValue::Empty));
        assert_eq!(time_ms("", true), Err(BadValue::Empty));
        assert_eq!(time_ms("-3s", false), Err(BadValue::Negative));
        assert_eq!(time_ms("abc", false), Err(BadValue::Malformed));
        assert_eq!(time_ms("-", true), Err(BadValue::Malformed));
        assert_eq!(time_ms("86400001", false), Err(BadValue::OutOfRange));
        assert_eq!(time_ms("-86401s", true), Err(BadValue::OutOfRange));
        assert_eq!(time_ms("86400s", false), Ok(MAX_MS as i64));
        assert_eq!(rate("2mbit"), Ok(250));
        assert_eq!(rate("500B/ms"), Ok(500));
        assert_eq!(rate(""), Err(BadValue::Empty));
        assert_eq!(rate("-2mbit"), Err(BadValue::Negative));
        assert_eq!(rate("fast"), Err(BadValue::Malformed));
        assert_eq!(rate("2"), Err(BadValue::Malformed));
        assert_eq!(rate("0mbit"), Err(BadValue::OutOfRange));
        assert_eq!(rate("10000001mbit"), Err(BadValue::OutOfRange));
        assert_eq!(rate("99999999999999999999mbit"), Err(BadValue::Malformed));
        assert_eq!(rate("147573952589676413mbit"), Err(BadValue::OutOfRange));
    }
}
