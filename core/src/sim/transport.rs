//! Frames on connections: sending, transmission over links, frames held at
//! cuts and reordered after a heal, in-order delivery, closing and reaping.

use super::*;

impl Sim {
    pub(super) fn send(&mut self, node: NodeId, conn: ConnId, msg: Msg) {
        let Some(c) = self.net.conns.get(&conn) else {
            return;
        };
        let Some(side) = c.side_of(node) else { return };
        if !c.open[side] {
            return;
        }
        let to = c.ends[1 - side];
        let id = self.next_msg;
        self.next_msg += 1;
        if self.cfg.trace {
            let kind = TraceKind::Send {
                msg: id,
                conn,
                to,
                kind: msg.kind(),
                bytes: msg.wire_bytes(),
                summary: crate::trace::MsgText::new(msg.clone()),
            };
            self.record(node, kind);
        }
        let bytes = msg.wire_bytes();
        self.transmit(conn, side as u8, id, Frame::Data(msg), bytes);
    }

    pub(super) fn transmit(&mut self, conn: ConnId, dir: u8, id: u64, frame: Frame, bytes: u64) {
        let jitter_max = self
            .net
            .conns
            .get(&conn)
            .map_or(0, |c| self.net.link(c.ends[0], c.ends[1]).jitter_ms);
        let jitter = if jitter_max > 0 {
            self.rng.below(jitter_max + 1)
        } else {
            0
        };
        // An RDB never sits in the output buffer: the disk-based sync sends
        // it from the file (sendBulkToSlave), the diskless one from the
        // fork child straight to the socket. It takes the wire, but does
        // not count towards client-output-buffer-limit.
        let buffered = !matches!(&frame, Frame::Data(Msg::Rdb(_)));
        if let Some((seq, arrival)) =
            self.net
                .transmit(conn, dir as usize, bytes, buffered, self.now_ms, jitter)
        {
            self.push(
                arrival,
                Event::Arrive {
                    conn,
                    dir,
                    seq,
                    id,
                    frame,
                },
            );
        }
    }

    pub(super) fn close(&mut self, node: NodeId, conn: ConnId, reason: &str) {
        let Some(c) = self.net.conns.get_mut(&conn) else {
            return;
        };
        let Some(side) = c.side_of(node) else { return };
        if !c.open[side] {
            return;
        }
        c.open[side] = false;
        let peer = c.ends[1 - side];
        self.record(
            node,
            TraceKind::ConnClose {
                conn,
                peer,
                reason: reason.to_string(),
            },
        );
        let id = self.next_msg;
        self.next_msg += 1;
        self.transmit(conn, side as u8, id, Frame::Fin, 0);
        self.reap(conn);
    }

    pub(super) fn arrive(&mut self, conn: ConnId, dir: u8, seq: u64, id: u64, frame: Frame) {
        let Some(c) = self.net.conns.get(&conn) else {
            return;
        };
        let (from, to) = (c.ends[dir as usize], c.ends[1 - dir as usize]);
        if self.net.is_cut(from, to) {
            if matches!(frame, Frame::Data(_)) {
                self.record(to, TraceKind::Held { msg: id });
            }
            let list = self.held.entry((conn, dir)).or_default();
            let pos = list.partition_point(|(s, _, _)| *s < seq);
            list.insert(pos, (seq, id, frame));
            return;
        }
        if seq != c.dirs[dir as usize].delivered_seq + 1 {
            // An earlier frame is still on its way (it waited at a cut): wait for it.
            self.reorder
                .entry((conn, dir))
                .or_default()
                .insert(seq, (id, frame));
            return;
        }
        self.deliver(conn, dir, seq, id, frame);
        while let Some(next) = self.take_in_sequence(conn, dir) {
            let (seq, id, frame) = next;
            self.deliver(conn, dir, seq, id, frame);
        }
    }

    fn take_in_sequence(&mut self, conn: ConnId, dir: u8) -> Option<(u64, u64, Frame)> {
        let expected = self.net.conns.get(&conn)?.dirs[dir as usize].delivered_seq + 1;
        let buf = self.reorder.get_mut(&(conn, dir))?;
        let (id, frame) = buf.remove(&expected)?;
        if buf.is_empty() {
            self.reorder.remove(&(conn, dir));
        }
        Some((expected, id, frame))
    }

