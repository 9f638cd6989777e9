//! The commands a server runs on its own state rather than the keyspace:
//! ROLE, REPLICAOF, WAIT, CONFIG, DEBUG and REPLCONF (dispatched from
//! `commands.rs`).

use crate::cluster::ClusterSpec;
use crate::data::{self, Argv, Reply};
use crate::node::{Cx, Timer};
use crate::trace::TraceKind;

use super::commands::{arg_str, upper};
use super::{Client, MasterLink, RedisConf, RedisNode, RedisTimer, ReplyTo};

impl RedisNode {
    pub(super) fn role_reply(&self) -> Reply {
        let bulk = |s: String| Reply::Bulk(s.into_bytes());
        match &self.master {
            None => {
                let replicas = self
                    .replicas
                    .values()
                    .filter(|r| r.is_online())
                    .map(|r| {
                        Reply::Array(vec![
                            bulk(r.ip.clone()),
                            bulk(r.listening_port.to_string()),
                            bulk(r.ack_offset.to_string()),
                        ])
                    })
                    .collect();
                Reply::Array(vec![
                    bulk("master".into()),
                    Reply::Int(self.ids.master_repl_offset as i64),
                    Reply::Array(replicas),
                ])
            }
            Some(m) => {
                let off = if m.is_connected() {
                    self.ids.master_repl_offset as i64
                } else {
                    -1
                };
                Reply::Array(vec![
                    bulk("slave".into()),
                    bulk(m.host.clone()),
                    Reply::Int(m.port as i64),
                    bulk(m.role_state().into()),
                    Reply::Int(off),
                ])
            }
        }
    }

    /// REPLICAOF host port | NO ONE (`replicaofCommand`).
    pub(super) fn replicaof(&mut self, argv: &Argv, cx: &mut Cx) -> Reply {
        // In a cluster, replication follows CLUSTER REPLICATE and failovers
        // (both spellings get this text in 7.0).
        if self.cluster.is_some() {
            return Reply::err("ERR REPLICAOF not allowed in cluster mode.");
        }
        let (a1, a2) = (upper(&argv[1]), upper(&argv[2]));
        if a1 == "NO" && a2 == "ONE" {
            if self.master.is_some() {
                self.unset_master(cx);
                cx.log("MASTER MODE enabled (user request from 'id=? addr=? laddr=? fd=? name= age=0 idle=0 flags=N')");
            }
            return Reply::ok();
        }
        let host = arg_str(argv, 1);
        let Some(port) = arg_str(argv, 2)
            .parse::<i64>()
            .ok()
            .filter(|p| (0..=65535).contains(p))
        else {
            return Reply::err("ERR Invalid master port");
        };
        let port = port as u16;
        if self
            .master
            .as_ref()
            .is_some_and(|m| m.host == host && m.port == port)
        {
            cx.log("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.");
            return Reply::Status("OK Already connected to specified master".into());
        }
        self.set_master(host.clone(), port, cx);
        cx.log(format!("REPLICAOF {host}:{port} enabled (user request from 'id=? addr=? laddr=? fd=? name= age=0 idle=0 flags=N')"));
        Reply::ok()
    }

    /// `replicationSetMaster`.
    pub(crate) fn set_master(&mut self, host: String, port: u16, cx: &mut Cx) {
        let was_master = self.master.is_none();
        if let Some(conn) = self.master.as_ref().and_then(|m| m.conn) {
            let connected = self.master.as_ref().is_some_and(|m| m.is_connected());
            cx.close(conn, "switching master");
            if connected {
                self.cached_master = Some((self.ids.replid.clone(), self.ids.master_repl_offset));
            }
        }
        if was_master {
            // `replicationCacheMasterUsingMyself`: resume from our own history.
            self.cached_master = if self.profile.psync2() {
                Some((self.ids.replid.clone(), self.ids.master_repl_offset))
            } else {
                None
            };
            self.bgsave = None;
            cx.trace(TraceKind::Role {
                role: "slave".into(),
            });
        }
        self.waits.clear();
        self.master = Some(MasterLink::new(host, port, cx.clock_ms));
        self.connect_to_master(cx);
    }

    /// `replicationUnsetMaster`: promotion.
    pub(crate) fn unset_master(&mut self, cx: &mut Cx) {
        let Some(m) = self.master.take() else { return };
        if let Some(conn) = m.conn {
            cx.close(conn, "promoted to master");
        }
        self.cached_master = None;
        if self.profile.psync2() {
            // `shiftReplicationId`.
            self.ids.shift(cx.hex40());
            cx.log(format!(
                "Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
                self.ids.replid2, self.ids.second_repl_offset, self.ids.replid
            ));
        } else {
            self.ids.new_history(self.run_id.clone());
        }
        // Sub-replicas reconnect and learn the new ID (partially, through replid2).
        self.disconnect_replicas("replication ID changed", cx);
        self.slaveseldb = -1;
        if self.backlog.is_none() {
            self.create_backlog();
        }
        self.no_replicas_since_s = Some(cx.clock_ms.div_euclid(1000));
        cx.trace(TraceKind::Role {
            role: "master".into(),
        });
    }

