//! What other instances tell a Sentinel (sentinel.c `sentinelProcessHelloMessage`,
//! `sentinelRefreshInstanceInfo`): hello messages, INFO replies, and what a
//! replica's INFO means for failover and for the configuration.

use crate::node::Cx;

use super::instance::{Instance, Kind, Reconf};
use super::monitor::{Who, SENTINEL_PUBLISH_PERIOD};
use super::SentinelEventKind as Ev;
use super::{FailoverState, SentinelNode};

impl SentinelNode {
    /// `sentinelProcessHelloMessage`: discover Sentinels, learn epochs and
    /// newer configurations.
    pub(crate) fn process_hello(&mut self, payload: &str, cx: &mut Cx) {
        let f: Vec<&str> = payload.split(',').collect();
        if f.len() != 8 {
            return;
        }
        let (ip, runid, name) = (f[0], f[2], f[4]);
        let (Ok(port), Ok(epoch), Ok(mport), Ok(mepoch)) = (
            f[1].parse::<u16>(),
            f[3].parse::<u64>(),
            f[6].parse::<u16>(),
            f[7].parse::<u64>(),
        ) else {
            return;
        };
        if runid == self.myid || !self.masters.contains_key(name) {
            return;
        }
        let now = cx.clock_ms;
        let known = self
            .masters
            .get(name)
            .is_some_and(|m| m.sentinels.contains_key(runid));
        if !known {
            let mut s = Instance::new(Kind::Sentinel, ip, port, now);
            s.run_id = Some(runid.to_string());
            if let Some(m) = self.masters.get_mut(name) {
                m.sentinels.insert(runid.to_string(), s);
            }
            let d = self.describe(name, Kind::Sentinel, runid);
            self.event(cx, Ev::Sentinel, d);
        }
        if epoch > self.current_epoch {
            self.current_epoch = epoch;
            self.event(cx, Ev::NewEpoch, epoch.to_string());
        }
        let Some(m) = self.masters.get(name) else {
            return;
        };
        // A newer configuration is adopted; a new address means a switch.
        if mepoch > m.config_epoch {
            let moved = m.inst.host != f[5] || m.inst.port != mport;
            if let Some(m) = self.masters.get_mut(name) {
                m.config_epoch = mepoch;
            }
            if !moved {
                return;
            }
            let (old_host, old_port) = self
                .masters
                .get(name)
                .map(|m| (m.inst.host.clone(), m.inst.port))
                .unwrap_or_default();
            let from = self.describe(name, Kind::Sentinel, runid);
            self.event(cx, Ev::ConfigUpdateFrom, from);
            self.event(
                cx,
                Ev::SwitchMaster,
                format!("{name} {old_host} {old_port} {} {mport}", f[5]),
            );
            self.reset_master_and_change_address(name, f[5], mport, cx);
        }
    }

    /// `sentinelRefreshInstanceInfo`.
    pub(super) fn refresh_info(&mut self, w: &Who, text: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        // `name:value` lines, split once (a Sentinel reads a dozen fields).
        let fields: Vec<(&str, &str)> = (text.lines())
            .filter_map(|l| l.trim_end().split_once(':'))
            .collect();
        let field = |k: &str| {
            (fields.iter())
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        };
        let run_id = field("run_id");
        let is_master = field("role").as_deref() == Some("master");
        let slaves: Vec<(String, u16)> = text
            .lines()
            .filter(|l| l.starts_with("slave") && l.contains(":ip="))
            .filter_map(|l| {
                let body = l.split_once(':')?.1;
                let get = |k: &str| {
                    body.split(',')
                        .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
                };
                Some((get("ip")?.to_string(), get("port")?.parse().ok()?))
            })
            .collect();
        let mut events: Vec<(Ev, String)> = Vec::new();
        let master_addr = self
            .masters
            .get(&w.master)
            .map(|m| (m.inst.host.clone(), m.inst.port))
            .unwrap_or_default();
        let Some(inst) = self.inst_mut(w) else { return };
        inst.info_refresh = now;
        if let Some(id) = run_id {
            if inst.run_id.as_ref().is_some_and(|old| *old != id) {
                events.push((Ev::Reboot, String::new()));
            }
            inst.run_id = Some(id);
        }
        if is_master != inst.role_is_master {
            inst.role_is_master = is_master;
            inst.role_reported_time = now;
            if !is_master {
                inst.slave_conf_change_time = now;
            }
            let coherent = (inst.kind == Kind::Master) == is_master;
            let role = if is_master { "master" } else { "slave" };
            events.push((
                if coherent {
                    Ev::RoleChange
                } else {
                    Ev::RoleChangeUnexpected
                },
                format!(" new reported role is {role}"),
            ));
        }
        if !is_master {
            let host = field("master_host").unwrap_or_default();
            let port = field("master_port")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            if host != inst.master_host || port != inst.master_port {
                inst.slave_conf_change_time = now;
            }
            inst.master_host = host;
            inst.master_port = port;
            inst.master_link_up = field("master_link_status").as_deref() == Some("up");
            inst.master_link_down_ms = field("master_link_down_since_seconds")
                .and_then(|s| s.parse::<i64>().ok())
                .map_or(0, |s| s.max(0) * 1000);
            inst.priority = field("slave_priority")
                .and_then(|p| p.parse().ok())
                .unwrap_or(100);
            inst.repl_offset = field("slave_repl_offset")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            inst.announced = field("replica_announced").as_deref() != Some("0");
        }
        for (kind, extra) in events {
            let d = self.who_desc(w);
            self.event(cx, kind, format!("{d}{extra}"));
        }
        if w.kind == Kind::Master && is_master {
            for (ip, port) in slaves {
                let key = format!("{ip}:{port}");
                let exists = self
                    .masters
                    .get(&w.master)
                    .is_some_and(|m| m.replicas.contains_key(&key));
                if !exists && (ip.as_str(), port) != (master_addr.0.as_str(), master_addr.1) {
                    if let Some(m) = self.masters.get_mut(&w.master) {
                        m.replicas
                            .insert(key.clone(), Instance::new(Kind::Replica, &ip, port, now));
                    }
                    let d = self.describe(&w.master, Kind::Replica, &key);
                    self.event(cx, Ev::Slave, d);
                }
            }
        }
        if self.tilt {
            return;
        }
        if w.kind == Kind::Replica {
            self.replica_role_checks(w, is_master, cx);
        }
    }

