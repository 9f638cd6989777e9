//! Every view is a permalink: `#lesson=<id>&seed=<n>&s=<schedule>&t=<ms>`,
//! plus `lang=zh|en`, `embed=1`, the diagram's `spacing=time|order`, and
//! the learner's view of the lesson:
//! `ch=<step>&h=<hints>` (a challenge taken up) and `q=<seed>` (the order of
//! prediction choices). Opening it rebuilds the lesson with that
//! seed, replays the learner's actions and moves the playhead to `t`. A
//! side-by-side comparison adds `cmp=<schedule>`, the other branch's actions
//! (same codec, may be empty), and `live=a` when the live branch is A.
//! A scenario written in the editor travels whole, as `scn=<code>` in place
//! of `lesson=` (`editor::codec`); `#edit` opens the editor.
//!
//! The schedule is `;`-separated entries `<at_ms>:<events>:<action>`, the
//! action in the one grammar of actions (`replilab_core::action`, e.g.
//! `pause m 12s`, `@m CONFIG SET min-replicas-to-write 1`), percent-encoded
//! (so `;` and `:` never appear inside it). Links written before that
//! grammar (`<code>[:<arg>]*`, e.g. `p:m:12000`) are still read
//! (`legacy.rs`). Parsing never panics: a damaged link comes back as an
//! error text and the page opens the lesson at its start with a banner.

use replilab_core::action::Action;
use replilab_core::sim::Sim;

use replilab_core::timeline::Entry;

mod legacy;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub lesson: Option<String>,
    pub seed: Option<u64>,
    pub schedule: Option<String>,
    pub t_ms: Option<u64>,
    /// `e=`: queue events processed at `t` when the playhead rested
    /// between two events of the same millisecond.
    pub events: Option<u64>,
    pub lang: Option<String>,
    pub embed: bool,
    /// The sandbox's topology (`sandbox::Topo::encode`).
    pub topo: Option<String>,
    /// The other branch of a comparison (`cmp=`), and `live=` as given.
    pub compare: Option<String>,
    pub live: Option<String>,
    /// `ch=`: the challenge taken up (step number, from 1), `h=` its hints
    /// shown; `q=`: the seed that shuffles prediction choices.
    pub challenge: Option<usize>,
    pub hints: Option<usize>,
    pub shuffle: Option<u32>,
    /// `spacing=` as given (read by `route::open`: an unknown value is the
    /// default and a banner, not a damaged link).
    pub spacing: Option<String>,
    /// `fold=` as given: the folded panels (read by `route::open`, like `spacing=`).
    pub fold: Option<String>,
    /// `scn=`: a whole scenario, compressed (`editor::codec`), in place of
    /// `lesson=`; `edit`: open the editor (on `scn=`'s text, or the draft).
    pub scenario: Option<String>,
    pub edit: bool,
    /// Problems met while reading the hash (unknown keys are ignored).
    pub errors: Vec<String>,
}

const SAFE: &[u8] = b"-_.!~*'()";

pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad escape at character {}", i + 1))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not UTF-8".to_string())
}

/// Reads a location hash (with or without its leading `#`).
pub fn parse_hash(hash: &str) -> Link {
    let mut link = Link::default();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash == "demo" {
        link.lesson = Some(crate::lessons::SANDBOX_ID.into());
        return link;
    }
    for part in hash.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k {
            "lesson" => match decode(v) {
                Ok(id) if !id.is_empty() && id.len() <= 64 => link.lesson = Some(id),
                _ => link.errors.push("lesson".into()),
            },
            "seed" => match v.parse::<u64>() {
                Ok(s) => link.seed = Some(s),
                Err(_) => link.errors.push(format!("seed \"{}\"", trim(v))),
            },
            "s" => link.schedule = Some(v.to_string()),
            "cmp" => link.compare = Some(v.to_string()),
            "live" => link.live = Some(v.to_string()),
            "spacing" => link.spacing = Some(v.to_string()),
            "fold" => link.fold = Some(v.to_string()),
            "t" => match v.parse::<u64>() {
                Ok(t) => link.t_ms = Some(t),
                Err(_) => link.errors.push(format!("t \"{}\"", trim(v))),
            },
            "e" => match v.parse::<u64>() {
                Ok(e) => link.events = Some(e),
                Err(_) => link.errors.push(format!("e \"{}\"", trim(v))),
            },
            "ch" => match v.parse::<usize>() {
                Ok(n @ 1..=1000) => link.challenge = Some(n - 1),
                _ => link.errors.push(format!("ch \"{}\"", trim(v))),
            },
            "h" => match v.parse::<usize>() {
                Ok(n) if n <= replilab_core::scenario::challenge::MAX_HINTS => link.hints = Some(n),
                _ => link.errors.push(format!("h \"{}\"", trim(v))),
            },
            "q" => match v.parse::<u32>() {
                Ok(q) => link.shuffle = Some(q),
                Err(_) => link.errors.push(format!("q \"{}\"", trim(v))),
            },
            "lang" => link.lang = Some(v.to_string()),
            "topo" => link.topo = decode(v).ok(),
            "embed" => link.embed = v == "1" || v == "true",
            "demo" => link.lesson = Some(crate::lessons::SANDBOX_ID.into()),
            "scn" => link.scenario = Some(v.to_string()),
            "edit" => link.edit = true,
            _ => {}
        }
    }
    link
}

