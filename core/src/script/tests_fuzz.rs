//! Random and mutated scripts never panic: compile errors or replies only.

use super::*;
use crate::data::Reply;
use crate::rng::Rng;

struct Echo;

impl Host for Echo {
    fn call(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        match argv.len() {
            1 => Reply::Nil,
            2 => Reply::Int(argv[1].len() as i64),
            _ => Reply::Array(argv.into_iter().map(Reply::Bulk).collect()),
        }
    }
    fn log(&mut self, _: i64, _: String) {}
}

const SEEDS: &[&str] = &[
    "local s = tonumber(redis.call('get', KEYS[1])) if s and s > 0 then return redis.call('decr', KEYS[1]) end return -1",
    "local t = {} for i = 1, 10 do t[#t + 1] = i end local n = 0 for k, v in pairs(t) do n = n + k * v end return {n, 'x', t}",
    "local function f(a, b) if a > b then return a .. b else return string.format('%d-%s', a, b) end end return f(1, 2)",
    "while false do end repeat until x",
    "return {ok = 'a'}, {err = 'b'} .. #KEYS + (ARGV[1] or 0) ^ 2 % 3",
    "local a, b, c = unpack({1, 2}) return ((a or b) and not c) == true",
    "if redis.call('exists', 'lock') == 1 then return redis.error_reply('busy') elseif 1 then end",
];

const PIECES: &[&str] = &[
    "local",
    "function",
    "end",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "=",
    "==",
    "..",
    "...",
    "+",
    "-",
    "#",
    "not",
    "and",
    "or",
    "if",
    "then",
    "else",
    "for",
    "in",
    "do",
    "while",
    "return",
    "break",
    "x",
    "1",
    "'s'",
    "\"",
    "[[",
    "]]",
    "--",
    ",",
    ";",
    ":",
    ".",
    "nil",
    "true",
    "1e999",
    "0x",
    "redis.call('get','k')",
    "pairs",
    "string.format('%5.1f', 1)",
    "\\",
    "\n",
    "%",
    "^",
    "<",
    ">=",
    "~=",
];

#[test]
fn random_scripts_never_panic() {
    let mut rng = Rng::new(8);
    for round in 0..4000u32 {
        let mut src: Vec<u8> = SEEDS[round as usize % SEEDS.len()].as_bytes().to_vec();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(src.len() as u64 + 1) as usize;
            match rng.below(3) {
                0 => {
                    let p = PIECES[rng.below(PIECES.len() as u64) as usize];
                    src.splice(at..at, p.bytes().chain([b' ']));
                }
                1 if at < src.len() => {
                    let end = (at + 1 + rng.below(8) as usize).min(src.len());
                    src.drain(at..end);
                }
                _ => src.insert(at, rng.below(256) as u8),
            }
        }
        if let Ok(code) = compile(&src) {
            let _ = run(&code, "sha", &[b"k".to_vec()], &[b"5".to_vec()], &mut Echo);
        }
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = format!("return {}1{}", "(".repeat(500), ")".repeat(500));
    assert!(compile(deep.as_bytes())
        .unwrap_err()
        .contains("too many syntax levels"));
    let deep = format!("return {}1", "not ".repeat(500));
    assert!(compile(deep.as_bytes()).is_err());
}
