//! Leader election and failover (sentinel.c `sentinelStartFailoverIfNeeded`,
//! `sentinelGetLeader`, `sentinelVoteLeader`, `sentinelSelectSlave`,
//! `sentinelFailoverStateMachine`, `sentinelFailoverSwitchToPromotedSlave`).

use crate::node::Cx;

use super::instance::{Instance, Kind, Pending, Reconf};
use super::monitor::{Who, SENTINEL_INFO_PERIOD, SENTINEL_PING_PERIOD};
use super::SentinelEventKind as Ev;
use super::SentinelNode;

pub const SENTINEL_MAX_DESYNC_MS: u64 = 1000;
pub const SENTINEL_ELECTION_TIMEOUT_MS: i64 = 10_000;
pub const SENTINEL_SLAVE_RECONF_TIMEOUT_MS: i64 = 10_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailoverState {
    #[default]
    None,
    WaitStart,
    SelectSlave,
    SendSlaveofNoone,
    WaitPromotion,
    ReconfSlaves,
    UpdateConfig,
}

impl FailoverState {
    /// The state a failover moves to from this one (`None` for the last).
    pub fn next(self) -> Option<FailoverState> {
        use FailoverState::*;
        match self {
            None => Some(WaitStart),
            WaitStart => Some(SelectSlave),
            SelectSlave => Some(SendSlaveofNoone),
            SendSlaveofNoone => Some(WaitPromotion),
            WaitPromotion => Some(ReconfSlaves),
            ReconfSlaves => Some(UpdateConfig),
            UpdateConfig => Option::None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FailoverState::None => "none",
            FailoverState::WaitStart => "wait_start",
            FailoverState::SelectSlave => "select_slave",
            FailoverState::SendSlaveofNoone => "send_slaveof_noone",
            FailoverState::WaitPromotion => "wait_promotion",
            FailoverState::ReconfSlaves => "reconf_slaves",
            FailoverState::UpdateConfig => "update_config",
        }
    }
}

impl super::Master {
    /// Every failover state change goes through here: a failover advances
    /// one state at a time, in order, or ends (abort, end, reset) back to
    /// `None`; a failover in progress always has the epoch it was started in.
    pub(crate) fn set_failover(&mut self, state: FailoverState, now: i64) {
        assert!(
            state == FailoverState::None || self.failover.next() == Some(state),
            "failover states advance in order: {:?} then {state:?}",
            self.failover
        );
        assert!(
            state == FailoverState::None || self.failover_epoch > 0,
            "a failover in progress has an epoch"
        );
        self.failover = state;
        self.failover_state_change_time = now;
    }
}

impl SentinelNode {
    fn master_desc(&self, name: &str) -> String {
        self.describe(name, Kind::Master, "")
    }

    /// Starts a failover when the master is ODOWN and we have not tried
    /// within 2 × failover-timeout. Returns true when one started.
    pub(super) fn start_failover_if_needed(&mut self, name: &str, cx: &mut Cx) -> bool {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get(name) else {
            return false;
        };
        if !m.odown || m.failover != FailoverState::None {
            return false;
        }
        if now - m.failover_start_time < m.failover_timeout_ms * 2 {
            return false;
        }
        self.start_failover(name, cx);
        true
    }

    pub(crate) fn start_failover(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        self.current_epoch += 1;
        let epoch = self.current_epoch;
        let delay = cx.rand_below(SENTINEL_MAX_DESYNC_MS) as i64;
        if let Some(m) = self.masters.get_mut(name) {
            m.failover_epoch = epoch;
            m.set_failover(FailoverState::WaitStart, now);
            m.failover_start_time = now + delay;
        }
        self.event(cx, Ev::NewEpoch, epoch.to_string());
        let d = self.master_desc(name);
        self.event(cx, Ev::TryFailover, d);
    }

