//! Lua scripts built from the fuzzer's bytes by a grammar of the subset
//! (docs/simplifications.md, "The Lua subset"), so nearly every input
//! parses and runs: blocks, loops, closures, tables, the libraries and
//! `redis.call` into a real master. `lua.rs` fuzzes the parser on raw
//! bytes; this target reaches the evaluator. Each script runs by `EVAL` on
//! two clones of the sandbox, which must reply the same (determinism).
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use replilab_core::data::quote_arg;

#[path = "sandbox.rs"]
mod sandbox;

/// Writes a program into `out`, drawing every choice from `u`.
struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    out: String,
    /// Locals in scope (names `v0`, `v1`, ...).
    vars: usize,
    depth: u32,
    /// Loops around the statement being written (at most two deep: deeper
    /// nests ran into the step budget at 0.1–1 s an input, which drew the
    /// fuzzer's time away from everything else).
    loops: u32,
}

const CMDS: &[&str] = &[
    "'get', KEYS[1]",
    "'set', KEYS[1], ARGV[1]",
    "'incr', KEYS[1]",
    "'del', KEYS[1]",
    "'lpush', 'l', ARGV[2]",
    "'lrange', 'l', 0, -1",
    "'hset', 'h', 'f', 1",
    "'hgetall', 'h'",
    "'expire', KEYS[1], 10",
    "'ttl', KEYS[1]",
    "'exists', KEYS[1]",
    "'nosuch'",
    "'eval', 'return 1', 0",
    "'ping'",
];
const STRS: &[&str] = &[
    "'a'", "'%d-%s'", "'%5.2f'", "'%x'", "''", "'10'", "'1e3'", "' 7 '", "[[x\ny]]",
];
const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or",
];

