//! Flash-sale buyers (seed 002, "秒杀"): many buyers, each on its own
//! connection with its own state machine, buying one unit each from a stock
//! counter with one of five strategies. One scenario client node stands for
//! all of them; the races between them are real, because every buyer's
//! commands travel the network and interleave on the server.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::data::Reply;
use crate::msg::Msg;
use crate::net::ConnId;
use crate::node::{Cx, Input, Timer};
use crate::trace::TraceKind;

use super::ClientTimer;

/// The atomic check-and-decrement: never sells below zero.
pub const BUY_SCRIPT: &str = "local s = tonumber(redis.call('get', KEYS[1])) if s and s > 0 then return redis.call('decr', KEYS[1]) end return -1";
/// Release a lock only if it is still ours (compare-and-delete).
pub const UNLOCK_SCRIPT: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/// `DEL lock`, as a script that also returns whose lock it deleted, so the
/// checker can count releases of another buyer's lock; its effect on the
/// data and on the replication stream is exactly a `DEL`.
pub const DEL_SCRIPT: &str =
    "local v = redis.call('get', KEYS[1]) redis.call('del', KEYS[1]) return v";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// GET, then DECR if the stock was positive.
    #[default]
    Naive,
    /// `EVAL` of a script that checks the stock and decrements it in one
    /// step (`BUY_SCRIPT`).
    Script,
    /// A GET pre-check (sold out: stop), then `SET lock token NX PX ttl`,
    /// GET, work, DECR, release.
    Lock,
    /// GET, then MULTI DECR EXEC (no WATCH).
    Multi,
    /// WATCH, GET, MULTI DECR EXEC; retry (after `retry_ms`) when EXEC answers nil.
    Watch,
}

/// A flash sale: `buyers` buyers, `stock` units at `key`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SaleSpec {
    /// How each buyer buys; default "naive".
    pub strategy: Strategy,
    /// How many buyers, each on its own connection (at most 100000); default 100.
    pub buyers: u32,
    /// Units for sale, set at `key` when the sale starts; default 10.
    pub stock: i64,
    /// The stock counter's key; default "stock".
    pub key: String,
    /// Buyers arrive uniformly at random within this window (ms) after the
    /// stock is set; default 100.
    pub arrival_ms: u64,
    /// `lock`: how long a buyer works while holding the lock, before DECR
    /// (ms); default 0.
    pub work_ms: u64,
    /// `lock`: the lock's time to live, its `PX` (ms); default 1000.
    pub lock_ttl_ms: u64,
    /// `lock`, `watch`: wait before trying again, plus up to as much jitter
    /// (ms); default 20.
    pub retry_ms: u64,
    /// `lock`: release with the compare-and-delete script (true, default)
    /// or a plain DEL.
    pub safe_release: bool,
}

impl SaleSpec {
    /// Within what a lesson can run (the loader refuses the rest).
    pub fn is_valid(&self) -> bool {
        let hour = 3_600_000;
        self.buyers <= 100_000
            && [
                self.arrival_ms,
                self.work_ms,
                self.lock_ttl_ms,
                self.retry_ms,
            ]
            .iter()
            .all(|t| *t <= hour)
    }
}

impl Default for SaleSpec {
    fn default() -> Self {
        SaleSpec {
            strategy: Strategy::Naive,
            buyers: 100,
            stock: 10,
            key: "stock".into(),
            arrival_ms: 100,
            work_ms: 0,
            lock_ttl_ms: 1000,
            retry_ms: 20,
            safe_release: true,
        }
    }
}

