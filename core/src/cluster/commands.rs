//! CLUSTER subcommands, READONLY, READWRITE and ASKING (`clusterCommand`,
//! `readonlyCommand`, `readwriteCommand`, `askingCommand`).

use crate::data::{self, Argv, Reply};
use crate::node::Cx;
use crate::redis::{Client, RedisNode};

use super::replies::Offsets;
use super::route::{ASKING, READONLY};
use super::{key_slot, ClusterState, SLOTS};

const DISABLED: &str = "ERR This instance has cluster support disabled";

/// Replies redis-cli prints raw (verbatim strings in Redis 7).
pub fn prints_raw(argv: &Argv) -> bool {
    argv.len() == 2
        && argv[0].eq_ignore_ascii_case(b"CLUSTER")
        && (argv[1].eq_ignore_ascii_case(b"INFO") || argv[1].eq_ignore_ascii_case(b"NODES"))
}

fn slot_arg(a: &[u8]) -> Result<i64, Reply> {
    data::parse_i64(a).ok_or_else(|| Reply::err(data::NOT_INT))
}

impl RedisNode {
    /// CLUSTER ..., READONLY, READWRITE, ASKING.
    pub(crate) fn cluster_command(
        &mut self,
        client: &mut Client,
        argv: &Argv,
        cx: &mut Cx,
    ) -> Reply {
        if self.cluster.is_none() {
            return Reply::err(DISABLED);
        }
        let name = argv[0].to_ascii_uppercase();
        match name.as_slice() {
            b"READONLY" => client.cluster_flags |= READONLY,
            b"READWRITE" => client.cluster_flags &= !READONLY,
            b"ASKING" => client.cluster_flags |= ASKING,
            _ => return self.cluster_sub(argv, cx).unwrap_or_else(|e| e),
        }
        Reply::ok()
    }

    fn cluster_sub(&mut self, argv: &Argv, cx: &mut Cx) -> Result<Reply, Reply> {
        let sub = argv[1].to_ascii_uppercase();
        let now = cx.clock_ms;
        let offsets = self.known_offsets();
        let Some(st) = self.cluster.as_deref_mut() else {
            return Err(Reply::err(DISABLED));
        };
        let of = |i: usize| offsets.iter().find(|o| o.0 == i).map(|o| o.1);
        let off = Offsets { of: &of };
        Ok(match sub.as_slice() {
            b"KEYSLOT" => Reply::Int(key_slot(&argv[2]).into()),
            b"MYID" => Reply::Bulk(st.me().id.clone().into_bytes()),
            b"INFO" => Reply::Bulk(st.info_text().into_bytes()),
            b"NODES" => Reply::Bulk(st.nodes_text(now).into_bytes()),
            b"SLOTS" => st.slots_reply(&off),
            b"SHARDS" => st.shards_reply(&off),
            b"COUNTKEYSINSLOT" => {
                let slot = slot_arg(&argv[2])?;
                if !(0..SLOTS as i64).contains(&slot) {
                    return Err(Reply::err("ERR Invalid slot"));
                }
                let n = self.db.iter().filter(|(k, _)| key_slot(k) as i64 == slot);
                Reply::Int(n.count() as i64)
            }
            b"GETKEYSINSLOT" => {
                let (slot, max) = (slot_arg(&argv[2])?, slot_arg(&argv[3])?);
                if !(0..SLOTS as i64).contains(&slot) || max < 0 {
                    return Err(Reply::err("ERR Invalid slot or number of keys"));
                }
                let keys = self.db.iter().filter(|(k, _)| key_slot(k) as i64 == slot);
                Reply::Array(
                    keys.take(max as usize)
                        .map(|(k, _)| Reply::Bulk(k.to_vec()))
                        .collect(),
                )
            }
            b"SETSLOT" => return self.setslot(argv, cx),
            _ => return Err(data::unknown_subcommand(&argv[0], &argv[1])),
        })
    }

