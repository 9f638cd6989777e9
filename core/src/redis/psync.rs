//! The master's PSYNC decision, `masterTryPartialResynchronization`, as one
//! pure function: the master acts on it (`master.rs`) and the page's
//! inspector predicts with it ("a reconnect now would be partial/full").
//!
//! Partial (+CONTINUE) iff all of:
//! - the requested id is `replid`, or (PSYNC2, 4.0+) it is `replid2` and the
//!   offset is at most `second_repl_offset`;
//! - a backlog exists;
//! - `first_byte_offset <= offset <= first_byte_offset + histlen` (equality at
//!   the top: nothing to send), and the offset is not past the master's.
//!
//! Redis 3.0 (PSYNC1) knows only its run id: `replid2` never matches.

use super::{Backlog, ReplIds};
use crate::profile::Profile;

/// What the master answers to `PSYNC <replid> <offset>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PsyncDecision {
    /// `+CONTINUE`: the backlog from `offset` is sent.
    Continue,
    /// `+FULLRESYNC`: why.
    FullResync(FullResyncReason),
}

/// Why a PSYNC cannot be served from the backlog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FullResyncReason {
    /// `PSYNC ? -1`: the replica asks for a full sync (not a `sync_partial_err`).
    Requested,
    /// The id is neither `replid` nor (PSYNC2) `replid2`.
    ReplidMismatch,
    /// The id is `replid2` but the offset is past where that history forked.
    SecondIdOffset,
    /// No backlog at all.
    NoBacklog,
    /// The offset is beyond the master's own offset + 1.
    OffsetAhead,
    /// The offset fell out of the backlog (or is not at a command boundary).
    OutsideBacklog,
}

impl PsyncDecision {
    pub fn is_continue(&self) -> bool {
        matches!(self, PsyncDecision::Continue)
    }
}

/// `masterTryPartialResynchronization` without its side effects.
/// `offset` is the first stream byte the replica lacks (its offset + 1).
pub fn psync_decision(
    profile: Profile,
    ids: &ReplIds,
    backlog: Option<&Backlog>,
    replid: &str,
    offset: i64,
) -> PsyncDecision {
    use FullResyncReason::*;
    use PsyncDecision::FullResync;
    if replid == "?" {
        return FullResync(Requested);
    }
    if replid != ids.replid {
        let second_id = profile.psync2() && replid == ids.replid2;
        if !second_id {
            return FullResync(ReplidMismatch);
        }
        if offset > ids.second_repl_offset {
            return FullResync(SecondIdOffset);
        }
    }
    let Some(backlog) = backlog else {
        return FullResync(NoBacklog);
    };
    if offset > (ids.master_repl_offset + 1) as i64 {
        return FullResync(OffsetAhead);
    }
    if offset < 0 || !backlog.serves(offset as u64) {
        return FullResync(OutsideBacklog);
    }
    PsyncDecision::Continue
}

impl FullResyncReason {
    /// The line the master logs (and traces), worded as Redis 7.0 words it.
    pub fn log_line(&self, ids: &ReplIds, who: &str, replid: &str, offset: i64) -> String {
        match self {
            FullResyncReason::Requested => "Full resync requested by replica".into(),
            FullResyncReason::ReplidMismatch => format!(
                "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '{replid}', my replication IDs are '{}' and '{}')",
                ids.replid, ids.replid2
            ),
            FullResyncReason::SecondIdOffset => format!(
                "Partial resynchronization not accepted: Requested offset for second ID was {offset}, but I can reply up to {}",
                ids.second_repl_offset
            ),
            FullResyncReason::OffsetAhead => format!(
                "Warning: replica {who} tried to PSYNC with an offset that is greater than the master replication offset."
            ),
            FullResyncReason::NoBacklog | FullResyncReason::OutsideBacklog => format!(
                "Unable to partial resync with replica {who} for lack of backlog (Replica request was: {offset})."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FullResyncReason::*;
    use super::*;
    use crate::msg::ReplCmd;
    use std::rc::Rc;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const C: &str = "cccccccccccccccccccccccccccccccccccccccc";

    /// A master on history A, which forked from history B after offset 62,
    /// whose backlog holds `n` commands `SET foo bar` (31 bytes each) from offset 1.
    fn master(top_cmds: usize) -> (ReplIds, Backlog) {
        let mut b = Backlog::new(1 << 20, 0, true);
        let mut off = 0;
        for _ in 0..top_cmds {
            let c = Rc::new(ReplCmd::new(vec![
                b"SET".to_vec(),
                b"foo".to_vec(),
                b"bar".to_vec(),
            ]));
            off += c.bytes;
            b.append(c, None);
        }
        let ids = ReplIds {
            replid: A.into(),
            replid2: B.into(),
            master_repl_offset: off,
            second_repl_offset: 63,
        };
        (ids, b)
    }

    fn decide(p: Profile, ids: &ReplIds, b: Option<&Backlog>, id: &str, off: i64) -> PsyncDecision {
        psync_decision(p, ids, b, id, off)
    }

    #[test]
    fn same_replid_inside_the_backlog_continues() {
        let (ids, b) = master(4); // 4 × 31 bytes: offsets 1..=124
        assert_eq!(ids.master_repl_offset, 124);
        for off in [1, 32, 63, 125] {
            assert_eq!(
                decide(Profile::V7_0, &ids, Some(&b), A, off),
                PsyncDecision::Continue,
                "{off}"
            );
        }
        // Mid-command: the simulated stream is resent per command.
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), A, 2),
            PsyncDecision::FullResync(OutsideBacklog)
        );
    }

