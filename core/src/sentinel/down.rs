//! Deciding that a master is down (sentinel.c `sentinelCheckSubjectivelyDown`,
//! `sentinelCheckObjectivelyDown`, `sentinelAskMasterStateToOtherSentinels`).

use crate::node::Cx;

use super::instance::{Kind, Pending};
use super::monitor::{
    Who, SENTINEL_ASK_FORGET_TIME, SENTINEL_ASK_PERIOD, SENTINEL_INFO_PERIOD,
    SENTINEL_MIN_LINK_RECONNECT_PERIOD,
};
use super::SentinelEventKind as Ev;
use super::{FailoverState, SentinelNode};

impl SentinelNode {
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
    pub(super) fn check_sdown(&mut self, w: &Who, cx: &mut Cx) {
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
            self.event(cx, Ev::Sdown, d);
        } else if !down && inst.sdown {
            if let Some(inst) = self.inst_mut(w) {
                inst.sdown = false;
            }
            let d = self.who_desc(w);
            self.event(cx, Ev::SdownCleared, d);
        }
    }

    /// `sentinelCheckObjectivelyDown`: our SDOWN plus enough agreeing Sentinels.
    pub(super) fn check_odown(&mut self, name: &str, cx: &mut Cx) {
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
            self.event(cx, Ev::Odown, format!("{d} #quorum {votes}/{quorum}"));
        } else if !odown && m.odown {
            if let Some(m) = self.masters.get_mut(name) {
                m.odown = false;
            }
            let d = self.describe(name, Kind::Master, "");
            self.event(cx, Ev::OdownCleared, d);
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
}
