//! What a Sentinel knows about one instance (`sentinelRedisInstance`): a
//! monitored master, one of its replicas, or another Sentinel, and the
//! links to it (a command link, plus a Pub/Sub link to masters and replicas).

use std::collections::VecDeque;

use crate::net::ConnId;

/// What a reply on the command link answers, in send order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    Ping,
    Info,
    Publish,
    /// `SENTINEL is-master-down-by-addr` sent to another Sentinel.
    IsMasterDown,
    /// A reply Sentinel ignores (the MULTI ... EXEC of a SLAVEOF).
    Discard,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub cmd: Option<ConnId>,
    pub cmd_up: bool,
    pub pubsub: Option<ConnId>,
    pub pubsub_up: bool,
    pub pending: VecDeque<Pending>,
    /// Own clock (ms) when the oldest unanswered PING was sent (0: none).
    pub act_ping_time: i64,
    pub last_ping_time: i64,
    pub last_pong_time: i64,
    /// Last valid PING reply (PONG, LOADING, MASTERDOWN).
    pub last_avail_time: i64,
    /// When the command link was established.
    pub cc_conn_time: i64,
    pub last_reconn_time: i64,
}

impl Link {
    pub fn new(now: i64) -> Link {
        Link {
            last_avail_time: now,
            last_pong_time: now,
            ..Link::default()
        }
    }
    pub fn disconnected(&self) -> bool {
        !self.cmd_up
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Master,
    Replica,
    Sentinel,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instance {
    pub kind: Kind,
    pub host: String,
    pub port: u16,
    pub run_id: Option<String>,
    pub link: Link,
    pub sdown: bool,
    pub s_down_since: i64,
    /// Own clock (ms) of the last INFO reply (0: never).
    pub info_refresh: i64,
    pub last_pub_time: i64,
    /// Role from the last INFO, and since when it has been reported.
    pub role_is_master: bool,
    pub role_reported_time: i64,
    /// When a replica's reported master last changed (`slave_conf_change_time`).
    pub slave_conf_change_time: i64,
    // Replica fields, from its INFO.
    pub master_host: String,
    pub master_port: u16,
    pub master_link_up: bool,
    pub master_link_down_ms: i64,
    pub priority: u64,
    pub repl_offset: u64,
    pub announced: bool,
    pub promoted: bool,
    pub reconf: Reconf,
    pub reconf_sent_time: i64,
    // Sentinel fields: its answer to is-master-down-by-addr.
    pub master_down: bool,
    pub last_master_down_reply: i64,
    pub leader: Option<String>,
    pub leader_epoch: u64,
}

/// Replica reconfiguration during a failover (`SRI_RECONF_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reconf {
    #[default]
    None,
    Sent,
    InProgress,
    Done,
}

impl Instance {
    pub fn new(kind: Kind, host: &str, port: u16, now: i64) -> Instance {
        Instance {
            kind,
            host: host.to_string(),
            port,
            link: Link::new(now),
            priority: 100,
            announced: true,
            role_is_master: kind == Kind::Master,
            role_reported_time: now,
            ..Instance::default()
        }
    }
    pub fn addr(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Master => "master",
            Kind::Replica => "slave",
            Kind::Sentinel => "sentinel",
        }
    }
    /// Sentinel's instance name: the master's name, `ip:port` for a replica, the run id for a Sentinel.
    pub fn name(&self, master_name: &str) -> String {
        match self.kind {
            Kind::Master => master_name.to_string(),
            Kind::Replica => self.addr(),
            Kind::Sentinel => self.run_id.clone().unwrap_or_else(|| self.addr()),
        }
    }
}
