//! A small JSON reader, and `FromJson`: typed decoding with field paths in
//! its errors.
//!
//! The page fetches each lesson as JSON (written by `web/build.rs` with
//! serde). Decoding it through serde in the wasm cost ~30 KB gzipped of
//! derived visitor code; this reader and the hand-written `FromJson` impls
//! (`scenario/from_json.rs`) cost a fraction of that. Numbers keep their
//! text, so a u64 seed or an f64 time parses exactly as its type wants.

/// A parsed JSON value. An object keeps its members in file order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused (no stack overflow on hostile input).
const MAX_DEPTH: usize = 64;

/// Parses a whole JSON text. Errors name the byte offset.
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!("JSON: {what} at byte {}", self.i)
    }
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b" \t\r\n".contains(b)) {
            self.i += 1;
        }
    }
    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let hit = self.s.get(self.i) == Some(&b);
        self.i += usize::from(hit);
        hit
    }
    fn word(&mut self, w: &str, v: Json) -> Result<Json, String> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(self.err("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.ws();
        match self.s.get(self.i) {
            None => Err(self.err("unexpected end")),
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a member name"));
                    }
                    let k = self.string()?;
                    if !self.eat(b':') {
                        return Err(self.err("expected ':'"));
                    }
                    members.push((k, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Ok(Json::Obj(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.err("expected ',' or '}'"));
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.err("expected ',' or ']'"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b) if *b == b'-' || b.is_ascii_digit() => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    self.i += 1;
                }
                let t = &self.s[start..self.i];
                if !t.iter().any(u8::is_ascii_digit) {
                    return Err(self.err("bad number"));
                }
                // Only ASCII was consumed: the slice is valid UTF-8.
                Ok(Json::Num(String::from_utf8_lossy(t).into_owned()))
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    /// A string; `self.i` is at its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err(self.err("unterminated string"));
            };
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|_| self.err("invalid UTF-8")),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.err("unterminated string"));
                    };
                    self.i += 1;
                    let c = match e {
                        b'"' | b'\\' | b'/' => char::from(e),
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                b if b < 0x20 => return Err(self.err("control character in string")),
                b => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(h)
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode(&mut self) -> Result<char, String> {
        let hi = self.hex4()?;
        let cp = if (0xd800..0xdc00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
            self.i += 2;
            let lo = self.hex4()?;
            if !(0xdc00..0xe000).contains(&lo) {
                return Err(self.err("bad surrogate pair"));
            }
            0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
        } else {
            hi
        };
        char::from_u32(cp).ok_or_else(|| self.err("bad \\u escape"))
    }
}

/// Decoding from a `Json` value. Errors read like `node: [2]: kind: expected a string`.
pub trait FromJson: Sized {
    fn from_json(j: &Json) -> Result<Self, String>;
}

/// The members of an object, for reading fields by name. A failed field
/// reads as its default and keeps the first error, which `done` returns:
/// decoding a struct then needs no early return per field (whose drop code
/// for the fields read so far made every struct's decoder several KB).
pub struct Obj<'a> {
    members: &'a [(String, Json)],
    err: Option<String>,
}

impl<'a> Obj<'a> {
    pub fn of(j: &'a Json) -> Result<Obj<'a>, String> {
        match j {
            Json::Obj(members) => Ok(Obj { members, err: None }),
            _ => Err("expected an object".into()),
        }
    }
    /// A member; absent and `null` are the same (the writer drops nulls).
    fn get(&self, k: &str) -> Option<&'a Json> {
        self.members
            .iter()
            .find(|(n, v)| n == k && *v != Json::Null)
            .map(|(_, v)| v)
    }
    fn fail(&mut self, e: String) {
        self.err.get_or_insert(e);
    }
    fn decode<T: FromJson>(&mut self, k: &str, v: &Json) -> Option<T> {
        T::from_json(v)
            .map_err(|e| self.fail(format!("{k}: {e}")))
            .ok()
    }
    /// A member that must be there.
    pub fn req<T: FromJson + Default>(&mut self, k: &str) -> T {
        match self.get(k) {
            Some(v) => self.decode(k, v).unwrap_or_default(),
            None => {
                self.fail(format!("missing field \"{k}\""));
                T::default()
            }
        }
    }
    pub fn opt<T: FromJson>(&mut self, k: &str) -> Option<T> {
        let v = self.get(k)?;
        self.decode(k, v)
    }
    /// An optional member, or the type's default.
    pub fn or_default<T: FromJson + Default>(&mut self, k: &str) -> T {
        self.opt(k).unwrap_or_default()
    }
    /// The decoded value, or the first error.
    pub fn done<T>(self, v: T) -> Result<T, String> {
        match self.err {
            Some(e) => Err(e),
            None => Ok(v),
        }
    }
}