    pub(super) fn wait(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        in_exec: bool,
        cx: &mut Cx,
    ) -> Option<Reply> {
        if !self.is_master() {
            return Some(Reply::err("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated."));
        }
        let num = data::parse_i64(&argv[1]);
        let timeout = data::parse_i64(&argv[2]);
        let (Some(num), Some(timeout)) = (num, timeout) else {
            return Some(Reply::err(data::NOT_INT));
        };
        if timeout < 0 {
            return Some(Reply::err("ERR timeout is negative"));
        }
        self.wait_command(
            to,
            client.woff,
            num.max(0) as u64,
            timeout as u64,
            in_exec,
            cx,
        )
    }

    pub(super) fn config(&mut self, argv: &Argv, cx: &mut Cx) -> Reply {
        let sub = upper(&argv[1]);
        match sub.as_str() {
            "GET" if argv.len() >= 3 => Reply::Array(
                self.config_get(&argv[2..])
                    .into_iter()
                    .flat_map(|(k, v)| [Reply::Bulk(k.into_bytes()), Reply::Bulk(v.into_bytes())])
                    .collect(),
            ),
            // `c->argc & 1` is checked before anything else (config.c).
            "SET" if argv.len() >= 4 && argv.len() % 2 == 1 => Reply::err("ERR syntax error"),
            "SET" if argv.len() >= 4 => match self.config_set(&argv[2..]) {
                Ok(()) => {
                    let oldest = self
                        .replicas
                        .values()
                        .filter_map(|r| r.buffer_ref_offset())
                        .min();
                    let size = self.conf.repl_backlog_size;
                    if let Some(b) = self.backlog.as_mut() {
                        b.set_size(size, oldest);
                    }
                    self.refresh_good_replicas(cx);
                    Reply::ok()
                }
                Err(e) => Reply::err(&format!("ERR {e}")),
            },
            "RESETSTAT" if argv.len() == 2 => {
                self.stats = Default::default();
                self.data_stats = Default::default();
                Reply::ok()
            }
            "REWRITE" if argv.len() == 2 => {
                let mut spec = self.spec.clone();
                spec.conf = self.conf.clone();
                spec.replicaof = self.master.as_ref().map(|m| (m.host.clone(), m.port));
                self.spec = spec.clone();
                cx.rewrite(crate::node::NodeSpec::Redis(spec));
                cx.log("CONFIG REWRITE executed with success.");
                Reply::ok()
            }
            "GET" | "SET" | "RESETSTAT" | "REWRITE" => Reply::err(&format!(
                "ERR wrong number of arguments for 'config|{}' command",
                sub.to_ascii_lowercase()
            )),
            _ => Reply::err(&format!(
                "ERR unknown subcommand '{}'. Try CONFIG HELP.",
                arg_str(argv, 1)
            )),
        }
    }

    pub(super) fn debug(&mut self, to: &ReplyTo, argv: &Argv, cx: &mut Cx) -> Option<Reply> {
        let sub = upper(&argv[1]);
        Some(match (sub.as_str(), argv.len()) {
            ("SLEEP", 3) => {
                let secs = arg_str(argv, 2).parse::<f64>().unwrap_or(0.0);
                let ms = (secs.max(0.0) * 1000.0).min(1e12) as u64;
                cx.trace(TraceKind::Fault {
                    text: format!("DEBUG SLEEP {secs}: the process stalls {ms} ms"),
                });
                cx.busy(ms);
                cx.timer(ms, Timer::Redis(RedisTimer::SleepDone { to: to.clone() }));
                return None;
            }
            ("SET-ACTIVE-EXPIRE", 3) => {
                self.active_expire_enabled = arg_str(argv, 2) != "0";
                Reply::ok()
            }
            ("POPULATE", 3..=5) => {
                let Some(count) = data::parse_i64(&argv[2]).filter(|c| *c >= 0) else {
                    return Some(Reply::err(data::NOT_INT));
                };
                let prefix = if argv.len() >= 4 {
                    arg_str(argv, 3)
                } else {
                    "key".into()
                };
                let size = if argv.len() == 5 {
                    data::parse_i64(&argv[4]).unwrap_or(0).max(0) as usize
                } else {
                    0
                };
                self.db.populate(count as u64, &prefix, size);
                Reply::ok()
            }
            _ => Reply::err(&format!(
                "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
                arg_str(argv, 1)
            )),
        })
    }

