//! sentinel.conf as Sentinel 7.0 writes it (`rewriteConfigSentinelOption`,
//! called by `sentinelFlushConfig` after every state change): the file a
//! simulated Sentinel would restart from, replayable on a real one.
//!
//! Order and syntax are Redis's: `sentinel myid`, then per master `sentinel
//! monitor <name> <ip> <port> <quorum>`, the three timing settings only when
//! they differ from the defaults, `config-epoch`, `leader-epoch`, one
//! `known-replica` per replica and one `known-sentinel` per Sentinel whose
//! run id is known; last the global `sentinel current-epoch`.

use super::{MonitorSpec, SentinelSpec};

/// `SENTINEL_DEFAULT_DOWN_AFTER`, `SENTINEL_DEFAULT_FAILOVER_TIMEOUT`,
/// `SENTINEL_DEFAULT_PARALLEL_SYNCS`.
const DEFAULT_DOWN_AFTER_MS: u64 = 30_000;
const DEFAULT_FAILOVER_TIMEOUT_MS: u64 = 180_000;
const DEFAULT_PARALLEL_SYNCS: u32 = 1;

impl SentinelSpec {
    /// The lines of sentinel.conf for a Sentinel listening on `port`.
    ///
    /// `protected-mode`: a Sentinel starts with it off (`initSentinelConfig`),
    /// and CONFIG REWRITE writes `protected-mode no` because the server-wide
    /// default is yes; a protected Sentinel's file says `yes` explicitly.
    pub fn conf_file_lines(&self, port: u16) -> Vec<String> {
        let mut out = vec![format!("port {port}")];
        out.push(format!(
            "protected-mode {}",
            if self.protected_mode { "yes" } else { "no" }
        ));
        if let Some(id) = &self.myid {
            out.push(format!("sentinel myid {id}"));
        }
        for m in &self.monitors {
            monitor_lines(m, &mut out);
        }
        out.push(format!("sentinel current-epoch {}", self.current_epoch));
        out
    }
}

fn monitor_lines(m: &MonitorSpec, out: &mut Vec<String>) {
    let name = &m.name;
    out.push(format!(
        "sentinel monitor {name} {} {} {}",
        m.host, m.port, m.quorum
    ));
    if m.down_after_ms != DEFAULT_DOWN_AFTER_MS {
        out.push(format!(
            "sentinel down-after-milliseconds {name} {}",
            m.down_after_ms
        ));
    }
    if m.failover_timeout_ms != DEFAULT_FAILOVER_TIMEOUT_MS {
        out.push(format!(
            "sentinel failover-timeout {name} {}",
            m.failover_timeout_ms
        ));
    }
    if m.parallel_syncs != DEFAULT_PARALLEL_SYNCS {
        out.push(format!(
            "sentinel parallel-syncs {name} {}",
            m.parallel_syncs
        ));
    }
    out.push(format!("sentinel config-epoch {name} {}", m.config_epoch));
    out.push(format!("sentinel leader-epoch {name} {}", m.leader_epoch));
    for (host, port) in &m.known_replicas {
        out.push(format!("sentinel known-replica {name} {host} {port}"));
    }
    for (host, port, run_id) in &m.known_sentinels {
        // A Sentinel whose run id is not known yet is not written.
        if !run_id.is_empty() {
            out.push(format!(
                "sentinel known-sentinel {name} {host} {port} {run_id}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `redis-sentinel` 7.0.15 wrote (the directives, without the
    /// generic `dir`/`user`/`latency-tracking` lines of CONFIG REWRITE) after
    /// one failover, for `sentinel monitor mymaster 127.0.0.1 16399 2`,
    /// `down-after-milliseconds 5000`, `failover-timeout 60000`,
    /// `parallel-syncs 1`.
    #[test]
    fn renders_what_redis_sentinel_7_0_writes() {
        let spec = SentinelSpec {
            monitors: vec![MonitorSpec {
                name: "mymaster".into(),
                host: "127.0.0.1".into(),
                port: 16398,
                quorum: 2,
                down_after_ms: 5000,
                failover_timeout_ms: 60_000,
                parallel_syncs: 1,
                config_epoch: 1,
                leader_epoch: 1,
                known_replicas: vec![("127.0.0.1".into(), 16399)],
                known_sentinels: vec![
                    (
                        "127.0.0.1".into(),
                        26398,
                        "a188f50fd57e9befc21f00ae5eebc64a897453f2".into(),
                    ),
                    ("127.0.0.1".into(), 26397, String::new()),
                ],
            }],
            protected_mode: false,
            myid: Some("6104cab626fdca0c43f9809133f2374629f73369".into()),
            current_epoch: 1,
        };
        assert_eq!(
            spec.conf_file_lines(26399).join("\n"),
            "port 26399
protected-mode no
sentinel myid 6104cab626fdca0c43f9809133f2374629f73369
sentinel monitor mymaster 127.0.0.1 16398 2
sentinel down-after-milliseconds mymaster 5000
sentinel failover-timeout mymaster 60000
sentinel config-epoch mymaster 1
sentinel leader-epoch mymaster 1
sentinel known-replica mymaster 127.0.0.1 16399
sentinel known-sentinel mymaster 127.0.0.1 26398 a188f50fd57e9befc21f00ae5eebc64a897453f2
sentinel current-epoch 1"
        );
    }

    #[test]
    fn defaults_are_left_out_and_other_values_written() {
        let mut spec = SentinelSpec {
            monitors: vec![MonitorSpec::default()],
            ..SentinelSpec::default()
        };
        let lines = spec.conf_file_lines(26379);
        assert!(lines.contains(&"sentinel monitor mymaster 10.0.0.1 6379 2".to_string()));
        assert!(!lines.iter().any(|l| l.contains("down-after")
            || l.contains("failover-timeout")
            || l.contains("parallel-syncs")
            || l.contains("myid")));
        spec.monitors[0].parallel_syncs = 3;
        spec.protected_mode = true;
        let lines = spec.conf_file_lines(26379);
        assert!(lines.contains(&"sentinel parallel-syncs mymaster 3".to_string()));
        assert!(lines.contains(&"protected-mode yes".to_string()));
    }
}
