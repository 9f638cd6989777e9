//! The master side of replication: PSYNC, full sync through a fork child,
//! feeding the stream, output-buffer limits and WAIT.
//!
//! Mirrors `syncCommand`, `masterTryPartialResynchronization`,
//! `startBgsaveForReplication`, `updateSlavesWaitingBgsave`,
//! `replicationFeedSlaves` and `checkClientOutputBufferLimits`.

use std::rc::Rc;

use crate::data::{Argv, Reply};
use crate::msg::{Msg, ReplCmd};
use crate::net::{ConnId, NodeId};
use crate::node::{Cx, Timer};
use crate::profile::Profile;
use crate::trace::TraceKind;

use super::psync::{psync_decision, FullResyncReason, PsyncDecision};
use super::{Backlog, RedisNode, RedisTimer, ReplyTo};

/// A replica's state as its master sees it (INFO shows `wait_bgsave`,
/// `send_bulk`, `online`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplicaState {
    /// Waiting for a fork (diskless delay, or another child running).
    WaitBgsaveStart,
    /// The fork happened; the RDB is being produced. Writes accumulate.
    WaitBgsaveEnd,
    /// The RDB file is being written to the socket. Writes accumulate.
    SendBulk,
    /// Streaming. After a diskless sync, streaming starts only at the first ACK.
    Online { waiting_first_ack: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaLink {
    pub conn: ConnId,
    pub node: Option<NodeId>,
    pub ip: String,
    pub listening_port: u16,
    pub state: ReplicaState,
    /// Stream offset at the fork this replica's RDB comes from.
    pub psync_initial_offset: u64,
    /// Writes accumulated before the replica went online.
    pub pending: Vec<Rc<ReplCmd>>,
    pub pending_bytes: u64,
    pub ack_offset: u64,
    /// Own clock, unix ms, of the last REPLCONF ACK.
    pub ack_time_ms: i64,
    /// Own clock, unix ms, of the last interaction (diskless delay).
    pub last_interaction_ms: i64,
    pub soft_limit_since_ms: Option<i64>,
    /// Offset of the first byte not yet handed to the socket (7.0 buffer reference).
    pub sent_offset: u64,
}

impl ReplicaLink {
    pub fn state_name(&self) -> &'static str {
        match self.state {
            ReplicaState::WaitBgsaveStart | ReplicaState::WaitBgsaveEnd => "wait_bgsave",
            ReplicaState::SendBulk => "send_bulk",
            ReplicaState::Online { .. } => "online",
        }
    }
    pub fn is_online(&self) -> bool {
        matches!(self.state, ReplicaState::Online { .. })
    }
    fn streaming(&self) -> bool {
        matches!(
            self.state,
            ReplicaState::Online {
                waiting_first_ack: false
            }
        )
    }
    /// The oldest stream byte this replica's output buffer still needs.
    pub fn buffer_ref_offset(&self) -> Option<u64> {
        match self.state {
            ReplicaState::WaitBgsaveStart => None,
            _ => Some(self.sent_offset),
        }
    }
}

