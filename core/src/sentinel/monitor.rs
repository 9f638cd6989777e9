//! Monitoring (sentinel.c `sentinelHandleRedisInstance` and friends): keep
//! links up, send PING / INFO / hello on Sentinel's periods, read replies,
//! refresh what INFO says, and decide SDOWN and ODOWN.

use std::rc::Rc;

use crate::data::Reply;
use crate::msg::Msg;
use crate::net::{ConnId, NodeId};
use crate::sim::Cx;

use super::instance::{Instance, Kind, Pending, Reconf};
use super::{FailoverState, LinkOwner, SClient, SentinelNode};

pub const SENTINEL_INFO_PERIOD: i64 = 10_000;
pub const SENTINEL_PING_PERIOD: i64 = 1_000;
pub const SENTINEL_PUBLISH_PERIOD: i64 = 2_000;
pub const SENTINEL_ASK_PERIOD: i64 = 1_000;
pub const SENTINEL_ASK_FORGET_TIME: i64 = 5_000;
pub const SENTINEL_MIN_LINK_RECONNECT_PERIOD: i64 = 15_000;
pub const SENTINEL_MAX_PENDING_COMMANDS: usize = 100;
pub const HELLO_CHANNEL: &str = "__sentinel__:hello";

/// Addresses one instance of one master.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub master: String,
    pub kind: Kind,
    pub key: String,
}

pub(crate) fn cmd(parts: &[&str]) -> Msg {
    Msg::Cmd(Rc::new(
        parts.iter().map(|p| p.as_bytes().to_vec()).collect(),
    ))
}

impl SentinelNode {
    pub(crate) fn inst(&self, w: &Who) -> Option<&Instance> {
        let m = self.masters.get(&w.master)?;
        match w.kind {
            Kind::Master => Some(&m.inst),
            Kind::Replica => m.replicas.get(&w.key),
            Kind::Sentinel => m.sentinels.get(&w.key),
        }
    }

    pub(crate) fn inst_mut(&mut self, w: &Who) -> Option<&mut Instance> {
        let m = self.masters.get_mut(&w.master)?;
        match w.kind {
            Kind::Master => Some(&mut m.inst),
            Kind::Replica => m.replicas.get_mut(&w.key),
            Kind::Sentinel => m.sentinels.get_mut(&w.key),
        }
    }

    pub(crate) fn who_desc(&self, w: &Who) -> String {
        self.describe(&w.master, w.kind, &w.key)
    }

    /// One timer pass over a master, its replicas and its Sentinels.
    pub(super) fn handle_master(&mut self, name: &str, cx: &mut Cx) {
        let Some(m) = self.masters.get(name) else {
            return;
        };
        let mut whos = vec![Who {
            master: name.into(),
            kind: Kind::Master,
            key: String::new(),
        }];
        whos.extend(m.replicas.keys().map(|k| Who {
            master: name.into(),
            kind: Kind::Replica,
            key: k.clone(),
        }));
        whos.extend(m.sentinels.keys().map(|k| Who {
            master: name.into(),
            kind: Kind::Sentinel,
            key: k.clone(),
        }));
        for w in &whos {
            self.reconnect(w, cx);
            self.send_periodic(w, cx);
        }
        if self.tilt {
            return;
        }
        for w in &whos {
            self.check_sdown(w, cx);
        }
        self.check_odown(name, cx);
        if self.start_failover_if_needed(name, cx) {
            self.ask_other_sentinels(name, true, cx);
        }
        self.failover_state_machine(name, cx);
        self.ask_other_sentinels(name, false, cx);
        if self
            .masters
            .get(name)
            .is_some_and(|m| m.failover == FailoverState::UpdateConfig)
        {
            self.switch_to_promoted(name, cx);
        }
    }

