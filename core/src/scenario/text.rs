//! A scenario file's text, in two stages that the native loader and the
//! page share: the TOML syntax (`parse_table`, errors at the exact line and
//! column), then the scenario's shape, decoded from those tables by the
//! scenario's one `Deserialize` (`scenario::decode`; natively from the
//! tables, in the page from their JavaScript form, so the wasm holds that
//! `Deserialize` once). A shape error names a path (`node[2].kind: unknown
//! variant ...`); `located` finds where that path is written in the text.

use super::load::{line_col, Limit, LoadError};

/// The file's tables, or its first syntax error.
pub fn parse_table(src: &str) -> Result<toml::Table, LoadError> {
    if src.len() as u64 > Limit::Text.max() {
        let message = format!(
            "the file is {} bytes: at most {} bytes",
            src.len(),
            Limit::Text.max()
        );
        return Err(LoadError {
            line: 1,
            column: 1,
            message,
            limit: Some(Limit::Text),
        });
    }
    src.parse::<toml::Table>().map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(src, s.start));
        LoadError {
            line,
            column,
            message: e.message().trim().to_string(),
            limit: None,
        }
    })
}

/// A decoding error (`path: message`, as `scenario::decode` words it) at
/// the place in `src` its path names.
pub fn located(src: &str, error: &str) -> LoadError {
    let (path, message) = match error.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (p, m),
        _ => ("", error),
    };
    let (line, column) = line_col(src, locate(src, path));
    let message = match path {
        "" => message.to_string(),
        p => format!("{p}: {message}"),
    };
    LoadError {
        line,
        column,
        message,
        limit: None,
    }
}

/// The byte offset where `path` (`step[3].predict.choices[1].why`) is
/// written: each `key[i]` is the i-th `[[tables.key]]` header after its
/// parent's, each `key` its `[tables.key]` header or its `key =` line in
/// the current table; what cannot be found stays where its parent is.
fn locate(src: &str, path: &str) -> usize {
    let (mut at, mut prefix) = (0usize, String::new());
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (key, index) = match segment.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let dotted = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        let found = match index {
            Some(i) => headers(src, at, &format!("[[{dotted}]]")).nth(i),
            None => headers(src, at, &format!("[{dotted}]"))
                .next()
                .or_else(|| key_line(src, at, key)),
        };
        // Not written (a table only implied by a deeper header): stay.
        if let Some(p) = found {
            at = p;
        }
        prefix = dotted;
    }
    at
}

/// Offsets of the lines from `from` on that start (after blanks) with `header`.
fn headers<'a>(src: &'a str, from: usize, header: &'a str) -> impl Iterator<Item = usize> + 'a {
    lines_from(src, from).filter_map(move |(at, line)| {
        let t = line.trim_start();
        (t.starts_with(header)).then(|| at + line.len() - t.len())
    })
}

/// The offset of `key = …` in the table that starts at `from` (before the
/// next header).
fn key_line(src: &str, from: usize, key: &str) -> Option<usize> {
    lines_from(src, from)
        .enumerate()
        .take_while(|(i, (_, l))| *i == 0 || !l.trim_start().starts_with('['))
        .find_map(|(_, (at, line))| {
            let t = line.trim_start();
            let rest = t.strip_prefix(key)?;
            rest.trim_start()
                .starts_with('=')
                .then(|| at + line.len() - t.len())
        })
}

/// Lines (with their offsets) from the line that holds `from`.
fn lines_from(src: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let start = src[..src.floor_char_boundary(from.min(src.len()))]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    src[start..].split_inclusive('\n').scan(start, |at, line| {
        let here = *at;
        *at += line.len();
        Some((here, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "format = \"replilab/1\"\nid = \"x\"\n\n[[node]]\nname = \"m\"\nkind = \"redis\"\n\n[[node]]\nname = \"r\"\nkind = \"redus\"\n\n[[step]]\n[step.title]\nen = \"a\"\n[[step.predict.choices]]\nen = \"b\"\n";

    #[test]
    fn a_path_points_at_its_key_or_table() {
        let at = |p: &str| line_col(SRC, locate(SRC, p));
        assert_eq!(at("node[1].kind"), (10, 1));
        assert_eq!(at("node[1]"), (8, 1));
        assert_eq!(at("id"), (2, 1));
        assert_eq!(at("step[0].title.en"), (14, 1));
        assert_eq!(at("step[0].predict.choices[0].en"), (16, 1));
        assert_eq!(
            at("node[5].kind"),
            (1, 1),
            "not there: the parent (the file)"
        );
        assert_eq!(at(""), (1, 1));
    }

    #[test]
    fn a_decoding_error_keeps_its_path_and_message() {
        let e = located(SRC, "node[1].kind: unknown variant `redus`");
        assert_eq!((e.line, e.column), (10, 1));
        assert_eq!(e.message, "node[1].kind: unknown variant `redus`");
        let e = located(SRC, "missing field `duration_s`");
        assert_eq!(
            (e.line, e.message.as_str()),
            (1, "missing field `duration_s`")
        );
    }
}
