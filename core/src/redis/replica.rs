//! The replica side of replication: the handshake state machine, PSYNC,
//! loading an RDB, and applying the master's stream.
//!
//! Mirrors `connectWithMaster`, `syncWithMaster`,
//! `slaveTryPartialResynchronization`, `readSyncBulkPayload` and the
//! replica half of `replicationCron`. States follow `repl_state`:
//! CONNECT → CONNECTING → RECEIVE_PING_REPLY → (pipelined REPLCONFs) →
//! RECEIVE_PSYNC_REPLY → TRANSFER → CONNECTED.

use std::rc::Rc;

use crate::data::{ExecEnv, Reply, Role};
use crate::msg::{Msg, ReplCmd};
use crate::net::ConnId;
use crate::node::Cx;
use crate::trace::TraceKind;

use super::RedisNode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Must connect (replicationCron tries every second).
    Connect,
    /// TCP connect in progress.
    Connecting,
    /// PING sent, waiting for +PONG.
    ReceivePong,
    /// REPLCONF listening-port and REPLCONF capa sent (pipelined); replies pending.
    ReceiveReplconf {
        pending: u8,
    },
    /// PSYNC sent.
    ReceivePsync,
    /// +FULLRESYNC received; waiting for the RDB.
    Transfer {
        replid: String,
        offset: u64,
    },
    Connected,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterLink {
    pub host: String,
    pub port: u16,
    pub state: LinkState,
    pub conn: Option<ConnId>,
    /// Own clock (unix ms) of the last byte from the master.
    pub last_io_ms: i64,
    /// Own clock (unix ms) when the link went down; None if it was never up.
    pub down_since_ms: Option<i64>,
    /// Own clock (unix ms) when the current attempt (connect/handshake/transfer) started.
    pub attempt_since_ms: i64,
    /// Bytes of the stream read from the socket (slave_read_repl_offset).
    pub read_reploff: u64,
    pub ever_connected: bool,
}

impl MasterLink {
    pub fn new(host: String, port: u16, now_ms: i64) -> MasterLink {
        MasterLink {
            host,
            port,
            state: LinkState::Connect,
            conn: None,
            last_io_ms: now_ms,
            down_since_ms: None,
            attempt_since_ms: now_ms,
            read_reploff: 0,
            ever_connected: false,
        }
    }
    pub fn is_connected(&self) -> bool {
        self.state == LinkState::Connected
    }
    /// What ROLE prints for the state.
    pub fn role_state(&self) -> &'static str {
        match self.state {
            LinkState::Connect => "connect",
            LinkState::Connecting => "connecting",
            LinkState::ReceivePong
            | LinkState::ReceiveReplconf { .. }
            | LinkState::ReceivePsync => "handshake",
            LinkState::Transfer { .. } => "sync",
            LinkState::Connected => "connected",
        }
    }
}

fn cmd(parts: &[&str]) -> Msg {
    Msg::Cmd(Rc::new(
        parts.iter().map(|p| p.as_bytes().to_vec()).collect(),
    ))
}

impl RedisNode {
    /// `connectWithMaster`.
    pub(super) fn connect_to_master(&mut self, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        m.attempt_since_ms = cx.clock_ms;
        m.last_io_ms = cx.clock_ms;
        match cx.resolve(&m.host, m.port) {
            Some(node) => {
                cx.log(format!("Connecting to MASTER {}:{}", m.host, m.port));
                cx.log("MASTER <-> REPLICA sync started");
                m.conn = Some(cx.connect(node));
                m.state = LinkState::Connecting;
            }
            None => {
                cx.log(format!(
                    "Unable to connect to MASTER: can't resolve {}:{}",
                    m.host, m.port
                ));
            }
        }
    }

    pub(super) fn replica_on_connected(&mut self, conn: ConnId, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        if m.conn != Some(conn) || m.state != LinkState::Connecting {
            return;
        }
        cx.log("Non blocking connect for SYNC fired the event.");
        m.state = LinkState::ReceivePong;
        m.last_io_ms = cx.clock_ms;
        cx.send(conn, cmd(&["PING"]));
    }