pub fn trim(s: &str) -> String {
    s.chars().take(24).collect()
}

/// The schedule as the `s=` parameter.
pub fn encode_schedule(schedule: &[Entry]) -> String {
    schedule
        .iter()
        .map(|e| format!("{}:{}:{}", e.at_ms, e.events, encode(&e.action.to_string())))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads the `s=` parameter against the lesson's nodes.
pub fn decode_schedule(sim: &Sim, s: &str, end_ms: Option<u64>) -> Result<Vec<Entry>, String> {
    let mut out: Vec<Entry> = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    for (i, raw) in s.split(';').enumerate() {
        let fail = |why: &str| format!("action {}: {why}", i + 1);
        if i >= 10_000 {
            return Err(fail("too many actions"));
        }
        let mut fields = raw.splitn(3, ':');
        let mut num = || -> Result<u64, String> {
            fields
                .next()
                .and_then(|f| f.parse::<u64>().ok())
                .ok_or_else(|| fail("expected a number"))
        };
        let at_ms = num()?;
        let events = num()?;
        let body = fields.next().unwrap_or("");
        if let Some(prev) = out.last() {
            if at_ms < prev.at_ms || events < prev.events {
                return Err(fail("actions out of order"));
            }
        }
        if end_ms.is_some_and(|e| at_ms > e) {
            return Err(fail("after the end of the lesson"));
        }
        let text = match legacy::action_text(body) {
            Some(old) => old.map_err(|e| fail(&e))?,
            None => decode(body).map_err(|e| fail(&e))?,
        };
        let action: Action = text.parse().map_err(|e| fail(&format!("{e}")))?;
        sim.resolve(&action).map_err(|e| fail(&e))?;
        out.push(Entry {
            at_ms,
            events,
            action,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use replilab_core::demo;
    use replilab_core::profile::Profile;

    fn entry(at_ms: u64, events: u64, text: &str) -> Entry {
        Entry {
            at_ms,
            events,
            action: text.parse().unwrap(),
        }
    }

    #[test]
    fn schedules_round_trip() {
        let sim = demo::master_and_two_replicas(1, Profile::V7_0);
        let entries = vec![
            entry(10, 3, "@m SET k \"a b;c:d\" 100%"),
            entry(20, 9, "partition m / r1,r2"),
            entry(20, 9, "heal"),
            entry(30, 12, "skew r2 -5s"),
            entry(40, 15, "link m r1 latency 10ms bandwidth 2mbit"),
        ];
        let s = encode_schedule(&entries);
        assert!(!s.contains(' ') && s.split(';').count() == 5, "{s}");
        assert_eq!(decode_schedule(&sim, &s, None).unwrap(), entries);
    }

    #[test]
    fn links_in_the_old_codes_still_open() {
        let sim = demo::master_and_two_replicas(1, Profile::V7_0);
        let old = "10:3:c:m:SET%20k%201;20:9:P:m:r1,r2;20:9:h;30:12:k:r2:-5000;\
                   31:12:j:r2:300;32:13:p:m:1500;33:14:x:r1;34:15:r:r1;35:16:o:m:r1;\
                   36:17:l:m:r1:500:0:125000";
        let got: Vec<String> = decode_schedule(&sim, old, None)
            .unwrap()
            .iter()
            .map(|e| e.action.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "@m SET k 1",
                "partition m / r1,r2",
                "heal",
                "skew r2 -5s",
                "jump r2 +300ms",
                "pause m 1500ms",
                "crash r1",
                "restart r1",
                "oneway m -> r1",
                "link m r1 latency 500ms jitter 0ms bandwidth 1000mbit",
            ]
        );
    }

    #[test]
    fn damaged_links_are_errors_not_panics() {
        let sim = demo::master_and_two_replicas(1, Profile::V7_0);
        for bad in [
            "1",
            "1:2",
            "x:y:c",
            "5:1:c:zz:GET",
            "5:1:c:m",
            "5:1:P:m",
            "9:1:h;5:1:h",
            "5:1:c:m:%E2%28",
            "5:1:q",
            "5:1:c:m:%",
            "5:1:l:m:r1:a",
            "5:1:pause%20zz%201s",
            "5:1:pause%20m",
            "5:1:%40m",
            "5:1:explode",
            "5:1:",
        ] {
            assert!(decode_schedule(&sim, bad, None).is_err(), "{bad}");
        }
        let link = parse_hash("#lesson=x&seed=abc&t=-1&s=%%%");
        assert_eq!(link.lesson.as_deref(), Some("x"));
        assert_eq!(link.errors.len(), 2);
    }
}