    /// `sentinelVoteLeader`: one vote per epoch, to the first who asks.
    pub(crate) fn vote_leader(
        &mut self,
        name: &str,
        req_epoch: u64,
        req_runid: &str,
        cx: &mut Cx,
    ) -> (Option<String>, u64) {
        if req_epoch > self.current_epoch {
            self.current_epoch = req_epoch;
            self.event(cx, Ev::NewEpoch, req_epoch.to_string());
        }
        let now = cx.clock_ms;
        let current = self.current_epoch;
        let myid = self.myid.clone();
        let Some(m) = self.masters.get_mut(name) else {
            return (None, 0);
        };
        if m.leader_epoch < req_epoch && current <= req_epoch {
            // One vote per epoch: never twice in one, never in a future one.
            assert!(m.leader_epoch < current, "one vote per epoch ({current})");
            assert_eq!(current, req_epoch, "a vote is in the current epoch");
            m.leader = Some(req_runid.to_string());
            m.leader_epoch = current;
            if req_runid != myid {
                // Voting for another defers our own failover attempt.
                m.failover_start_time = now + cx.rand_below(SENTINEL_MAX_DESYNC_MS) as i64;
            }
            self.event(cx, Ev::VoteForLeader, format!("{req_runid} {current}"));
        }
        let m = &self.masters[name];
        (m.leader.clone(), m.leader_epoch)
    }

    /// `sentinelGetLeader`: the winner needs max(quorum, majority of all known Sentinels).
    fn get_leader(&mut self, name: &str, epoch: u64, cx: &mut Cx) -> Option<String> {
        let m = self.masters.get(name)?;
        let voters = m.sentinels.len() as u64 + 1;
        let quorum = m.quorum as u64;
        let mut counters: std::collections::BTreeMap<String, u64> = Default::default();
        for s in m.sentinels.values() {
            if let Some(l) = &s.leader {
                if s.leader_epoch == self.current_epoch {
                    *counters.entry(l.clone()).or_default() += 1;
                }
            }
        }
        let mut winner: Option<String> = None;
        let mut max_votes = 0;
        for (k, &v) in &counters {
            if v > max_votes {
                max_votes = v;
                winner = Some(k.clone());
            }
        }
        let candidate = winner.clone().unwrap_or_else(|| self.myid.clone());
        let (myvote, leader_epoch) = self.vote_leader(name, epoch, &candidate, cx);
        if let (Some(v), true) = (myvote, leader_epoch == epoch) {
            let votes = counters.entry(v.clone()).or_default();
            *votes += 1;
            if *votes > max_votes {
                max_votes = *votes;
                winner = Some(v);
            }
        }
        winner.filter(|_| max_votes > voters / 2 && max_votes >= quorum)
    }

    fn abort_failover(&mut self, name: &str, now: i64) {
        if let Some(m) = self.masters.get_mut(name) {
            m.set_failover(FailoverState::None, now);
            m.force_failover = false;
            if let Some(p) = m.promoted.take() {
                if let Some(r) = m.replicas.get_mut(&p) {
                    r.promoted = false;
                }
            }
            for r in m.replicas.values_mut() {
                r.reconf = Reconf::None;
            }
        }
    }

    fn set_state(&mut self, name: &str, state: FailoverState, now: i64) {
        if let Some(m) = self.masters.get_mut(name) {
            m.set_failover(state, now);
        }
    }

    pub(super) fn failover_state_machine(&mut self, name: &str, cx: &mut Cx) {
        let Some(state) = self.masters.get(name).map(|m| m.failover) else {
            return;
        };
        match state {
            FailoverState::None | FailoverState::UpdateConfig => {}
            FailoverState::WaitStart => self.failover_wait_start(name, cx),
            FailoverState::SelectSlave => self.failover_select_slave(name, cx),
            FailoverState::SendSlaveofNoone => self.failover_send_slaveof_noone(name, cx),
            FailoverState::WaitPromotion => {
                let now = cx.clock_ms;
                let m = &self.masters[name];
                if now - m.failover_state_change_time > m.failover_timeout_ms {
                    let d = self.master_desc(name);
                    self.event(cx, Ev::FailoverAbortSlaveTimeout, d);
                    self.abort_failover(name, now);
                }
            }
            FailoverState::ReconfSlaves => {
                self.reconf_next_slave(name, cx);
                self.detect_end(name, cx);
            }
        }
    }

