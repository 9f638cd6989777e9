//! The commands a Sentinel answers: PING, INFO, ROLE, SENTINEL ..., and
//! Pub/Sub (its events are published on channels named after them).

use std::rc::Rc;

use crate::data::{self, glob_match, Argv, Reply};
use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::Cx;

use super::instance::{Instance, Kind};
use super::monitor::HELLO_CHANNEL;
use super::SentinelEventKind as Ev;
use super::{FailoverState, SClient, SentinelNode};

#[derive(Clone, Copy)]
enum To {
    Conn,
    Console(u64),
}

fn bulk(s: impl Into<String>) -> Reply {
    Reply::Bulk(s.into().into_bytes())
}

impl SentinelNode {
    pub(super) fn client_command(&mut self, conn: ConnId, argv: &Argv, cx: &mut Cx) {
        let mut client = self.clients.remove(&conn).unwrap_or_default();
        let replies = self.execute(&mut client, To::Conn, argv, cx);
        self.clients.insert(conn, client);
        for r in replies {
            cx.send(conn, Msg::Reply(Rc::new(r)));
        }
    }

    pub(super) fn on_console(&mut self, ticket: u64, line: &str, cx: &mut Cx) {
        let argv = match data::split_args(line) {
            Ok(a) if !a.is_empty() => a,
            Ok(_) => return cx.console_reply(ticket, String::new()),
            Err(e) => return cx.console_reply(ticket, e.to_string()),
        };
        let mut client = std::mem::take(&mut self.console);
        let replies = self.execute(&mut client, To::Console(ticket), &argv, cx);
        self.console = client;
        let raw = argv[0].eq_ignore_ascii_case(b"INFO");
        let text = replies
            .iter()
            .map(|r| match (r, raw) {
                (Reply::Bulk(b), true) => String::from_utf8_lossy(b)
                    .replace("\r\n", "\n")
                    .trim_end()
                    .to_string(),
                _ => r.format_cli(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        if cx.tracing {
            cx.trace(crate::trace::TraceKind::Exec {
                client: "console".into(),
                cmd: line.to_string(),
                reply: text.clone(),
            });
        }
        cx.console_reply(ticket, text);
    }

    fn execute(&mut self, client: &mut SClient, to: To, argv: &Argv, cx: &mut Cx) -> Vec<Reply> {
        let name = String::from_utf8_lossy(&argv[0]).to_ascii_uppercase();
        let arg = |i: usize| {
            argv.get(i)
                .map(|a| String::from_utf8_lossy(a).to_string())
                .unwrap_or_default()
        };
        let one = |r: Reply| vec![r];
        match name.as_str() {
            "PING" => one(Reply::Status("PONG".into())),
            "INFO" => one(Reply::Bulk(self.info_text().into_bytes())),
            "ROLE" => one(Reply::Array(vec![
                bulk("sentinel"),
                Reply::Array(self.masters.keys().map(|k| bulk(k.clone())).collect()),
            ])),
            "CLIENT" => one(Reply::ok()),
            "SENTINEL" if argv.len() >= 2 => one(self.sentinel_command(argv, cx)),
            "SENTINEL" => one(Reply::err(
                "ERR wrong number of arguments for 'sentinel' command",
            )),
            "PUBLISH" if argv.len() == 3 => {
                if argv[1] == HELLO_CHANNEL.as_bytes() {
                    let payload = arg(2);
                    self.process_hello(&payload, cx);
                    one(Reply::Int(1))
                } else {
                    one(Reply::err(
                        "ERR Only HELLO messages are accepted by Sentinel instances.",
                    ))
                }
            }
            "SUBSCRIBE" | "PSUBSCRIBE" if argv.len() >= 2 => {
                if let To::Console(t) = to {
                    self.console_push_ticket = t;
                }
                let pattern = name.starts_with('P');
                argv[1..]
                    .iter()
                    .map(|ch| {
                        if pattern {
                            client.patterns.insert(ch.clone());
                        } else {
                            client.channels.insert(ch.clone());
                        }
                        let n = client.channels.len() + client.patterns.len();
                        Reply::Array(vec![
                            bulk(name.to_ascii_lowercase()),
                            Reply::Bulk(ch.clone()),
                            Reply::Int(n as i64),
                        ])
                    })
                    .collect()
            }
            _ => one(data::unknown_command(argv)),
        }
    }

    /// Publishes a Sentinel event to subscribers of its channel (`+sdown`, ...).
    pub(super) fn publish_local(&mut self, channel: &[u8], payload: &[u8], cx: &mut Cx) {
        let msg = |pattern: Option<&[u8]>| match pattern {
            None => Reply::Array(vec![
                bulk("message"),
                Reply::Bulk(channel.to_vec()),
                Reply::Bulk(payload.to_vec()),
            ]),
            Some(p) => Reply::Array(vec![
                bulk("pmessage"),
                Reply::Bulk(p.to_vec()),
                Reply::Bulk(channel.to_vec()),
                Reply::Bulk(payload.to_vec()),
            ]),
        };
        let mut out: Vec<(ConnId, Reply)> = Vec::new();
        for (conn, c) in &self.clients {
            if c.channels.contains(channel) {
                out.push((*conn, msg(None)));
            }
            for p in c.patterns.iter().filter(|p| glob_match(p, channel, false)) {
                out.push((*conn, msg(Some(p))));
            }
        }
        for (conn, r) in out {
            cx.send(conn, Msg::Reply(Rc::new(r)));
        }
        if self.console_push_ticket != 0 {
            let c = &self.console;
            let mut texts = Vec::new();
            if c.channels.contains(channel) {
                texts.push(msg(None).format_cli());
            }
            for p in c.patterns.iter().filter(|p| glob_match(p, channel, false)) {
                texts.push(msg(Some(p)).format_cli());
            }
            for t in texts {
                cx.console_push(self.console_push_ticket, t);
            }
        }
    }

    fn sentinel_command(&mut self, argv: &Argv, cx: &mut Cx) -> Reply {
        let arg = |i: usize| {
            argv.get(i)
                .map(|a| String::from_utf8_lossy(a).to_string())
                .unwrap_or_default()
        };
        let sub = arg(1).to_ascii_lowercase();
        let need = |n: usize| argv.len() == n;
        let no_master = || Reply::err("ERR No such master with that name");
        match sub.as_str() {
            "get-master-addr-by-name" if need(3) => match self.masters.get(&arg(2)) {
                Some(m) => Reply::Array(vec![
                    bulk(m.inst.host.clone()),
                    bulk(m.inst.port.to_string()),
                ]),
                None => Reply::NilArray,
            },
            "masters" if need(2) => Reply::Array(
                self.masters
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|n| self.master_fields(n, cx.clock_ms))
                    .collect(),
            ),
            "master" if need(3) => match self.masters.contains_key(&arg(2)) {
                true => self.master_fields(&arg(2), cx.clock_ms),
                false => no_master(),
            },
            "replicas" | "slaves" if need(3) => match self.masters.get(&arg(2)) {
                Some(m) => Reply::Array(
                    m.replicas
                        .values()
                        .filter(|r| r.announced)
                        .map(|r| instance_fields(r, &arg(2), cx.clock_ms, m.down_after_ms))
                        .collect(),
                ),
                None => no_master(),
            },
            "sentinels" if need(3) => match self.masters.get(&arg(2)) {
                Some(m) => Reply::Array(
                    m.sentinels
                        .values()
                        .map(|s| instance_fields(s, &arg(2), cx.clock_ms, m.down_after_ms))
                        .collect(),
                ),
                None => no_master(),
            },
            "ckquorum" if need(3) => match self.masters.get(&arg(2)) {
                Some(m) => {
                    let voters = m.sentinels.len() + 1;
                    let usable = 1 + m.sentinels.values().filter(|s| !s.sdown).count();
                    let noquorum = usable < m.quorum as usize;
                    let noauth = usable < voters / 2 + 1;
                    if !noquorum && !noauth {
                        Reply::Status(format!("OK {usable} usable Sentinels. Quorum and failover authorization can be reached").into())
                    } else {
                        let mut e = format!("NOQUORUM {usable} usable Sentinels. ");
                        if noquorum {
                            e.push_str("Not enough available Sentinels to reach the specified quorum for this master");
                        }
                        if noauth {
                            if noquorum {
                                e.push_str(". ");
                            }
                            e.push_str("Not enough available Sentinels to reach the majority and authorize a failover");
                        }
                        Reply::Error(e)
                    }
                }
                None => no_master(),
            },
            "failover" if need(3) => {
                let name = arg(2);
                let Some(m) = self.masters.get(&name) else {
                    return no_master();
                };
                if m.failover != FailoverState::None {
                    return Reply::err("INPROG Failover already in progress");
                }
                if self.select_slave(&name, cx.clock_ms).is_none() {
                    return Reply::err("NOGOODSLAVE No suitable replica to promote");
                }
                self.event(cx, Ev::NewEpoch, (self.current_epoch + 1).to_string());
                self.current_epoch += 1;
                let epoch = self.current_epoch;
                let now = cx.clock_ms;
                if let Some(m) = self.masters.get_mut(&name) {
                    m.force_failover = true;
                    m.failover_epoch = epoch;
                    m.set_failover(FailoverState::WaitStart, now);
                    m.failover_start_time = now;
                }
                let d = self.describe(&name, Kind::Master, "");
                self.event(cx, Ev::TryFailover, d);
                Reply::ok()
            }
            "is-master-down-by-addr" if need(6) => {
                let (host, port) = (arg(2), arg(3).parse::<u16>().unwrap_or(0));
                let (Ok(epoch), runid) = (arg(4).parse::<u64>(), arg(5)) else {
                    return Reply::err(data::NOT_INT);
                };
                let found = self
                    .masters
                    .iter()
                    .find(|(_, m)| m.inst.host == host && m.inst.port == port)
                    .map(|(n, m)| (n.clone(), m.inst.sdown));
                let mut leader = None;
                let mut leader_epoch = 0;
                let isdown = match found {
                    Some((name, sdown)) => {
                        if runid != "*" {
                            let (l, e) = self.vote_leader(&name, epoch, &runid, cx);
                            leader = l;
                            leader_epoch = e;
                        }
                        sdown && !self.tilt
                    }
                    None => false,
                };
                Reply::Array(vec![
                    Reply::Int(isdown as i64),
                    bulk(leader.unwrap_or_else(|| "*".into())),
                    Reply::Int(leader_epoch as i64),
                ])
            }
            "myid" if need(2) => bulk(self.myid.clone()),
            _ => Reply::err(&format!("ERR Unknown sentinel subcommand '{}'", arg(1))),
        }
    }

    /// `SENTINEL MASTER <name>`: field/value pairs, in Redis's order.
    fn master_fields(&self, name: &str, now: i64) -> Reply {
        let m = &self.masters[name];
        let mut fields = instance_pairs(&m.inst, name, now, m.down_after_ms);
        let mut flags = vec!["master"];
        if m.inst.sdown {
            flags.push("s_down");
        }
        if m.odown {
            flags.push("o_down");
        }
        if m.inst.link.disconnected() {
            flags.push("disconnected");
        }
        if m.failover != FailoverState::None {
            flags.push("failover_in_progress");
        }
        if let Some(f) = fields.iter_mut().find(|(k, _)| k == "flags") {
            f.1 = flags.join(",");
        }
        // Real Sentinel prints o-down-time right after s-down-time, and the
        // failover state right after link-refcount (`addReplySentinelRedisInstance`).
        if m.odown {
            let at = fields
                .iter()
                .position(|(k, _)| k == "s-down-time")
                .map_or(fields.len(), |i| i + 1);
            fields.insert(
                at,
                ("o-down-time".into(), (now - m.o_down_since).to_string()),
            );
        }
        if m.failover != FailoverState::None {
            let at = fields
                .iter()
                .position(|(k, _)| k == "link-refcount")
                .map_or(fields.len(), |i| i + 1);
            fields.insert(at, ("failover-state".into(), m.failover.name().to_string()));
        }
        fields.extend([
            ("config-epoch".into(), m.config_epoch.to_string()),
            ("num-slaves".into(), m.replicas.len().to_string()),
            ("num-other-sentinels".into(), m.sentinels.len().to_string()),
            ("quorum".into(), m.quorum.to_string()),
            ("failover-timeout".into(), m.failover_timeout_ms.to_string()),
            ("parallel-syncs".into(), m.parallel_syncs.to_string()),
        ]);
        Reply::Array(
            fields
                .into_iter()
                .flat_map(|(k, v)| [bulk(k), bulk(v)])
                .collect(),
        )
    }

    fn info_text(&self) -> String {
        let mut s = String::from("# Sentinel\r\n");
        s.push_str(&format!("sentinel_masters:{}\r\nsentinel_tilt:{}\r\nsentinel_running_scripts:0\r\nsentinel_scripts_queue_length:0\r\nsentinel_simulate_failure_flags:0\r\n", self.masters.len(), self.tilt as u8));
        for (i, (name, m)) in self.masters.iter().enumerate() {
            let status = if m.odown {
                "odown"
            } else if m.inst.sdown {
                "sdown"
            } else {
                "ok"
            };
            s.push_str(&format!(
                "master{i}:name={name},status={status},address={}:{},slaves={},sentinels={}\r\n",
                m.inst.host,
                m.inst.port,
                m.replicas.len(),
                m.sentinels.len() + 1
            ));
        }
        s
    }
}

fn instance_pairs(i: &Instance, master: &str, now: i64, down_after: i64) -> Vec<(String, String)> {
    let mut flags = vec![i.kind_name()];
    if i.sdown {
        flags.push("s_down");
    }
    if i.link.disconnected() {
        flags.push("disconnected");
    }
    if i.promoted {
        flags.push("promoted");
    }
    let since = |t: i64| {
        if t == 0 {
            "0".to_string()
        } else {
            (now - t).to_string()
        }
    };
    let mut v = vec![
        ("name".into(), i.name(master)),
        ("ip".into(), i.host.clone()),
        ("port".into(), i.port.to_string()),
        ("runid".into(), i.run_id.clone().unwrap_or_default()),
        ("flags".into(), flags.join(",")),
        (
            "link-pending-commands".into(),
            i.link.pending.len().to_string(),
        ),
        ("link-refcount".into(), "1".into()),
        (
            "last-ping-sent".into(),
            if i.link.act_ping_time == 0 {
                "0".into()
            } else {
                since(i.link.act_ping_time)
            },
        ),
        ("last-ok-ping-reply".into(), since(i.link.last_avail_time)),
        ("last-ping-reply".into(), since(i.link.last_pong_time)),
    ];
    if i.sdown {
        v.push(("s-down-time".into(), since(i.s_down_since)));
    }
    v.push(("down-after-milliseconds".into(), down_after.to_string()));
    if i.kind != Kind::Sentinel {
        v.push(("info-refresh".into(), since(i.info_refresh)));
        v.push((
            "role-reported".into(),
            if i.role_is_master { "master" } else { "slave" }.into(),
        ));
        v.push(("role-reported-time".into(), since(i.role_reported_time)));
    }
    if i.kind == Kind::Replica {
        v.extend([
            (
                "master-link-down-time".into(),
                i.master_link_down_ms.to_string(),
            ),
            (
                "master-link-status".into(),
                if i.master_link_up { "ok" } else { "err" }.into(),
            ),
            ("master-host".into(), i.master_host.clone()),
            ("master-port".into(), i.master_port.to_string()),
            ("slave-priority".into(), i.priority.to_string()),
            ("slave-repl-offset".into(), i.repl_offset.to_string()),
            ("replica-announced".into(), (i.announced as u8).to_string()),
        ]);
    }
    if i.kind == Kind::Sentinel {
        v.push((
            "voted-leader".into(),
            i.leader.clone().unwrap_or_else(|| "?".into()),
        ));
        v.push(("voted-leader-epoch".into(), i.leader_epoch.to_string()));
    }
    v
}

fn instance_fields(i: &Instance, master: &str, now: i64, down_after: i64) -> Reply {
    Reply::Array(
        instance_pairs(i, master, now, down_after)
            .into_iter()
            .flat_map(|(k, v)| [bulk(k), bulk(v)])
            .collect(),
    )
}
