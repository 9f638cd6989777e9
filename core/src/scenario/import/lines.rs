//! Recognising the text, and reading redis.conf, CONFIG GET and INFO
//! output into settings (`Acc`, shared with `sentinel.rs`).

use super::{Format, Imported, Reason, ReplicaOf, Setting, Skipped};
use crate::data::split_args;
use crate::redis::conf::Kind as ParamKind;
use crate::redis::RedisConf;

/// What Redis skips: a blank line, or `#` first after trimming.
pub(super) fn blank_or_comment(line: &str) -> bool {
    let t = trim(line);
    t.is_empty() || t.starts_with('#')
}

/// `sdstrim(line, " \t\r\n")`.
pub(super) fn trim(line: &str) -> &str {
    line.trim_matches([' ', '\t', '\r', '\n'])
}

/// The arguments of a line, as text (invalid UTF-8 replaced).
pub(super) fn args(line: &str) -> Option<Vec<String>> {
    split_args(line).ok().map(|a| {
        a.iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect()
    })
}

/// `N) ` (redis-cli pads N on the left): the rest of the line.
fn numbered(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then(|| t[digits..].strip_prefix(") "))?
}

fn is_empty_reply(t: &str) -> bool {
    matches!(t, "(empty array)" | "(empty list or set)")
}

/// A config name as `--raw` prints it: lowercase, digits, `-`, `.`, `_`.
fn config_name(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_lowercase())
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
}

/// `--raw` lines: the text without the final newline's empty line.
fn raw_lines<'a>(raw: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = raw
        .iter()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if v.len() > 1 && v.last() == Some(&"") {
        v.pop();
    }
    v
}

pub(super) fn detect(raw: &[&str]) -> Format {
    let first = raw.iter().map(|l| trim(l)).find(|t| !t.is_empty());
    if first.is_some_and(|t| numbered(t).is_some() || is_empty_reply(t)) {
        return Format::ConfigGet;
    }
    if raw
        .iter()
        .map(|l| trim(l))
        .any(|t| t == "# Replication" || t.starts_with("role:"))
    {
        return Format::InfoReplication;
    }
    let rl = raw_lines(raw);
    if rl.len().is_multiple_of(2) && rl.iter().step_by(2).all(|n| config_name(n)) {
        return Format::ConfigGetRaw;
    }
    let sentinel = raw.iter().filter(|l| !blank_or_comment(l)).any(|l| {
        args(trim(l)).is_some_and(|a| a.len() >= 2 && a[0].eq_ignore_ascii_case("sentinel"))
    });
    if sentinel {
        Format::SentinelConf
    } else {
        Format::RedisConf
    }
}

/// The settings read so far, validated as CONFIG SET validates them.
pub(super) struct Acc {
    pub out: Imported,
    conf: RedisConf,
    cluster: crate::cluster::ClusterSpec,
    /// The name each setting was given under (an alias, in CONFIG GET).
    typed: Vec<String>,
}

const WRONG_ARGS: &str = "wrong number of arguments";

impl Acc {
    pub fn new(format: Format) -> Acc {
        Acc {
            out: Imported {
                format,
                settings: Vec::new(),
                replicaof: None,
                monitor: None,
                skipped: Vec::new(),
            },
            conf: RedisConf::default(),
            cluster: crate::cluster::ClusterSpec::plain(),
            typed: Vec::new(),
        }
    }

    pub fn skip(&mut self, line: usize, directive: &str, reason: Reason) {
        self.out.skipped.push(Skipped {
            line,
            directive: directive.to_string(),
            reason,
        });
    }

    fn config_get(&self) -> bool {
        matches!(self.out.format, Format::ConfigGet | Format::ConfigGetRaw)
    }

