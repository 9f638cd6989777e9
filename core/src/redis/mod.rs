//! A simulated Redis server: keyspace, commands, and both sides of replication.
//!
//! The node is an events-in / commands-out state machine (see `sim`). It
//! mirrors the structure of Redis itself: `serverCron` runs `hz` times a
//! second and calls `replicationCron` once a second (`cron.rs`); commands go
//! through `processCommand`'s checks (`commands.rs`); the master side of
//! replication (`master.rs`: PSYNC, full sync, the stream, the backlog) and
//! the replica side (`replica.rs`: the handshake state machine, loading,
//! applying the stream) are kept apart, as in `replication.c`.

mod admin;
mod backlog;
mod commands;
pub mod conf;
mod cron;
mod fullsync;
mod ids;
mod info;
mod master;
mod psync;
mod pubsub;
mod replica;
mod scripting;
mod watch;

use crate::vecmap::{VecMap, VecSet};
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

pub use backlog::Backlog;
pub use conf::RedisConf;
pub use ids::ReplIds;
pub use master::{ReplicaLink, ReplicaState};
pub use psync::{psync_decision, FullResyncReason, PsyncDecision};
pub use replica::{LinkState, MasterLink};
pub(crate) use watch::is_flush;

use crate::data::{Argv, DataStats, Db};
use crate::msg::{Msg, ReplCmd};
use crate::net::{ConnId, NodeId};
use crate::node::{Cx, Input, Timer};
use crate::profile::Profile;

/// What a Redis process starts from: its redis.conf, in effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedisSpec {
    pub profile: Profile,
    pub conf: RedisConf,
    /// `replicaof <host> <port>` in the config file.
    pub replicaof: Option<(String, u16)>,
    /// How fast the fork child writes an RDB (bytes per simulated ms).
    pub rdb_save_bytes_per_ms: u64,
    /// How fast a replica loads an RDB (bytes per simulated ms).
    pub rdb_load_bytes_per_ms: u64,
    /// `cluster-enabled yes` and the cluster's topology (cluster/).
    pub cluster: Option<crate::cluster::ClusterSpec>,
}

impl Default for RedisSpec {
    fn default() -> Self {
        RedisSpec::new(Profile::V7_0)
    }
}

impl RedisSpec {
    pub fn new(profile: Profile) -> RedisSpec {
        RedisSpec {
            profile,
            conf: RedisConf::for_profile(profile),
            replicaof: None,
            rdb_save_bytes_per_ms: 200_000,
            rdb_load_bytes_per_ms: 300_000,
            cluster: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedisTimer {
    /// `serverCron`, every 1000/hz ms.
    Cron,
    /// A diskless child's stream to a replica starts leaving the host.
    DisklessSend { conn: ConnId, gen: u64 },
    /// The RDB file has been written to a replica's socket.
    BulkSent { conn: ConnId, gen: u64 },
    /// A blocked WAIT times out.
    WaitTimeout { id: u64 },
    /// DEBUG SLEEP finished: send the deferred reply.
    SleepDone { to: ReplyTo },
}

/// Where a command's reply goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyTo {
    Conn(ConnId),
    Console(u64),
}

/// Counters of INFO stats that replication owns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplStats {
    pub sync_full: u64,
    pub sync_partial_ok: u64,
    pub sync_partial_err: u64,
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub rejected_calls: u64,
    pub total_error_replies: u64,
}

/// What a server in protected mode tells a client from another host before closing.
pub const DENIED: &str = "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";

pub const NULL_REPLID: &str = "0000000000000000000000000000000000000000";

/// A connected client (not a replica), and its transaction state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub id: u64,
    pub peer: Option<NodeId>,
    pub multi: Option<Vec<Argv>>,
    /// A command was rejected while queuing: EXEC will answer EXECABORT.
    pub multi_dirty: bool,
    /// Replication offset after this client's last propagated write (WAIT).
    pub woff: u64,
    /// Set by REPLCONF listening-port before the client turns into a replica.
    pub listening_port: Option<u16>,
    pub name: String,
    /// Pub/Sub subscriptions (channels and patterns).
    pub channels: VecSet<Vec<u8>>,
    pub patterns: VecSet<Vec<u8>>,
    /// WATCHed keys (`watch.rs`).
    pub watch: watch::Watched,
    /// READONLY / ASKING (cluster/route.rs).
    pub cluster_flags: u8,
}

/// A WAIT that is blocked until enough replicas acknowledge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedWait {
    pub id: u64,
    pub to: ReplyTo,
    pub numreplicas: u64,
    pub offset: u64,
}