    /// `sentinelReconnectInstance`: at most one attempt per second.
    fn reconnect(&mut self, w: &Who, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(inst) = self.inst(w) else { return };
        let (host, port) = (inst.host.clone(), inst.port);
        let link = &inst.link;
        let stale_connect = link.cmd.is_some()
            && !link.cmd_up
            && now - link.cc_conn_time > SENTINEL_MIN_LINK_RECONNECT_PERIOD;
        let needs_cmd = link.cmd.is_none() || stale_connect;
        let needs_pubsub = w.kind != Kind::Sentinel && link.pubsub.is_none();
        if !(needs_cmd || needs_pubsub) || now - link.last_reconn_time < SENTINEL_PING_PERIOD {
            return;
        }
        let Some(node) = cx.resolve(&host, port) else {
            return;
        };
        let old = if stale_connect { inst.link.cmd } else { None };
        if let Some(c) = old {
            cx.close(c, "connect timed out");
            self.links.remove(&c);
        }
        let mut new_links = Vec::new();
        if needs_cmd {
            let conn = cx.connect(node);
            new_links.push((conn, false));
        }
        if needs_pubsub {
            let conn = cx.connect(node);
            new_links.push((conn, true));
        }
        for (conn, pubsub) in &new_links {
            self.links.insert(
                *conn,
                LinkOwner {
                    master: w.master.clone(),
                    kind: w.kind,
                    key: w.key.clone(),
                    pubsub: *pubsub,
                },
            );
        }
        if let Some(inst) = self.inst_mut(w) {
            inst.link.last_reconn_time = now;
            for (conn, pubsub) in new_links {
                if pubsub {
                    inst.link.pubsub = Some(conn);
                    inst.link.pubsub_up = false;
                } else {
                    inst.link.cmd = Some(conn);
                    inst.link.cmd_up = false;
                    inst.link.cc_conn_time = now;
                    inst.link.pending.clear();
                }
            }
        }
    }

    pub(super) fn link_connected(&mut self, conn: ConnId, cx: &mut Cx) {
        let Some(owner) = self.links.get(&conn).cloned() else {
            return;
        };
        let w = Who {
            master: owner.master,
            kind: owner.kind,
            key: owner.key,
        };
        let now = cx.clock_ms;
        let Some(inst) = self.inst_mut(&w) else {
            return;
        };
        if owner.pubsub {
            inst.link.pubsub_up = true;
            cx.send(conn, cmd(&["SUBSCRIBE", HELLO_CHANNEL]));
        } else {
            inst.link.cmd_up = true;
            inst.link.cc_conn_time = now;
            inst.link.pending.clear();
        }
    }

    pub(super) fn conn_gone(&mut self, conn: ConnId) {
        if let Some(owner) = self.links.remove(&conn) {
            let w = Who {
                master: owner.master,
                kind: owner.kind,
                key: owner.key,
            };
            if let Some(inst) = self.inst_mut(&w) {
                if owner.pubsub && inst.link.pubsub == Some(conn) {
                    inst.link.pubsub = None;
                    inst.link.pubsub_up = false;
                } else if inst.link.cmd == Some(conn) {
                    inst.link.cmd = None;
                    inst.link.cmd_up = false;
                    inst.link.pending.clear();
                }
            }
            return;
        }
        self.clients.remove(&conn);
    }

    pub(crate) fn send_cmd(
        &mut self,
        w: &Who,
        parts: &[&str],
        pending: Pending,
        cx: &mut Cx,
    ) -> bool {
        let Some(inst) = self.inst_mut(w) else {
            return false;
        };
        let Some(conn) = inst.link.cmd.filter(|_| inst.link.cmd_up) else {
            return false;
        };
        inst.link.pending.push_back(pending);
        cx.send(conn, cmd(parts));
        true
    }

    /// `sentinelSendPeriodicCommands`.
    fn send_periodic(&mut self, w: &Who, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let master_odown_or_failover = m.odown || m.failover != FailoverState::None;
        let down_after = m.down_after_ms;
        let Some(inst) = self.inst(w) else { return };
        if inst.link.disconnected() || inst.link.pending.len() >= SENTINEL_MAX_PENDING_COMMANDS {
            return;
        }
        let info_period = if w.kind == Kind::Replica
            && (master_odown_or_failover || inst.master_link_down_ms != 0)
        {
            1000
        } else {
            SENTINEL_INFO_PERIOD
        };
        let ping_period = down_after.min(SENTINEL_PING_PERIOD);
        let info_due = w.kind != Kind::Sentinel
            && (inst.info_refresh == 0 || now - inst.info_refresh > info_period);
        let ping_due = now - inst.link.last_pong_time > ping_period
            && now - inst.link.last_ping_time > ping_period / 2;
        let hello_due = now - inst.last_pub_time > SENTINEL_PUBLISH_PERIOD;
        let already_info = inst.link.pending.contains(&Pending::Info);
        if info_due && !already_info {
            self.send_cmd(w, &["INFO"], Pending::Info, cx);
        }
        if ping_due && self.send_cmd(w, &["PING"], Pending::Ping, cx) {
            if let Some(inst) = self.inst_mut(w) {
                inst.link.last_ping_time = now;
                if inst.link.act_ping_time == 0 {
                    inst.link.act_ping_time = now;
                }
            }
        }
        if hello_due {
            self.send_hello(w, cx);
        }
    }

