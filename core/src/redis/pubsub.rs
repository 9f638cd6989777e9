//! Pub/Sub and CLIENT: what Sentinel relies on. Sentinels find each other
//! through `PUBLISH __sentinel__:hello` on the monitored instances, and a
//! master propagates PUBLISH to its replicas (outside cluster mode), so
//! hellos also move replication offsets, as they do in real deployments.
//! CLIENT KILL is how Sentinel cuts clients off a promoted replica.

use std::rc::Rc;

use crate::data::{self, glob_match, Argv, Reply};
use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::Cx;

use super::{Client, RedisNode, ReplyTo};

fn arg(argv: &Argv, i: usize) -> String {
    argv.get(i)
        .map(|a| String::from_utf8_lossy(a).to_string())
        .unwrap_or_default()
}

impl RedisNode {
    /// SUBSCRIBE / PSUBSCRIBE / UNSUBSCRIBE / PUNSUBSCRIBE: one reply per channel.
    pub(super) fn subscribe_command(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        cx: &mut Cx,
    ) {
        let name = arg(argv, 0).to_ascii_lowercase();
        let pattern = name.starts_with('p');
        let subscribe = !name.contains("unsub");
        let targets: Vec<Vec<u8>> = if argv.len() > 1 {
            argv[1..].to_vec()
        } else if pattern {
            client.patterns.iter().cloned().collect()
        } else {
            client.channels.iter().cloned().collect()
        };
        if targets.is_empty() && !subscribe {
            let count = client.channels.len() + client.patterns.len();
            self.reply(
                to,
                Reply::Array(vec![
                    Reply::bulk_str(&name),
                    Reply::Nil,
                    Reply::Int(count as i64),
                ]),
                cx,
            );
            return;
        }
        for t in targets {
            let set = if pattern {
                &mut client.patterns
            } else {
                &mut client.channels
            };
            if subscribe {
                set.insert(t.clone());
            } else {
                set.remove(&t);
            }
            let count = client.channels.len() + client.patterns.len();
            self.reply(
                to,
                Reply::Array(vec![
                    Reply::bulk_str(&name),
                    Reply::Bulk(t),
                    Reply::Int(count as i64),
                ]),
                cx,
            );
        }
    }

    /// Delivers a message to subscribers here; returns how many received it.
    pub(super) fn publish(&mut self, channel: &[u8], message: &[u8], cx: &mut Cx) -> i64 {
        let mut receivers = 0;
        let mut deliveries: Vec<(ReplyTo, Reply)> = Vec::new();
        let all = self
            .clients
            .iter()
            .map(|(c, cl)| (ReplyTo::Conn(*c), cl))
            .chain(std::iter::once((
                ReplyTo::Console(self.console_push_ticket),
                &self.console,
            )));
        for (to, cl) in all {
            if matches!(to, ReplyTo::Console(0)) {
                continue;
            }
            if cl.channels.contains(channel) {
                receivers += 1;
                deliveries.push((
                    to.clone(),
                    Reply::Array(vec![
                        Reply::bulk_str("message"),
                        Reply::bulk(channel),
                        Reply::bulk(message),
                    ]),
                ));
            }
            for p in cl.patterns.iter().filter(|p| glob_match(p, channel, false)) {
                receivers += 1;
                deliveries.push((
                    to.clone(),
                    Reply::Array(vec![
                        Reply::bulk_str("pmessage"),
                        Reply::Bulk(p.clone()),
                        Reply::bulk(channel),
                        Reply::bulk(message),
                    ]),
                ));
            }
        }
        for (to, r) in deliveries {
            match to {
                ReplyTo::Conn(conn) => cx.send(conn, Msg::Reply(Rc::new(r))),
                ReplyTo::Console(ticket) => cx.console_push(ticket, r.format_cli()),
            }
        }
        receivers
    }

    /// PUBLISH from a client: deliver, and (on a master) propagate.
    pub(super) fn publish_command(&mut self, argv: &Argv, cx: &mut Cx) -> Reply {
        let n = self.publish(&argv[1], &argv[2], cx);
        if self.is_master() {
            self.feed_stream(vec![argv.clone()], true, cx);
        }
        Reply::Int(n)
    }