    /// Replication offsets this server knows: its own, its master's, its replicas'.
    fn known_offsets(&self) -> Vec<(usize, u64)> {
        let Some(st) = self.cluster.as_deref() else {
            return Vec::new();
        };
        let mut out = vec![(st.myself, self.ids.master_repl_offset)];
        if let Some(m) = st.me().master {
            out.push((m, self.ids.master_repl_offset));
        }
        for r in self.replicas.values() {
            if let Some(i) = st.index_of_addr(&r.ip, r.listening_port) {
                out.push((i, r.ack_offset));
            }
        }
        out
    }

    /// CLUSTER SETSLOT <slot> IMPORTING <id> | MIGRATING <id> | NODE <id> | STABLE.
    fn setslot(&mut self, argv: &Argv, cx: &mut Cx) -> Result<Reply, Reply> {
        let Some(st) = self.cluster.as_deref_mut() else {
            return Err(Reply::err(DISABLED));
        };
        if st.me().master.is_some() {
            return Err(Reply::err("ERR Please use SETSLOT only with masters."));
        }
        let slot = match data::parse_i64(&argv[2]) {
            Some(s) if (0..SLOTS as i64).contains(&s) => s as u16,
            _ => return Err(Reply::err("ERR Invalid or out of range slot")),
        };
        let action = argv[3].to_ascii_uppercase();
        let node = |st: &ClusterState| -> Result<usize, Reply> {
            let id = argv.get(4).ok_or_else(|| Reply::err(data::SYNTAX))?;
            st.index_of_id(id).ok_or_else(|| {
                Reply::err(&format!(
                    "ERR I don't know about node {}",
                    String::from_utf8_lossy(id)
                ))
            })
        };
        match action.as_slice() {
            b"MIGRATING" if argv.len() == 5 => {
                if st.owner(slot) != Some(st.myself) {
                    return Err(Reply::err(&format!(
                        "ERR I'm not the owner of hash slot {slot}"
                    )));
                }
                let n = node(st)?;
                st.migrating.retain(|m| m.0 != slot);
                st.migrating.push((slot, n));
            }
            b"IMPORTING" if argv.len() == 5 => {
                if st.owner(slot) == Some(st.myself) {
                    return Err(Reply::err(&format!(
                        "ERR I'm already the owner of hash slot {slot}"
                    )));
                }
                let n = node(st)?;
                st.importing.retain(|m| m.0 != slot);
                st.importing.push((slot, n));
            }
            b"STABLE" if argv.len() == 4 => {
                st.migrating.retain(|m| m.0 != slot);
                st.importing.retain(|m| m.0 != slot);
            }
            b"NODE" if argv.len() == 5 => {
                let n = node(st)?;
                let has_keys = self.db.iter().any(|(k, _)| key_slot(k) == slot);
                if st.owner(slot) == Some(st.myself) && n != st.myself && has_keys {
                    return Err(Reply::err(&format!(
                        "ERR Can't assign hashslot {slot} to a different node while I still hold keys for this hash slot."
                    )));
                }
                if !has_keys {
                    st.migrating.retain(|m| m.0 != slot);
                }
                st.slots.set(slot, n as u16);
                let was_importing = st.importing.iter().any(|m| m.0 == slot);
                if n == st.myself && was_importing {
                    // `clusterBumpConfigEpochWithoutConsensus`.
                    st.importing.retain(|m| m.0 != slot);
                    st.current_epoch += 1;
                    st.nodes[n].config_epoch = st.current_epoch;
                    cx.log(format!(
                        "configEpoch set to {} after importing slot {slot}",
                        st.current_epoch
                    ));
                }
                st.update_state();
            }
            _ => {
                return Err(Reply::err(
                    "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
                ))
            }
        }
        Ok(Reply::ok())
    }
}

impl RedisNode {
    /// At start: a cluster that does not cover every slot says so, as Redis logs it.
    pub(crate) fn cluster_start(&mut self, cx: &mut Cx) {
        if let Some(st) = self.cluster.as_deref_mut() {
            st.started_ms = cx.clock_ms;
            for p in &mut st.nodes {
                p.pong_recv_ms = cx.clock_ms;
            }
            let state = if st.ok { "ok" } else { "fail" };
            cx.log(format!("Cluster state changed: {state}"));
        }
    }
}
