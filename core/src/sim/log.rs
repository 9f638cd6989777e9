//! A node's server log as the process writes it (`serverLogRaw` in
//! server.c): `<pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level> <message>`,
//! the role `M` (master), `S` (replica) or `X` (Sentinel), the time read
//! off the node's own clock (skew included).
//!
//! The lab keeps no log levels: every line is written at `*` (notice),
//! which is what most replication and Sentinel lines are; `#` (warning)
//! lines such as "Timeout connecting to the MASTER..." show as `*` too.
//! The pid is 1, as INFO's `process_id` says.

use super::Sim;
use crate::action::Action;
use crate::net::NodeId;
use crate::node::NodeState;
use crate::trace::TraceKind;

impl Sim {
    /// The node's log lines so far, oldest first.
    pub fn server_log(&self, node: NodeId) -> Vec<String> {
        let sim = self;
        let Some(slot) = sim.node(node) else {
            return Vec::new();
        };
        let name = slot.name.as_str();
        let mut role = match slot.state {
            NodeState::Sentinel(_) => 'X',
            _ => 'M',
        };
        let mut skew_ms: i64 = 0;
        let mut out = Vec::new();
        for e in sim.trace() {
            match &e.kind {
                // Clock changes are traced in the action grammar: follow them.
                TraceKind::Fault { text } => match text.parse::<Action>() {
                    Ok(Action::Skew { node, ms }) if node == name => skew_ms = ms,
                    Ok(Action::Jump { node, ms }) if node == name => {
                        skew_ms = skew_ms.saturating_add(ms)
                    }
                    _ => {}
                },
                TraceKind::Role { role: r } if e.node == node && role != 'X' => {
                    role = if r == "master" { 'M' } else { 'S' };
                }
                TraceKind::Log { text } if e.node == node => {
                    let unix_ms = sim.cfg.start_unix_ms + e.t_ms as i64 + skew_ms;
                    out.push(format!("1:{role} {} * {text}", timestamp(unix_ms)));
                }
                TraceKind::Sentinel { event } if e.node == node => {
                    let unix_ms = sim.cfg.start_unix_ms + e.t_ms as i64 + skew_ms;
                    out.push(format!("1:X {} # {event}", timestamp(unix_ms)));
                }
                _ => {}
            }
        }
        out
    }
}

/// `14 Nov 2023 22:13:20.000`, as `serverLogRaw` prints the time (UTC).
pub fn timestamp(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms).map_or_else(
        || format!("@{unix_ms}ms"),
        |t| t.format("%d %b %Y %H:%M:%S%.3f").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::profile::Profile;

    #[test]
    fn timestamps_read_as_redis_prints_them() {
        assert_eq!(timestamp(1_700_000_000_000), "14 Nov 2023 22:13:20.000");
        assert_eq!(timestamp(1_700_000_000_042), "14 Nov 2023 22:13:20.042");
    }

    #[test]
    fn a_replica_logs_its_first_sync_with_its_own_clock() {
        let mut sim = demo::master_and_two_replicas(1, Profile::V7_0);
        let r1 = sim.node_id("r1").unwrap();
        sim.perform(&"skew r1 +3600s".parse().unwrap()).unwrap();
        sim.run_until(5_000).unwrap();
        let log = sim.server_log(r1);
        let sync = log
            .iter()
            .find(|l| l.contains("MASTER <-> REPLICA sync started"))
            .expect("a sync line");
        assert!(sync.starts_with("1:S 14 Nov 2023 23:13:2"), "{sync}");
        assert!(log.iter().all(|l| l.starts_with("1:")), "{log:?}");
    }
}