    /// CLIENT subcommands the lab supports.
    pub(super) fn client_command(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        cx: &mut Cx,
    ) -> Reply {
        match arg(argv, 1).to_ascii_uppercase().as_str() {
            "ID" => Reply::Int(client.id as i64),
            "SETNAME" => {
                client.name = arg(argv, 2);
                Reply::ok()
            }
            "GETNAME" if client.name.is_empty() => Reply::Nil,
            "GETNAME" => Reply::bulk_str(&client.name),
            "KILL" => self.client_kill(to, argv, cx),
            "LIST" => {
                let mut lines = Vec::new();
                for (conn, c) in &self.clients {
                    let addr = c
                        .peer
                        .and_then(|p| cx.addr_of(p).map(|a| a.0.clone()))
                        .unwrap_or_default();
                    let flags = if c.channels.is_empty() && c.patterns.is_empty() {
                        "N"
                    } else {
                        "P"
                    };
                    lines.push(format!(
                        "id={} addr={addr}:{} name={} flags={flags} cmd=",
                        c.id,
                        40000 + conn.0,
                        c.name
                    ));
                }
                Reply::Bulk(lines.join("\n").into_bytes())
            }
            other => data::unknown_subcommand(b"CLIENT", other.as_bytes()),
        }
    }

    /// CLIENT KILL TYPE normal|master|replica|slave|pubsub | ADDR ip:port | ip:port.
    fn client_kill(&mut self, to: &ReplyTo, argv: &Argv, cx: &mut Cx) -> Reply {
        let me = match to {
            ReplyTo::Conn(c) => Some(*c),
            ReplyTo::Console(_) => None,
        };
        if argv.len() == 3 {
            // Old form: CLIENT KILL ip:port.
            let target = arg(argv, 2);
            let found = self
                .clients
                .iter()
                .find(|(conn, c)| client_addr(c, **conn, cx) == target)
                .map(|(conn, _)| *conn);
            return match found {
                Some(conn) => {
                    self.kill_client(conn, cx);
                    Reply::ok()
                }
                None => Reply::err("ERR No such client"),
            };
        }
        if !argv.len().is_multiple_of(2) {
            return Reply::err(data::SYNTAX);
        }
        let mut killed = 0;
        let mut i = 2;
        while i + 1 < argv.len() {
            let (key, value) = (
                arg(argv, i).to_ascii_uppercase(),
                arg(argv, i + 1).to_ascii_lowercase(),
            );
            match key.as_str() {
                "TYPE" => match value.as_str() {
                    "normal" | "pubsub" => {
                        let pubsub = value == "pubsub";
                        let conns: Vec<ConnId> = self
                            .clients
                            .iter()
                            .filter(|(c, cl)| {
                                Some(**c) != me
                                    && (cl.channels.is_empty() && cl.patterns.is_empty()) != pubsub
                            })
                            .map(|(c, _)| *c)
                            .collect();
                        for conn in conns {
                            self.kill_client(conn, cx);
                            killed += 1;
                        }
                    }
                    "master" => {
                        if let Some(conn) = self.master.as_ref().and_then(|m| m.conn) {
                            cx.close(conn, "CLIENT KILL TYPE master");
                            let connected = self.master.as_ref().is_some_and(|m| m.is_connected());
                            if connected {
                                self.master_link_lost("Connection with master lost.", cx);
                            } else {
                                self.cancel_handshake(cx);
                            }
                            killed += 1;
                        }
                    }
                    "replica" | "slave" => {
                        let conns: Vec<ConnId> = self.replicas.keys().copied().collect();
                        for conn in conns {
                            self.drop_replica(conn, "CLIENT KILL TYPE replica", cx);
                            cx.close(conn, "CLIENT KILL TYPE replica");
                            killed += 1;
                        }
                    }
                    _ => return Reply::err(&format!("ERR Unknown client type '{value}'")),
                },
                "ADDR" => {
                    let found: Vec<ConnId> = self
                        .clients
                        .iter()
                        .filter(|(conn, c)| client_addr(c, **conn, cx) == value)
                        .map(|(c, _)| *c)
                        .collect();
                    for conn in found {
                        self.kill_client(conn, cx);
                        killed += 1;
                    }
                }
                "SKIPME" => {}
                _ => return Reply::err(data::SYNTAX),
            }
            i += 2;
        }
        Reply::Int(killed)
    }

    fn kill_client(&mut self, conn: ConnId, cx: &mut Cx) {
        if self.clients.remove(&conn).is_some() {
            cx.close(conn, "CLIENT KILL");
        }
    }
}

/// The address CLIENT LIST shows for a client: its host and an ephemeral port.
fn client_addr(c: &Client, conn: ConnId, cx: &Cx) -> String {
    let host = c
        .peer
        .and_then(|p| cx.addr_of(p).map(|a| a.0.clone()))
        .unwrap_or_default();
    format!("{host}:{}", 40000 + conn.0)
}