impl RedisNode {
    /// `PSYNC <replid> <offset>` from a client: it becomes a replica.
    pub(super) fn psync_command(&mut self, conn: ConnId, argv: &Argv, cx: &mut Cx) {
        if self.master.as_ref().is_some_and(|m| !m.is_connected()) {
            let err = Reply::err("NOMASTERLINK Can't SYNC while not connected with my master");
            cx.send(conn, Msg::Reply(Rc::new(err)));
            return;
        }
        let Some(client) = self.clients.remove(&conn) else {
            return;
        };
        let requested = String::from_utf8_lossy(&argv[1]).to_string();
        let offset_arg = String::from_utf8_lossy(&argv[2]).to_string();
        let Ok(offset) = offset_arg.parse::<i64>() else {
            cx.send(
                conn,
                Msg::Reply(Rc::new(Reply::err(
                    "ERR value is not an integer or out of range",
                ))),
            );
            self.clients.insert(conn, client);
            return;
        };
        let node = client.peer;
        let ip = node
            .and_then(|n| cx.addr_of(n).map(|a| a.0.clone()))
            .unwrap_or_else(|| "?".into());
        let listening_port = client.listening_port.unwrap_or(6379);
        let who = format!("{ip}:{listening_port}");
        let mut link = ReplicaLink {
            conn,
            node,
            ip,
            listening_port,
            state: ReplicaState::WaitBgsaveStart,
            psync_initial_offset: 0,
            pending: Vec::new(),
            pending_bytes: 0,
            ack_offset: 0,
            ack_time_ms: cx.clock_ms,
            last_interaction_ms: cx.clock_ms,
            soft_limit_since_ms: None,
            sent_offset: self.ids.master_repl_offset + 1,
        };
        cx.log(format!("Replica {who} asks for synchronization"));
        match self.try_partial(&who, &requested, offset) {
            Ok(cmds) => {
                self.stats.sync_partial_ok += 1;
                let text = if self.profile.psync2() {
                    format!("CONTINUE {}", self.ids.replid)
                } else {
                    "CONTINUE".into()
                };
                cx.send(conn, Msg::Reply(Rc::new(Reply::Status(text.into()))));
                let bytes: u64 = cmds.iter().map(|c| c.bytes).sum();
                for c in cmds {
                    cx.send(conn, Msg::Stream(c));
                }
                link.state = ReplicaState::Online {
                    waiting_first_ack: false,
                };
                link.ack_offset = (offset - 1).max(0) as u64;
                link.sent_offset = self.ids.master_repl_offset + 1;
                cx.log(format!(
                    "Partial resynchronization request from {who} accepted. Sending {bytes} bytes of backlog starting from offset {offset}."
                ));
                if let Some(peer) = node {
                    cx.trace(TraceKind::Sync {
                        replica: peer,
                        full: false,
                        reason: format!("+CONTINUE from offset {offset}, {bytes} bytes of backlog"),
                    });
                }
                self.replicas.insert(conn, link);
                self.no_replicas_since_s = None;
                self.refresh_good_replicas(cx);
            }
            Err(reason) => {
                if requested != "?" {
                    self.stats.sync_partial_err += 1;
                }
                self.stats.sync_full += 1;
                cx.log(reason.clone());
                if let Some(peer) = node {
                    cx.trace(TraceKind::Sync {
                        replica: peer,
                        full: true,
                        reason,
                    });
                }
                // The first replica of a master without a backlog: a new history starts.
                if self.replicas.is_empty() && self.backlog.is_none() {
                    self.ids.new_history(cx.hex40());
                    self.create_backlog();
                }
                self.replicas.insert(conn, link);
                self.no_replicas_since_s = None;
                self.start_full_sync(conn, cx);
            }
        }
    }

    pub(super) fn create_backlog(&mut self) {
        let blocks = self.profile == Profile::V7_0;
        self.backlog = Some(Backlog::new(
            self.conf.repl_backlog_size,
            self.ids.master_repl_offset,
            blocks,
        ));
    }

    /// `masterTryPartialResynchronization`: Ok(backlog to send) or Err(why a full sync).
    fn try_partial(
        &self,
        who: &str,
        requested: &str,
        offset: i64,
    ) -> Result<Vec<Rc<ReplCmd>>, String> {
        let why = |r: FullResyncReason| r.log_line(&self.ids, who, requested, offset);
        match self.psync_decision(requested, offset) {
            PsyncDecision::Continue => self
                .backlog
                .as_ref()
                .and_then(|b| b.since(offset as u64))
                .ok_or_else(|| why(FullResyncReason::OutsideBacklog)),
            PsyncDecision::FullResync(reason) => Err(why(reason)),
        }
    }

    /// What this master would answer to `PSYNC <replid> <offset>` now.
    pub fn psync_decision(&self, replid: &str, offset: i64) -> PsyncDecision {
        psync_decision(
            self.profile,
            &self.ids,
            self.backlog.as_ref(),
            replid,
            offset,
        )
    }

    /// Sends what accumulated during the full sync.
    pub(super) fn flush_pending(&mut self, conn: ConnId, cx: &mut Cx) {
        let Some(r) = self.replicas.get_mut(&conn) else {
            return;
        };
        let pending = std::mem::take(&mut r.pending);
        r.pending_bytes = 0;
        r.sent_offset = self.ids.master_repl_offset + 1;
        for c in pending {
            cx.send(conn, Msg::Stream(c));
        }
    }

    pub(super) fn replica_name(&self, conn: ConnId) -> String {
        self.replicas
            .get(&conn)
            .map_or_else(|| "?".into(), |r| format!("{}:{}", r.ip, r.listening_port))
    }

