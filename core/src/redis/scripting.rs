//! EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (`eval.c`, `script.c`):
//! the script cache, and what `redis.call` may run. A script runs inside one
//! event (atomic: nothing else runs meanwhile); its commands' effects are
//! collected into the caller's `Effects`, so `call()` propagates them as
//! Redis 7 does, wrapped in MULTI/EXEC when there is more than one.

use crate::data::{self, Argv, Effects, Reply};
use crate::node::Cx;
use crate::script::{self, Host};

use super::{Client, RedisNode, ReplyTo};

pub const NOSCRIPT_ERR: &str = "NOSCRIPT No matching script. Please use EVAL.";

/// `redis.call` from a script on this node.
struct NodeHost<'n, 'c, 'x> {
    node: &'n mut RedisNode,
    client: &'n mut Client,
    to: &'n ReplyTo,
    fx: &'n mut Effects,
    cx: &'c mut Cx<'x>,
    read_only: bool,
}

impl Host for NodeHost<'_, '_, '_> {
    fn call(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        let n = &mut *self.node;
        let Some(spec) = data::lookup_argv(&argv) else {
            return Reply::err("ERR Unknown Redis command called from script");
        };
        if !spec.arity_ok(argv.len()) {
            return Reply::err("ERR Wrong number of args calling Redis command from script");
        }
        if spec.is_noscript() {
            return Reply::err("ERR This Redis command is not allowed from script");
        }
        if spec.is_write() {
            // `scriptVerifyWriteCommandAllow`, in its order.
            if self.read_only {
                return Reply::err("ERR Write commands are not allowed from read-only scripts.");
            }
            if !n.is_master() && n.conf.replica_read_only {
                return Reply::err(data::READONLY);
            }
            if n.too_few_good_replicas() {
                return Reply::err(data::NOREPLICAS);
            }
        }
        n.stats.total_commands_processed += 1;
        n.call_one(self.client, self.to, &argv, true, self.fx, self.cx)
            .unwrap_or(Reply::Nil)
    }

    fn log(&mut self, level: i64, msg: String) {
        // Written at the default `loglevel notice` and above.
        if level >= 2 {
            self.cx.log(msg);
        }
    }
}

impl RedisNode {
    /// EVAL / EVALSHA / EVAL_RO / EVALSHA_RO `<script|sha> numkeys key... arg...`.
    pub(super) fn eval_command(
        &mut self,
        client: &mut Client,
        to: &ReplyTo,
        argv: &Argv,
        fx: &mut Effects,
        cx: &mut Cx,
    ) -> Reply {
        let name = argv[0].to_ascii_lowercase();
        let by_sha = name.starts_with(b"evalsha");
        let read_only = name.ends_with(b"_ro");
        let Some(numkeys) = data::parse_i64(&argv[2]) else {
            return Reply::err(data::NOT_INT);
        };
        if numkeys > argv.len() as i64 - 3 {
            return Reply::err("ERR Number of keys can't be greater than number of args");
        }
        if numkeys < 0 {
            return Reply::err("ERR Number of keys can't be negative");
        }
        let (sha, body) = if by_sha {
            let sha = String::from_utf8_lossy(&argv[1]).to_ascii_lowercase();
            match self.scripts.get(&sha) {
                Some(body) => (sha, body.clone()),
                None => return Reply::err(NOSCRIPT_ERR),
            }
        } else {
            (script::sha1_hex(&argv[1]), argv[1].clone())
        };
        let code = match script::compile(&body) {
            Ok(c) => c,
            Err(e) => return Reply::Error(e),
        };
        self.scripts.insert(sha.clone(), body);
        let split = 3 + numkeys as usize;
        let mut host = NodeHost {
            node: self,
            client,
            to,
            fx,
            cx,
            read_only,
        };
        script::run(&code, &sha, &argv[3..split], &argv[split..], &mut host)
    }

    /// SCRIPT LOAD | EXISTS | FLUSH | KILL.
    pub(super) fn script_command(&mut self, argv: &Argv) -> Reply {
        let sub = argv[1].to_ascii_uppercase();
        match sub.as_slice() {
            b"LOAD" => match script::compile(&argv[2]) {
                Ok(_) => {
                    let sha = script::sha1_hex(&argv[2]);
                    self.scripts.insert(sha.clone(), argv[2].clone());
                    Reply::Bulk(sha.into_bytes())
                }
                Err(e) => Reply::Error(e),
            },
            b"EXISTS" => Reply::Array(
                argv[2..]
                    .iter()
                    .map(|s| {
                        let sha = String::from_utf8_lossy(s).to_ascii_lowercase();
                        Reply::Int(self.scripts.contains_key(&sha) as i64)
                    })
                    .collect(),
            ),
            b"FLUSH" => {
                let mode = argv.get(2).map(|a| a.to_ascii_uppercase());
                if argv.len() > 3 || mode.as_ref().is_some_and(|m| m != b"SYNC" && m != b"ASYNC") {
                    return Reply::err("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                self.scripts.clear();
                Reply::ok()
            }
            // A script never outlives its event in the lab, so none is ever running.
            _ => Reply::err("NOTBUSY No scripts in execution right now."),
        }
    }
}