/// What the buyers saw, for the checker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SaleStats {
    /// Purchases confirmed to a buyer.
    pub purchases: u64,
    pub sold_out: u64,
    /// `lock`: `SET NX` answered nil (someone else held the lock).
    pub lock_failed: u64,
    /// `lock`: the lock had expired before its holder released it.
    pub lock_expired: u64,
    /// `lock` with plain DEL: a release deleted another buyer's lock.
    pub foreign_releases: u64,
    /// `watch`: EXEC answered nil and the buyer retried.
    pub watch_retries: u64,
    /// Errors and lost connections.
    pub errors: u64,
    pub finished: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    Waiting,
    Check,
    Get,
    Decr,
    Multi,
    Queued,
    Exec,
    Watch,
    Eval,
    Lock,
    Work,
    Release,
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Buyer {
    conn: Option<ConnId>,
    st: St,
    /// Lock token of the current attempt.
    attempt: u32,
    bought: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buyers {
    pub spec: SaleSpec,
    pub stats: SaleStats,
    setup: Option<ConnId>,
    buyers: Vec<Buyer>,
    by_conn: BTreeMap<ConnId, u32>,
}

fn send(cx: &mut Cx, conn: ConnId, parts: &[&str]) {
    let argv = parts.iter().map(|p| p.as_bytes().to_vec()).collect();
    cx.send(conn, Msg::Cmd(Rc::new(argv)));
}

fn int_of(r: &Reply) -> Option<i64> {
    match r {
        Reply::Int(n) => Some(*n),
        Reply::Bulk(b) => crate::data::parse_i64(b),
        _ => None,
    }
}

impl Buyers {
    pub fn new(spec: SaleSpec) -> Buyers {
        let n = spec.buyers.min(100_000) as usize;
        Buyers {
            spec,
            stats: SaleStats::default(),
            setup: None,
            buyers: vec![
                Buyer {
                    conn: None,
                    st: St::Waiting,
                    attempt: 0,
                    bought: false,
                };
                n
            ],
            by_conn: BTreeMap::new(),
        }
    }

    pub fn handle(
        &mut self,
        input: Input,
        master: Option<&(String, u16)>,
        start_ms: u64,
        cx: &mut Cx,
    ) {
        let node = master.and_then(|(h, p)| cx.resolve(h, *p));
        match input {
            Input::Start { .. } => {
                let delay = start_ms.saturating_sub(cx.now_ms).max(1);
                cx.timer(delay, Timer::Client(ClientTimer::Tick));
            }
            Input::Timer(Timer::Client(ClientTimer::Tick)) => {
                if let Some(node) = node {
                    self.setup = Some(cx.connect(node));
                }
            }
            Input::Connected { conn } if Some(conn) == self.setup => {
                let stock = self.spec.stock.to_string();
                send(cx, conn, &["SET", &self.spec.key, &stock]);
            }
            Input::Msg { conn, .. } if Some(conn) == self.setup => {
                cx.close(conn, "stock set");
                self.setup = None;
                for i in 0..self.buyers.len() {
                    let at = cx.rand_below(self.spec.arrival_ms.saturating_add(1)) + 1;
                    cx.timer(at, Timer::Client(ClientTimer::Buyer(i as u32)));
                }
            }
            Input::Timer(Timer::Client(ClientTimer::Buyer(i))) => {
                self.on_timer(i as usize, node, cx)
            }
            Input::Connected { conn } => {
                if let Some(&i) = self.by_conn.get(&conn) {
                    self.begin(i as usize, cx);
                }
            }
            Input::Msg {
                conn,
                msg: Msg::Reply(r),
            } => {
                if let Some(&i) = self.by_conn.get(&conn) {
                    self.on_reply(i as usize, &r, cx);
                }
            }
            Input::ConnFailed { conn } | Input::Closed { conn } => {
                if let Some(i) = self.by_conn.remove(&conn) {
                    self.buyers[i as usize].conn = None;
                    if self.buyers[i as usize].st != St::Done {
                        self.stats.errors += 1;
                        self.finish(i as usize, cx);
                    }
                }
            }
            Input::Console { ticket, .. } => cx.console_reply(
                ticket,
                "(error) ERR this node is a simulated client; it takes no commands".into(),
            ),
            _ => {}
        }
    }

    fn on_timer(&mut self, i: usize, node: Option<crate::net::NodeId>, cx: &mut Cx) {
        match (self.buyers[i].st, self.buyers[i].conn) {
            (St::Waiting, None) => match node {
                Some(node) => {
                    let conn = cx.connect(node);
                    self.buyers[i].conn = Some(conn);
                    self.by_conn.insert(conn, i as u32);
                }
                None => {
                    self.stats.errors += 1;
                    self.finish(i, cx);
                }
            },
            (St::Waiting, Some(_)) => self.begin(i, cx),
            (St::Work, Some(conn)) => {
                self.buyers[i].st = St::Decr;
                send(cx, conn, &["DECR", &self.spec.key]);
            }
            _ => {}
        }
    }

    fn token(&self, i: usize) -> String {
        format!("buyer{i}-{}", self.buyers[i].attempt)
    }

    fn lock_key(&self) -> String {
        format!("{}:lock", self.spec.key)
    }

    /// The first command of an attempt.
    fn begin(&mut self, i: usize, cx: &mut Cx) {
        let Some(conn) = self.buyers[i].conn else {
            return;
        };
        let key = self.spec.key.clone();
        let (st, parts): (St, Vec<String>) = match self.spec.strategy {
            Strategy::Naive | Strategy::Multi => (St::Get, vec!["GET".into(), key]),
            Strategy::Watch => (St::Watch, vec!["WATCH".into(), key]),
            Strategy::Script => (
                St::Eval,
                vec!["EVAL".into(), BUY_SCRIPT.into(), "1".into(), key],
            ),
            Strategy::Lock => (St::Check, vec!["GET".into(), key]),
        };
        self.buyers[i].st = st;
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        send(cx, conn, &refs);
    }

    fn on_reply(&mut self, i: usize, r: &Reply, cx: &mut Cx) {
        let Some(conn) = self.buyers[i].conn else {
            return;
        };
        let key = self.spec.key.clone();
        if let Reply::Error(_) = r {
            if !matches!(self.buyers[i].st, St::Release) {
                self.stats.errors += 1;
                return self.finish(i, cx);
            }
        }
        let lock = self.spec.strategy == Strategy::Lock;
        match self.buyers[i].st {
            St::Check => match int_of(r) {
                Some(n) if n > 0 => {
                    self.buyers[i].attempt += 1;
                    self.buyers[i].st = St::Lock;
                    let (lock, token) = (self.lock_key(), self.token(i));
                    let ttl = self.spec.lock_ttl_ms.max(1).to_string();
                    send(cx, conn, &["SET", &lock, &token, "NX", "PX", &ttl]);
                }
                _ => {
                    self.stats.sold_out += 1;
                    self.finish(i, cx);
                }
            },
            St::Watch => {
                self.buyers[i].st = St::Get;
                send(cx, conn, &["GET", &key]);
            }
            St::Get => match int_of(r) {
                Some(n) if n > 0 => match self.spec.strategy {
                    Strategy::Multi | Strategy::Watch => {
                        self.buyers[i].st = St::Multi;
                        send(cx, conn, &["MULTI"]);
                    }
                    Strategy::Lock if self.spec.work_ms > 0 => {
                        self.buyers[i].st = St::Work;
                        cx.timer(
                            self.spec.work_ms,
                            Timer::Client(ClientTimer::Buyer(i as u32)),
                        );
                    }
                    _ => {
                        self.buyers[i].st = St::Decr;
                        send(cx, conn, &["DECR", &key]);
                    }
                },
                _ => {
                    self.stats.sold_out += 1;
                    if lock {
                        self.release(i, cx);
                    } else {
                        self.finish(i, cx);
                    }
                }
            },
            St::Multi => {
                self.buyers[i].st = St::Queued;
                send(cx, conn, &["DECR", &key]);
            }
            St::Queued => {
                self.buyers[i].st = St::Exec;
                send(cx, conn, &["EXEC"]);
            }
            St::Exec => match r {
                Reply::Array(items) => {
                    let left = items.first().and_then(int_of);
                    self.bought(i, left, cx);
                    self.finish(i, cx);
                }
                _ => {
                    // WATCH: someone touched the stock; start over.
                    self.stats.watch_retries += 1;
                    self.retry_later(i, cx);
                }
            },
            St::Decr => {
                self.bought(i, int_of(r), cx);
                if lock {
                    self.release(i, cx);
                } else {
                    self.finish(i, cx);
                }
            }
            St::Eval => match int_of(r) {
                Some(n) if n >= 0 => {
                    self.bought(i, Some(n), cx);
                    self.finish(i, cx);
                }
                _ => {
                    self.stats.sold_out += 1;
                    self.finish(i, cx);
                }
            },
            St::Lock => {
                if matches!(r, Reply::Nil) {
                    self.stats.lock_failed += 1;
                    self.retry_later(i, cx);
                } else {
                    self.buyers[i].st = St::Get;
                    send(cx, conn, &["GET", &key]);
                }
            }
            St::Release => {
                let mine = self.token(i);
                match r {
                    Reply::Int(0) | Reply::Nil => self.stats.lock_expired += 1,
                    Reply::Bulk(v) if v != mine.as_bytes() => {
                        self.stats.lock_expired += 1;
                        self.stats.foreign_releases += 1;
                    }
                    _ => {}
                }
                self.finish(i, cx);
            }
            St::Waiting | St::Work | St::Done => {}
        }
    }

    fn retry_later(&mut self, i: usize, cx: &mut Cx) {
        self.buyers[i].st = St::Waiting;
        if self.spec.retry_ms == 0 {
            return self.begin(i, cx);
        }
        let wait = self
            .spec
            .retry_ms
            .saturating_add(cx.rand_below(self.spec.retry_ms));
        cx.timer(wait, Timer::Client(ClientTimer::Buyer(i as u32)));
    }

    fn release(&mut self, i: usize, cx: &mut Cx) {
        let Some(conn) = self.buyers[i].conn else {
            return;
        };
        self.buyers[i].st = St::Release;
        let script = if self.spec.safe_release {
            UNLOCK_SCRIPT
        } else {
            DEL_SCRIPT
        };
        let (lock, token) = (self.lock_key(), self.token(i));
        send(cx, conn, &["EVAL", script, "1", &lock, &token]);
    }

    fn bought(&mut self, i: usize, left: Option<i64>, cx: &mut Cx) {
        self.stats.purchases += 1;
        self.buyers[i].bought = true;
        if cx.tracing {
            let left = left.map_or("?".into(), |n| n.to_string());
            let text = format!("buyer {i} bought one unit; {} is now {left}", self.spec.key);
            cx.trace(TraceKind::Op { op: i as u64, text });
        }
    }

    fn finish(&mut self, i: usize, cx: &mut Cx) {
        self.buyers[i].st = St::Done;
        self.stats.finished += 1;
        if let Some(conn) = self.buyers[i].conn.take() {
            self.by_conn.remove(&conn);
            cx.close(conn, "buyer done");
        }
        if self.stats.finished == self.buyers.len() as u64 && cx.tracing {
            let s = &self.stats;
            let text = format!(
                "sale over ({:?}): {} buyers, {} purchases of {} units",
                self.spec.strategy,
                self.buyers.len(),
                s.purchases,
                self.spec.stock
            );
            cx.trace(TraceKind::Op { op: 0, text });
        }
    }
}
