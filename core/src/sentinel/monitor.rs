//! Monitoring (sentinel.c `sentinelHandleRedisInstance` and friends): keep
//! links up, send PING / INFO / hello on Sentinel's periods, read replies,
//! refresh what INFO says, and decide SDOWN and ODOWN.

use std::rc::Rc;

use crate::data::Reply;
use crate::msg::Msg;
use crate::net::{ConnId, NodeId};
use crate::node::Cx;

use super::instance::{Instance, Kind, Pending};
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
        let link = &inst.link;
        let stale_connect = link.cmd.is_some()
            && !link.cmd_up
            && now - link.cc_conn_time > SENTINEL_MIN_LINK_RECONNECT_PERIOD;
        let needs_cmd = link.cmd.is_none() || stale_connect;
        let needs_pubsub = w.kind != Kind::Sentinel && link.pubsub.is_none();
        if !(needs_cmd || needs_pubsub) || now - link.last_reconn_time < SENTINEL_PING_PERIOD {
            return;
        }
        let Some(node) = cx.resolve(&inst.host, inst.port) else {
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
