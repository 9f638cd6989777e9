//! Replies in RESP2, and how interactive redis-cli (tty mode) prints them.
//!
//! `format_cli` mirrors `cliFormatReplyTTY` in redis-cli.c: statuses raw,
//! `(error) `, `(integer) `, bulk strings quoted with `sdscatrepr`, `(nil)`,
//! `(empty array)`, and numbered arrays whose index column is as wide as the
//! largest index, with nested arrays indented under their parent entry.

use std::borrow::Cow;

use super::argv::push_repr;

/// A RESP2 reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK` (borrowed for the fixed ones: a SET's `OK` allocates nothing).
    Status(Cow<'static, str>),
    /// `-ERR ...` (the text includes the error code, e.g. `ERR`, `READONLY`).
    Error(String),
    /// `:1`
    Int(i64),
    /// `$3\r\nabc`
    Bulk(Vec<u8>),
    /// `$-1`
    Nil,
    /// `*N`
    Array(Vec<Reply>),
    /// `*-1`
    NilArray,
}

fn decimal_len_i64(v: i64) -> u64 {
    let mut n = v.unsigned_abs();
    let mut len = if v < 0 { 2 } else { 1 };
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status(Cow::Borrowed("OK"))
    }
    pub fn status(s: &str) -> Reply {
        Reply::Status(Cow::Owned(s.to_string()))
    }
    pub fn err(s: &str) -> Reply {
        Reply::Error(s.to_string())
    }
    pub fn int(i: i64) -> Reply {
        Reply::Int(i)
    }
    pub fn bulk(b: &[u8]) -> Reply {
        Reply::Bulk(b.to_vec())
    }
    pub fn bulk_str(s: &str) -> Reply {
        Reply::Bulk(s.as_bytes().to_vec())
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Exact number of bytes of the RESP2 encoding.
    pub fn resp_len(&self) -> u64 {
        match self {
            Reply::Status(s) => 1 + s.len() as u64 + 2,
            Reply::Error(s) => 1 + s.len() as u64 + 2,
            Reply::Int(i) => 1 + decimal_len_i64(*i) + 2,
            Reply::Bulk(b) => 1 + decimal_len_i64(b.len() as i64) + 2 + b.len() as u64 + 2,
            Reply::Nil | Reply::NilArray => 5,
            Reply::Array(v) => {
                1 + decimal_len_i64(v.len() as i64) + 2 + v.iter().map(Reply::resp_len).sum::<u64>()
            }
        }
    }

    /// The RESP2 bytes.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    pub fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s.as_bytes());
            }
            Reply::Int(i) => {
                out.push(b':');
                out.extend_from_slice(i.to_string().as_bytes());
            }
            Reply::Bulk(b) => {
                out.push(b'$');
                out.extend_from_slice(b.len().to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(b);
            }
            Reply::Nil => out.extend_from_slice(b"$-1"),
            Reply::NilArray => out.extend_from_slice(b"*-1"),
            Reply::Array(v) => {
                out.push(b'*');
                out.extend_from_slice(v.len().to_string().as_bytes());
                out.extend_from_slice(b"\r\n");
                for r in v {
                    r.write_resp(out);
                }
                return;
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// The text interactive redis-cli 7.0 prints for this reply in a terminal,
    /// without the final newline.
    pub fn format_cli(&self) -> String {
        let mut out = String::new();
        self.fmt_tty("", &mut out);
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }

    fn fmt_tty(&self, prefix: &str, out: &mut String) {
        match self {
            Reply::Status(s) => out.push_str(s),
            Reply::Error(e) => {
                out.push_str("(error) ");
                out.push_str(e);
            }
            Reply::Int(i) => {
                out.push_str("(integer) ");
                out.push_str(&i.to_string());
            }
            Reply::Bulk(b) => push_repr(out, b),
            Reply::Nil | Reply::NilArray => out.push_str("(nil)"),
            Reply::Array(v) if v.is_empty() => out.push_str("(empty array)"),
            Reply::Array(v) => {
                let width = v.len().to_string().len();
                let mut child = String::with_capacity(prefix.len() + width + 2);
                child.push_str(prefix);
                child.extend(std::iter::repeat_n(' ', width + 2));
                for (i, r) in v.iter().enumerate() {
                    if i > 0 {
                        out.push_str(prefix);
                    }
                    let idx = (i + 1).to_string();
                    out.extend(std::iter::repeat_n(' ', width - idx.len()));
                    out.push_str(&idx);
                    out.push_str(") ");
                    r.fmt_tty(&child, out);
                }
                return;
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Reply {
        Reply::bulk_str(s)
    }

    #[test]
    fn resp_encoding_and_length_agree() {
        let r = Reply::Array(vec![
            Reply::ok(),
            Reply::err("ERR x"),
            Reply::Int(-42),
            b("hello"),
            Reply::Nil,
            Reply::NilArray,
            Reply::Array(vec![]),
            Reply::Bulk(vec![0; 10]),
        ]);
        let bytes = r.to_resp();
        assert_eq!(bytes.len() as u64, r.resp_len());
        assert!(bytes.starts_with(
            b"*8\r\n+OK\r\n-ERR x\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n*0\r\n$10\r\n"
        ));
        assert_eq!(
            Reply::Int(i64::MIN).resp_len(),
            Reply::Int(i64::MIN).to_resp().len() as u64
        );
    }

    // Expected strings captured from interactive redis-cli 7.0.15 in a tty.
    #[test]
    fn format_cli_scalars_match_redis_cli() {
        assert_eq!(Reply::ok().format_cli(), "OK");
        assert_eq!(Reply::status("PONG").format_cli(), "PONG");
        assert_eq!(Reply::Int(2).format_cli(), "(integer) 2");
        assert_eq!(Reply::Nil.format_cli(), "(nil)");
        assert_eq!(b("").format_cli(), "\"\"");
        assert_eq!(
            Reply::Bulk(b"\x01\xff\t\\z\n\r\x07\x08\"end".to_vec()).format_cli(),
            r#""\x01\xff\t\\z\n\r\a\b\"end""#
        );
        assert_eq!(
            Reply::Bulk("héllo".as_bytes().to_vec()).format_cli(),
            r#""h\xc3\xa9llo""#
        );
        assert_eq!(
            Reply::err("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ")
                .format_cli(),
            "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' "
        );
        assert_eq!(Reply::Array(vec![]).format_cli(), "(empty array)");
    }

    #[test]
    fn format_cli_role_nesting_matches_redis_cli() {
        let r = Reply::Array(vec![
            b("master"),
            Reply::Int(2548),
            Reply::Array(vec![
                Reply::Array(vec![b("127.0.0.1"), b("7391"), b("2389")]),
                Reply::Array(vec![b("127.0.0.1"), b("0"), b("0")]),
            ]),
        ]);
        let want = "1) \"master\"\n2) (integer) 2548\n3) 1) 1) \"127.0.0.1\"\n      2) \"7391\"\n      3) \"2389\"\n   2) 1) \"127.0.0.1\"\n      2) \"0\"\n      3) \"0\"";
        assert_eq!(r.format_cli(), want);
    }

    #[test]
    fn format_cli_pads_indexes_of_ten_or_more() {
        let mut v: Vec<Reply> = (1..=11).map(|i| b(&i.to_string())).collect();
        v.push(Reply::Nil);
        let want = " 1) \"1\"\n 2) \"2\"\n 3) \"3\"\n 4) \"4\"\n 5) \"5\"\n 6) \"6\"\n 7) \"7\"\n 8) \"8\"\n 9) \"9\"\n10) \"10\"\n11) \"11\"\n12) (nil)";
        assert_eq!(Reply::Array(v).format_cli(), want);
        // SCAN with 14 keys: the inner column is padded, the outer is not.
        let keys: Vec<Reply> = (1..=14).map(|i| b(&format!("k{i}"))).collect();
        let scan = Reply::Array(vec![b("0"), Reply::Array(keys)]);
        let text = scan.format_cli();
        assert!(
            text.starts_with("1) \"0\"\n2)  1) \"k1\"\n    2) \"k2\"\n"),
            "{text}"
        );
        assert!(text.ends_with("\n    9) \"k9\"\n   10) \"k10\"\n   11) \"k11\"\n   12) \"k12\"\n   13) \"k13\"\n   14) \"k14\""), "{text}");
        // SCAN with no match.
        assert_eq!(
            Reply::Array(vec![b("0"), Reply::Array(vec![])]).format_cli(),
            "1) \"0\"\n2) (empty array)"
        );
    }

    #[test]
    fn format_cli_status_inside_nested_arrays() {
        // COMMAND INFO get (first lines), captured from redis-cli 7.0.15.
        let r = Reply::Array(vec![Reply::Array(vec![
            b("get"),
            Reply::Int(2),
            Reply::Array(vec![Reply::status("readonly"), Reply::status("fast")]),
            Reply::Int(1),
            Reply::Int(1),
            Reply::Int(1),
            Reply::Array(vec![
                Reply::status("@read"),
                Reply::status("@string"),
                Reply::status("@fast"),
            ]),
            Reply::Array(vec![]),
            Reply::Array(vec![]),
            Reply::Array(vec![]),
        ])]);
        let want = "1)  1) \"get\"\n    2) (integer) 2\n    3) 1) readonly\n       2) fast\n    4) (integer) 1\n    5) (integer) 1\n    6) (integer) 1\n    7) 1) @read\n       2) @string\n       3) @fast\n    8) (empty array)\n    9) (empty array)\n   10) (empty array)";
        assert_eq!(r.format_cli(), want);
    }
}