    fn failover_wait_start(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let epoch = self.masters[name].failover_epoch;
        let leader = self.get_leader(name, epoch, cx);
        let m = &self.masters[name];
        if leader.as_deref() != Some(self.myid.as_str()) && !m.force_failover {
            let election_timeout = SENTINEL_ELECTION_TIMEOUT_MS.min(m.failover_timeout_ms);
            if now - m.failover_start_time > election_timeout {
                let d = self.master_desc(name);
                self.event(cx, Ev::FailoverAbortNotElected, d);
                self.abort_failover(name, now);
            }
            return;
        }
        let d = self.master_desc(name);
        self.event(cx, Ev::ElectedLeader, d.clone());
        self.set_state(name, FailoverState::SelectSlave, now);
        self.event(cx, Ev::FailoverStateSelectSlave, d);
    }

    /// `sentinelSelectSlave`: the real filters, then lowest priority, highest
    /// offset, smallest run id.
    pub(crate) fn select_slave(&self, name: &str, now: i64) -> Option<String> {
        let m = self.masters.get(name)?;
        let mut max_master_down = 0;
        if m.inst.sdown {
            max_master_down += now - m.inst.s_down_since;
        }
        max_master_down += m.down_after_ms * 10;
        let info_validity = if m.inst.sdown {
            SENTINEL_PING_PERIOD * 5
        } else {
            SENTINEL_INFO_PERIOD * 3
        };
        // `min_by` keeps the first of equal candidates, as a stable sort would
        // (and costs less wasm than a sort instantiation).
        let best = m
            .replicas
            .iter()
            .filter(|(_, r)| !r.sdown && !r.link.disconnected())
            .filter(|(_, r)| now - r.link.last_avail_time <= info_validity)
            .filter(|(_, r)| r.priority != 0)
            .filter(|(_, r)| r.info_refresh != 0 && now - r.info_refresh <= info_validity)
            .filter(|(_, r)| r.master_link_down_ms <= max_master_down)
            .min_by(|(_, a), (_, b)| {
                a.priority
                    .cmp(&b.priority)
                    .then(b.repl_offset.cmp(&a.repl_offset))
                    .then_with(|| match (&a.run_id, &b.run_id) {
                        (Some(x), Some(y)) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    })
            });
        best.map(|(k, _)| k.clone())
    }

    fn failover_select_slave(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        match self.select_slave(name, now) {
            None => {
                let d = self.master_desc(name);
                self.event(cx, Ev::FailoverAbortNoGoodSlave, d);
                self.abort_failover(name, now);
            }
            Some(key) => {
                if let Some(m) = self.masters.get_mut(name) {
                    m.promoted = Some(key.clone());
                    if let Some(r) = m.replicas.get_mut(&key) {
                        r.promoted = true;
                    }
                }
                let d = self.describe(name, Kind::Replica, &key);
                self.event(cx, Ev::SelectedSlave, d.clone());
                self.set_state(name, FailoverState::SendSlaveofNoone, now);
                self.event(cx, Ev::FailoverStateSendSlaveofNoone, d);
            }
        }
    }

