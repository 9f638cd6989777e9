//! Full synchronization on the master: the fork child's BGSAVE for
//! replication, the RDB transfer and the switch to streaming. Mirrors
//! `startBgsaveForReplication`, `updateSlavesWaitingBgsave` and
//! `replicaPutOnline`; PSYNC itself and the stream are in `master.rs`.

use std::rc::Rc;

use crate::data::Reply;
use crate::msg::{Msg, RdbPayload};
use crate::net::ConnId;
use crate::node::{Cx, Timer};

use super::master::ReplicaState;
use super::{Bgsave, RedisNode, RedisTimer};

impl RedisNode {
    pub(super) fn start_full_sync(&mut self, conn: ConnId, cx: &mut Cx) {
        // `syncCommand`: a socket BGSAVE already running cannot take another replica.
        if self.bgsave.as_ref().is_some_and(|b| b.diskless) {
            cx.log("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
            return;
        }
        if self.conf.repl_diskless_sync && self.conf.repl_diskless_sync_delay > 0 {
            cx.log("Delay next BGSAVE for diskless SYNC");
            return; // replicationCron starts the fork after repl-diskless-sync-delay
        }
        match &self.bgsave {
            Some(b) if !b.diskless => {
                // Piggy-back on the running disk BGSAVE: copy a sibling's buffer.
                let sibling = self
                    .replicas
                    .values()
                    .find(|r| r.conn != conn && r.state == ReplicaState::WaitBgsaveEnd)
                    .map(|r| (r.pending.clone(), r.pending_bytes, r.psync_initial_offset));
                if let Some((pending, pending_bytes, fork_offset)) = sibling {
                    let replid = self.ids.replid.clone();
                    if let Some(r) = self.replicas.get_mut(&conn) {
                        r.state = ReplicaState::WaitBgsaveEnd;
                        r.pending = pending;
                        r.pending_bytes = pending_bytes;
                        r.psync_initial_offset = fork_offset;
                        r.sent_offset = fork_offset + 1;
                    }
                    let text = format!("FULLRESYNC {replid} {fork_offset}");
                    cx.send(conn, Msg::Reply(Rc::new(Reply::Status(text.into()))));
                    cx.log("Waiting for end of BGSAVE for SYNC");
                } else {
                    cx.log("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
                }
            }
            Some(_) => cx.log("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC"),
            None => self.start_bgsave_for_replication(cx),
        }
    }

    /// Forks: every replica waiting for a BGSAVE gets `+FULLRESYNC` with the
    /// offset at the fork, and starts accumulating writes.
    pub(super) fn start_bgsave_for_replication(&mut self, cx: &mut Cx) {
        let diskless = self.conf.repl_diskless_sync;
        let payload = Rc::new(RdbPayload {
            rdb_bytes: self.db.rdb_size_bytes(),
            db: self.db.clone(),
            eof_mark: diskless,
        });
        let fork_offset = self.ids.master_repl_offset;
        let gen = self.new_gen();
        let save_ms = payload
            .rdb_bytes
            .div_ceil(self.spec.rdb_save_bytes_per_ms.max(1));
        cx.log(format!(
            "Starting BGSAVE for SYNC with target: {}",
            if diskless { "replicas sockets" } else { "disk" }
        ));
        let replid = self.ids.replid.clone();
        let mut done_at = cx.now_ms + save_ms;
        let waiting: Vec<ConnId> = self
            .replicas
            .values()
            .filter(|r| r.state == ReplicaState::WaitBgsaveStart)
            .map(|r| r.conn)
            .collect();
        for conn in waiting {
            if let Some(r) = self.replicas.get_mut(&conn) {
                r.state = ReplicaState::WaitBgsaveEnd;
                r.psync_initial_offset = fork_offset;
                r.sent_offset = fork_offset + 1;
                r.pending.clear();
                r.pending_bytes = 0;
            }
            let text = format!("FULLRESYNC {replid} {fork_offset}");
            cx.send(conn, Msg::Reply(Rc::new(Reply::Status(text.into()))));
            if diskless {
                // The child streams to the socket while it serializes: the last byte
                // leaves at max(serialization, transmission). The RDB goes out as one
                // message, sent so that it finishes leaving at that moment.
                let wire = payload.wire_bytes();
                let tx_ms = cx.tx_done_at(conn, wire).saturating_sub(cx.now_ms);
                let send_after = save_ms.saturating_sub(tx_ms);
                // The child exits after its last write: at least a
                // millisecond after the send starts, so serverCron cannot
                // reap it (dropping the payload) before the send, even when
                // both fall in one millisecond.
                done_at = done_at.max(cx.now_ms + send_after + tx_ms.max(1));
                cx.timer(
                    send_after,
                    Timer::Redis(RedisTimer::DisklessSend { conn, gen }),
                );
            }
        }
        // The child exits at `done_at`; the parent notices in serverCron
        // (`checkChildrenDone`), so a replica's first ACK can arrive before
        // it is put online, and then streaming waits for the next ACK (7.0).
        self.bgsave = Some(Bgsave {
            gen,
            diskless,
            payload,
            fork_offset,
            done_at_ms: done_at,
        });
    }

    pub(super) fn bgsave_done(&mut self, gen: u64, cx: &mut Cx) {
        let Some(b) = self.bgsave.take_if(|b| b.gen == gen) else {
            return;
        };
        cx.log(if b.diskless {
            "Background RDB transfer terminated with success"
        } else {
            "Background saving terminated with success"
        });
        let conns: Vec<ConnId> = self
            .replicas
            .values()
            .filter(|r| r.state == ReplicaState::WaitBgsaveEnd)
            .map(|r| r.conn)
            .collect();
        for conn in conns {
            if b.diskless {
                if let Some(r) = self.replicas.get_mut(&conn) {
                    r.state = ReplicaState::Online {
                        waiting_first_ack: true,
                    };
                    r.ack_time_ms = cx.clock_ms;
                }
                let who = self.replica_name(conn);
                cx.log(format!(
                    "Streamed RDB transfer with replica {who} succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming"
                ));
            } else {
                if let Some(r) = self.replicas.get_mut(&conn) {
                    r.state = ReplicaState::SendBulk;
                }
                let wire = b.payload.wire_bytes();
                let sent_at = cx.tx_done_at(conn, wire);
                cx.send(conn, Msg::Rdb(b.payload.clone()));
                let g = self.new_gen();
                cx.timer(
                    sent_at - cx.now_ms,
                    Timer::Redis(RedisTimer::BulkSent { conn, gen: g }),
                );
            }
        }
        // Replicas that arrived during this child wait for the next fork.
        if self
            .replicas
            .values()
            .any(|r| r.state == ReplicaState::WaitBgsaveStart)
            && !self.conf.repl_diskless_sync
        {
            self.start_bgsave_for_replication(cx);
        }
    }

    pub(super) fn bulk_sent(&mut self, conn: ConnId, _gen: u64, cx: &mut Cx) {
        let Some(r) = self.replicas.get_mut(&conn) else {
            return;
        };
        if r.state != ReplicaState::SendBulk {
            return;
        }
        r.state = ReplicaState::Online {
            waiting_first_ack: false,
        };
        r.ack_time_ms = cx.clock_ms;
        self.flush_pending(conn, cx);
        let who = self.replica_name(conn);
        cx.log(format!("Synchronization with replica {who} succeeded"));
        self.refresh_good_replicas(cx);
    }
}
