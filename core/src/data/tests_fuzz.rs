//! Nothing a user types may panic: random lines through `split_args`, and
//! random argvs through `exec_data` under every profile and role.

use super::{exec_data, split_args, ActiveExpireBudget, DataStats, Db, Effects, ExecEnv, Role};
use crate::profile::Profile;

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len() as u64) as usize]
    }
}

const NAMES: &[&str] = &[
    "SET",
    "GET",
    "DEL",
    "UNLINK",
    "EXISTS",
    "MGET",
    "MSET",
    "INCR",
    "DECR",
    "INCRBY",
    "DECRBY",
    "APPEND",
    "STRLEN",
    "EXPIRE",
    "PEXPIRE",
    "EXPIREAT",
    "PEXPIREAT",
    "TTL",
    "PTTL",
    "EXPIRETIME",
    "PEXPIRETIME",
    "PERSIST",
    "SETEX",
    "PSETEX",
    "SETNX",
    "GETEX",
    "GETDEL",
    "DBSIZE",
    "KEYS",
    "SCAN",
    "TYPE",
    "FLUSHALL",
    "FLUSHDB",
    "SELECT",
    "RANDOMKEY",
    "PING",
    "ECHO",
    "CONFIG",
    "CLIENT",
    "INFO",
    "MULTI",
    "nosuch",
    "",
];

const TOKENS: &[&str] = &[
    "k",
    "k2",
    "x",
    "0",
    "1",
    "-1",
    "10",
    "100",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775",
    "9999999999999999",
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "NX",
    "XX",
    "GT",
    "LT",
    "GET",
    "KEEPTTL",
    "PERSIST",
    "COUNT",
    "MATCH",
    "TYPE",
    "ASYNC",
    "*",
    "[",
    "\\",
    "[^a-",
    "a*b?",
    "",
    "\u{0}",
    "SYNC",
    "get",
    "string",
    "007",
    "18446744073709551615",
];

fn random_argv(rng: &mut SplitMix) -> Vec<Vec<u8>> {
    let n = rng.below(7) as usize;
    let mut argv = vec![rng.pick(NAMES).as_bytes().to_vec()];
    for _ in 0..n {
        if rng.below(10) == 0 {
            let len = rng.below(12) as usize;
            argv.push((0..len).map(|_| rng.next() as u8).collect());
        } else {
            argv.push(rng.pick(TOKENS).as_bytes().to_vec());
        }
    }
    argv
}

#[test]
fn fifty_thousand_random_commands_never_panic() {
    let mut rng = SplitMix(0x5eed);
    let profiles = [Profile::V3_0, Profile::V6_2, Profile::V7_0];
    let roles = [
        Role::Master,
        Role::Replica { read_only: true },
        Role::Replica { read_only: false },
    ];
    let mut db = Db::new();
    let mut stats = DataStats::default();
    let mut now_ms: i64 = 1_000_000;
    for i in 0..50_000u64 {
        let env = ExecEnv {
            now_ms,
            role: roles[rng.below(3) as usize],
            from_master: rng.below(4) == 0,
            profile: profiles[rng.below(3) as usize],
            loading: rng.below(50) == 0,
            rand: rng.next(),
        };
        let argv = random_argv(&mut rng);
        let mut fx = Effects {
            trace_writes: i % 2 == 0,
            ..Effects::default()
        };
        let reply = exec_data(&mut db, &env, &argv, &mut fx, &mut stats);
        let _ = reply.format_cli();
        assert_eq!(reply.to_resp().len() as u64, reply.resp_len());
        let _ = fx.take_propagation();
        if i % 100 == 0 {
            db.active_expire_cycle(&env, &ActiveExpireBudget::default(), &mut fx, &mut stats);
            db.expire_replica_keys(&env, &mut fx, &mut stats);
        }
        now_ms += rng.below(50) as i64;
        // Invariant: the expires index holds exactly the keys with a TTL.
        if i % 1000 == 0 {
            let with_ttl = db.iter().filter(|(_, e)| e.expire_at_ms.is_some()).count();
            assert_eq!(with_ttl, db.expires_count());
        }
    }
}

#[test]
fn random_lines_never_panic_split_args() {
    let mut rng = SplitMix(42);
    let alphabet = [
        'a', ' ', '"', '\'', '\\', 'x', '4', 'f', 'n', '\t', '\0', 'é', '\n',
    ];
    for _ in 0..50_000 {
        let len = rng.below(16) as usize;
        let line: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        if let Ok(argv) = split_args(&line) {
            assert!(argv.len() <= line.len());
        }
    }
}
