//! redis-cli's side of a console line, for real servers: splitting the line
//! into arguments (`sdssplitargs`, shared with the lab) and printing a reply the way
//! redis-cli 7.0 prints it on a terminal (a port of `cliFormatReplyTTY`, and
//! of the raw output redis-cli forces for INFO).
//!
//! Why a port and not only the redis-cli binary: a check needs one
//! persistent connection per node (WAIT counts the acknowledgements of the
//! *client's own* last write; a fresh redis-cli per line would always be a
//! client that never wrote). So commands go through the `redis` crate and
//! are printed here; the suite calibrates this printer against
//! `/usr/bin/redis-cli --no-raw` on a batch of replies before it compares
//! anything (`calibrate` in the suite), so the port cannot silently drift.

use redis::Value;

/// `sdssplitargs`: redis-cli's parsing of an interactive line, shared with
/// the lab (`replilab_core::data::split_args`, itself checked against
/// redis-cli 7.0.15). `None` is what redis-cli reports as "Invalid argument(s)".
pub fn split_args(line: &str) -> Option<Vec<Vec<u8>>> {
    replilab_core::data::split_args(line).ok()
}

/// Commands whose replies redis-cli prints raw even on a terminal
/// (`cliSendCommand`'s `output_raw` list, the part the lab can answer).
pub fn prints_raw(args: &[Vec<u8>]) -> bool {
    let name = |i: usize| {
        args.get(i)
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
            .unwrap_or_default()
    };
    let cmd = name(0);
    cmd == "info"
        || cmd == "lolwut"
        || (cmd == "client" && (name(1) == "list" || name(1) == "info"))
        || (cmd == "latency" && name(1) == "doctor")
}

/// `sdscatrepr`: a bulk string as redis-cli quotes it.
pub fn repr(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in bytes {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            7 => s.push_str("\\a"),
            8 => s.push_str("\\b"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push('"');
    s
}

/// An error reply's text as the server sent it (`-ERR ...` without the dash).
pub fn error_text(e: &redis::ServerError) -> String {
    match e.details() {
        Some(d) => format!("{} {d}", e.code()),
        None => e.code().to_string(),
    }
}

/// What redis-cli prints for `v`, without the final newline.
pub fn format_reply(v: &Value, raw: bool) -> String {
    let mut s = if raw {
        format_raw(v)
    } else {
        format_tty(v, "")
    };
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

fn format_raw(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        other => format_tty(other, ""),
    }
}

/// `cliFormatReplyTTY` (RESP2 types; anything else is printed as unsupported,
/// which then shows as a mismatch rather than a panic).
fn format_tty(v: &Value, prefix: &str) -> String {
    match v {
        Value::ServerError(e) => format!("(error) {}\n", error_text(e)),
        Value::Okay => "OK\n".into(),
        Value::SimpleString(s) => format!("{s}\n"),
        Value::Int(i) => format!("(integer) {i}\n"),
        Value::BulkString(b) => format!("{}\n", repr(b)),
        Value::Nil => "(nil)\n".into(),
        Value::Array(items) if items.is_empty() => "(empty array)\n".into(),
        Value::Array(items) => {
            let idxlen = items.len().to_string().len();
            let child_prefix = format!("{prefix}{}", " ".repeat(idxlen + 2));
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let p = if i == 0 { "" } else { prefix };
                out.push_str(&format!("{p}{:>idxlen$}) ", i + 1));
                out.push_str(&format_tty(item, &child_prefix));
            }
            out
        }
        other => format!("<reply type redis-cli prints differently: {other:?}>\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_sdssplitargs() {
        let v = |l: &str| {
            split_args(l).map(|a| {
                a.into_iter()
                    .map(|x| String::from_utf8(x).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            v("SET k  \"a b\""),
            Some(vec!["SET".into(), "k".into(), "a b".into()])
        );
        assert_eq!(
            v("x 'it\\'s' \"\\x41\\n\""),
            Some(vec!["x".into(), "it's".into(), "A\n".into()])
        );
        assert_eq!(v("x \"a\"b"), None);
        assert_eq!(v("x \"a"), None);
        assert_eq!(v("   "), Some(vec![]));
    }

    #[test]
    fn formats_nested_arrays_like_redis_cli() {
        let v = Value::Array(vec![
            Value::BulkString(b"master".to_vec()),
            Value::Int(5),
            Value::Array(vec![Value::Array(vec![
                Value::BulkString(b"127.0.0.1".to_vec()),
                Value::BulkString(b"1".to_vec()),
            ])]),
        ]);
        assert_eq!(
            format_reply(&v, false),
            "1) \"master\"\n2) (integer) 5\n3) 1) 1) \"127.0.0.1\"\n      2) \"1\""
        );
    }
}