    #[test]
    fn replid2_continues_up_to_second_repl_offset_only() {
        let (ids, b) = master(4);
        assert!(decide(Profile::V7_0, &ids, Some(&b), B, 63).is_continue());
        assert!(decide(Profile::V7_0, &ids, Some(&b), B, 32).is_continue());
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), B, 94),
            PsyncDecision::FullResync(SecondIdOffset)
        );
        assert_eq!(
            decide(Profile::V6_2, &ids, Some(&b), B, 94),
            PsyncDecision::FullResync(SecondIdOffset)
        );
    }

    #[test]
    fn offset_before_the_backlog_or_ahead_of_the_master_is_a_full_sync() {
        let mut b = Backlog::new(16 * 1024, 0, false);
        let mut off = 0;
        for _ in 0..1000 {
            let c = Rc::new(ReplCmd::new(vec![
                b"SET".to_vec(),
                b"foo".to_vec(),
                b"bar".to_vec(),
            ]));
            off += c.bytes;
            b.append(c, None);
        }
        let ids = ReplIds {
            replid: A.into(),
            replid2: B.into(),
            master_repl_offset: off,
            second_repl_offset: -1,
        };
        assert!(b.first_byte_offset > 1);
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), A, 1),
            PsyncDecision::FullResync(OutsideBacklog)
        );
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), A, -1),
            PsyncDecision::FullResync(OutsideBacklog)
        );
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), A, off as i64 + 2),
            PsyncDecision::FullResync(OffsetAhead)
        );
        assert!(decide(Profile::V7_0, &ids, Some(&b), A, off as i64 + 1).is_continue());
        assert_eq!(
            decide(Profile::V7_0, &ids, None, A, off as i64 + 1),
            PsyncDecision::FullResync(NoBacklog)
        );
    }

    #[test]
    fn unknown_or_requested_replid_is_a_full_sync() {
        let (ids, b) = master(4);
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), C, 32),
            PsyncDecision::FullResync(ReplidMismatch)
        );
        assert_eq!(
            decide(Profile::V7_0, &ids, Some(&b), "?", -1),
            PsyncDecision::FullResync(Requested)
        );
        // The id is checked before the backlog: a mismatch without a backlog is a mismatch.
        assert_eq!(
            decide(Profile::V7_0, &ids, None, C, 32),
            PsyncDecision::FullResync(ReplidMismatch)
        );
    }

    #[test]
    fn redis_3_0_knows_only_its_run_id() {
        let (ids, b) = master(4);
        assert!(decide(Profile::V3_0, &ids, Some(&b), A, 32).is_continue());
        assert_eq!(
            decide(Profile::V3_0, &ids, Some(&b), B, 32),
            PsyncDecision::FullResync(ReplidMismatch)
        );
    }

    #[test]
    fn log_lines_are_redis_words() {
        let (ids, _) = master(4);
        assert_eq!(
            SecondIdOffset.log_line(&ids, "10.0.0.2:6379", B, 94),
            "Partial resynchronization not accepted: Requested offset for second ID was 94, but I can reply up to 63"
        );
        assert_eq!(
            OutsideBacklog.log_line(&ids, "10.0.0.2:6379", A, 2),
            "Unable to partial resync with replica 10.0.0.2:6379 for lack of backlog (Replica request was: 2)."
        );
    }
}