    fn deliver(&mut self, conn: ConnId, dir: u8, seq: u64, id: u64, frame: Frame) {
        let Some(c) = self.net.conns.get_mut(&conn) else {
            return;
        };
        c.dirs[dir as usize].delivered_seq = seq;
        let (from, to) = (c.ends[dir as usize], c.ends[1 - dir as usize]);
        let to_side = 1 - dir as usize;
        let open = c.open;
        let to_up = self
            .nodes
            .get(to.0 as usize)
            .is_some_and(|n| !matches!(n.state, NodeState::Down));
        match frame {
            Frame::Syn => {
                if !to_up {
                    let rid = self.next_msg;
                    self.next_msg += 1;
                    self.transmit(conn, 1, rid, Frame::Rst, 0);
                    return;
                }
                let inc = self.nodes[to.0 as usize].incarnation;
                if let Some(c) = self.net.conns.get_mut(&conn) {
                    c.open[1] = true;
                    c.incarnations[1] = inc;
                }
                let aid = self.next_msg;
                self.next_msg += 1;
                self.transmit(conn, 1, aid, Frame::SynAck, 0);
                self.input(to, Input::Accepted { conn, peer: from });
            }
            Frame::SynAck => {
                if open[0] {
                    self.record(to, TraceKind::ConnOpen { conn, peer: from });
                    self.input(to, Input::Connected { conn });
                }
            }
            Frame::Rst => {
                if let Some(c) = self.net.conns.get_mut(&conn) {
                    let was_open = c.open[0];
                    c.open[0] = false;
                    if was_open {
                        self.input(to, Input::ConnFailed { conn });
                    }
                }
                self.reap(conn);
            }
            Frame::Fin => {
                if let Some(c) = self.net.conns.get_mut(&conn) {
                    if c.open[to_side] {
                        c.open[to_side] = false;
                        self.record(
                            to,
                            TraceKind::ConnClose {
                                conn,
                                peer: from,
                                reason: "closed by peer".into(),
                            },
                        );
                        self.input(to, Input::Closed { conn });
                    }
                }
                self.reap(conn);
            }
            Frame::Data(msg) => {
                if !open[to_side] || !to_up {
                    if self.cfg.trace {
                        self.record(
                            to,
                            TraceKind::Drop {
                                msg: id,
                                reason: "connection closed".into(),
                            },
                        );
                    }
                    return;
                }
                if self.cfg.trace {
                    self.record(to, TraceKind::Deliver { msg: id, from });
                }
                self.input(to, Input::Msg { conn, msg });
            }
        }
    }

    /// Forgets a connection both ends closed, with anything still buffered for it.
    fn reap(&mut self, conn: ConnId) {
        self.net.reap(conn);
        if !self.net.conns.contains_key(&conn) {
            for dir in 0..2u8 {
                self.held.remove(&(conn, dir));
                self.reorder.remove(&(conn, dir));
            }
        }
    }

    /// Re-sends what waited at cuts that no longer exist.
    pub(super) fn release_held(&mut self) {
        let keys: Vec<(ConnId, u8)> = self.held.keys().copied().collect();
        for (conn, dir) in keys {
            let Some(c) = self.net.conns.get(&conn) else {
                self.held.remove(&(conn, dir));
                continue;
            };
            let (from, to) = (c.ends[dir as usize], c.ends[1 - dir as usize]);
            if self.net.is_cut(from, to) {
                continue;
            }
            let frames = self.held.remove(&(conn, dir)).unwrap_or_default();
            for (seq, id, frame) in frames {
                let jitter_max = self.net.link(from, to).jitter_ms;
                let jitter = if jitter_max > 0 {
                    self.rng.below(jitter_max + 1)
                } else {
                    0
                };
                if let Some(at) =
                    self.net
                        .reschedule_arrival(conn, dir as usize, self.now_ms, jitter)
                {
                    self.push(
                        at,
                        Event::Arrive {
                            conn,
                            dir,
                            seq,
                            id,
                            frame,
                        },
                    );
                }
            }
        }
    }
}
