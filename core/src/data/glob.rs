//! Glob matching exactly as Redis's `stringmatchlen` (util.c, 7.0 with the
//! nesting limit): `*`, `?`, `[...]` with ranges, `[^...]` negation, and `\`
//! escapes. Used by KEYS, SCAN MATCH and CONFIG GET.

/// Whether `string` matches the glob `pattern` (`nocase` folds ASCII case).
pub fn glob_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, nocase, &mut skip_longer, 0)
}

fn lower(c: u8, nocase: bool) -> u8 {
    if nocase {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

fn match_impl(pat: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: u32) -> bool {
    // Protection against abusive patterns.
    if nesting > 1000 {
        return false;
    }
    // `p`/`si` index the pattern/string; reading past the end gives 0 like
    // the NUL terminator C relies on.
    let pc = |i: usize| -> u8 { pat.get(i).copied().unwrap_or(0) };
    let (mut p, mut si) = (0usize, 0usize);
    while p < pat.len() && si < s.len() {
        match pat[p] {
            b'*' => {
                while p + 1 < pat.len() && pat[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pat.len() {
                    return true;
                }
                while si < s.len() {
                    if match_impl(&pat[p + 1..], &s[si..], nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    si += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => si += 1,
            b'[' => {
                p += 1;
                let not = pc(p) == b'^' && p < pat.len();
                if not {
                    p += 1;
                }
                let mut matched = false;
                let c = s[si];
                loop {
                    if p >= pat.len() {
                        // Unterminated class: step back so the final p++
                        // lands on the end of the pattern.
                        p -= 1;
                        break;
                    } else if pat[p] == b'\\' && pat.len() - p >= 2 {
                        p += 1;
                        if pat[p] == c {
                            matched = true;
                        }
                    } else if pat[p] == b']' {
                        break;
                    } else if pat.len() - p >= 3 && pat[p + 1] == b'-' {
                        // C compares (signed) chars.
                        let (mut start, mut end) = (pat[p] as i8, pat[p + 2] as i8);
                        let mut ch = c as i8;
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = (start as u8).to_ascii_lowercase() as i8;
                            end = (end as u8).to_ascii_lowercase() as i8;
                            ch = (ch as u8).to_ascii_lowercase() as i8;
                        }
                        p += 2;
                        if ch >= start && ch <= end {
                            matched = true;
                        }
                    } else if lower(pat[p], nocase) == lower(c, nocase) {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                si += 1;
            }
            _ => {
                if pat[p] == b'\\' && pat.len() - p >= 2 {
                    p += 1;
                }
                if lower(pat[p], nocase) != lower(s[si], nocase) {
                    return false;
                }
                si += 1;
            }
        }
        p += 1;
        if si == s.len() {
            while p < pat.len() && pat[p] == b'*' {
                p += 1;
            }
            break;
        }
    }
    p >= pat.len() && si == s.len()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    fn m(p: &str, s: &str) -> bool {
        glob_match(p.as_bytes(), s.as_bytes(), false)
    }

    #[test]
    fn glob_basics() {
        assert!(m("*", "anything"));
        assert!(
            !m("*", ""),
            "stringmatchlen never matches an empty string (KEYS * has a fast path)"
        );
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("h*llo", "hllo"));
        assert!(m("k*", "k10"));
        assert!(m("A*", "AJ"));
        assert!(!m("a*b", "acbd"));
        assert!(m("a**", "a"));
    }

    #[test]
    fn glob_classes_ranges_negation_and_escapes() {
        assert!(m("h[ae]llo", "hello"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"), "reversed range");
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("[\\]]", "]"));
        assert!(!m("a[", "a["), "an unterminated class never matches");
        assert!(!m("[", "x"));
        assert!(m("x\\", "x\\"), "trailing backslash is literal");
        assert!(glob_match(b"MAXMEMORY*", b"maxmemory-policy", true));
    }

    #[test]
    fn glob_abusive_pattern_terminates() {
        let pat = "a*".repeat(2000) + "b";
        assert!(!m(&pat, &"a".repeat(3000)));
    }
}
