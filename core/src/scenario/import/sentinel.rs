//! sentinel.conf: `sentinel ...` lines as `sentinelHandleConfiguration`
//! (sentinel.c, 7.0) reads them, with its error texts; the other lines go
//! through the redis.conf reader (`protected-mode`, `port`).

use super::lines::{conf_line, Acc};
use super::{Format, Imported, Monitor, Reason};

/// Sentinel's defaults (`SENTINEL_DEFAULT_*`), as the scenario's `monitor`.
const DOWN_AFTER_MS: u64 = 30_000;
const FAILOVER_TIMEOUT_MS: u64 = 180_000;

/// What Sentinel rewrites into its file as it runs.
const STATE: &[&str] = &[
    "myid",
    "current-epoch",
    "config-epoch",
    "leader-epoch",
    "known-slave",
    "known-replica",
    "known-sentinel",
];

/// Configuration the lab's Sentinel does not model.
const NOT_MODELLED: &[&str] = &[
    "notification-script",
    "client-reconfig-script",
    "auth-pass",
    "auth-user",
    "master-reboot-down-after-period",
    "rename-command",
    "announce-ip",
    "announce-port",
    "announce-hostnames",
    "resolve-hostnames",
    "deny-scripts-reconfig",
    "sentinel-user",
    "sentinel-pass",
];

/// C `atoi` (glibc: `(int) strtol(s, NULL, 10)`): leading blanks, a sign,
/// the digits there are; overflow saturates as `long`, then truncates.
fn atoi(s: &str) -> i32 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mag = rest
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i128, |v, c| (v * 10 + i128::from(c - b'0')).min(1 << 64));
    let v = if neg { -mag } else { mag };
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64 as i32
}

struct Reader {
    acc: Acc,
    /// Names of the masters after the first one.
    extra: Vec<String>,
    /// The line that set down-after, failover-timeout, parallel-syncs.
    set_at: [Option<usize>; 3],
}

pub(super) fn read(raw: &[&str]) -> Imported {
    let mut r = Reader {
        acc: Acc::new(Format::SentinelConf),
        extra: Vec::new(),
        set_at: [None; 3],
    };
    for (i, l) in raw.iter().enumerate() {
        let line = i + 1;
        let Some(argv) = conf_line(&mut r.acc, line, l) else {
            continue;
        };
        if argv[0].eq_ignore_ascii_case("sentinel") && argv.len() > 1 {
            r.sentinel(line, &argv[1..]);
        } else if argv[0].eq_ignore_ascii_case("sentinel") {
            // `sentinel` alone: main() takes it as the mode switch.
            r.acc.skip(line, "sentinel", Reason::NotModelled);
        } else {
            r.acc.directive(line, &argv);
        }
    }
    r.acc.out.skipped.sort_by_key(|s| s.line);
    r.acc.out
}

impl Reader {
    fn sentinel(&mut self, line: usize, argv: &[String]) {
        let sub = argv[0].to_ascii_lowercase();
        let directive = format!("sentinel {sub}");
        let invalid = |why: &str| Reason::Invalid(why.to_string());
        let reason = match (sub.as_str(), argv.len()) {
            ("monitor", 5) => match self.monitor(line, argv) {
                Ok(()) => return,
                Err(r) => r,
            },
            ("down-after-milliseconds" | "failover-timeout" | "parallel-syncs", 3) => {
                match self.timing(line, &sub, &argv[1], &argv[2]) {
                    Ok(()) => return,
                    Err(r) => r,
                }
            }
            (s, _) if STATE.contains(&s) => Reason::State,
            (s, _) if NOT_MODELLED.contains(&s) => Reason::NotModelled,
            _ => invalid("Unrecognized sentinel configuration statement."),
        };
        self.acc.skip(line, &directive, reason);
    }

    fn monitor(&mut self, line: usize, argv: &[String]) -> Result<(), Reason> {
        let invalid = |why: &str| Err(Reason::Invalid(why.to_string()));
        let (name, host, port, quorum) = (&argv[1], &argv[2], atoi(&argv[3]), atoi(&argv[4]));
        if quorum <= 0 {
            return invalid("Quorum must be 1 or greater.");
        }
        let taken = self
            .acc
            .out
            .monitor
            .as_ref()
            .is_some_and(|m| &m.name == name)
            || self.extra.contains(name);
        if taken {
            return invalid("Duplicate master name.");
        }
        if !(0..=65535).contains(&port) {
            return invalid("Invalid port number");
        }
        if self.acc.out.monitor.is_some() {
            self.extra.push(name.clone());
            return Err(Reason::ExtraMonitor);
        }
        self.acc.out.monitor = Some(Monitor {
            name: name.clone(),
            host: host.clone(),
            port: port as u16,
            quorum: quorum as u32,
            down_after_ms: DOWN_AFTER_MS,
            failover_timeout_ms: FAILOVER_TIMEOUT_MS,
            parallel_syncs: 1,
            lines: vec![line],
        });
        Ok(())
    }

    fn timing(&mut self, line: usize, sub: &str, name: &str, value: &str) -> Result<(), Reason> {
        let Some(m) = self.acc.out.monitor.as_mut().filter(|m| m.name == name) else {
            return Err(if self.extra.iter().any(|e| e == name) {
                Reason::ExtraMonitor
            } else {
                Reason::Invalid("No such master with specified name.".into())
            });
        };
        let v = atoi(value);
        let slot = match sub {
            "down-after-milliseconds" | "failover-timeout" if v <= 0 => {
                return Err(Reason::Invalid("negative or zero time parameter.".into()))
            }
            "down-after-milliseconds" => {
                m.down_after_ms = v as u64;
                0
            }
            "failover-timeout" => {
                m.failover_timeout_ms = v as u64;
                1
            }
            _ if v < 0 => return Err(Reason::Unsupported),
            _ => {
                m.parallel_syncs = v as u32;
                2
            }
        };
        m.lines.push(line);
        if let Some(old) = self.set_at[slot].replace(line) {
            m.lines.retain(|&l| l != old);
            self.acc
                .skip(old, &format!("sentinel {sub}"), Reason::Overridden { line });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::atoi;

    #[test]
    fn atoi_reads_as_c_does() {
        assert_eq!(atoi("42"), 42);
        assert_eq!(atoi("  -7x"), -7);
        assert_eq!(atoi("x"), 0);
        assert_eq!(atoi(""), 0);
        assert_eq!(atoi("4294967297"), 1, "truncated to int");
        assert_eq!(atoi("99999999999999999999999"), -1, "LONG_MAX as int");
    }
}
