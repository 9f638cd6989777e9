//! `processCommand`: the checks every command passes through, MULTI/EXEC,
//! the console, and the commands the node itself executes (replication,
//! INFO ...; ROLE, REPLICAOF, WAIT, CONFIG, DEBUG and REPLCONF are in
//! `admin.rs`). Data commands go to `crate::data`.

use crate::data::{self, Argv, Effects, ExecEnv, Reply, Role};
use crate::node::Cx;
use crate::trace::TraceKind;

use super::{Client, RedisNode, ReplyTo};

/// A command name upper-cased without allocating for the usual short names
/// (this runs for every command, on every node).
pub(super) enum Upper {
    Short([u8; 16], u8),
    Long(String),
}

impl Upper {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Upper::Short(b, n) => std::str::from_utf8(&b[..*n as usize]).unwrap_or(""),
            Upper::Long(s) => s,
        }
    }
    pub(super) fn to_ascii_lowercase(&self) -> String {
        self.as_str().to_ascii_lowercase()
    }
}

impl PartialEq<&str> for Upper {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

pub(super) fn upper(a: &[u8]) -> Upper {
    if a.len() <= 16 && a.is_ascii() {
        let mut b = [0u8; 16];
        b[..a.len()].copy_from_slice(a);
        b.make_ascii_uppercase();
        return Upper::Short(b, a.len() as u8);
    }
    Upper::Long(String::from_utf8_lossy(a).to_ascii_uppercase())
}

pub(super) fn arg_str(argv: &Argv, i: usize) -> String {
    argv.get(i)
        .map(|a| String::from_utf8_lossy(a).to_string())
        .unwrap_or_default()
}

/// Commands whose replies redis-cli prints raw (no quotes), as it does for INFO.
fn prints_raw(argv: &Argv) -> bool {
    matches!(upper(&argv[0]).as_str(), "INFO") || crate::cluster::prints_raw(argv)
}

impl RedisNode {
    pub(super) fn on_console(&mut self, ticket: u64, line: &str, cx: &mut Cx) {
        let argv = match data::split_args(line) {
            Ok(a) => a,
            Err(e) => {
                cx.console_reply(ticket, e.to_string());
                return;
            }
        };
        if argv.is_empty() {
            cx.console_reply(ticket, String::new());
            return;
        }
        let to = ReplyTo::Console(ticket);
        let reply = self.process_command(&to, &argv, cx);
        if let Some(reply) = reply {
            let text = match (&reply, prints_raw(&argv)) {
                (Reply::Bulk(b), true) => String::from_utf8_lossy(b)
                    .replace("\r\n", "\n")
                    .trim_end()
                    .to_string(),
                _ => reply.format_cli(),
            };
            if cx.tracing {
                cx.trace(TraceKind::Exec {
                    client: "console".into(),
                    cmd: line.to_string(),
                    reply: text.clone(),
                });
            }
            cx.console_reply(ticket, text);
        }
    }

    fn take_client(&mut self, to: &ReplyTo) -> Client {
        match to {
            ReplyTo::Console(_) => std::mem::take(&mut self.console),
            ReplyTo::Conn(c) => self.clients.remove(c).unwrap_or_default(),
        }
    }

    fn put_client(&mut self, to: &ReplyTo, client: Client) {
        match to {
            ReplyTo::Console(_) => self.console = client,
            ReplyTo::Conn(c) => {
                self.clients.insert(*c, client);
            }
        }
    }

    /// Runs one command for a client; None when the reply comes later (WAIT,
    /// DEBUG SLEEP) or never (PSYNC turns the client into a replica).
    pub(super) fn process_command(
        &mut self,
        to: &ReplyTo,
        argv: &Argv,
        cx: &mut Cx,
    ) -> Option<Reply> {
        if let (ReplyTo::Conn(conn), true) = (to, argv[0].eq_ignore_ascii_case(b"PSYNC")) {
            if argv.len() == 3 {
                self.psync_command(*conn, argv, cx);
                return None;
            }
        }
        let mut client = self.take_client(to);
        let reply = self.process_with(&mut client, to, argv, cx);
        crate::cluster::after_command(&mut client, argv);
        self.put_client(to, client);
        reply
    }

