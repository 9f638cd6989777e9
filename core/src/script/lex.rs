//! The Lua 5.1 lexer (`llex.c`): names, keywords, numbers (decimal, hex,
//! exponent), short and long strings with escapes, comments.

/// A token; keywords and operators are `Op`.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(String),
    Num(f64),
    Str(Vec<u8>),
    Op(&'static str),
    Eof,
}

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

const OPS: &[&str] = &[
    "...", "..", "==", "~=", "<=", ">=", "+", "-", "*", "/", "%", "^", "#", "<", ">", "=", "(",
    ")", "{", "}", "[", "]", ";", ":", ",", ".",
];

impl Tok {
    /// How Lua quotes a token in "near '...'".
    pub fn near(&self) -> String {
        match self {
            Tok::Name(n) => n.clone(),
            Tok::Num(n) => super::value::fmt_num(*n),
            Tok::Str(s) => String::from_utf8_lossy(s).into_owned(),
            Tok::Op(o) => o.to_string(),
            Tok::Eof => "<eof>".into(),
        }
    }
}

/// Splits a chunk into (token, line) pairs, ending with `Eof`.
pub fn lex(src: &[u8]) -> Result<Vec<(Tok, u32)>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let err = |line: u32, m: String| Err(format!("user_script:{line}: {m}"));
    while i < src.len() {
        let c = src[i];
        if c == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if src[i..].starts_with(b"--") {
            i += 2;
            if let Some(level) = long_open(&src[i..]) {
                let (_, used, nl) = long_body(&src[i..], level).ok_or_else(|| {
                    format!("user_script:{line}: unfinished long comment near '<eof>'")
                })?;
                i += used;
                line += nl;
            } else {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
            }
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < src.len() && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                i += 1;
            }
            let w = String::from_utf8_lossy(&src[start..i]).into_owned();
            let tok = match KEYWORDS.iter().find(|k| **k == w) {
                Some(k) => Tok::Op(k),
                None => Tok::Name(w),
            };
            out.push((tok, line));
        } else if c.is_ascii_digit()
            || (c == b'.' && src.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            while i < src.len()
                && (src[i].is_ascii_alphanumeric()
                    || src[i] == b'.'
                    || ((src[i] == b'+' || src[i] == b'-')
                        && matches!(src[i - 1], b'e' | b'E')
                        && !src[start..i].starts_with(b"0x")))
            {
                i += 1;
            }
            let text = String::from_utf8_lossy(&src[start..i]).into_owned();
            match super::value::parse_num(&text) {
                Some(n) => out.push((Tok::Num(n), line)),
                None => return err(line, format!("malformed number near '{text}'")),
            }
        } else if c == b'"' || c == b'\'' {
            let (s, used) = short_string(&src[i..], line)?;
            i += used;
            out.push((Tok::Str(s), line));
        } else if let Some(level) = long_open(&src[i..]) {
            let (s, used, nl) = long_body(&src[i..], level).ok_or_else(|| {
                format!("user_script:{line}: unfinished long string near '<eof>'")
            })?;
            i += used;
            out.push((Tok::Str(s), line));
            line += nl;
        } else if let Some(op) = OPS.iter().find(|o| src[i..].starts_with(o.as_bytes())) {
            i += op.len();
            out.push((Tok::Op(op), line));
        } else {
            let near = String::from_utf8_lossy(&src[i..i + 1]).into_owned();
            return err(line, format!("unexpected symbol near '{near}'"));
        }
    }
    out.push((Tok::Eof, line));
    Ok(out)
}

/// `[[` or `[==[`: the level (number of `=`).
fn long_open(s: &[u8]) -> Option<usize> {
    if s.first() != Some(&b'[') {
        return None;
    }
    let eq = s[1..].iter().take_while(|c| **c == b'=').count();
    (s.get(1 + eq) == Some(&b'[')).then_some(eq)
}

/// The body of a long bracket: (content, bytes used, newlines).
fn long_body(s: &[u8], level: usize) -> Option<(Vec<u8>, usize, u32)> {
    let open = level + 2;
    let mut close = vec![b']'];
    close.extend(std::iter::repeat_n(b'=', level));
    close.push(b']');
    let end = s[open..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    let mut body = &s[open..open + end];
    let nl = body.iter().filter(|c| **c == b'\n').count() as u32;
    if body.first() == Some(&b'\n') {
        body = &body[1..];
    }
    Some((body.to_vec(), open + end + close.len(), nl))
}

fn short_string(s: &[u8], line: u32) -> Result<(Vec<u8>, usize), String> {
    let q = s[0];
    let mut out = Vec::new();
    let mut i = 1;
    let unfinished = |i: usize| {
        format!(
            "user_script:{line}: unfinished string near '{}'",
            String::from_utf8_lossy(&s[..i])
        )
    };
    loop {
        let Some(&c) = s.get(i) else {
            return Err(format!(
                "user_script:{line}: unfinished string near '<eof>'"
            ));
        };
        i += 1;
        match c {
            b'\n' => return Err(unfinished(i - 1)),
            c if c == q => return Ok((out, i)),
            b'\\' => {
                let Some(&e) = s.get(i) else {
                    return Err(unfinished(i));
                };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'\n' => out.push(b'\n'),
                    b'0'..=b'9' => {
                        let mut v = (e - b'0') as u32;
                        for _ in 0..2 {
                            match s.get(i) {
                                Some(d) if d.is_ascii_digit() => {
                                    v = v * 10 + (d - b'0') as u32;
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        if v > 255 {
                            return Err(format!(
                                "user_script:{line}: escape sequence too large near '{}'",
                                String::from_utf8_lossy(&s[..i])
                            ));
                        }
                        out.push(v as u8);
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
}