    /// REPLCONF from a client that is about to become a replica.
    pub(super) fn replconf(
        &mut self,
        _to: &ReplyTo,
        client: &mut Client,
        argv: &Argv,
    ) -> Option<Reply> {
        if argv.len().is_multiple_of(2) {
            return Some(Reply::err(data::SYNTAX));
        }
        let mut i = 1;
        while i + 1 < argv.len() {
            match upper(&argv[i]).as_str() {
                "LISTENING-PORT" => match data::parse_i64(&argv[i + 1]) {
                    Some(p) if (0..=65535).contains(&p) => client.listening_port = Some(p as u16),
                    _ => return Some(Reply::err(data::NOT_INT)),
                },
                "IP-ADDRESS" | "CAPA" | "RDB-ONLY" | "RDB-FILTER-ONLY" => {}
                // ACK/GETACK from a non-replica are ignored without a reply.
                "ACK" | "GETACK" => return None,
                _ => {
                    return Some(Reply::err(&format!(
                        "ERR Unrecognized REPLCONF option: {}",
                        arg_str(argv, i)
                    )))
                }
            }
            i += 2;
        }
        Some(Reply::ok())
    }
}

impl RedisNode {
    /// CONFIG GET (`configGetCommand`): a name without glob characters is
    /// looked up and answered under the name as typed (once, whatever its
    /// case: the answer is a case-insensitive dict); a pattern matches
    /// every entry of the table, aliases included. Redis answers in the
    /// order of a hash table seeded at start-up, so no order is Redis's;
    /// the lab answers in its table order.
    fn config_get(&self, patterns: &[Vec<u8>]) -> Vec<(String, String)> {
        let table = self.config_table();
        let mut out: Vec<(String, String)> = Vec::new();
        for pat in patterns {
            let text = String::from_utf8_lossy(pat).into_owned();
            if !pat.iter().any(|c| b"[*?".contains(c)) {
                let hit = table.iter().find(|(n, _)| n.eq_ignore_ascii_case(&text));
                if let (Some((_, v)), false) =
                    (hit, out.iter().any(|(k, _)| k.eq_ignore_ascii_case(&text)))
                {
                    out.push((text, v.clone()));
                }
                continue;
            }
            for (name, v) in &table {
                if !out.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
                    && crate::data::glob_match(pat, name.as_bytes(), true)
                {
                    out.push((name.to_string(), v.clone()));
                }
            }
        }
        out
    }

    /// CONFIG SET of name/value pairs (`configSetCommand`): the first
    /// unknown, immutable or repeated entry fails the whole command; then
    /// the values are set in order, and the first one refused restores
    /// them all. The error is Redis's text after `ERR `.
    fn config_set(&mut self, pairs: &[Vec<u8>]) -> Result<(), String> {
        let text = |b: &Vec<u8>| String::from_utf8_lossy(b).into_owned();
        let mut entries: Vec<&'static str> = Vec::new();
        for pair in pairs.chunks(2) {
            let name = text(&pair[0]);
            let entry =
                RedisConf::entry_name(&name).or_else(|| crate::cluster::config_entry(&name));
            let Some(entry) = entry else {
                return Err(format!(
                    "Unknown option or number of arguments for CONFIG SET - '{name}'"
                ));
            };
            let why = if crate::cluster::config_immutable(entry) {
                "can't set immutable config"
            } else if entries.contains(&entry) {
                "duplicate parameter"
            } else {
                entries.push(entry);
                continue;
            };
            return Err(format!(
                "CONFIG SET failed (possibly related to argument '{name}') - {why}"
            ));
        }
        let mut next = self.conf.clone();
        let mut next_cluster = self.cluster_spec().into_owned();
        for pair in pairs.chunks(2) {
            let (k, v) = (text(&pair[0]), text(&pair[1]));
            crate::cluster::config_set(&mut next_cluster, &k, &v)
                .unwrap_or_else(|| next.config_set(&k, &v))?;
        }
        self.conf = next;
        match self.cluster.as_deref_mut() {
            Some(st) => st.spec = next_cluster,
            None if next_cluster == ClusterSpec::plain() => self.plain_cluster_conf = None,
            None => self.plain_cluster_conf = Some(Box::new(next_cluster)),
        }
        Ok(())
    }

    /// The cluster parameters: the cluster's, or what CONFIG SET kept on a
    /// server not in cluster mode.
    pub(super) fn cluster_spec(&self) -> std::borrow::Cow<'_, ClusterSpec> {
        match (&self.cluster, &self.plain_cluster_conf) {
            (Some(st), _) => std::borrow::Cow::Borrowed(&st.spec),
            (None, Some(spec)) => std::borrow::Cow::Borrowed(spec),
            (None, None) => std::borrow::Cow::Owned(ClusterSpec::plain()),
        }
    }
}
