//! The replication backlog: the last `repl-backlog-size` bytes of the
//! replication stream, from which a reconnecting replica can resume.
//!
//! Offsets are Redis's: the stream's bytes are numbered from 1, and
//! `master_repl_offset` is the number of the last byte fed. A PSYNC for
//! `offset` (the first byte the replica lacks) can be served when
//! `first_byte_offset <= offset <= first_byte_offset + histlen`
//! (mirrors `masterTryPartialResynchronization`).
//!
//! Two trimming models, by profile:
//! - before 7.0, a ring buffer: `histlen = min(bytes fed, size)`, trimmed byte-exactly;
//! - 7.0, the shared replication buffer (PR #9166): history lives in 16 KB
//!   blocks and is trimmed a whole block at a time, only while `histlen >
//!   size` and only when no replica's output buffer still references the
//!   oldest block. So `histlen` sits between `size` and `size + 16 KB`, and a
//!   lagging replica makes it grow past `size` (that extra history can
//!   serve partial syncs too).

use std::rc::Rc;

use crate::cowmap::CowVec;
use crate::msg::ReplCmd;

/// Redis 7.0 `PROTO_REPLY_CHUNK_BYTES`: the replication buffer block size.
pub const BLOCK_BYTES: u64 = 16 * 1024;
/// `CONFIG_REPL_BACKLOG_MIN_SIZE`.
pub const MIN_BACKLOG_BYTES: u64 = 16 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backlog {
    /// Configured size (`repl-backlog-size`, at least 16 KB).
    pub size: u64,
    /// Offset of the first byte held.
    pub first_byte_offset: u64,
    /// Bytes held.
    pub histlen: u64,
    /// Shared-buffer (7.0) trimming instead of a byte ring.
    pub blocks: bool,
    /// Where the current first block starts (7.0 model).
    block_base: u64,
    /// Commands overlapping the held history, with the offset of their first
    /// byte (chunks shared between clones: web session snapshots).
    cmds: CowVec<(u64, Rc<ReplCmd>)>,
}

impl Backlog {
    /// An empty backlog whose next byte is `master_repl_offset + 1`.
    pub fn new(size: u64, master_repl_offset: u64, blocks: bool) -> Backlog {
        Backlog {
            size: size.max(MIN_BACKLOG_BYTES),
            first_byte_offset: master_repl_offset + 1,
            histlen: 0,
            blocks,
            block_base: master_repl_offset + 1,
            cmds: CowVec::new(),
        }
    }

    /// Offset of the last byte held.
    pub fn last_offset(&self) -> u64 {
        self.first_byte_offset + self.histlen - 1
    }

    /// Appends one command; `oldest_ref` is the lowest stream offset still
    /// referenced by a replica's output buffer (7.0 model only).
    pub fn append(&mut self, cmd: Rc<ReplCmd>, oldest_ref: Option<u64>) {
        let start = self.first_byte_offset + self.histlen;
        self.histlen += cmd.bytes;
        self.cmds.push((start, cmd));
        self.trim(oldest_ref);
    }

    pub fn set_size(&mut self, size: u64, oldest_ref: Option<u64>) {
        self.size = size.max(MIN_BACKLOG_BYTES);
        self.trim(oldest_ref);
    }

    fn trim(&mut self, oldest_ref: Option<u64>) {
        if self.blocks {
            // Drop whole blocks while the rest still covers `size` bytes.
            loop {
                let block_end = self.block_base + BLOCK_BYTES - 1;
                let end = self.last_offset();
                if block_end >= end || self.histlen <= self.size {
                    break;
                }
                if oldest_ref.is_some_and(|r| r <= block_end) {
                    break;
                }
                let dropped = block_end + 1 - self.first_byte_offset;
                if self.histlen - dropped < self.size {
                    break;
                }
                self.histlen -= dropped;
                self.first_byte_offset = block_end + 1;
                self.block_base = block_end + 1;
            }
        } else if self.histlen > self.size {
            let excess = self.histlen - self.size;
            self.first_byte_offset += excess;
            self.histlen = self.size;
        }
        while self
            .cmds
            .first()
            .is_some_and(|(s, c)| s + c.bytes <= self.first_byte_offset)
        {
            self.cmds.drop_front();
        }
    }

    /// Whether a PSYNC asking for `offset` can be served from here.
    pub fn covers(&self, offset: u64) -> bool {
        offset >= self.first_byte_offset && offset <= self.first_byte_offset + self.histlen
    }

    /// Where the commands from `offset` start in `cmds`, or None when
    /// `offset` is outside the history or not at a command boundary.
    fn index_of(&self, offset: u64) -> Option<usize> {
        if !self.covers(offset) {
            return None;
        }
        if offset == self.first_byte_offset + self.histlen {
            return Some(self.cmds.len());
        }
        let idx = self.cmds.partition_point(|(s, _)| *s < offset);
        match self.cmds.get(idx) {
            Some((s, _)) if *s == offset => Some(idx),
            _ => None,
        }
    }

    /// Whether `since(offset)` has an answer: the history covers `offset`
    /// and it starts a command (the simulated stream is resent per command).
    pub fn serves(&self, offset: u64) -> bool {
        self.index_of(offset).is_some()
    }

    /// The commands from `offset` (a command boundary) to the end, or None
    /// when `offset` is outside the history or not at a command boundary.
    pub fn since(&self, offset: u64) -> Option<Vec<Rc<ReplCmd>>> {
        let idx = self.index_of(offset)?;
        Some(
            (idx..self.cmds.len())
                .map(|i| self.cmds[i].1.clone())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(n: usize) -> Rc<ReplCmd> {
        Rc::new(ReplCmd::new(vec![
            b"SET".to_vec(),
            b"k".to_vec(),
            vec![b'x'; n],
        ]))
    }

    #[test]
    fn ring_keeps_exactly_size_bytes() {
        let mut b = Backlog::new(16 * 1024, 0, false);
        let mut off = 0;
        for _ in 0..1000 {
            let c = cmd(100);
            off += c.bytes;
            b.append(c, None);
        }
        assert_eq!(b.histlen, 16 * 1024);
        assert_eq!(b.first_byte_offset, off - 16 * 1024 + 1);
        assert!(!b.covers(1));
        assert!(b.covers(off + 1));
        assert_eq!(b.since(off + 1), Some(vec![]));
    }

    #[test]
    fn shared_buffer_trims_whole_blocks_and_grows_for_a_lagging_replica() {
        let mut b = Backlog::new(16 * 1024, 0, true);
        for _ in 0..1000 {
            b.append(cmd(100), None);
        }
        assert!(
            b.histlen >= b.size && b.histlen < b.size + BLOCK_BYTES,
            "histlen {}",
            b.histlen
        );
        // A replica that still needs byte 1 pins everything.
        let mut pinned = Backlog::new(16 * 1024, 0, true);
        for _ in 0..1000 {
            pinned.append(cmd(100), Some(1));
        }
        assert_eq!(pinned.first_byte_offset, 1);
        assert!(pinned.histlen > 100_000);
        assert!(pinned.since(1).is_some());
    }
}
