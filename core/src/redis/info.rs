//! INFO, with Redis 7.0's section names, field names and field order
//! (`genRedisInfoString`). Sections the lab does not model are omitted;
//! docs/simplifications.md lists them.

use crate::node::Cx;
use crate::profile::Profile;

use super::replica::LinkState;
use super::RedisNode;

const DEFAULT_SECTIONS: &[&str] = &["server", "clients", "stats", "replication", "keyspace"];

impl RedisNode {
    /// INFO [section ...]: the text Redis returns, lines ending in CRLF.
    pub fn info(&self, args: &[Vec<u8>], cx: &Cx) -> String {
        self.info_at(args, cx.clock_ms)
    }

    pub fn info_at(&self, args: &[Vec<u8>], clock_ms: i64) -> String {
        let wanted: Vec<String> = args
            .iter()
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
            .collect();
        let all = wanted.is_empty()
            || wanted
                .iter()
                .any(|w| w == "all" || w == "everything" || w == "default");
        let mut out = String::new();
        for section in DEFAULT_SECTIONS {
            if !(all || wanted.iter().any(|w| w == section)) {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            let body = match *section {
                "server" => self.info_server(clock_ms),
                "clients" => format!(
                    "# Clients\r\nconnected_clients:{}\r\n",
                    self.clients.len() + 1
                ),
                "stats" => self.info_stats(),
                "replication" => self.info_replication(clock_ms),
                _ => self.info_keyspace(clock_ms),
            };
            out.push_str(&body);
        }
        out
    }

    fn info_server(&self, clock_ms: i64) -> String {
        let uptime_s = (clock_ms - self.started_clock_ms).max(0) / 1000;
        format!(
            "# Server\r\nredis_version:{}\r\nredis_mode:standalone\r\nos:replilab simulation\r\narch_bits:64\r\nprocess_id:1\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{}\r\nuptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\n",
            self.profile.redis_version(),
            self.run_id,
            self.port,
            clock_ms.max(0) * 1000,
            uptime_s,
            uptime_s / 86400,
            self.conf.hz,
            self.conf.hz
        )
    }

    fn info_stats(&self) -> String {
        let s = &self.stats;
        let d = &self.data_stats;
        format!(
            "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\nrejected_connections:0\r\nsync_full:{}\r\nsync_partial_ok:{}\r\nsync_partial_err:{}\r\nexpired_keys:{}\r\nexpired_stale_perc:{}\r\nexpired_time_cap_reached_count:{}\r\nevicted_keys:0\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\ntotal_error_replies:{}\r\n",
            s.total_connections_received,
            s.total_commands_processed,
            s.sync_full,
            s.sync_partial_ok,
            s.sync_partial_err,
            d.expired_keys,
            d.expired_stale_perc_text(),
            d.expired_time_cap_reached_count,
            d.keyspace_hits,
            d.keyspace_misses,
            s.total_error_replies
        )
    }

    fn info_keyspace(&self, clock_ms: i64) -> String {
        let mut s = String::from("# Keyspace\r\n");
        let keys = self.db.len();
        if keys > 0 {
            s.push_str(&format!(
                "db0:keys={},expires={},avg_ttl={}\r\n",
                keys,
                self.db.expires_count(),
                self.db.avg_ttl_ms(clock_ms)
            ));
        }
        s
    }

    /// `# Replication`, field for field as Redis 7.0 prints it (3.0 prints its own, shorter, set).
    pub fn info_replication(&self, clock_ms: i64) -> String {
        let now_s = clock_ms.div_euclid(1000);
        let v3 = self.profile == Profile::V3_0;
        let mut s = String::from("# Replication\r\n");
        let mut line = |k: &str, v: String| {
            s.push_str(k);
            s.push(':');
            s.push_str(&v);
            s.push_str("\r\n");
        };
        match &self.master {
            None => line("role", "master".into()),
            Some(m) => {
                line("role", "slave".into());
                line("master_host", m.host.clone());
                line("master_port", m.port.to_string());
                let up = m.is_connected();
                line("master_link_status", if up { "up" } else { "down" }.into());
                let last_io = if up {
                    now_s - m.last_io_ms.div_euclid(1000)
                } else {
                    -1
                };
                line("master_last_io_seconds_ago", last_io.to_string());
                let syncing = matches!(m.state, LinkState::Transfer { .. });
                line("master_sync_in_progress", (syncing as u8).to_string());
                if !v3 {
                    line(
                        "slave_read_repl_offset",
                        m.read_reploff.max(self.ids.master_repl_offset).to_string(),
                    );
                }
                line("slave_repl_offset", self.ids.master_repl_offset.to_string());
                if syncing {
                    line("master_sync_total_bytes", "-1".into());
                    line("master_sync_read_bytes", "0".into());
                    line("master_sync_left_bytes", "-1".into());
                    line("master_sync_perc", "-0.00".into());
                    line(
                        "master_sync_last_io_seconds_ago",
                        (now_s - m.last_io_ms.div_euclid(1000)).to_string(),
                    );
                }
                if !up {
                    let since = m.down_since_ms.map_or(-1, |d| now_s - d.div_euclid(1000));
                    line("master_link_down_since_seconds", since.to_string());
                }
                line("slave_priority", self.conf.replica_priority.to_string());
                line(
                    "slave_read_only",
                    (self.conf.replica_read_only as u8).to_string(),
                );
                if !v3 {
                    line(
                        "replica_announced",
                        (self.conf.replica_announced as u8).to_string(),
                    );
                }
            }
        }
        line("connected_slaves", self.replicas.len().to_string());
        if self.conf.min_replicas_to_write > 0 && self.conf.min_replicas_max_lag > 0 {
            line("min_slaves_good_slaves", self.good_replicas.to_string());
        }
        for (i, r) in self.replicas.values().enumerate() {
            let lag = if r.is_online() {
                now_s - r.ack_time_ms.div_euclid(1000)
            } else {
                0
            };
            line(
                &format!("slave{i}"),
                format!(
                    "ip={},port={},state={},offset={},lag={}",
                    r.ip,
                    r.listening_port,
                    r.state_name(),
                    r.ack_offset,
                    lag
                ),
            );
        }
        if !v3 {
            line("master_failover_state", "no-failover".into());
            line("master_replid", self.ids.replid.clone());
            line("master_replid2", self.ids.replid2.clone());
        }
        line(
            "master_repl_offset",
            self.ids.master_repl_offset.to_string(),
        );
        if !v3 {
            line(
                "second_repl_offset",
                self.ids.second_repl_offset.to_string(),
            );
        }
        match &self.backlog {
            Some(b) => {
                line("repl_backlog_active", "1".into());
                line("repl_backlog_size", b.size.to_string());
                line(
                    "repl_backlog_first_byte_offset",
                    b.first_byte_offset.to_string(),
                );
                line("repl_backlog_histlen", b.histlen.to_string());
            }
            None => {
                line("repl_backlog_active", "0".into());
                line("repl_backlog_size", self.conf.repl_backlog_size.to_string());
                line("repl_backlog_first_byte_offset", "0".into());
                line("repl_backlog_histlen", "0".into());
            }
        }
        s
    }
}
