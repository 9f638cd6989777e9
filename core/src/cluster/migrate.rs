//! MIGRATE and RESTORE-ASKING, simplified: the source sends each key as
//! `RESTORE-ASKING key ttl value [REPLACE]` over a connection to the target
//! (the value travels as its raw bytes, not a DUMP payload), waits for every
//! reply, then deletes its copies (unless COPY) and answers OK.

use std::rc::Rc;

use crate::data::{self, Argv, Reply};
use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::Cx;
use crate::redis::{RedisNode, ReplyTo};

/// A MIGRATE waiting for its target's replies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    pub to: ReplyTo,
    pub conn: ConnId,
    pub up: bool,
    pub keys: Vec<Vec<u8>>,
    pub sends: Vec<Argv>,
    pub replies: usize,
    pub error: Option<String>,
    pub copy: bool,
    pub deadline_ms: u64,
}

/// Key positions of MIGRATE (`migrateGetKeys`): the key, or those after KEYS.
pub fn migrate_keys(argv: &Argv) -> Vec<usize> {
    match argv
        .iter()
        .skip(6)
        .position(|a| a.eq_ignore_ascii_case(b"KEYS"))
    {
        Some(p) => (7 + p..argv.len()).collect(),
        None => vec![3],
    }
}

impl RedisNode {
    /// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [KEYS key ...].
    pub(crate) fn migrate(&mut self, to: &ReplyTo, argv: &Argv, cx: &mut Cx) -> Option<Reply> {
        if self.cluster.is_none() {
            return Some(Reply::err(
                "ERR the lab models MIGRATE in cluster mode only",
            ));
        }
        let (mut copy, mut replace, mut keys_at) = (false, false, None);
        let mut i = 6;
        while i < argv.len() {
            match argv[i].to_ascii_uppercase().as_slice() {
                b"COPY" => copy = true,
                b"REPLACE" => replace = true,
                b"KEYS" => {
                    if !argv[3].is_empty() {
                        return Some(Reply::err("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"));
                    }
                    keys_at = Some(i + 1);
                    break;
                }
                _ => return Some(Reply::err(data::SYNTAX)),
            }
            i += 1;
        }
        let (Some(port), Some(timeout)) = (data::parse_i64(&argv[2]), data::parse_i64(&argv[5]))
        else {
            return Some(Reply::err(data::NOT_INT));
        };
        let now = cx.clock_ms;
        let candidates: Vec<Vec<u8>> = match keys_at {
            Some(k) => argv[k..].to_vec(),
            None => vec![argv[3].clone()],
        };
        let mut keys = Vec::new();
        let mut sends = Vec::new();
        for k in candidates {
            let Some(e) = self
                .db
                .get_entry(&k)
                .filter(|_| !self.db.is_logically_expired(&k, now))
            else {
                continue;
            };
            let ttl = e.expire_at_ms.map_or(0, |t| (t - now).max(1));
            let mut cmd = vec![
                b"RESTORE-ASKING".to_vec(),
                k.clone(),
                ttl.to_string().into_bytes(),
                e.value.to_vec(),
            ];
            if replace {
                cmd.push(b"REPLACE".to_vec());
            }
            sends.push(cmd);
            keys.push(k);
        }
        if keys.is_empty() {
            return Some(Reply::Status("NOKEY".into()));
        }
        let host = String::from_utf8_lossy(&argv[1]).to_string();
        let target = u16::try_from(port).ok().and_then(|p| cx.resolve(&host, p));
        let (Some(node), Some(st)) = (target, self.cluster.as_deref_mut()) else {
            return Some(Reply::err(
                "IOERR error or timeout connecting to the client",
            ));
        };
        let conn = cx.connect(node);
        let wait = if timeout <= 0 { 1000 } else { timeout as u64 };
        st.migration = Some(Migration {
            to: to.clone(),
            conn,
            up: false,
            keys,
            sends,
            replies: 0,
            error: None,
            copy,
            deadline_ms: cx.now_ms + wait,
        });
        None
    }

    /// Connection events and replies of a MIGRATE's connection; false if not ours.
    pub(crate) fn migrate_event(
        &mut self,
        conn: ConnId,
        up: Option<bool>,
        reply: Option<&Reply>,
        cx: &mut Cx,
    ) -> bool {
        let Some(st) = self.cluster.as_deref_mut() else {
            return false;
        };
        let Some(m) = st.migration.as_mut().filter(|m| m.conn == conn) else {
            return false;
        };
        match (up, reply) {
            (Some(true), _) => {
                m.up = true;
                for s in &m.sends {
                    cx.send(conn, Msg::Cmd(Rc::new(s.clone())));
                }
                return true;
            }
            (Some(false), _) => {
                let m = st.migration.take();
                if let Some(m) = m {
                    self.reply(
                        &m.to,
                        Reply::err("IOERR error or timeout reading to target instance"),
                        cx,
                    );
                }
                return true;
            }
            (None, Some(Reply::Error(e))) => {
                m.error.get_or_insert(e.clone());
                m.replies += 1;
            }
            _ => m.replies += 1,
        }
        if m.replies < m.sends.len() {
            return true;
        }
        let Some(m) = st.migration.take() else {
            return true;
        };
        cx.close(conn, "MIGRATE done");
        let reply = match m.error {
            Some(e) => Reply::err(&format!("ERR Target instance replied with error: {e}")),
            None => {
                if !m.copy {
                    let mut del = vec![b"DEL".to_vec()];
                    for k in &m.keys {
                        self.db.remove(k);
                        del.push(k.clone());
                    }
                    self.feed_stream(vec![del], true, cx);
                }
                Reply::ok()
            }
        };
        self.reply(&m.to, reply, cx);
        true
    }

    /// A MIGRATE past its timeout (checked by clusterCron).
    pub(crate) fn migrate_timeout(&mut self, cx: &mut Cx) {
        let Some(st) = self.cluster.as_deref_mut() else {
            return;
        };
        if st
            .migration
            .as_ref()
            .is_some_and(|m| cx.now_ms >= m.deadline_ms)
        {
            if let Some(m) = st.migration.take() {
                cx.close(m.conn, "MIGRATE timed out");
                self.reply(
                    &m.to,
                    Reply::err("IOERR error or timeout reading to target instance"),
                    cx,
                );
            }
        }
    }

    /// RESTORE-ASKING key ttl value [REPLACE] (the value as raw bytes).
    pub(crate) fn restore_asking(&mut self, argv: &Argv, cx: &mut Cx) -> Reply {
        let Some(ttl) = data::parse_i64(&argv[2]).filter(|t| *t >= 0) else {
            return Reply::err("ERR Invalid TTL value, must be >= 0");
        };
        let replace = argv
            .get(4)
            .is_some_and(|a| a.eq_ignore_ascii_case(b"REPLACE"));
        if argv.len() > 5 || (argv.len() == 5 && !replace) {
            return Reply::err(data::SYNTAX);
        }
        let now = cx.clock_ms;
        if !replace
            && self.db.get_entry(&argv[1]).is_some()
            && !self.db.is_logically_expired(&argv[1], now)
        {
            return Reply::err("BUSYKEY Target key name already exists.");
        }
        let at = (ttl > 0).then_some(now + ttl);
        self.db.insert_raw(&argv[1], &argv[3], at);
        let mut set = vec![b"SET".to_vec(), argv[1].clone(), argv[3].clone()];
        if let Some(t) = at {
            set.extend([b"PXAT".to_vec(), t.to_string().into_bytes()]);
        }
        self.feed_stream(vec![set], true, cx);
        Reply::ok()
    }
}
