//! Command lines and the RESP multibulk encoding of commands.
//!
//! `split_args` mirrors `sdssplitargs` in sds.c, which is what interactive
//! redis-cli uses to turn a typed line into arguments. `resp_len` is the byte
//! count a command adds to `master_repl_offset` when it is fed to replicas.

use std::fmt;

/// A command as a list of binary-safe arguments.
pub type Argv = Vec<Vec<u8>>;

/// A line redis-cli refuses (unbalanced quotes, or a closing quote followed by
/// something other than a space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgsError;

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What redis-cli 7.0 prints for such a line.
        f.write_str("Invalid argument(s)")
    }
}

impl std::error::Error for ArgsError {}

fn is_c_space(c: u8) -> bool {
    // C isspace() in the "C" locale.
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Splits a typed line into arguments exactly like redis-cli (`sdssplitargs`).
///
/// Double quotes understand `\n \r \t \b \a \xHH` and `\<any>` (that
/// character); single quotes understand only `\'`. A closing quote must be
/// followed by whitespace or the end of the line. The line ends at the first
/// NUL, as in C. An empty or blank line gives `Ok(vec![])`.
pub fn split_args(line: &str) -> Result<Argv, ArgsError> {
    let bytes = line.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let s = &bytes[..end];
    let at = |i: usize| -> u8 { s.get(i).copied().unwrap_or(0) };
    let mut out = Vec::new();
    let mut p = 0usize;
    loop {
        while p < s.len() && is_c_space(s[p]) {
            p += 1;
        }
        if p >= s.len() {
            return Ok(out);
        }
        let mut cur = Vec::new();
        let (mut inq, mut insq) = (false, false);
        loop {
            let c = at(p);
            if inq {
                if c == b'\\'
                    && at(p + 1) == b'x'
                    && hex_val(at(p + 2)).is_some()
                    && hex_val(at(p + 3)).is_some()
                {
                    let hi = hex_val(at(p + 2)).unwrap_or(0);
                    let lo = hex_val(at(p + 3)).unwrap_or(0);
                    cur.push(hi * 16 + lo);
                    p += 3;
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    cur.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return Err(ArgsError);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(ArgsError);
                } else {
                    cur.push(c);
                }
            } else if insq {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return Err(ArgsError);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(ArgsError);
                } else {
                    cur.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        if c != 0 {
                            p += 1;
                        }
                        break;
                    }
                    b'"' => inq = true,
                    b'\'' => insq = true,
                    _ => cur.push(c),
                }
            }
            p += 1;
        }
        out.push(cur);
    }
}