    /// What a replica's INFO means for failover and for the configuration.
    fn replica_role_checks(&mut self, w: &Who, is_master: bool, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let Some(r) = m.replicas.get(&w.key) else {
            return;
        };
        let (master_host, master_port) = (m.inst.host.clone(), m.inst.port);
        let promoted_here = r.promoted && m.failover == FailoverState::WaitPromotion;
        if is_master && promoted_here {
            let epoch = m.failover_epoch;
            if let Some(m) = self.masters.get_mut(&w.master) {
                m.config_epoch = epoch;
                m.set_failover(FailoverState::ReconfSlaves, now);
            }
            let d = self.who_desc(w);
            self.event(cx, Ev::PromotedSlave, d);
            let md = self.describe(&w.master, Kind::Master, "");
            self.event(cx, Ev::FailoverStateReconfSlaves, md);
            self.force_hello(&w.master);
            return;
        }
        let sane = self.master_looks_sane(&w.master, now);
        let Some(r) = self.inst(w) else { return };
        let wait = SENTINEL_PUBLISH_PERIOD * 4;
        if is_master
            && !r.promoted
            && sane
            && no_down_for(r, wait, now)
            && now - r.role_reported_time > wait
        {
            // A replica (often the old master, back from the dead) claims to be a master.
            self.send_slaveof(w, &master_host, master_port, cx);
            let d = self.who_desc(w);
            self.event(cx, Ev::ConvertToSlave, d);
            return;
        }
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let Some(r) = m.replicas.get(&w.key) else {
            return;
        };
        let promoted_addr = m.promoted.clone().unwrap_or_default();
        let points_to_promoted = format!("{}:{}", r.master_host, r.master_port) == promoted_addr;
        if !is_master && r.reconf == Reconf::Sent && points_to_promoted {
            if let Some(r) = self.inst_mut(w) {
                r.reconf = Reconf::InProgress;
            }
            let d = self.who_desc(w);
            self.event(cx, Ev::SlaveReconfInprog, d);
        }
        let Some(r) = self.inst(w) else { return };
        if !is_master && r.reconf == Reconf::InProgress && r.master_link_up {
            if let Some(r) = self.inst_mut(w) {
                r.reconf = Reconf::Done;
            }
            let d = self.who_desc(w);
            self.event(cx, Ev::SlaveReconfDone, d);
        }
        // A replica following the wrong master is fixed after failover-timeout.
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let Some(r) = m.replicas.get(&w.key) else {
            return;
        };
        let wrong = !is_master && (r.master_host != master_host || r.master_port != master_port);
        let wait = m.failover_timeout_ms;
        if wrong
            && m.failover == FailoverState::None
            && r.reconf == Reconf::None
            && sane
            && no_down_for(r, wait, now)
            && now - r.slave_conf_change_time > wait
        {
            self.send_slaveof(w, &master_host, master_port, cx);
            let d = self.who_desc(w);
            self.event(cx, Ev::FixSlaveConfig, d);
        }
    }
}

/// `sentinelRedisInstanceNoDownFor`.
pub(crate) fn no_down_for(inst: &Instance, ms: i64, now: i64) -> bool {
    inst.s_down_since == 0 || now - inst.s_down_since > ms
}