    /// Commands a replica sends us on its replication link.
    pub(super) fn master_on_replica_cmd(&mut self, conn: ConnId, argv: &Argv, cx: &mut Cx) {
        let is = |i: usize, s: &str| {
            argv.get(i)
                .is_some_and(|a| a.eq_ignore_ascii_case(s.as_bytes()))
        };
        if let Some(r) = self.replicas.get_mut(&conn) {
            r.last_interaction_ms = cx.clock_ms;
        }
        if is(0, "REPLCONF") && is(1, "ACK") {
            let off = argv
                .get(2)
                .and_then(|a| std::str::from_utf8(a).ok())
                .and_then(|s| s.parse::<u64>().ok());
            let Some(off) = off else { return };
            let mut first_ack = false;
            if let Some(r) = self.replicas.get_mut(&conn) {
                r.ack_offset = r.ack_offset.max(off);
                r.ack_time_ms = cx.clock_ms;
                if r.state
                    == (ReplicaState::Online {
                        waiting_first_ack: true,
                    })
                {
                    r.state = ReplicaState::Online {
                        waiting_first_ack: false,
                    };
                    first_ack = true;
                }
            }
            if first_ack {
                self.flush_pending(conn, cx);
                self.refresh_good_replicas(cx);
            }
            self.check_waits(cx);
        }
    }

    /// `replicationFeedSlaves` for commands this master executed. `select`
    /// says whether they touch a db (PING and GETACK do not: no SELECT).
    pub(crate) fn feed_stream(&mut self, cmds: Vec<Argv>, select: bool, cx: &mut Cx) {
        if !self.is_master() || (self.backlog.is_none() && self.replicas.is_empty()) {
            return;
        }
        if select && self.slaveseldb != 0 {
            self.slaveseldb = 0;
            self.push_stream(
                Rc::new(ReplCmd::new(vec![b"SELECT".to_vec(), b"0".to_vec()])),
                cx,
            );
        }
        for argv in cmds {
            let cmd = Rc::new(ReplCmd::new(argv));
            if cx.tracing {
                cx.trace(TraceKind::Feed {
                    cmd: crate::trace::MsgText::new(crate::msg::Msg::Stream(cmd.clone())),
                    bytes: cmd.bytes,
                    offset: self.ids.master_repl_offset + cmd.bytes,
                });
            }
            self.push_stream(cmd, cx);
        }
    }

    /// Sends or buffers one stream command for every replica, then enforces
    /// `client-output-buffer-limit replica`.
    pub(super) fn forward_to_replicas(&mut self, cmd: &Rc<ReplCmd>, cx: &mut Cx) {
        if self.replicas.is_empty() {
            return;
        }
        let mut over_limit = Vec::new();
        let limit = self.conf.client_output_buffer_limit_replica;
        let hard = if self.profile == Profile::V7_0 {
            limit.hard_bytes.max(self.conf.repl_backlog_size)
        } else {
            limit.hard_bytes
        };
        let hard = if limit.hard_bytes == 0 { 0 } else { hard };
        let next_offset = self.ids.master_repl_offset + 1;
        for (&conn, r) in self.replicas.iter_mut() {
            let used = match r.state {
                ReplicaState::WaitBgsaveStart => continue,
                _ if r.streaming() => {
                    cx.send(conn, Msg::Stream(cmd.clone()));
                    r.sent_offset = next_offset;
                    cx.queued_bytes(conn)
                }
                _ => {
                    r.pending.push(cmd.clone());
                    r.pending_bytes += cmd.bytes;
                    r.pending_bytes
                }
            };
            let over_hard = hard > 0 && used >= hard;
            let mut over_soft = false;
            if limit.soft_bytes > 0 && used >= limit.soft_bytes {
                match r.soft_limit_since_ms {
                    None => r.soft_limit_since_ms = Some(cx.clock_ms),
                    Some(since) => {
                        over_soft = cx.clock_ms - since > (limit.soft_seconds * 1000) as i64
                    }
                }
            } else {
                r.soft_limit_since_ms = None;
            }
            if over_hard || over_soft {
                over_limit.push((conn, used));
            }
        }
        for (conn, used) in over_limit {
            let who = self.replica_name(conn);
            cx.log(format!(
                "Client id=? addr={who} flags=S omem={used} scheduled to be closed ASAP for overcoming of output buffer limits."
            ));
            self.drop_replica(conn, "output buffer limit", cx);
            cx.close(conn, "output buffer limit reached");
        }
    }