fn decimal_len(mut n: u64) -> u64 {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

/// Exact byte length of `*N\r\n` followed by `$len\r\narg\r\n` per argument.
pub fn resp_len(argv: &[Vec<u8>]) -> u64 {
    let mut total = 1 + decimal_len(argv.len() as u64) + 2;
    for a in argv {
        let n = a.len() as u64;
        total += 1 + decimal_len(n) + 2 + n + 2;
    }
    total
}

/// Appends the RESP multibulk encoding of `argv` to `out`.
pub fn encode_resp(argv: &[Vec<u8>], out: &mut Vec<u8>) {
    out.push(b'*');
    out.extend_from_slice(argv.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for a in argv {
        out.push(b'$');
        out.extend_from_slice(a.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

/// One argument quoted the way redis-cli and MONITOR print strings
/// (`sdscatrepr`): `"..."` with `\\ \" \n \r \t \a \b` escaped, other bytes
/// outside 0x20..=0x7e as `\xNN` (lowercase hex).
pub fn quote_arg(a: &[u8]) -> String {
    let mut s = String::with_capacity(a.len() + 2);
    push_repr(&mut s, a);
    s
}

pub(crate) fn push_repr(s: &mut String, a: &[u8]) {
    s.reserve(a.len() + 2);
    s.push('"');
    let mut rest = a;
    loop {
        // A run of bytes printed as they are goes in at once: INFO replies are kilobytes.
        let plain = rest
            .iter()
            .position(|&c| !matches!(c, 0x20..=0x7e) || c == b'\\' || c == b'"')
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(plain);
        s.push_str(std::str::from_utf8(run).unwrap_or_default());
        let Some((&c, tail)) = tail.split_first() else {
            break;
        };
        match c {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x07 => s.push_str("\\a"),
            0x08 => s.push_str("\\b"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                s.push_str("\\x");
                s.push(HEX[usize::from(c >> 4)] as char);
                s.push(HEX[usize::from(c & 15)] as char);
            }
        }
        rest = tail;
    }
    s.push('"');
}

/// An argv as MONITOR prints it after the timestamp: every argument quoted
/// with `quote_arg`, separated by spaces, e.g. `"SET" "k" "v"`.
pub fn format_argv(argv: &[Vec<u8>]) -> String {
    let mut s = String::new();
    for (i, a) in argv.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        push_repr(&mut s, a);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        split_args(line)
            .unwrap()
            .into_iter()
            .map(|a| String::from_utf8_lossy(&a).into_owned())
            .collect()
    }

    #[test]
    fn split_args_plain_words_and_blank_lines() {
        assert_eq!(split_args("").unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(split_args("   \t ").unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(args("   SET    \"t\"\t'u'   "), ["SET", "t", "u"]);
        assert_eq!(args("GET a\nb"), ["GET", "a", "b"]);
    }

    // Each case was typed into interactive redis-cli 7.0.15 and the stored
    // key/value read back.
    #[test]
    fn split_args_double_quote_escapes_match_redis_cli() {
        assert_eq!(
            split_args(r#"SET bin "\x01\xff\t\\z\n\r\a\b\"end""#).unwrap()[2],
            b"\x01\xff\t\\z\n\r\x07\x08\"end".to_vec()
        );
        assert_eq!(args(r#"SET "\x4" "\xZZ""#), ["SET", "x4", "xZZ"]);
        assert_eq!(args(r#"SET "\x41\x4a" q"#), ["SET", "AJ", "q"]);
        assert_eq!(args(r#"ECHO """#), ["ECHO", ""]);
        assert_eq!(args(r#"a"b c""#), ["ab c"]);
    }

    #[test]
    fn split_args_single_quotes_only_escape_the_quote() {
        assert_eq!(args(r"SET 'it\'s' 'a\nb'"), ["SET", "it's", "a\\nb"]);
        assert_eq!(args("SET '' x"), ["SET", "", "x"]);
        // `\\'` is a backslash then an escaped quote: the quote never closes.
        assert_eq!(split_args(r#"SET q 'a"b\n\\'"#), Err(ArgsError));
    }

    #[test]
    fn split_args_rejects_unbalanced_and_glued_quotes() {
        for line in [
            r#"GET "unbalanced"#,
            r#"GET "a"b"#,
            "GET 'a'b",
            "GET 'x",
            r#"GET "x\"#,
        ] {
            assert_eq!(split_args(line), Err(ArgsError), "{line}");
        }
        assert_eq!(ArgsError.to_string(), "Invalid argument(s)");
    }

    #[test]
    fn split_args_stops_at_nul_like_c() {
        assert_eq!(args("GET a\0 b"), ["GET", "a"]);
    }

    #[test]
    fn resp_len_matches_known_offsets() {
        // Byte counts from the facts sheet (replication offsets).
        let v = |s: &str| split_args(s).unwrap();
        assert_eq!(resp_len(&v("PING")), 14);
        assert_eq!(resp_len(&v("REPLCONF GETACK *")), 37);
        assert_eq!(resp_len(&v("SELECT 0")), 23);
        assert_eq!(resp_len(&v("SET foo bar")), 31);
        assert_eq!(resp_len(&v("DEL foo")), 22);
        let mut out = Vec::new();
        encode_resp(&v("SET foo bar"), &mut out);
        assert_eq!(out, b"*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n");
        let big = vec![vec![b'x'; 12345]; 11];
        let mut out = Vec::new();
        encode_resp(&big, &mut out);
        assert_eq!(out.len() as u64, resp_len(&big));
    }

    #[test]
    fn quote_arg_matches_sdscatrepr() {
        assert_eq!(
            quote_arg(b"\x01\xff\t\\z\n\r\x07\x08\"end"),
            r#""\x01\xff\t\\z\n\r\a\b\"end""#
        );
        assert_eq!(quote_arg("héllo".as_bytes()), r#""h\xc3\xa9llo""#);
        assert_eq!(quote_arg(b"\x00\x7f\x80 ~"), r#""\x00\x7f\x80 ~""#);
        assert_eq!(
            format_argv(&[b"SET".to_vec(), b"k".to_vec(), b"v 1".to_vec()]),
            r#""SET" "k" "v 1""#
        );
    }
}