    /// One directive: `argv[0]` is its name (lowercased here, as Redis
    /// does), the rest its arguments.
    pub fn directive(&mut self, line: usize, argv: &[String]) {
        let Some(first) = argv.first() else { return };
        let name = first.to_ascii_lowercase();
        let mut args: Vec<String> = argv[1..].to_vec();
        // A multi-argument parameter given as one argument is split again.
        let multi = matches!(
            name.as_str(),
            "replicaof" | "slaveof" | "client-output-buffer-limit"
        );
        if multi && args.len() == 1 && !args[0].is_empty() {
            match self::args(&args[0]) {
                Some(a) => args = a,
                None => return self.skip(line, &name, Reason::Unreadable(WRONG_ARGS.into())),
            }
        }
        let sentinel = self.out.format == Format::SentinelConf;
        match name.as_str() {
            "port" => self.skip(line, &name, Reason::Address),
            "replicaof" | "slaveof" if !sentinel => self.replicaof(line, &name, &args),
            _ => match RedisConf::entry_name(&name) {
                Some(_) if sentinel && name != "protected-mode" => {
                    self.skip(line, &name, Reason::NotModelled)
                }
                Some(entry) => self.param(line, &name, entry, &args),
                None if sentinel => self.skip(line, &name, Reason::NotModelled),
                None => self.cluster_param(line, &name, &args),
            },
        }
    }

    fn replicaof(&mut self, line: usize, name: &str, args: &[String]) {
        let to = match args {
            [v] if v.is_empty() && self.config_get() => None,
            [h, p] if h.eq_ignore_ascii_case("no") && p.eq_ignore_ascii_case("one") => None,
            [h, p] => match crate::data::strtoll_whole(p.as_bytes()) {
                Some(port @ 0..=65535) => Some((h.clone(), port as u16)),
                _ => return self.skip(line, name, Reason::Invalid("Invalid master port".into())),
            },
            _ => return self.skip(line, name, Reason::Unreadable(WRONG_ARGS.into())),
        };
        match self.out.replicaof.take() {
            Some(prev) if self.config_get() && prev.to == to => {
                self.out.replicaof = Some(prev);
                let first = if name == "slaveof" {
                    "replicaof"
                } else {
                    "slaveof"
                };
                self.skip(line, name, Reason::Alias { name: first.into() });
            }
            prev => {
                for l in prev.into_iter().flat_map(|p| p.lines) {
                    self.skip(l, "replicaof", Reason::Overridden { line });
                }
                self.out.replicaof = Some(ReplicaOf {
                    to,
                    lines: vec![line],
                });
            }
        }
    }

    /// A parameter of the node's config table (`entry` as the table names it).
    fn param(&mut self, line: usize, name: &str, entry: &str, args: &[String]) {
        let Some((own, _, kind)) =
            RedisConf::params().find(|(n, a, _)| *n == entry || *a == Some(entry))
        else {
            return self.skip(line, name, Reason::NotModelled);
        };
        let value = match (kind, args) {
            (ParamKind::BufferLimits, [_, ..]) => args.join(" "),
            (_, [v]) => v.clone(),
            _ => return self.skip(line, name, Reason::Unreadable(WRONG_ARGS.into())),
        };
        if let Err(e) = self.conf.config_set(name, &value) {
            return self.skip(line, name, Reason::Invalid(e));
        }
        let at = self.out.settings.iter().position(|s| s.name == own);
        match at {
            Some(i) if kind == ParamKind::BufferLimits => {
                let s = &mut self.out.settings[i];
                s.value = format!("{} {value}", s.value);
                s.lines.push(line);
            }
            Some(i) if self.config_get() && self.out.settings[i].value == value => {
                let first = self.typed[i].clone();
                self.skip(line, name, Reason::Alias { name: first });
            }
            _ => {
                if let Some(i) = at {
                    let old = self.out.settings.remove(i);
                    let typed = self.typed.remove(i);
                    for l in old.lines {
                        self.skip(l, &typed, Reason::Overridden { line });
                    }
                }
                self.out.settings.push(Setting {
                    name: own.to_string(),
                    value,
                    lines: vec![line],
                });
                self.typed.push(name.to_string());
            }
        }
    }

    /// A cluster parameter is checked, then left to `[cluster]`; anything
    /// else is not modelled.
    fn cluster_param(&mut self, line: usize, name: &str, args: &[String]) {
        let Some(entry) = crate::cluster::config_entry(name) else {
            return self.skip(line, name, Reason::NotModelled);
        };
        let [value] = args else {
            return self.skip(line, name, Reason::Unreadable(WRONG_ARGS.into()));
        };
        // A file may set what CONFIG SET cannot change (`cluster-enabled`).
        let checked = if crate::cluster::config_immutable(entry) {
            ParamKind::flag(value).map(|_| ()).map_err(|why| {
                format!("CONFIG SET failed (possibly related to argument '{name}') - {why}")
            })
        } else {
            crate::cluster::config_set(&mut self.cluster, name, value).unwrap_or(Ok(()))
        };
        match checked {
            Ok(()) => self.skip(line, name, Reason::Cluster),
            Err(e) => self.skip(line, name, Reason::Invalid(e)),
        }
    }
}