/// A fork child producing an RDB for replication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bgsave {
    pub gen: u64,
    pub diskless: bool,
    pub payload: Rc<crate::msg::RdbPayload>,
    pub fork_offset: u64,
    /// Simulated time when the child exits (reaped by the next serverCron).
    pub done_at_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisNode {
    pub spec: RedisSpec,
    pub conf: RedisConf,
    pub profile: Profile,
    pub run_id: String,
    pub host: String,
    pub port: u16,
    pub db: Db,
    pub data_stats: DataStats,
    pub stats: ReplStats,
    pub ids: ReplIds,
    pub backlog: Option<Backlog>,
    /// Master side: attached replicas by connection.
    pub replicas: VecMap<ConnId, ReplicaLink>,
    pub clients: VecMap<ConnId, Client>,
    pub console: Client,
    /// Replica side: the link to our master, when we are a replica.
    pub master: Option<MasterLink>,
    /// PSYNC2 history to resume from after the link drops: (replid, offset).
    pub cached_master: Option<(String, u64)>,
    /// The db the stream last selected (-1: the next write starts with SELECT).
    pub slaveseldb: i32,
    pub active_expire_enabled: bool,
    pub good_replicas: u64,
    pub bgsave: Option<Bgsave>,
    pub waits: Vec<BlockedWait>,
    /// Unix seconds (own clock) since when the master has had no replicas.
    pub no_replicas_since_s: Option<i64>,
    pub started_clock_ms: i64,
    next_client_id: u64,
    next_gen: u64,
    cron_loops: u64,
    /// A GETACK is owed to the replicas before this event ends (WAIT).
    getack_pending: bool,
    /// The console ticket that receives Pub/Sub messages (0: none).
    pub console_push_ticket: u64,
    /// The script cache (`EVAL`, `SCRIPT LOAD`): sha1 → body.
    pub scripts: BTreeMap<String, Vec<u8>>,
    /// Cluster mode: this server's view of the cluster (cluster/).
    pub cluster: Option<Box<crate::cluster::ClusterState>>,
    /// Not in cluster mode: the cluster parameters CONFIG SET changed
    /// (Redis keeps them; nothing here uses them). None: the defaults.
    pub plain_cluster_conf: Option<Box<crate::cluster::ClusterSpec>>,
}

impl RedisNode {
    pub fn new(spec: RedisSpec, run_id: String, host: &str, port: u16) -> RedisNode {
        let profile = spec.profile;
        // PSYNC1 (3.0) resumes by run id; PSYNC2 gets a random replid in `start`.
        let replid = run_id.clone();
        RedisNode {
            conf: spec.conf.clone(),
            profile,
            ids: ReplIds::new(replid),
            run_id,
            host: host.to_string(),
            port,
            db: Db::default(),
            data_stats: DataStats::default(),
            stats: ReplStats::default(),
            backlog: None,
            replicas: VecMap::new(),
            clients: VecMap::new(),
            console: Client {
                id: 1,
                ..Client::default()
            },
            master: None,
            cached_master: None,
            slaveseldb: -1,
            active_expire_enabled: true,
            good_replicas: 0,
            bgsave: None,
            waits: Vec::new(),
            no_replicas_since_s: None,
            started_clock_ms: 0,
            next_client_id: 2,
            next_gen: 1,
            cron_loops: 0,
            getack_pending: false,
            console_push_ticket: 0,
            scripts: BTreeMap::new(),
            cluster: spec
                .cluster
                .as_ref()
                .map(|c| Box::new(crate::cluster::ClusterState::new(c))),
            plain_cluster_conf: None,
            spec,
        }
    }

    pub fn is_master(&self) -> bool {
        self.master.is_none()
    }

    pub fn handle(&mut self, input: Input, cx: &mut Cx) {
        match input {
            Input::Start { cron_phase_ms } => self.start(cron_phase_ms, cx),
            Input::Accepted { conn, peer } => {
                self.stats.total_connections_received += 1;
                let local = cx.addr_of(peer).is_some_and(|a| a.0 == self.host);
                if self.conf.protected_mode && !local {
                    cx.send(conn, Msg::Reply(Rc::new(crate::data::Reply::err(DENIED))));
                    cx.close(conn, "protected mode");
                    return;
                }
                let id = self.next_client_id;
                self.next_client_id += 1;
                self.clients.insert(
                    conn,
                    Client {
                        id,
                        peer: Some(peer),
                        ..Client::default()
                    },
                );
            }
            Input::Connected { conn } if self.bus_conn_event(conn, true, cx) => {}
            Input::ConnFailed { conn } | Input::Closed { conn }
                if self.bus_conn_event(conn, false, cx) => {}
            Input::Connected { conn } => self.replica_on_connected(conn, cx),
            Input::ConnFailed { conn } => self.replica_on_conn_failed(conn, cx),
            Input::Closed { conn } => self.on_closed(conn, cx),
            Input::Msg { conn, msg } => self.on_msg(conn, msg, cx),
            Input::Timer(Timer::Redis(t)) => self.on_timer(t, cx),
            Input::Timer(_) => {}
            Input::Console { ticket, line } => self.on_console(ticket, &line, cx),
        }
        if self.getack_pending {
            self.getack_pending = false;
            self.feed_stream(
                vec![vec![
                    b"REPLCONF".to_vec(),
                    b"GETACK".to_vec(),
                    b"*".to_vec(),
                ]],
                false,
                cx,
            );
        }
    }