    /// `sentinelSendHello`: `ip,port,runid,current_epoch,name,mip,mport,config_epoch`.
    fn send_hello(&mut self, w: &Who, cx: &mut Cx) {
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let (mhost, mport) = current_master_address(m);
        let payload = format!(
            "{},{},{},{},{},{},{},{}",
            self.host,
            self.port,
            self.myid,
            self.current_epoch,
            m.name,
            mhost,
            mport,
            m.config_epoch
        );
        if self.send_cmd(
            w,
            &["PUBLISH", HELLO_CHANNEL, &payload],
            Pending::Publish,
            cx,
        ) {
            if let Some(inst) = self.inst_mut(w) {
                inst.last_pub_time = cx.clock_ms;
            }
        }
    }

    pub(crate) fn force_hello(&mut self, master: &str) {
        if let Some(m) = self.masters.get_mut(master) {
            m.inst.last_pub_time = 0;
            for r in m.replicas.values_mut() {
                r.last_pub_time = 0;
            }
            for s in m.sentinels.values_mut() {
                s.last_pub_time = 0;
            }
        }
    }

    pub(super) fn on_msg(&mut self, conn: ConnId, msg: Msg, cx: &mut Cx) {
        if let Some(owner) = self.links.get(&conn).cloned() {
            let Msg::Reply(r) = msg else { return };
            let w = Who {
                master: owner.master,
                kind: owner.kind,
                key: owner.key,
            };
            if owner.pubsub {
                self.on_pubsub_reply(&w, &r, cx);
            } else {
                self.on_cmd_reply(&w, &r, cx);
            }
            return;
        }
        if let Msg::Cmd(argv) = msg {
            if self.clients.contains_key(&conn) {
                self.client_command(conn, &argv, cx);
            }
        }
    }

    fn on_cmd_reply(&mut self, w: &Who, r: &Reply, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(inst) = self.inst_mut(w) else { return };
        let Some(pending) = inst.link.pending.pop_front() else {
            return;
        };
        match pending {
            Pending::Ping => {
                let valid = match r {
                    Reply::Status(s) => s == "PONG",
                    Reply::Error(e) => e.starts_with("LOADING") || e.starts_with("MASTERDOWN"),
                    _ => false,
                };
                if valid {
                    inst.link.last_avail_time = now;
                    inst.link.act_ping_time = 0;
                }
                inst.link.last_pong_time = now;
            }
            Pending::Info => {
                if let Reply::Bulk(text) = r {
                    let text = String::from_utf8_lossy(text).to_string();
                    self.refresh_info(w, &text, cx);
                }
            }
            Pending::IsMasterDown => {
                if let Reply::Array(items) = r {
                    if let [Reply::Int(down), Reply::Bulk(leader), Reply::Int(epoch)] =
                        items.as_slice()
                    {
                        inst.master_down = *down == 1;
                        inst.last_master_down_reply = now;
                        let leader = String::from_utf8_lossy(leader).to_string();
                        if leader != "*" {
                            inst.leader = Some(leader);
                            inst.leader_epoch = (*epoch).max(0) as u64;
                        }
                    }
                }
            }
            Pending::Publish | Pending::Discard => {}
        }
    }