/// A redis.conf, line by line.
pub(super) fn redis_conf(raw: &[&str]) -> Imported {
    let mut acc = Acc::new(Format::RedisConf);
    for (i, l) in raw.iter().enumerate() {
        if let Some(argv) = conf_line(&mut acc, i + 1, l) {
            acc.directive(i + 1, &argv);
        }
    }
    acc.out
}

/// One line of a config file: skipped if blank or a comment, refused if
/// `sdssplitargs` refuses it, else its arguments.
pub(super) fn conf_line(acc: &mut Acc, line: usize, text: &str) -> Option<Vec<String>> {
    let t = trim(text);
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    match args(t) {
        None => {
            let word = t
                .split([' ', '\t'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let why = "Unbalanced quotes in configuration line";
            acc.skip(line, &word, Reason::Unreadable(why.into()));
            None
        }
        // A NUL first: C sees an empty line.
        Some(a) if a.is_empty() => None,
        Some(a) => Some(a),
    }
}

/// CONFIG GET output: name/value pairs, numbered (`raw` false) or one per
/// line.
pub(super) fn config_get(raw: &[&str], is_raw: bool) -> Imported {
    let format = if is_raw {
        Format::ConfigGetRaw
    } else {
        Format::ConfigGet
    };
    let mut acc = Acc::new(format);
    let mut items: Vec<(usize, String)> = Vec::new();
    if is_raw {
        for (i, l) in raw_lines(raw).into_iter().enumerate() {
            items.push((i + 1, l.to_string()));
        }
    } else {
        for (i, l) in raw.iter().enumerate() {
            let t = trim(l);
            if t.is_empty() || is_empty_reply(t) {
                continue;
            }
            match numbered(t).and_then(args) {
                Some(a) if a.len() == 1 => items.push((i + 1, a[0].clone())),
                _ => acc.skip(i + 1, t, Reason::Unexpected),
            }
        }
    }
    for pair in items.chunks(2) {
        match pair {
            [(line, name), (_, value)] => acc.directive(*line, &[name.clone(), value.clone()]),
            [(line, name)] => acc.skip(*line, name, Reason::NoValue),
            _ => {}
        }
    }
    acc.out.skipped.sort_by_key(|s| s.line);
    acc.out
}

/// INFO output: `role`, `master_host` and `master_port` say whose replica;
/// every other field is state.
pub(super) fn info(raw: &[&str]) -> Imported {
    let mut acc = Acc::new(Format::InfoReplication);
    let (mut role, mut host, mut port) = (None, None, None);
    for (i, l) in raw.iter().enumerate() {
        let (line, t) = (i + 1, trim(l));
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match t.split_once(':') {
            Some(("role", v)) if v == "slave" || v == "master" => role = Some((line, v == "slave")),
            Some(("master_host", v)) => host = Some((line, v.to_string())),
            Some(("master_port", v)) => port = Some((line, v.to_string())),
            Some((field, _)) => acc.skip(line, field, Reason::State),
            None => acc.skip(line, t, Reason::Unexpected),
        }
    }
    let port_num = port.as_ref().and_then(|(_, p)| p.parse::<u16>().ok());
    match (role, &host, port_num) {
        (Some((r, true)), Some((h, name)), Some(p)) => {
            let pl = port.as_ref().map_or(r, |x| x.0);
            let mut lines = vec![r, *h, pl];
            lines.sort_unstable();
            acc.out.replicaof = Some(ReplicaOf {
                to: Some((name.clone(), p)),
                lines,
            });
            host = None;
            port = None;
        }
        (Some((r, false)), _, _) => {
            acc.out.replicaof = Some(ReplicaOf {
                to: None,
                lines: vec![r],
            })
        }
        (Some((r, true)), _, _) => acc.skip(r, "role", Reason::Unexpected),
        (None, _, _) => {}
    }
    // A master's host and port without a usable role line are state.
    for (line, field) in [
        (host.map(|h| h.0), "master_host"),
        (port.map(|p| p.0), "master_port"),
    ] {
        if let Some(line) = line {
            acc.skip(line, field, Reason::State);
        }
    }
    acc.out.skipped.sort_by_key(|s| s.line);
    acc.out
}
