//! A client's operations: choosing the next one of its workload, sending
//! it on the right connection, and recording its outcome in the history.

use crate::data::Reply;
use crate::msg::Msg;
use crate::node::Cx;
use crate::trace::TraceKind;

use super::*;

impl ClientNode {
    pub(super) fn next_op(&mut self, cx: &mut Cx) {
        // A connection still being opened, or the master still being looked
        // up: wait for it, as client libraries block on connect.
        let looking_up =
            self.master_addr.is_none() && matches!(self.spec.routing, Routing::Sentinel { .. });
        if (self.write.id.is_some() && !self.write.up) || looking_up {
            if looking_up {
                self.ensure_connections(cx);
                self.resolve_master(cx);
            }
            return;
        }
        let n = self.next_n;
        let kind = match &self.spec.workload {
            Workload::Writer | Workload::WriteThenRead => OpKind::Write {
                key: format!("{}:{n}", self.spec.prefix),
                value: n.to_string(),
                px: None,
            },
            Workload::Counter => OpKind::Incr { key: "ctr".into() },
            Workload::Expiring { ttl_ms, .. } => OpKind::Write {
                key: format!("s:{n}"),
                value: n.to_string(),
                px: Some(*ttl_ms),
            },
            // Buyers run in `buyer.rs`; `handle` hands them every input.
            Workload::Buyers(_) => return,
        };
        self.next_n += 1;
        self.send_op(kind, Role::Write, cx);
    }

    pub(super) fn send_op(&mut self, kind: OpKind, role: Role, cx: &mut Cx) {
        let role = if role == Role::Read && matches!(self.spec.read_from, ReadFrom::Master) {
            Role::Write
        } else {
            role
        };
        let id = cx.rand_u64() >> 16;
        let conn = *self.conn_mut(role);
        let target = conn.to;
        let op = Op {
            id,
            kind: kind.clone(),
            invoke_ms: cx.now_ms,
            complete_ms: None,
            target,
            outcome: Outcome::Pending,
            wait_acks: None,
        };
        self.history.push(op);
        let (Some(c), true) = (conn.id, conn.up) else {
            self.complete(id, Outcome::Error("no connection".into()), cx);
            self.ensure_connections(cx);
            return;
        };
        cx.send(c, Msg::Cmd(Rc::new(kind.argv())));
        self.in_flight.push(InFlight {
            op: id,
            role,
            waiting: false,
        });
        cx.timer(
            self.spec.timeout_ms.max(1),
            Timer::Client(ClientTimer::Timeout { op: id }),
        );
    }

    pub(super) fn on_op_reply(&mut self, f: InFlight, r: &Reply, cx: &mut Cx) {
        let op = self.history.iter().rev().find(|o| o.id == f.op).cloned();
        let Some(op) = op else { return };
        if f.waiting {
            let acks = if let Reply::Int(n) = r { *n } else { 0 };
            if let Some(o) = self.history.rfind_mut(|o| o.id == f.op) {
                o.wait_acks = Some(acks);
            }
            self.complete(f.op, Outcome::Ok("OK".into()), cx);
            self.after_write(&op, cx);
            return;
        }
        match r {
            Reply::Error(e) => {
                let readonly = e.starts_with("READONLY");
                self.complete(f.op, Outcome::Error(e.clone()), cx);
                if readonly && matches!(self.spec.routing, Routing::Sentinel { .. }) {
                    // The address no longer points at the master: ask again.
                    self.master_addr = None;
                    if let Some(c) = self.write.id.take() {
                        cx.close(c, "READONLY: master moved");
                    }
                    self.write = Conn::default();
                    self.resolve_master(cx);
                }
            }
            _ => {
                let text = r.format_cli();
                let is_write = matches!(op.kind, OpKind::Write { .. } | OpKind::Incr { .. });
                if let (true, Some((n, timeout)), Some(c)) =
                    (is_write, self.spec.wait, self.write.id)
                {
                    if let Some(o) = self.history.rfind_mut(|o| o.id == f.op) {
                        o.outcome = Outcome::Ok(text);
                    }
                    cx.send(c, cmd(&["WAIT", &n.to_string(), &timeout.to_string()]));
                    self.in_flight.push(InFlight {
                        op: f.op,
                        role: Role::Write,
                        waiting: true,
                    });
                    return;
                }
                self.complete(f.op, Outcome::Ok(text), cx);
                if is_write {
                    self.after_write(&op, cx);
                }
            }
        }
    }

    /// The read that follows a write, by workload.
    pub(super) fn after_write(&mut self, op: &Op, cx: &mut Cx) {
        match (&self.spec.workload, &op.kind) {
            (Workload::WriteThenRead, OpKind::Write { key, .. }) => {
                self.send_op(OpKind::Read { key: key.clone() }, Role::Read, cx)
            }
            (Workload::Counter, _) => {
                self.send_op(OpKind::Read { key: "ctr".into() }, Role::Read, cx)
            }
            (Workload::Expiring { read_after_ms, .. }, OpKind::Write { key, .. }) => {
                let n = key.trim_start_matches("s:").parse().unwrap_or(0);
                cx.timer(
                    *read_after_ms,
                    Timer::Client(ClientTimer::DelayedRead { n }),
                );
            }
            _ => {}
        }
    }

    pub(super) fn complete(&mut self, op: u64, outcome: Outcome, cx: &mut Cx) {
        self.in_flight.retain(|f| f.op != op);
        if let Some(o) = self.history.rfind_mut(|o| o.id == op) {
            if o.complete_ms.is_none() {
                o.complete_ms = Some(cx.now_ms);
                if !matches!(outcome, Outcome::Ok(_)) || matches!(o.outcome, Outcome::Pending) {
                    o.outcome = outcome;
                }
                if cx.tracing {
                    let text = o.describe();
                    cx.trace(TraceKind::Op { op, text });
                }
            }
        }
    }
}

pub(super) fn cmd(parts: &[&str]) -> Msg {
    Msg::Cmd(Rc::new(
        parts.iter().map(|p| p.as_bytes().to_vec()).collect(),
    ))
}
