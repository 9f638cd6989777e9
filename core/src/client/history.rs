//! One client operation, as the checker sees it.

use crate::data::Argv;
use crate::net::NodeId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpKind {
    Write {
        key: String,
        value: String,
        px: Option<u64>,
    },
    Incr {
        key: String,
    },
    Read {
        key: String,
    },
}

impl OpKind {
    pub fn argv(&self) -> Argv {
        let v = |s: &str| s.as_bytes().to_vec();
        match self {
            OpKind::Write {
                key,
                value,
                px: None,
            } => vec![v("SET"), v(key), v(value)],
            OpKind::Write {
                key,
                value,
                px: Some(ms),
            } => vec![
                v("SET"),
                v(key),
                v(value),
                v("PX"),
                ms.to_string().into_bytes(),
            ],
            OpKind::Incr { key } => vec![v("INCR"), v(key)],
            OpKind::Read { key } => vec![v("GET"), v(key)],
        }
    }
    pub fn key(&self) -> &str {
        match self {
            OpKind::Write { key, .. } | OpKind::Incr { key } | OpKind::Read { key } => key,
        }
    }
    pub fn is_write(&self) -> bool {
        !matches!(self, OpKind::Read { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    /// The reply as redis-cli prints it.
    Ok(String),
    Error(String),
    Timeout,
    ConnLost,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    pub id: u64,
    pub kind: OpKind,
    pub invoke_ms: u64,
    pub complete_ms: Option<u64>,
    /// The node the request was sent to.
    pub target: Option<NodeId>,
    pub outcome: Outcome,
    /// WAIT's answer, when the policy waits after writes.
    pub wait_acks: Option<i64>,
}

impl Op {
    pub fn describe(&self) -> String {
        let cmd = crate::msg::show_argv(&self.kind.argv());
        let out = match &self.outcome {
            Outcome::Pending => "pending".to_string(),
            Outcome::Ok(r) => r.clone(),
            Outcome::Error(e) => format!("(error) {e}"),
            Outcome::Timeout => "timeout".into(),
            Outcome::ConnLost => "connection lost".into(),
        };
        match self.wait_acks {
            Some(n) => format!("{cmd} => {out} (WAIT: {n})"),
            None => format!("{cmd} => {out}"),
        }
    }
    pub fn ok(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Ok(r) => Some(r),
            _ => None,
        }
    }
}