    fn failover_send_slaveof_noone(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let m = &self.masters[name];
        let Some(key) = m.promoted.clone() else {
            return;
        };
        let w = Who {
            master: name.into(),
            kind: Kind::Replica,
            key: key.clone(),
        };
        let connected = self.inst(&w).is_some_and(|r| !r.link.disconnected());
        if !connected {
            if now - m.failover_state_change_time > m.failover_timeout_ms {
                let d = self.master_desc(name);
                self.event(cx, Ev::FailoverAbortSlaveTimeout, d);
                self.abort_failover(name, now);
            }
            return;
        }
        self.send_slaveof(&w, "NO", 0, cx);
        let d = self.describe(name, Kind::Replica, &key);
        self.event(cx, Ev::FailoverStateWaitPromotion, d);
        self.set_state(name, FailoverState::WaitPromotion, now);
    }

    /// `sentinelSendSlaveOf`: MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL
    /// TYPE normal, CLIENT KILL TYPE pubsub, EXEC. Host "NO" means NO ONE.
    pub(crate) fn send_slaveof(&mut self, w: &Who, host: &str, port: u16, cx: &mut Cx) -> bool {
        let port_s = if host == "NO" {
            "ONE".to_string()
        } else {
            port.to_string()
        };
        let ok = self.send_cmd(w, &["MULTI"], Pending::Discard, cx);
        if !ok {
            return false;
        }
        self.send_cmd(w, &["SLAVEOF", host, &port_s], Pending::Discard, cx);
        self.send_cmd(w, &["CONFIG", "REWRITE"], Pending::Discard, cx);
        self.send_cmd(
            w,
            &["CLIENT", "KILL", "TYPE", "normal"],
            Pending::Discard,
            cx,
        );
        self.send_cmd(
            w,
            &["CLIENT", "KILL", "TYPE", "pubsub"],
            Pending::Discard,
            cx,
        );
        self.send_cmd(w, &["EXEC"], Pending::Discard, cx);
        true
    }

    /// `sentinelFailoverReconfNextSlave`: parallel-syncs replicas at a time.
    fn reconf_next_slave(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let m = &self.masters[name];
        let Some(promoted) = m.promoted.clone() else {
            return;
        };
        let Some(p) = m.replicas.get(&promoted) else {
            return;
        };
        let (phost, pport) = (p.host.clone(), p.port);
        let parallel = m.parallel_syncs as usize;
        let mut in_progress = m
            .replicas
            .values()
            .filter(|r| matches!(r.reconf, Reconf::Sent | Reconf::InProgress))
            .count();
        let keys: Vec<String> = m.replicas.keys().cloned().collect();
        for key in keys {
            if in_progress >= parallel {
                break;
            }
            let w = Who {
                master: name.into(),
                kind: Kind::Replica,
                key: key.clone(),
            };
            let Some(r) = self.inst(&w) else { continue };
            if r.promoted || r.reconf == Reconf::Done {
                continue;
            }
            if r.reconf == Reconf::Sent
                && now - r.reconf_sent_time > SENTINEL_SLAVE_RECONF_TIMEOUT_MS
            {
                if let Some(r) = self.inst_mut(&w) {
                    r.reconf = Reconf::Done;
                }
                let d = self.who_desc(&w);
                self.event(cx, Ev::SlaveReconfSentTimeout, d);
                continue;
            }
            if matches!(r.reconf, Reconf::Sent | Reconf::InProgress) || r.link.disconnected() {
                continue;
            }
            if self.send_slaveof(&w, &phost, pport, cx) {
                if let Some(r) = self.inst_mut(&w) {
                    r.reconf = Reconf::Sent;
                    r.reconf_sent_time = now;
                }
                let d = self.who_desc(&w);
                self.event(cx, Ev::SlaveReconfSent, d);
                in_progress += 1;
            }
        }
    }