    pub(super) fn replica_on_conn_failed(&mut self, conn: ConnId, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        if m.conn == Some(conn) {
            cx.log("Error condition on socket for SYNC: Connection refused");
            m.conn = None;
            m.state = LinkState::Connect;
        }
    }

    /// Everything the master sends us: handshake replies, the RDB, the stream.
    pub(super) fn replica_on_master_msg(&mut self, msg: Msg, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        let Some(conn) = m.conn else { return };
        m.last_io_ms = cx.clock_ms;
        match (&m.state, msg) {
            (LinkState::ReceivePong, Msg::Reply(r)) => {
                if let Reply::Error(e) = &*r {
                    if !(e.starts_with("NOAUTH")
                        || e.starts_with("NOPERM")
                        || e.starts_with("ERR operation not permitted"))
                    {
                        cx.log(format!("Error reply to PING from master: '-{e}'"));
                        self.cancel_handshake(cx);
                        return;
                    }
                }
                cx.log("Master replied to PING, replication can continue...");
                let port = self.port.to_string();
                cx.send(conn, cmd(&["REPLCONF", "listening-port", &port]));
                cx.send(conn, cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]));
                if let Some(m) = self.master.as_mut() {
                    m.state = LinkState::ReceiveReplconf { pending: 2 };
                }
            }
            (LinkState::ReceiveReplconf { pending }, Msg::Reply(_)) => {
                let left = pending - 1;
                if left > 0 {
                    m.state = LinkState::ReceiveReplconf { pending: left };
                    return;
                }
                let (id, off) = match (&self.cached_master, self.profile.psync2()) {
                    (Some((id, off)), _) => (id.clone(), (off + 1).to_string()),
                    (None, _) => ("?".to_string(), "-1".to_string()),
                };
                if id == "?" {
                    cx.log("Partial resynchronization not possible (no cached master)");
                } else {
                    cx.log(format!(
                        "Trying a partial resynchronization (request {id}:{off})."
                    ));
                }
                cx.send(conn, cmd(&["PSYNC", &id, &off]));
                if let Some(m) = self.master.as_mut() {
                    m.state = LinkState::ReceivePsync;
                }
            }
            (LinkState::ReceivePsync, Msg::Newline) => {}
            (LinkState::ReceivePsync, Msg::Reply(r)) => self.on_psync_reply(&r, cx),
            (LinkState::Transfer { .. }, Msg::Newline) => {}
            (LinkState::Transfer { replid, offset }, Msg::Rdb(payload)) => {
                let (replid, offset) = (replid.clone(), *offset);
                self.load_rdb(&payload, replid, offset, cx);
            }
            (LinkState::Connected, Msg::Stream(c)) => self.apply_stream(c, cx),
            (_, Msg::Newline) => {}
            (state, other) => {
                let state = format!("{state:?}");
                cx.log(format!(
                    "Unexpected reply from master in state {state}: {}",
                    other.summary()
                ));
            }
        }
    }

    fn on_psync_reply(&mut self, r: &Reply, cx: &mut Cx) {
        let text = match r {
            Reply::Status(s) => s.clone(),
            Reply::Error(e) => {
                if e.starts_with("NOMASTERLINK") || e.starts_with("LOADING") {
                    cx.log(format!(
                        "Master is currently unable to PSYNC but should be in the future: -{e}"
                    ));
                } else {
                    cx.log(format!("Unexpected reply to PSYNC from master: -{e}"));
                }
                self.cancel_handshake(cx);
                return;
            }
            _ => return,
        };
        let mut parts = text.split(' ');
        match parts.next() {
            Some("FULLRESYNC") => {
                let replid = parts.next().unwrap_or("").to_string();
                let offset = parts
                    .next()
                    .and_then(|o| o.parse::<u64>().ok())
                    .unwrap_or(0);
                cx.log(format!("Full resync from master: {replid}:{offset}"));
                self.cached_master = None;
                if let Some(m) = self.master.as_mut() {
                    m.state = LinkState::Transfer { replid, offset };
                    m.attempt_since_ms = cx.clock_ms;
                }
            }
            Some("CONTINUE") => {
                let new_id = parts.next().map(str::to_string);
                cx.log("Successful partial resynchronization with master.");
                if let Some(new_id) = new_id.filter(|id| *id != self.ids.replid) {
                    // The master's history forked (a promotion): keep ours as replid2.
                    self.ids.shift(new_id.clone());
                    cx.log(format!("Master replication ID changed to {new_id}"));
                    self.disconnect_replicas("master replication ID changed", cx);
                }
                self.cached_master = None;
                if self.backlog.is_none() {
                    self.create_backlog();
                }
                self.link_up();
                cx.log("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            }
            _ => self.cancel_handshake(cx),
        }
    }

    /// `readSyncBulkPayload` (disk load, `repl-diskless-load disabled`).
    fn load_rdb(
        &mut self,
        payload: &crate::msg::RdbPayload,
        replid: String,
        offset: u64,
        cx: &mut Cx,
    ) {
        if payload.eof_mark {
            cx.log("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
        } else {
            cx.log(format!(
                "MASTER <-> REPLICA sync: receiving {} bytes from master to disk",
                payload.rdb_bytes
            ));
        }
        // A new dataset: our own sub-replicas must resync, the old backlog is meaningless.
        self.disconnect_replicas("full resync with our master", cx);
        self.backlog = None;
        cx.log("MASTER <-> REPLICA sync: Flushing old data");
        let lost = self.db.len();
        if lost > 0 {
            cx.trace(TraceKind::Log {
                text: format!("flushed {lost} keys before loading the master's RDB"),
            });
        }
        cx.log("MASTER <-> REPLICA sync: Loading DB in memory");
        self.touch_watched_for_load(&payload.db);
        self.db = payload.db.clone();
        self.ids.adopt(replid, offset);
        self.create_backlog();
        if let Some(m) = self.master.as_mut() {
            m.read_reploff = offset;
        }
        self.link_up();
        cx.log("MASTER <-> REPLICA sync: Finished with success");
        let load_ms = payload
            .rdb_bytes
            .div_ceil(self.spec.rdb_load_bytes_per_ms.max(1));
        if payload.eof_mark {
            // Diskless: the master starts streaming at our first ACK.
            self.send_ack(cx);
        }
        cx.busy(load_ms);
    }

    fn link_up(&mut self) {
        let offset = self.ids.master_repl_offset;
        if let Some(m) = self.master.as_mut() {
            m.state = LinkState::Connected;
            m.ever_connected = true;
            m.down_since_ms = None;
            m.read_reploff = offset;
        }
    }

    /// Applies one command of the master's stream, then proxies it.
    fn apply_stream(&mut self, c: Rc<ReplCmd>, cx: &mut Cx) {
        let applied_before = self.ids.master_repl_offset;
        if let Some(m) = self.master.as_mut() {
            m.read_reploff += c.bytes;
        }
        if c.name_is("PUBLISH") && c.argv.len() == 3 {
            // A replica delivers what its master published to its own subscribers.
            self.publish(&c.argv[1], &c.argv[2], cx);
        } else if c.name_is("REPLCONF") {
            // GETACK: the ACK carries the offset before this command.
            self.send_ack(cx);
        } else if !(c.name_is("PING")
            || c.name_is("SELECT")
            || c.name_is("MULTI")
            || c.name_is("EXEC"))
        {
            let env = ExecEnv {
                now_ms: cx.clock_ms,
                role: Role::Replica {
                    read_only: self.conf.replica_read_only,
                },
                from_master: true,
                profile: self.profile,
                loading: false,
                rand: 0,
            };
            if c.is_flush() {
                self.touch_flush(None);
            }
            let mut fx = crate::data::Effects::default();
            let db = &mut self.db;
            let _ =
                crate::data::exec_data_as(db, &env, c.spec, &c.argv, &mut fx, &mut self.data_stats);
            self.touch_watched(std::slice::from_ref(&c.argv), None);
        }
        if cx.tracing {
            cx.trace(TraceKind::Apply {
                cmd: crate::trace::MsgText::new(crate::msg::Msg::Stream(c.clone())),
                bytes: c.bytes,
                offset: applied_before + c.bytes,
            });
        }
        self.push_stream(c, cx);
        // What was applied was read: the applied offset is never ahead.
        debug_assert!(self
            .master
            .as_ref()
            .is_none_or(|m| m.read_reploff >= self.ids.master_repl_offset));
    }

    pub(super) fn send_ack(&mut self, cx: &mut Cx) {
        let Some(conn) = self
            .master
            .as_ref()
            .filter(|m| m.is_connected())
            .and_then(|m| m.conn)
        else {
            return;
        };
        let off = self.ids.master_repl_offset.to_string();
        cx.send(conn, cmd(&["REPLCONF", "ACK", &off]));
    }

    /// `cancelReplicationHandshake`: back to CONNECT, retry from the cron.
    pub(super) fn cancel_handshake(&mut self, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        if let Some(conn) = m.conn.take() {
            cx.close(conn, "replication handshake cancelled");
        }
        m.state = LinkState::Connect;
    }

    /// The connected link broke (closed, or `repl-timeout`): keep what we
    /// have as the cached master so the next PSYNC can continue from it.
    pub(super) fn master_link_lost(&mut self, why: &str, cx: &mut Cx) {
        let Some(m) = self.master.as_mut() else {
            return;
        };
        let was_connected = m.is_connected();
        m.conn = None;
        m.state = LinkState::Connect;
        if was_connected {
            m.down_since_ms = Some(cx.clock_ms);
            cx.log(why.to_string());
            self.cached_master = Some((self.ids.replid.clone(), self.ids.master_repl_offset));
            cx.log("Caching the disconnected master state.");
            // 7.0 `replicationHandleMasterDisconnection`: reconnect at once rather
            // than wait up to a second for replicationCron (the backlog may move on).
            if self.profile == crate::profile::Profile::V7_0 {
                if let Some(m) = self.master.as_ref() {
                    cx.log(format!("Reconnecting to MASTER {}:{}", m.host, m.port));
                }
                self.connect_to_master(cx);
            }
        }
    }

    /// The replica half of `replicationCron`, once a second.
    pub(super) fn replica_cron(&mut self, cx: &mut Cx) {
        let timeout_ms = (self.conf.repl_timeout * 1000) as i64;
        let Some(m) = self.master.as_ref() else {
            return;
        };
        let idle = cx.clock_ms - m.last_io_ms;
        match m.state {
            LinkState::Connecting
            | LinkState::ReceivePong
            | LinkState::ReceiveReplconf { .. }
            | LinkState::ReceivePsync
                if idle > timeout_ms =>
            {
                cx.log("Timeout connecting to the MASTER...");
                self.cancel_handshake(cx);
            }
            LinkState::Transfer { .. } if idle > timeout_ms => {
                cx.log("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
                self.cancel_handshake(cx);
            }
            LinkState::Connected if idle > timeout_ms => {
                if let Some(conn) = m.conn {
                    cx.close(conn, "MASTER timeout");
                }
                self.master_link_lost("MASTER timeout: no data nor PING received...", cx);
            }
            _ => {}
        }
        if self
            .master
            .as_ref()
            .is_some_and(|m| m.state == LinkState::Connect)
        {
            self.connect_to_master(cx);
        }
        if self.master.as_ref().is_some_and(|m| m.is_connected()) {
            self.send_ack(cx);
        }
    }
}
