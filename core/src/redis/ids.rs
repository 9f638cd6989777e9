//! The replication identity (`server.replid`, `replid2`, the offsets) and
//! its rules, asserted at every change: within one history (replid) the
//! offset never goes back; `replid2` is a past history, never the current
//! one, and has a fork offset exactly when it is set, never past the stream.

use super::NULL_REPLID;

/// The replication identity: replid/replid2 and offsets (`server.replid` ...).
/// Read anywhere; changed only through the methods below.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplIds {
    pub replid: String,
    pub replid2: String,
    pub master_repl_offset: u64,
    /// -1 when there is no replid2 history.
    pub second_repl_offset: i64,
}

impl ReplIds {
    /// A fresh server: history `replid`, nothing fed yet.
    pub(crate) fn new(replid: String) -> ReplIds {
        let ids = ReplIds {
            replid,
            replid2: NULL_REPLID.into(),
            master_repl_offset: 0,
            second_repl_offset: -1,
        };
        ids.check();
        ids
    }

    /// The stream grew by one command of `bytes` (hot: debug-checked only).
    pub(crate) fn advance(&mut self, bytes: u64) {
        // An empty command would share its offset with the next one.
        debug_assert!(bytes > 0, "a replicated command has bytes");
        self.master_repl_offset += bytes;
    }

    /// `changeReplicationId` + `clearReplicationId2`: a new history starts
    /// here (first replica of a master without backlog, backlog freed,
    /// start-up, 3.0 promotion).
    pub(crate) fn new_history(&mut self, replid: String) {
        self.replid = replid;
        self.replid2 = NULL_REPLID.into();
        self.second_repl_offset = -1;
        self.check();
    }

    /// `shiftReplicationId`: the current history becomes `replid2`, valid up
    /// to the next byte; `replid` continues from the same offset.
    pub(crate) fn shift(&mut self, replid: String) {
        assert_ne!(replid, self.replid, "a shifted history has a new id");
        self.replid2 = std::mem::replace(&mut self.replid, replid);
        self.second_repl_offset = self.master_repl_offset as i64 + 1;
        self.check();
    }

    /// After a full sync: the master's history `replid` at `offset`. The
    /// offset may be lower than ours within the same history: a replica
    /// pointed at a sibling that is behind it asks for an offset the sibling
    /// has not reached, and gets a full sync at the sibling's offset
    /// ("tried to PSYNC with an offset that is greater than the master
    /// replication offset", replication.c; found by swarm seed 37).
    pub(crate) fn adopt(&mut self, replid: String, offset: u64) {
        self.replid = replid;
        self.replid2 = NULL_REPLID.into();
        self.second_repl_offset = -1;
        self.master_repl_offset = offset;
        self.check();
    }

    /// What holds after every change.
    fn check(&self) {
        assert_ne!(
            self.replid, self.replid2,
            "replid2 is a past history, never the current one"
        );
        assert_eq!(
            self.replid2 == NULL_REPLID,
            self.second_repl_offset == -1,
            "replid2 has a fork offset exactly when it is set ({self:?})"
        );
        assert!(
            self.second_repl_offset <= self.master_repl_offset as i64 + 1,
            "replid2's fork point is not ahead of the stream ({self:?})"
        );
    }
}