    fn start(&mut self, cron_phase_ms: u64, cx: &mut Cx) {
        self.started_clock_ms = cx.clock_ms;
        if self.profile.psync2() {
            self.ids.new_history(cx.hex40());
        }
        cx.log(format!(
            "Redis version={}, bits=64, pid=1, just started",
            self.profile.redis_version()
        ));
        if let Some((host, port)) = self.spec.replicaof.clone() {
            self.master = Some(MasterLink::new(host, port, cx.clock_ms));
            cx.trace(crate::trace::TraceKind::Role {
                role: "slave".into(),
            });
        } else {
            cx.trace(crate::trace::TraceKind::Role {
                role: "master".into(),
            });
        }
        cx.timer(cron_phase_ms + 1, Timer::Redis(RedisTimer::Cron));
        self.cluster_start(cx);
    }

    fn on_timer(&mut self, t: RedisTimer, cx: &mut Cx) {
        match t {
            RedisTimer::Cron => self.server_cron(cx),
            RedisTimer::BulkSent { conn, gen } => self.bulk_sent(conn, gen, cx),
            RedisTimer::DisklessSend { conn, gen } => self.diskless_send(conn, gen, cx),
            RedisTimer::WaitTimeout { id } => self.wait_timeout(id, cx),
            RedisTimer::SleepDone { to } => self.reply(&to, crate::data::Reply::ok(), cx),
        }
    }

    fn on_closed(&mut self, conn: ConnId, cx: &mut Cx) {
        if self.clients.remove(&conn).is_some() {
            return;
        }
        if self.replicas.contains_key(&conn) {
            self.drop_replica(conn, "connection closed by replica", cx);
            return;
        }
        if self.master.as_ref().is_some_and(|m| m.conn == Some(conn)) {
            self.master_link_lost("Connection with master lost.", cx);
        }
    }

    fn on_msg(&mut self, conn: ConnId, msg: Msg, cx: &mut Cx) {
        if self.master.as_ref().is_some_and(|m| m.conn == Some(conn)) {
            self.replica_on_master_msg(msg, cx);
            return;
        }
        if let Msg::Bus(b) = &msg {
            return self.bus_on_msg(conn, b, cx);
        }
        if let Msg::Reply(r) = &msg {
            if self.migrate_event(conn, None, Some(r), cx) {
                return;
            }
        }
        let Msg::Cmd(argv) = msg else { return };
        if self.replicas.contains_key(&conn) {
            self.master_on_replica_cmd(conn, &argv, cx);
            return;
        }
        if self.clients.contains_key(&conn) {
            let to = ReplyTo::Conn(conn);
            if let Some(reply) = self.process_command(&to, &argv, cx) {
                self.reply(&to, reply, cx);
            }
        }
    }

    /// Sends a reply to a connection or to the console.
    pub(crate) fn reply(&mut self, to: &ReplyTo, reply: crate::data::Reply, cx: &mut Cx) {
        match to {
            ReplyTo::Conn(conn) => cx.send(*conn, Msg::Reply(Rc::new(reply))),
            ReplyTo::Console(ticket) => cx.console_reply(*ticket, reply.format_cli()),
        }
    }

    fn new_gen(&mut self) -> u64 {
        self.next_gen += 1;
        self.next_gen
    }

    /// The lowest stream offset a replica's output buffer still references
    /// (the 7.0 shared buffer keeps the backlog's blocks alive for it).
    fn oldest_replica_ref(&self) -> Option<u64> {
        self.replicas
            .values()
            .filter_map(|r| r.buffer_ref_offset())
            .min()
    }

    /// Appends to our backlog and forwards to our replicas: what both a master
    /// feeding its own writes and a replica proxying its master's stream do.
    fn push_stream(&mut self, cmd: Rc<ReplCmd>, cx: &mut Cx) {
        self.ids.advance(cmd.bytes);
        let oldest = if self.profile == Profile::V7_0 {
            self.oldest_replica_ref()
        } else {
            None
        };
        if let Some(b) = self.backlog.as_mut() {
            b.append(cmd.clone(), oldest);
            // The backlog ends where the stream ends.
            debug_assert_eq!(b.last_offset(), self.ids.master_repl_offset);
        }
        self.forward_to_replicas(&cmd, cx);
    }
}