    fn process_with(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        cx: &mut Cx,
    ) -> Option<Reply> {
        self.stats.total_commands_processed += 1;
        let name = upper(&argv[0]);
        // A container with an unknown subcommand falls to `arity_error`'s text.
        let Some(spec) = data::lookup_argv(argv).or_else(|| data::lookup(&argv[0])) else {
            return Some(self.reject(client, data::unknown_command(argv)));
        };
        if let Some(err) = spec.arity_error(argv) {
            return Some(self.reject(client, err));
        }
        if let Some(r) = self.cluster_redirect(client, spec, argv, cx) {
            return Some(r);
        }
        let in_multi = client.multi.is_some();
        let queues_write = name == "EXEC"
            && client.multi.as_ref().is_some_and(|q| {
                q.iter()
                    .any(|c| data::lookup_argv(c).is_some_and(|s| s.is_write()))
            });
        let queues_nonstale = name == "EXEC"
            && client.multi.as_ref().is_some_and(|q| {
                q.iter()
                    .any(|c| data::lookup_argv(c).is_some_and(|s| !s.is_stale()))
            });
        let is_write = spec.is_write() || queues_write;
        if is_write && self.too_few_good_replicas() {
            return Some(self.reject(client, Reply::err(data::NOREPLICAS)));
        }
        if !self.is_master() && self.conf.replica_read_only && is_write {
            return Some(self.reject(client, Reply::err(data::READONLY)));
        }
        let link_down = self.master.as_ref().is_some_and(|m| !m.is_connected());
        if link_down && !self.conf.replica_serve_stale_data && (!spec.is_stale() || queues_nonstale)
        {
            return Some(self.reject(client, Reply::err(data::MASTERDOWN)));
        }
        if in_multi
            && !matches!(
                name.as_str(),
                "EXEC" | "DISCARD" | "MULTI" | "WATCH" | "RESET"
            )
        {
            if let Some(q) = client.multi.as_mut() {
                q.push(argv.clone());
            }
            return Some(Reply::Status("QUEUED".into()));
        }
        match name.as_str() {
            "MULTI" => {
                if in_multi {
                    return Some(Reply::err("ERR MULTI calls can not be nested"));
                }
                client.multi = Some(Vec::new());
                client.multi_dirty = false;
                Some(Reply::ok())
            }
            "DISCARD" => {
                if client.multi.take().is_none() {
                    return Some(Reply::err("ERR DISCARD without MULTI"));
                }
                client.multi_dirty = false;
                client.watch.clear();
                Some(Reply::ok())
            }
            "EXEC" => Some(self.exec(client, to, cx)),
            _ => self.call(client, to, argv, false, cx),
        }
    }

    /// `rejectCommand`: an error reply that also dooms an open transaction.
    fn reject(&mut self, client: &mut Client, err: Reply) -> Reply {
        self.stats.rejected_calls += 1;
        if client.multi.is_some() {
            client.multi_dirty = true;
        }
        err
    }

    fn exec(&mut self, client: &mut Client, to: &ReplyTo, cx: &mut Cx) -> Reply {
        let Some(queue) = client.multi.take() else {
            return Reply::err("ERR EXEC without MULTI");
        };
        let cas_failed = self.watch_failed(client, cx.clock_ms);
        client.watch.clear();
        if std::mem::take(&mut client.multi_dirty) {
            return Reply::err(data::EXECABORT);
        }
        if cas_failed {
            return Reply::NilArray;
        }
        let mut replies = Vec::with_capacity(queue.len());
        let mut propagate: Vec<Argv> = Vec::new();
        for argv in &queue {
            let mut fx = Effects::default();
            let r = self.call_one(client, to, argv, true, &mut fx, cx);
            propagate.append(&mut fx.propagate);
            self.trace_expired(&fx, cx);
            replies.push(r.unwrap_or(Reply::Nil));
        }
        if propagate.len() > 1 {
            propagate.insert(0, vec![b"MULTI".to_vec()]);
            propagate.push(vec![b"EXEC".to_vec()]);
        }
        self.propagate_for(client, propagate, cx);
        Reply::Array(replies)
    }

    fn trace_expired(&self, fx: &Effects, cx: &mut Cx) {
        if cx.tracing {
            for key in fx.expired_keys() {
                cx.trace(TraceKind::Expired { key });
            }
        }
    }

    fn propagate_for(&mut self, client: &mut Client, propagate: Vec<Argv>, cx: &mut Cx) {
        self.touch_watched(&propagate, Some(client));
        if propagate.is_empty() || !self.is_master() {
            return;
        }
        self.feed_stream(propagate, true, cx);
        if self.backlog.is_some() || !self.replicas.is_empty() {
            client.woff = self.ids.master_repl_offset;
        }
    }

