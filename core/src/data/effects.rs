//! What executing a command does besides replying: the commands to propagate
//! to replicas, keyspace events for the trace, and the counters INFO prints.

use super::argv::Argv;

/// A keyspace change worth showing in the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyEvent {
    /// Deleted because its TTL passed (lazy, active, or writable-replica expiry).
    Expired { key: Vec<u8> },
    /// Deleted by a command (DEL, UNLINK, GETDEL, EXPIRE in the past, FLUSH*).
    /// Recorded only when `Effects::trace_writes` is set.
    Deleted { key: Vec<u8> },
    /// Written by a command. Recorded only when `Effects::trace_writes` is set.
    Set { key: Vec<u8> },
}

/// Outputs of one command (or one expiry cycle).
///
/// `propagate` holds, in order, what the master feeds to its replicas and
/// backlog for this command: lazily expired keys' `DEL`s first, then the
/// command itself (possibly rewritten, e.g. `SET k v PXAT <ms>`). It is
/// filled only when the node is a master: a replica proxies its master's
/// stream verbatim and never propagates its own writes.
///
/// Redis 7.0 wraps a command that propagates more than one entry in
/// MULTI/EXEC (e.g. `MGET` of three expired keys, or `SET` over an expired
/// key: `MULTI, DEL k, SET k v, EXEC`), except SCAN and RANDOMKEY, whose
/// `DEL`s go out one by one. `take_propagation` applies that rule; inside
/// EXEC the caller wraps the whole transaction instead and should read
/// `propagate` directly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    pub propagate: Vec<Argv>,
    pub events: Vec<KeyEvent>,
    /// Also record `Set`/`Deleted` events (costs a key copy per write).
    pub trace_writes: bool,
    /// Set by `exec_data` when the command's own lazy-expiry `DEL`s must not
    /// be wrapped in MULTI/EXEC (SCAN, RANDOMKEY).
    pub no_multi_wrap: bool,
}

impl Effects {
    /// Keys that expired, as text for the trace.
    pub fn expired_keys(&self) -> impl Iterator<Item = String> + '_ {
        self.events.iter().filter_map(|e| match e {
            KeyEvent::Expired { key } => Some(String::from_utf8_lossy(key).into_owned()),
            _ => None,
        })
    }

    /// Number of `Expired` events.
    pub fn expired_count(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, KeyEvent::Expired { .. }))
            .count()
    }

    /// Takes what one stand-alone command propagates, wrapped in MULTI/EXEC
    /// when Redis 7.0 would (more than one entry, not SCAN/RANDOMKEY).
    pub fn take_propagation(&mut self) -> Vec<Argv> {
        let mut p = std::mem::take(&mut self.propagate);
        if p.len() > 1 && !self.no_multi_wrap {
            p.insert(0, vec![b"MULTI".to_vec()]);
            p.push(vec![b"EXEC".to_vec()]);
        }
        self.no_multi_wrap = false;
        p
    }

    /// Clears outputs (keeps `trace_writes`).
    pub fn clear(&mut self) {
        self.propagate.clear();
        self.events.clear();
        self.no_multi_wrap = false;
    }

    pub(crate) fn expired(&mut self, key: &[u8]) {
        self.events.push(KeyEvent::Expired { key: key.to_vec() });
    }

    pub(crate) fn deleted(&mut self, key: &[u8]) {
        if self.trace_writes {
            self.events.push(KeyEvent::Deleted { key: key.to_vec() });
        }
    }

    pub(crate) fn set(&mut self, key: &[u8]) {
        if self.trace_writes {
            self.events.push(KeyEvent::Set { key: key.to_vec() });
        }
    }
}

/// The data layer's INFO stats counters (`# Stats`), owned by the node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataStats {
    pub expired_keys: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_time_cap_reached_count: u64,
    /// Running estimate of the share of logically expired keys among keys
    /// with a TTL, in parts per million (Redis keeps a double:
    /// `stat_expired_stale_perc`, 5% weight per active expire cycle).
    pub expired_stale_ppm: u64,
    /// Simulated microseconds spent in active expire cycles
    /// (`expire_cycle_cpu_milliseconds` = this / 1000).
    pub expire_cycle_time_used_us: u64,
    /// Active expire cycles run.
    pub active_expire_cycles: u64,
}

impl DataStats {
    /// `expired_stale_perc` as INFO prints it (`%.2f` of a percentage).
    pub fn expired_stale_perc_text(&self) -> String {
        // ppm / 10_000 = percent; two decimals = ppm / 100, rounded.
        let hundredths = (self.expired_stale_ppm + 50) / 100;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }

    /// `expire_cycle_cpu_milliseconds`.
    pub fn expire_cycle_cpu_milliseconds(&self) -> u64 {
        self.expire_cycle_time_used_us / 1000
    }

    /// Running average update after a cycle (`activeExpireCycle` tail).
    pub(crate) fn update_stale(&mut self, sampled: u64, expired: u64) {
        let current_ppm = expired
            .saturating_mul(1_000_000)
            .checked_div(sampled)
            .unwrap_or(0);
        self.expired_stale_ppm = (current_ppm * 5 + self.expired_stale_ppm * 95) / 100;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_propagation_wraps_more_than_one_entry_in_multi_exec() {
        let mut fx = Effects::default();
        fx.propagate.push(vec![b"DEL".to_vec(), b"k".to_vec()]);
        assert_eq!(fx.take_propagation().len(), 1);
        fx.propagate.push(vec![b"DEL".to_vec(), b"k".to_vec()]);
        fx.propagate
            .push(vec![b"SET".to_vec(), b"k".to_vec(), b"v".to_vec()]);
        let p = fx.take_propagation();
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], vec![b"MULTI".to_vec()]);
        assert_eq!(p[3], vec![b"EXEC".to_vec()]);
        fx.no_multi_wrap = true;
        fx.propagate.push(vec![b"DEL".to_vec(), b"a".to_vec()]);
        fx.propagate.push(vec![b"DEL".to_vec(), b"b".to_vec()]);
        assert_eq!(fx.take_propagation().len(), 2);
    }

    #[test]
    fn stale_perc_text_has_two_decimals() {
        let mut s = DataStats::default();
        assert_eq!(s.expired_stale_perc_text(), "0.00");
        s.update_stale(100, 100);
        assert_eq!(s.expired_stale_perc_text(), "5.00");
        s.update_stale(100, 0);
        assert_eq!(s.expired_stale_perc_text(), "4.75");
    }
}
