//! `getNodeByQuery` and `clusterRedirectClient`: which node serves a
//! command, and the error a client gets when it is not this one.

use crate::data::{self, Argv, CommandSpec, Reply};
use crate::node::Cx;
use crate::redis::{Client, RedisNode};

use super::{key_slot, ClusterState};

/// `CLIENT_READONLY` and `CLIENT_ASKING` in `Client::cluster_flags`.
pub const READONLY: u8 = 1;
pub const ASKING: u8 = 2;

/// Why a node does not serve a command (`CLUSTER_REDIR_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redirect {
    Moved(u16, usize),
    Ask(u16, usize),
    CrossSlot,
    Unstable,
    DownUnbound,
    DownState,
    DownRoState,
}

impl Redirect {
    /// `clusterRedirectClient`'s error text.
    pub fn reply(self, st: &ClusterState) -> Reply {
        let addr = |n: usize| format!("{}:{}", st.nodes[n].host, st.nodes[n].port);
        Reply::Error(match self {
            Redirect::Moved(s, n) => format!("MOVED {s} {}", addr(n)),
            Redirect::Ask(s, n) => format!("ASK {s} {}", addr(n)),
            Redirect::CrossSlot => "CROSSSLOT Keys in request don't hash to the same slot".into(),
            Redirect::Unstable => "TRYAGAIN Multiple keys request during rehashing of slot".into(),
            Redirect::DownUnbound => "CLUSTERDOWN Hash slot not served".into(),
            Redirect::DownState => "CLUSTERDOWN The cluster is down".into(),
            Redirect::DownRoState => {
                "CLUSTERDOWN The cluster is down and only accepts read commands".into()
            }
        })
    }
}

/// The command(s) a query covers: one, or a transaction's queue at EXEC.
pub struct Query<'a> {
    pub cmds: Vec<(&'static CommandSpec, &'a Argv)>,
    pub is_write: bool,
    pub is_migrate: bool,
    /// The command has CMD_ASKING (RESTORE-ASKING).
    pub asking_cmd: bool,
    pub flags: u8,
}

/// `getNodeByQuery`: Ok(()) when this node serves the query.
pub fn node_by_query(
    st: &ClusterState,
    has_key: &dyn Fn(&[u8]) -> bool,
    q: &Query,
) -> Result<(), Redirect> {
    let mut first: Option<(&[u8], u16, usize)> = None;
    let (mut multiple, mut migrating, mut importing) = (false, false, false);
    let (mut missing, mut existing) = (0, 0);
    for (spec, argv) in &q.cmds {
        let positions = match spec.name {
            "migrate" => super::migrate::migrate_keys(argv),
            _ => spec.key_positions(argv.len()),
        };
        for pos in positions {
            let key = argv[pos].as_slice();
            let slot = key_slot(key);
            match first {
                None => {
                    let Some(n) = st.owner(slot) else {
                        return Err(Redirect::DownUnbound);
                    };
                    first = Some((key, slot, n));
                    if n == st.myself && st.migrating.iter().any(|m| m.0 == slot) {
                        migrating = true;
                    } else if st.importing.iter().any(|m| m.0 == slot) {
                        importing = true;
                    }
                }
                Some((k, s, _)) if k != key => {
                    if s != slot {
                        return Err(Redirect::CrossSlot);
                    }
                    multiple = true;
                }
                Some(_) => {}
            }
            if migrating || importing {
                if has_key(key) {
                    existing += 1;
                } else {
                    missing += 1;
                }
            }
        }
    }
    let Some((_, slot, n)) = first else {
        return Ok(());
    };
    if !st.ok {
        if !st.spec.allow_reads_when_down {
            return Err(Redirect::DownState);
        }
        if q.is_write {
            return Err(Redirect::DownRoState);
        }
    }
    if (migrating || importing) && q.is_migrate {
        return Ok(());
    }
    // 7.0: some keys here and some gone is TRYAGAIN, all gone is ASK.
    if migrating && missing > 0 && existing > 0 {
        return Err(Redirect::Unstable);
    }
    if migrating && missing > 0 {
        let to = st.migrating.iter().find(|m| m.0 == slot).map_or(n, |m| m.1);
        return Err(Redirect::Ask(slot, to));
    }
    if importing && (q.flags & ASKING != 0 || q.asking_cmd) {
        return if multiple && missing > 0 {
            Err(Redirect::Unstable)
        } else {
            Ok(())
        };
    }
    if q.flags & READONLY != 0 && !q.is_write && st.me().master == Some(n) {
        return Ok(());
    }
    if n == st.myself {
        Ok(())
    } else {
        Err(Redirect::Moved(slot, n))
    }
}

/// `resetClient`: ASKING lasts for one command (or one transaction).
pub fn after_command(client: &mut Client, argv: &Argv) {
    if client.multi.is_none() && !argv[0].eq_ignore_ascii_case(b"ASKING") {
        client.cluster_flags &= !ASKING;
    }
}

impl RedisNode {
    /// processCommand's cluster check: the redirection error, if any (the
    /// command is then rejected and an open transaction flagged or discarded).
    pub(crate) fn cluster_redirect(
        &mut self,
        client: &mut Client,
        spec: &'static CommandSpec,
        argv: &Argv,
        cx: &mut Cx,
    ) -> Option<Reply> {
        self.cluster.as_deref_mut()?.count_op(cx.now_ms);
        let st = self.cluster.as_deref()?;
        let is_exec = spec.name == "exec";
        if spec.first_key <= 0 && !is_exec {
            return None;
        }
        let mut q = Query {
            cmds: Vec::new(),
            is_write: spec.is_write(),
            is_migrate: spec.name == "migrate",
            asking_cmd: spec.name == "restore-asking",
            flags: client.cluster_flags,
        };
        if is_exec {
            for c in client.multi.as_deref()? {
                if let Some(s) = data::lookup_argv(c) {
                    q.is_write |= s.is_write();
                    q.cmds.push((s, c));
                }
            }
        } else {
            q.cmds.push((spec, argv));
        }
        let now = cx.clock_ms;
        let db = &self.db;
        let has = |k: &[u8]| db.get_entry(k).is_some() && !db.is_logically_expired(k, now);
        let redirect = node_by_query(st, &has, &q).err()?;
        let reply = redirect.reply(st);
        if is_exec {
            client.multi = None;
            client.multi_dirty = false;
        } else if client.multi.is_some() {
            client.multi_dirty = true;
        }
        self.stats.rejected_calls += 1;
        Some(reply)
    }
}