    pub(super) fn drop_replica(&mut self, conn: ConnId, why: &str, cx: &mut Cx) {
        if let Some(r) = self.replicas.remove(&conn) {
            cx.log(format!(
                "Connection with replica {}:{} lost ({why}).",
                r.ip, r.listening_port
            ));
        }
        if self.replicas.is_empty() {
            self.no_replicas_since_s = Some(cx.clock_ms.div_euclid(1000));
        }
        self.refresh_good_replicas(cx);
        self.check_waits(cx);
    }

    /// `refreshGoodSlavesCount`: online replicas whose last ACK is recent enough.
    pub(super) fn refresh_good_replicas(&mut self, cx: &mut Cx) {
        let now_s = cx.clock_ms.div_euclid(1000);
        let max_lag = self.conf.min_replicas_max_lag as i64;
        self.good_replicas = self
            .replicas
            .values()
            .filter(|r| r.is_online() && now_s - r.ack_time_ms.div_euclid(1000) <= max_lag)
            .count() as u64;
    }

    /// Whether `min-replicas-to-write` refuses writes right now.
    pub(super) fn too_few_good_replicas(&self) -> bool {
        self.is_master()
            && self.conf.min_replicas_to_write > 0
            && self.conf.min_replicas_max_lag > 0
            && self.good_replicas < self.conf.min_replicas_to_write
    }

    /// WAIT numreplicas timeout (already validated).
    pub(super) fn wait_command(
        &mut self,
        to: &ReplyTo,
        woff: u64,
        numreplicas: u64,
        timeout_ms: u64,
        in_multi: bool,
        cx: &mut Cx,
    ) -> Option<Reply> {
        let acked = self.acked_replicas(woff);
        if acked >= numreplicas || in_multi {
            return Some(Reply::Int(acked as i64));
        }
        let id = self.new_gen();
        self.waits.push(super::BlockedWait {
            id,
            to: to.clone(),
            numreplicas,
            offset: woff,
        });
        self.getack_pending = true;
        if timeout_ms > 0 {
            cx.timer(timeout_ms, Timer::Redis(RedisTimer::WaitTimeout { id }));
        }
        None
    }

    fn acked_replicas(&self, offset: u64) -> u64 {
        self.replicas
            .values()
            .filter(|r| r.is_online() && r.ack_offset >= offset)
            .count() as u64
    }

    fn check_waits(&mut self, cx: &mut Cx) {
        if self.waits.is_empty() {
            return;
        }
        let waits = std::mem::take(&mut self.waits);
        for w in waits {
            let acked = self.acked_replicas(w.offset);
            if acked >= w.numreplicas {
                self.reply(&w.to, Reply::Int(acked as i64), cx);
            } else {
                self.waits.push(w);
            }
        }
    }

    pub(super) fn wait_timeout(&mut self, id: u64, cx: &mut Cx) {
        if let Some(pos) = self.waits.iter().position(|w| w.id == id) {
            let w = self.waits.remove(pos);
            let acked = self.acked_replicas(w.offset);
            self.reply(&w.to, Reply::Int(acked as i64), cx);
        }
    }

    /// Disconnects every replica (after a promotion or a full sync of our own).
    pub(super) fn disconnect_replicas(&mut self, why: &str, cx: &mut Cx) {
        let conns: Vec<ConnId> = self.replicas.keys().copied().collect();
        for conn in conns {
            self.drop_replica(conn, why, cx);
            cx.close(conn, why);
        }
    }
}

impl RedisNode {
    /// Sends the diskless RDB of BGSAVE `gen` to `conn`, if both still stand.
    pub(super) fn diskless_send(&mut self, conn: ConnId, gen: u64, cx: &mut Cx) {
        let Some(b) = self.bgsave.as_ref().filter(|b| b.gen == gen) else {
            return;
        };
        if self
            .replicas
            .get(&conn)
            .is_some_and(|r| r.state == ReplicaState::WaitBgsaveEnd)
        {
            cx.send(conn, Msg::Rdb(b.payload.clone()));
        }
    }
}