    fn on_pubsub_reply(&mut self, _w: &Who, r: &Reply, cx: &mut Cx) {
        if let Reply::Array(items) = r {
            if let [Reply::Bulk(kind), Reply::Bulk(channel), Reply::Bulk(payload)] =
                items.as_slice()
            {
                if kind == b"message" && channel == HELLO_CHANNEL.as_bytes() {
                    let payload = String::from_utf8_lossy(payload).to_string();
                    self.process_hello(&payload, cx);
                }
            }
        }
    }

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
            self.event(cx, "+sentinel", d);
        }
        if epoch > self.current_epoch {
            self.current_epoch = epoch;
            self.event(cx, "+new-epoch", epoch.to_string());
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
            self.event(cx, "+config-update-from", from);
            self.event(
                cx,
                "+switch-master",
                format!("{name} {old_host} {old_port} {} {mport}", f[5]),
            );
            self.reset_master_and_change_address(name, f[5], mport, cx);
        }
    }

    /// `sentinelRefreshInstanceInfo`.
    fn refresh_info(&mut self, w: &Who, text: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let field = |k: &str| {
            text.lines().find_map(|l| {
                l.trim_end()
                    .strip_prefix(k)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(str::to_string)
            })
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
        let mut events: Vec<(&str, String)> = Vec::new();
        let master_addr = self
            .masters
            .get(&w.master)
            .map(|m| (m.inst.host.clone(), m.inst.port))
            .unwrap_or_default();
        let Some(inst) = self.inst_mut(w) else { return };
        inst.info_refresh = now;
        if let Some(id) = run_id {
            if inst.run_id.as_ref().is_some_and(|old| *old != id) {
                events.push(("+reboot", String::new()));
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
                    "+role-change"
                } else {
                    "-role-change"
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
                    self.event(cx, "+slave", d);
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
                m.failover = FailoverState::ReconfSlaves;
                m.failover_state_change_time = now;
            }
            let d = self.who_desc(w);
            self.event(cx, "+promoted-slave", d);
            let md = self.describe(&w.master, Kind::Master, "");
            self.event(cx, "+failover-state-reconf-slaves", md);
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
            self.event(cx, "+convert-to-slave", d);
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
            self.event(cx, "+slave-reconf-inprog", d);
        }
        let Some(r) = self.inst(w) else { return };
        if !is_master && r.reconf == Reconf::InProgress && r.master_link_up {
            if let Some(r) = self.inst_mut(w) {
                r.reconf = Reconf::Done;
            }
            let d = self.who_desc(w);
            self.event(cx, "+slave-reconf-done", d);
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
            self.event(cx, "+fix-slave-config", d);
        }
    }

    /// `sentinelMasterLooksSane`.
    pub(crate) fn master_looks_sane(&self, master: &str, now: i64) -> bool {
        self.masters.get(master).is_some_and(|m| {
            m.inst.role_is_master
                && !m.inst.sdown
                && !m.odown
                && now - m.inst.info_refresh < SENTINEL_INFO_PERIOD * 2
        })
    }

    /// `sentinelCheckSubjectivelyDown`.
    fn check_sdown(&mut self, w: &Who, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(&w.master) else {
            return;
        };
        let down_after = m.down_after_ms;
        let Some(inst) = self.inst(w) else { return };
        let link = &inst.link;
        let elapsed = if link.act_ping_time != 0 {
            now - link.act_ping_time
        } else if link.disconnected() {
            now - link.last_avail_time
        } else {
            0
        };
        // A link that looks stuck is closed so it reconnects (half of down-after).
        let stuck = link.cmd_up
            && now - link.cc_conn_time > SENTINEL_MIN_LINK_RECONNECT_PERIOD
            && link.act_ping_time != 0
            && now - link.act_ping_time > down_after / 2
            && now - link.last_pong_time > down_after / 2;
        if stuck {
            if let Some(c) = link.cmd {
                cx.close(c, "link looks stuck");
                self.conn_gone(c);
            }
        }
        let Some(inst) = self.inst(w) else { return };
        let reports_replica = w.kind == Kind::Master
            && !inst.role_is_master
            && now - inst.role_reported_time > down_after + SENTINEL_INFO_PERIOD * 2;
        let down = elapsed > down_after || reports_replica;
        if down && !inst.sdown {
            if let Some(inst) = self.inst_mut(w) {
                inst.sdown = true;
                inst.s_down_since = now;
            }
            let d = self.who_desc(w);
            self.event(cx, "+sdown", d);
        } else if !down && inst.sdown {
            if let Some(inst) = self.inst_mut(w) {
                inst.sdown = false;
            }
            let d = self.who_desc(w);
            self.event(cx, "-sdown", d);
        }
    }

    /// `sentinelCheckObjectivelyDown`: our SDOWN plus enough agreeing Sentinels.
    fn check_odown(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(name) else {
            return;
        };
        let mut votes = 0u32;
        let odown = if m.inst.sdown {
            votes = 1 + m.sentinels.values().filter(|s| s.master_down).count() as u32;
            votes >= m.quorum
        } else {
            false
        };
        let quorum = m.quorum;
        if odown && !m.odown {
            if let Some(m) = self.masters.get_mut(name) {
                m.odown = true;
                m.o_down_since = now;
            }
            let d = self.describe(name, Kind::Master, "");
            self.event(cx, "+odown", format!("{d} #quorum {votes}/{quorum}"));
        } else if !odown && m.odown {
            if let Some(m) = self.masters.get_mut(name) {
                m.odown = false;
            }
            let d = self.describe(name, Kind::Master, "");
            self.event(cx, "-odown", d);
        }
    }

    /// `sentinelAskMasterStateToOtherSentinels`: while the master is SDOWN,
    /// ask the others (with our run id once we are trying a failover: a vote request).
    pub(crate) fn ask_other_sentinels(&mut self, name: &str, forced: bool, cx: &mut Cx) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(name) else {
            return;
        };
        if !m.inst.sdown {
            return;
        }
        let (host, port) = (m.inst.host.clone(), m.inst.port);
        let runid = if m.failover != FailoverState::None {
            self.myid.clone()
        } else {
            "*".into()
        };
        let epoch = self.current_epoch.to_string();
        let keys: Vec<String> = m.sentinels.keys().cloned().collect();
        for key in keys {
            let w = Who {
                master: name.into(),
                kind: Kind::Sentinel,
                key,
            };
            let Some(s) = self.inst_mut(&w) else { continue };
            if now - s.last_master_down_reply > SENTINEL_ASK_FORGET_TIME {
                s.master_down = false;
                s.leader = None;
            }
            if s.link.disconnected()
                || (!forced && now - s.last_master_down_reply < SENTINEL_ASK_PERIOD)
            {
                continue;
            }
            if s.link.pending.contains(&Pending::IsMasterDown) {
                continue;
            }
            let port_s = port.to_string();
            self.send_cmd(
                &w,
                &[
                    "SENTINEL",
                    "is-master-down-by-addr",
                    &host,
                    &port_s,
                    &epoch,
                    &runid,
                ],
                Pending::IsMasterDown,
                cx,
            );
        }
    }

    pub(super) fn accept(&mut self, conn: ConnId, peer: NodeId, cx: &mut Cx) {
        let local = cx.addr_of(peer).is_some_and(|a| a.0 == self.host);
        if self.spec.protected_mode && !local {
            cx.send(conn, Msg::Reply(Rc::new(Reply::err(crate::redis::DENIED))));
            cx.close(conn, "protected mode");
            return;
        }
        self.clients.insert(
            conn,
            SClient {
                peer: Some(peer),
                ..SClient::default()
            },
        );
    }
}

/// `sentinelRedisInstanceNoDownFor`.
pub(crate) fn no_down_for(inst: &Instance, ms: i64, now: i64) -> bool {
    inst.s_down_since == 0 || now - inst.s_down_since > ms
}

/// `sentinelGetCurrentMasterAddress`: once a failover has promoted a replica
/// (reconf-slaves and later), the promoted replica is the master to announce.
pub(crate) fn current_master_address(m: &super::Master) -> (String, u16) {
    use super::FailoverState;
    if matches!(
        m.failover,
        FailoverState::ReconfSlaves | FailoverState::UpdateConfig
    ) {
        if let Some(p) = m.promoted.as_ref().and_then(|k| m.replicas.get(k)) {
            return (p.host.clone(), p.port);
        }
    }
    (m.inst.host.clone(), m.inst.port)
}