impl Gen<'_, '_> {
    fn pick<'s>(&mut self, from: &[&'s str]) -> Result<&'s str> {
        Ok(from[self.u.choose_index(from.len())?])
    }
    fn var(&mut self) -> Result<String> {
        Ok(match self.vars {
            0 => "KEYS".to_string(),
            n => format!("v{}", self.u.choose_index(n)?),
        })
    }
    fn expr(&mut self) -> Result<()> {
        if self.depth > 6 || self.u.is_empty() {
            let n: i8 = self.u.arbitrary()?;
            self.out.push_str(&n.to_string());
            return Ok(());
        }
        self.depth += 1;
        match self.u.int_in_range(0..=17u8)? {
            0 => {
                let n: i32 = self.u.arbitrary()?;
                self.out.push_str(&n.to_string());
            }
            1 => self.out.push_str("0.5"),
            2 => {
                let s = self.pick(STRS)?;
                self.out.push_str(s);
            }
            3 => {
                let v = self.var()?;
                self.out.push_str(&v);
            }
            4 => {
                let atom = self.pick(&["nil", "true", "false", "math.huge", "#KEYS", "ARGV[2]"])?;
                self.out.push_str(atom);
            }
            5 | 6 => {
                self.out.push('(');
                self.expr()?;
                let op = self.pick(BINOPS)?;
                self.out.push_str(&format!(" {op} "));
                self.expr()?;
                self.out.push(')');
            }
            7 => {
                let op = self.pick(&["-", "not ", "#"])?;
                self.out.push_str(op);
                self.expr()?;
            }
            8 => {
                self.out.push('{');
                for i in 0..self.u.int_in_range(0..=3u8)? {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    if self.u.ratio(1, 3)? {
                        let field = self.pick(&["ok = ", "err = ", "[2] = ", "x = "])?;
                        self.out.push_str(field);
                    }
                    self.expr()?;
                }
                self.out.push('}');
            }
            9 | 10 => {
                let f = self.pick(&["redis.call", "redis.pcall"])?;
                let c = self.pick(CMDS)?;
                self.out.push_str(&format!("{f}({c})"));
            }
            11 => {
                let f = self.pick(&[
                    "tonumber",
                    "tostring",
                    "type",
                    "string.len",
                    "string.upper",
                    "math.floor",
                    "math.abs",
                    "unpack",
                    "redis.sha1hex",
                    "redis.status_reply",
                    "redis.error_reply",
                ])?;
                self.out.push_str(f);
                self.out.push('(');
                self.expr()?;
                self.out.push(')');
            }
            12 => {
                let f = self.pick(&[
                    "string.format",
                    "string.rep",
                    "string.sub",
                    "math.max",
                    "math.min",
                    "table.concat",
                    "next",
                    "pcall",
                ])?;
                self.out.push_str(f);
                self.out.push('(');
                self.expr()?;
                self.out.push_str(", ");
                self.expr()?;
                self.out.push(')');
            }
            13 => {
                self.out.push_str("(function(a, ...) ");
                self.block(2)?;
                self.out.push_str(" return a end)(");
                self.expr()?;
                self.out.push(')');
            }
            14 => {
                let v = self.var()?;
                self.out.push_str(&format!("{v}["));
                self.expr()?;
                self.out.push(']');
            }
            15 => {
                self.out.push_str("tostring(");
                self.expr()?;
                self.out.push_str("):upper()");
            }
            16 => self.out.push_str("select('#', 1, 2)"),
            _ => {
                self.out.push_str("string.format('%g %s', ");
                self.expr()?;
                self.out.push_str(", ");
                self.expr()?;
                self.out.push(')');
            }
        }
        self.depth -= 1;
        Ok(())
    }
    fn stat(&mut self) -> Result<()> {
        if self.depth > 4 {
            return self.expr_stat();
        }
        self.depth += 1;
        let kind = match self.u.int_in_range(0..=10u8)? {
            4 | 5 if self.loops >= 2 => 10,
            k => k,
        };
        match kind {
            0 | 1 => {
                self.out.push_str(&format!("local v{} = ", self.vars));
                self.expr()?;
                self.vars += 1;
            }
            2 => {
                let v = self.var()?;
                self.out.push_str(&format!("{v} = "));
                self.expr()?;
            }
            3 => {
                self.out.push_str("if ");
                self.expr()?;
                self.out.push_str(" then ");
                self.block(3)?;
                if self.u.arbitrary()? {
                    self.out.push_str(" else ");
                    self.block(3)?;
                }
                self.out.push_str(" end");
            }
            4 => {
                // Short loops: a run into the step budget takes ~0.1 s, and
                // unit tests cover the budget (script/tests.rs).
                let v = self.vars;
                let (from, to): (i8, u8) =
                    (self.u.int_in_range(-2..=2)?, self.u.int_in_range(0..=6)?);
                self.out.push_str(&format!("for v{v} = {from}, {to} do "));
                self.loop_body(1)?;
            }
            5 => {
                let (k, v) = (self.vars, self.vars + 1);
                let it = self.pick(&["pairs", "ipairs"])?;
                self.out.push_str(&format!("for v{k}, v{v} in {it}("));
                self.expr()?;
                self.out.push_str(") do ");
                self.loop_body(2)?;
            }
            6 => {
                self.out.push_str("while ");
                self.expr()?;
                self.out.push_str(" do ");
                self.block(3)?;
                self.out.push_str(" break end");
            }
            7 => {
                self.out
                    .push_str(&format!("local function v{}(a, b) ", self.vars));
                self.vars += 1;
                self.block(3)?;
                self.out.push_str(" return a, b end");
            }
            8 => {
                self.out.push_str("table.insert(KEYS, ");
                self.expr()?;
                self.out.push(')');
            }
            9 => {
                self.out.push_str("if ");
                self.expr()?;
                self.out.push_str(" then return ");
                self.expr()?;
                self.out.push_str(" end");
            }
            _ => self.expr_stat()?,
        }
        self.depth -= 1;
        Ok(())
    }
    /// A loop's body with its `vars` loop variables in scope, and its `end`.
    fn loop_body(&mut self, vars: usize) -> Result<()> {
        self.vars += vars;
        self.loops += 1;
        self.block(3)?;
        self.loops -= 1;
        self.vars -= vars;
        self.out.push_str(" end");
        Ok(())
    }
    /// A call as a statement.
    fn expr_stat(&mut self) -> Result<()> {
        let c = self.pick(CMDS)?;
        let f = self.pick(&[
            "redis.call",
            "redis.pcall",
            "redis.log(redis.LOG_WARNING, 'x') --",
        ])?;
        self.out.push_str(&format!("{f}({c})"));
        Ok(())
    }
    fn block(&mut self, most: u8) -> Result<()> {
        let vars = self.vars;
        for _ in 0..self.u.int_in_range(0..=most)? {
            self.stat()?;
            self.out.push('\n');
        }
        self.vars = vars;
        Ok(())
    }
}

fn program(data: &[u8]) -> Result<String> {
    let mut u = Unstructured::new(data);
    let mut g = Gen {
        u: &mut u,
        out: String::new(),
        vars: 0,
        depth: 0,
        loops: 0,
    };
    g.block(8)?;
    g.out.push_str("return ");
    g.expr()?;
    Ok(g.out)
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = program(data) else { return };
    // LUA_GEN_PRINT=1 .../lua_gen FILE prints the script an input makes.
    if std::env::var_os("LUA_GEN_PRINT").is_some() {
        eprintln!("{body}");
    }
    let run = || {
        let (mut sim, m) = sandbox::fresh();
        let reply = sim.console(m, &format!("EVAL {} 1 k a b", quote_arg(body.as_bytes())));
        let _ = sim.run_for(10);
        format!("{reply:?}")
    };
    assert_eq!(run(), run(), "{body}");
});