    /// Executes one command outside a transaction and propagates its effects.
    fn call(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        in_exec: bool,
        cx: &mut Cx,
    ) -> Option<Reply> {
        let mut fx = Effects::default();
        let reply = self.call_one(client, to, argv, in_exec, &mut fx, cx);
        self.trace_expired(&fx, cx);
        // One command that propagates several entries is wrapped in MULTI/EXEC (7.0).
        let propagate = fx.take_propagation();
        let wrote = !propagate.is_empty();
        self.propagate_for(client, propagate, cx);
        if let (true, ReplyTo::Conn(conn), true) = (wrote && self.is_master(), to, cx.tracing) {
            let kind = TraceKind::Ack {
                conn: *conn,
                cmd: crate::msg::show_argv(argv),
                replid: self.ids.replid.clone(),
                offset: self.ids.master_repl_offset,
            };
            cx.trace(kind);
        }
        reply
    }

    pub(super) fn call_one(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        in_exec: bool,
        fx: &mut Effects,
        cx: &mut Cx,
    ) -> Option<Reply> {
        let name = upper(&argv[0]);
        if name == "FLUSHALL" || name == "FLUSHDB" {
            self.touch_flush(Some(client));
        }
        let r = match name.as_str() {
            "EVAL" | "EVALSHA" | "EVAL_RO" | "EVALSHA_RO" => self.eval_command(client, to, argv, fx, cx),
            "SCRIPT" => self.script_command(argv),
            "WATCH" => self.watch_command(client, argv, cx.clock_ms),
            "UNWATCH" => {
                client.watch.clear();
                Reply::ok()
            }
            "PING" => match argv.len() {
                1 => Reply::Status("PONG".into()),
                _ => Reply::Bulk(argv[1].clone()),
            },
            "INFO" => Reply::Bulk(self.info(&argv[1..], cx).into_bytes()),
            "ROLE" => self.role_reply(),
            "TIME" => {
                let us = cx.clock_ms.max(0) as u64 * 1000;
                Reply::Array(vec![
                    Reply::Bulk((us / 1_000_000).to_string().into_bytes()),
                    Reply::Bulk((us % 1_000_000).to_string().into_bytes()),
                ])
            }
            "REPLICAOF" | "SLAVEOF" => self.replicaof(argv, cx),
            "WAIT" => return self.wait(client, to, argv, in_exec, cx),
            "CONFIG" => self.config(argv, cx),
            "DEBUG" => return self.debug(to, argv, cx),
            "REPLCONF" => return self.replconf(to, client, argv),
            "PUBLISH" => self.publish_command(argv, cx),
            "SUBSCRIBE" | "PSUBSCRIBE" | "UNSUBSCRIBE" | "PUNSUBSCRIBE" => {
                if let ReplyTo::Console(ticket) = to {
                    self.console_push_ticket = *ticket;
                }
                self.subscribe_command(client, to, argv, cx);
                return None;
            }
            "CLIENT" => self.client_command(client, to, argv, cx),
            "SENTINEL" => data::unknown_command(argv),
            "CLUSTER" | "READONLY" | "READWRITE" | "ASKING" => {
                self.cluster_command(client, argv, cx)
            }
            "MIGRATE" => return self.migrate(to, argv, cx),
            "RESTORE-ASKING" => self.restore_asking(argv, cx),
            // The lab models database 0 only (docs/simplifications.md).
            "SELECT" => match data::parse_i64(&argv[1]) {
                Some(0) => Reply::ok(),
                Some(i) if (0..16).contains(&i) => Reply::err("ERR the lab models database 0 only"),
                _ => {
                    let env = self.env(cx);
                    data::exec_data(&mut self.db, &env, argv, fx, &mut self.data_stats)
                }
            },
            "PSYNC" | "SYNC" => Reply::err("ERR PSYNC and SYNC are how replicas connect; the lab does not accept them from a console"),
            _ => {
                let env = self.env(cx);
                data::exec_data(&mut self.db, &env, argv, fx, &mut self.data_stats)
            }
        };
        if matches!(r, Reply::Error(_)) {
            self.stats.total_error_replies += 1;
        }
        Some(r)
    }

    /// The environment a client command runs in on this node, now.
    pub(super) fn env(&self, cx: &mut Cx) -> ExecEnv {
        ExecEnv {
            now_ms: cx.clock_ms,
            role: if self.is_master() {
                Role::Master
            } else {
                Role::Replica {
                    read_only: self.conf.replica_read_only,
                }
            },
            from_master: false,
            profile: self.profile,
            loading: false,
            rand: cx.rand_u64(),
        }
    }
}