impl FromJson for String {
    fn from_json(j: &Json) -> Result<Self, String> {
        match j {
            Json::Str(s) => Ok(s.clone()),
            _ => Err("expected a string".into()),
        }
    }
}

impl FromJson for bool {
    fn from_json(j: &Json) -> Result<Self, String> {
        match j {
            Json::Bool(b) => Ok(*b),
            _ => Err("expected true or false".into()),
        }
    }
}

/// Numbers: parsed from their text by the target type, so range and
/// integer-ness are checked by `FromStr`.
macro_rules! from_json_num {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(j: &Json) -> Result<Self, String> {
                match j {
                    Json::Num(t) => t
                        .parse()
                        .map_err(|_| format!("{t} is not a valid {}", stringify!($t))),
                    _ => Err("expected a number".into()),
                }
            }
        }
    )*};
}
from_json_num!(u16, u32, u64, i64, usize);

impl FromJson for f64 {
    fn from_json(j: &Json) -> Result<Self, String> {
        match j {
            Json::Num(t) => {
                crate::data::parse_f64(t).ok_or_else(|| format!("{t} is not a valid f64"))
            }
            _ => Err("expected a number".into()),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(j: &Json) -> Result<Self, String> {
        let Json::Arr(items) = j else {
            return Err("expected an array".into());
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            out.push(T::from_json(v).map_err(|e| format!("[{i}]: {e}"))?);
        }
        Ok(out)
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(j: &Json) -> Result<Self, String> {
        match j {
            Json::Arr(v) if v.len() == 2 => Ok((A::from_json(&v[0])?, B::from_json(&v[1])?)),
            _ => Err("expected a pair [a, b]".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value() {
        let j =
            parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\n\u00e9\ud83d\ude00中"} "#)
                .unwrap();
        let mut o = Obj::of(&j).unwrap();
        assert_eq!(o.req::<String>("b"), "x\"\\\né😀中");
        assert_eq!(o.done(()), Ok(()));
        let Json::Obj(m) = &j else { panic!() };
        assert_eq!(
            m[0].1,
            Json::Arr(vec![
                Json::Num("1".into()),
                Json::Num("-2.5e3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ])
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "[1,",
            "{\"a\" 1}",
            "\"abc",
            "[1] x",
            "tru",
            "{1:2}",
            "\"\\u12\"",
            "\"\\ud800\\u0041\"",
            "\"\\q\"",
            "nul",
            "-",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&deep).unwrap_err().contains("too deep"));
    }

    #[test]
    fn typed_errors_name_the_path() {
        let j = parse(r#"{"n": [1, "x"], "m": 70000, "t": -1}"#).unwrap();
        let err = |f: &dyn Fn(&mut Obj)| {
            let mut o = Obj::of(&j).unwrap();
            f(&mut o);
            o.done(()).unwrap_err()
        };
        assert_eq!(
            err(&|o| drop(o.req::<Vec<u64>>("n"))),
            "n: [1]: expected a number"
        );
        assert_eq!(
            err(&|o| {
                let _ = o.req::<u16>("m");
            }),
            "m: 70000 is not a valid u16"
        );
        assert_eq!(
            err(&|o| {
                let _ = o.req::<u64>("t");
            }),
            "t: -1 is not a valid u64"
        );
        assert_eq!(
            err(&|o| {
                let _ = o.req::<u64>("z");
            }),
            "missing field \"z\""
        );
        // The first error is kept.
        assert_eq!(
            err(&|o| {
                let _ = (o.req::<u64>("z"), o.req::<u16>("m"));
            }),
            "missing field \"z\""
        );
        let mut o = Obj::of(&j).unwrap();
        assert_eq!((o.opt::<u64>("z"), o.req::<i64>("t")), (None, -1));
        assert_eq!(o.done(()), Ok(()));
    }
}