    /// `sentinelFailoverDetectEnd`.
    fn detect_end(&mut self, name: &str, cx: &mut Cx) {
        let now = cx.clock_ms;
        let m = &self.masters[name];
        if m.failover != FailoverState::ReconfSlaves {
            return;
        }
        let Some(promoted) = m.promoted.clone() else {
            return;
        };
        let Some(p) = m.replicas.get(&promoted) else {
            return;
        };
        let (phost, pport) = (p.host.clone(), p.port);
        let not_reconfigured = m
            .replicas
            .values()
            .filter(|r| !r.promoted && r.reconf != Reconf::Done && !r.sdown)
            .count();
        let timeout = now - m.failover_state_change_time > m.failover_timeout_ms;
        if not_reconfigured == 0 || timeout {
            let d = self.master_desc(name);
            if timeout {
                self.event(cx, Ev::FailoverEndForTimeout, d.clone());
            }
            self.event(cx, Ev::FailoverEnd, d);
            self.set_state(name, FailoverState::UpdateConfig, now);
        }
        if timeout {
            let keys: Vec<String> = self.masters[name].replicas.keys().cloned().collect();
            for key in keys {
                let w = Who {
                    master: name.into(),
                    kind: Kind::Replica,
                    key,
                };
                let Some(r) = self.inst(&w) else { continue };
                if r.promoted
                    || matches!(r.reconf, Reconf::Done | Reconf::Sent)
                    || r.link.disconnected()
                {
                    continue;
                }
                if self.send_slaveof(&w, &phost, pport, cx) {
                    if let Some(r) = self.inst_mut(&w) {
                        r.reconf = Reconf::Sent;
                    }
                    let d = self.who_desc(&w);
                    self.event(cx, Ev::SlaveReconfSentBe, d);
                }
            }
        }
    }

    /// `sentinelFailoverSwitchToPromotedSlave`.
    pub(super) fn switch_to_promoted(&mut self, name: &str, cx: &mut Cx) {
        let m = &self.masters[name];
        let Some(key) = m.promoted.clone() else {
            return;
        };
        let Some(p) = m.replicas.get(&key) else {
            return;
        };
        let (nhost, nport) = (p.host.clone(), p.port);
        let (ohost, oport) = (m.inst.host.clone(), m.inst.port);
        self.event(
            cx,
            Ev::SwitchMaster,
            format!("{name} {ohost} {oport} {nhost} {nport}"),
        );
        self.reset_master_and_change_address(name, &nhost, nport, cx);
    }

    /// `sentinelResetMasterAndChangeAddress`: the old master and the other
    /// replicas become replicas of the new address.
    pub(crate) fn reset_master_and_change_address(
        &mut self,
        name: &str,
        host: &str,
        port: u16,
        cx: &mut Cx,
    ) {
        let now = cx.clock_ms;
        let Some(m) = self.masters.get_mut(name) else {
            return;
        };
        let new_key = format!("{host}:{port}");
        let mut slaves: Vec<(String, u16)> = m
            .replicas
            .values()
            .filter(|r| r.addr() != new_key)
            .map(|r| (r.host.clone(), r.port))
            .collect();
        if m.inst.addr() != new_key {
            slaves.push((m.inst.host.clone(), m.inst.port));
        }
        // Close the links of the old master and replicas; Sentinel links stay.
        let mut closing: Vec<crate::net::ConnId> = Vec::new();
        for inst in std::iter::once(&m.inst).chain(m.replicas.values()) {
            closing.extend(inst.link.cmd);
            closing.extend(inst.link.pubsub);
        }
        m.inst = Instance::new(Kind::Master, host, port, now);
        m.replicas.clear();
        m.odown = false;
        m.set_failover(FailoverState::None, 0);
        m.failover_start_time = 0;
        m.force_failover = false;
        m.promoted = None;
        m.leader = None;
        for (h, p) in &slaves {
            m.replicas
                .insert(format!("{h}:{p}"), Instance::new(Kind::Replica, h, *p, now));
        }
        for c in closing {
            self.links.remove(&c);
            cx.close(c, "master address changed");
        }
        for (h, p) in slaves {
            let d = self.describe(name, Kind::Replica, &format!("{h}:{p}"));
            self.event(cx, Ev::Slave, d);
        }
    }
}
