//! The tree-walking evaluator. Locals live in cells on a scope stack; a
//! function value captures the cells visible where it was created, so
//! closures share upvalues as in Lua. Globals are the read-only library
//! table: reading an undefined global or assigning any global is an error,
//! as in Redis 7 scripts. Every statement and loop iteration costs a step.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{BinOp, Block, Expr, Stat, UnOp};
use super::stdlib::{call_builtin, Builtin};
use super::value::{Cell, Table, Val};
use super::Host;

/// Steps (statements and loop iterations) a script may take.
pub const STEP_BUDGET: u64 = 1_000_000;
/// Nesting of calls and expressions (Lua's C-stack limit is 200).
const MAX_DEPTH: u32 = 150;
/// The longest string a script may build.
pub const MAX_STRING: usize = 16 << 20;

/// A script error: the error text (with its code, e.g. `ERR user_script:1: boom`
/// or a command's `ERR value is not an integer or out of range`) and its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LuaError {
    pub msg: String,
    pub line: u32,
}

pub enum Flow {
    Normal,
    Break,
    Return(Vec<Val>),
}

pub struct Interp<'h> {
    pub host: &'h mut dyn Host,
    pub globals: Table,
    scope: Vec<(Rc<str>, Cell)>,
    steps: u64,
    depth: u32,
    pub line: u32,
}

fn cell(v: Val) -> Cell {
    Rc::new(RefCell::new(v))
}

/// "local 'x' (a nil value)", or "a nil value" when Lua cannot name the operand.
pub(super) fn phrase(what: &str, ty: &str) -> String {
    if what.is_empty() {
        format!("a {ty} value")
    } else {
        format!("{what}(a {ty} value)")
    }
}

/// How Lua 5.1 names an operand in an error ("local 'x'", "field 'y'").
fn describe(e: &Expr, is_local: bool) -> String {
    match e {
        Expr::Name(n) if is_local => format!("local '{n}' "),
        Expr::Name(n) => format!("global '{n}' "),
        Expr::Index(_, k) => match &**k {
            Expr::Const(Val::Str(s)) => format!("field '{}' ", String::from_utf8_lossy(s)),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

impl<'h> Interp<'h> {
    /// The scope a closure made here captures (`sweep` breaks its cycles).
    fn capture(&self) -> Rc<super::sweep::Scope> {
        let s = Rc::new(self.scope.clone());
        super::sweep::scope(&s);
        s
    }
    pub fn new(host: &'h mut dyn Host, globals: Table) -> Interp<'h> {
        Interp {
            host,
            globals,
            scope: Vec::new(),
            steps: 0,
            depth: 0,
            line: 1,
        }
    }

    /// A runtime error at the current line.
    pub fn rt(&self, msg: impl std::fmt::Display) -> LuaError {
        LuaError {
            msg: format!("ERR user_script:{}: {msg}", self.line),
            line: self.line,
        }
    }

    /// An error raised with a ready-made text (`redis.call`'s error replies).
    pub fn raise(&self, msg: &str) -> LuaError {
        LuaError {
            msg: msg.to_string(),
            line: self.line,
        }
    }

    fn step(&mut self) -> Result<(), LuaError> {
        self.charge(16)
    }

    /// Charges work proportional to `n` (hash-part entries searched) to the budget.
    pub fn charge(&mut self, n: usize) -> Result<(), LuaError> {
        self.steps += n as u64 / 16;
        if self.steps > STEP_BUDGET {
            return Err(self.rt(format_args!(
                "script exceeded the lab's budget of {STEP_BUDGET} steps"
            )));
        }
        Ok(())
    }

    /// Charges the building of `n` bytes of strings, 64 bytes a step: the step
    /// budget then also bounds what a script builds in all (64 MB), where a loop
    /// making ever longer strings would otherwise fill the memory.
    pub fn charge_bytes(&mut self, n: usize) -> Result<(), LuaError> {
        self.charge(n / 4)
    }

    fn enter(&mut self) -> Result<(), LuaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.rt("stack overflow"));
        }
        Ok(())
    }

    fn lookup(&self, name: &str) -> Option<&Cell> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, c)| c)
    }

    pub(super) fn operand(&self, e: &Expr) -> String {
        let local = matches!(e, Expr::Name(n) if self.lookup(n).is_some());
        describe(e, local)
    }

    pub fn exec_block(&mut self, b: &Block) -> Result<Flow, LuaError> {
        let mark = self.scope.len();
        let r = self.exec_stats(b);
        self.scope.truncate(mark);
        r
    }

    fn exec_stats(&mut self, b: &Block) -> Result<Flow, LuaError> {
        for (line, s) in b {
            self.line = *line;
            self.step()?;
            match self.exec(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &Stat) -> Result<Flow, LuaError> {
        match s {
            Stat::Local(names, exprs) => {
                let mut vals = self.eval_list(exprs)?;
                vals.resize(names.len(), Val::Nil);
                for (n, v) in names.iter().zip(vals) {
                    self.scope.push((n.clone(), cell(v)));
                }
            }
            Stat::LocalFunc(name, def) => {
                let c = cell(Val::Nil);
                self.scope.push((name.clone(), c.clone()));
                *c.borrow_mut() = Val::Func(def.clone(), self.capture());
            }
            Stat::Assign(targets, exprs) => {
                let mut vals = self.eval_list(exprs)?;
                vals.resize(targets.len(), Val::Nil);
                for (t, v) in targets.iter().zip(vals) {
                    self.assign(t, v)?;
                }
            }
            Stat::Call(e) => {
                self.eval_multi(e)?;
            }
            Stat::If(arms, other) => {
                for (cond, body) in arms {
                    if self.eval(cond)?.truthy() {
                        return self.exec_block(body);
                    }
                }
                if let Some(body) = other {
                    return self.exec_block(body);
                }
            }
            Stat::While(cond, body) => {
                while self.eval(cond)?.truthy() {
                    self.step()?;
                    match self.exec_block(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal => {}
                    }
                }
            }
            Stat::NumFor(name, a, b, c, body) => return self.num_for(name, a, b, c.as_ref(), body),
            Stat::GenFor(names, exprs, body) => return self.gen_for(names, exprs, body),
            Stat::Do(body) => return self.exec_block(body),
            Stat::Return(exprs) => return Ok(Flow::Return(self.eval_list(exprs)?)),
            Stat::Break => return Ok(Flow::Break),
        }
        Ok(Flow::Normal)
    }

    fn num_for(
        &mut self,
        name: &Rc<str>,
        a: &Expr,
        b: &Expr,
        c: Option<&Expr>,
        body: &Block,
    ) -> Result<Flow, LuaError> {
        let num = |me: &mut Self, e: &Expr, what: &str| -> Result<f64, LuaError> {
            let v = me.eval(e)?;
            v.to_num()
                .ok_or_else(|| me.rt(format_args!("'for' {what} must be a number")))
        };
        let mut i = num(self, a, "initial value")?;
        let limit = num(self, b, "limit")?;
        let step = match c {
            Some(e) => num(self, e, "step")?,
            None => 1.0,
        };
        while (step > 0.0 && i <= limit) || (step <= 0.0 && i >= limit) {
            self.step()?;
            let mark = self.scope.len();
            self.scope.push((name.clone(), cell(Val::Num(i))));
            let r = self.exec_block(body);
            self.scope.truncate(mark);
            match r? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal => {}
            }
            i += step;
        }
        Ok(Flow::Normal)
    }

    fn gen_for(
        &mut self,
        names: &[Rc<str>],
        exprs: &[Expr],
        body: &Block,
    ) -> Result<Flow, LuaError> {
        let mut init = self.eval_list(exprs)?;
        init.resize(3, Val::Nil);
        let (f, st, mut ctrl) = (init[0].clone(), init[1].clone(), init[2].clone());
        loop {
            self.step()?;
            let mut vals = self.call(&f, vec![st.clone(), ctrl.clone()], "")?;
            vals.resize(names.len().max(1), Val::Nil);
            if matches!(vals[0], Val::Nil) {
                break;
            }
            ctrl = vals[0].clone();
            let mark = self.scope.len();
            for (n, v) in names.iter().zip(vals) {
                self.scope.push((n.clone(), cell(v)));
            }
            let r = self.exec_block(body);
            self.scope.truncate(mark);
            match r? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal => {}
            }
        }
        Ok(Flow::Normal)
    }

    fn assign(&mut self, target: &Expr, v: Val) -> Result<(), LuaError> {
        match target {
            Expr::Name(n) => match self.lookup(n) {
                Some(c) => *c.borrow_mut() = v,
                None => return Err(self.rt("Attempt to modify a readonly table")),
            },
            Expr::Index(obj, key) => {
                let t = self.eval(obj)?;
                let k = self.eval(key)?;
                let Val::Table(t) = t else {
                    let what = self.operand(obj);
                    return Err(self.rt(format_args!(
                        "attempt to index {}",
                        phrase(&what, t.type_name())
                    )));
                };
                self.charge(t.borrow().hash.len())?;
                // A string key is compared with the keys searched (`charge_bytes`).
                self.charge_bytes(k.str_len())?;
                match k {
                    Val::Nil => return Err(self.rt("table index is nil")),
                    Val::Num(n) if n.is_nan() => return Err(self.rt("table index is NaN")),
                    k => t.borrow_mut().set(k, v),
                }
            }
            _ => return Err(self.rt("syntax error")),
        }
        Ok(())
    }

    /// Evaluates a list; the last expression contributes all its values.
    pub fn eval_list(&mut self, exprs: &[Expr]) -> Result<Vec<Val>, LuaError> {
        let mut out = Vec::with_capacity(exprs.len());
        for (i, e) in exprs.iter().enumerate() {
            if i + 1 == exprs.len() {
                out.extend(self.eval_multi(e)?);
            } else {
                out.push(self.eval(e)?);
            }
        }
        Ok(out)
    }

    /// All values of an expression (calls may return several).
    fn eval_multi(&mut self, e: &Expr) -> Result<Vec<Val>, LuaError> {
        match e {
            Expr::Call(f, args) => {
                let fv = self.eval(f)?;
                let args = self.eval_list(args)?;
                let what = self.operand(f);
                self.call(&fv, args, &what)
            }
            Expr::Method(obj, name, args) => {
                let o = self.eval(obj)?;
                let key = Val::str(name.as_bytes());
                let f = self.index(&o, &key, obj)?;
                let mut a = vec![o];
                a.extend(self.eval_list(args)?);
                self.call(&f, a, &format!("method '{name}' "))
            }
            _ => Ok(vec![self.eval(e)?]),
        }
    }

    pub fn call(&mut self, f: &Val, args: Vec<Val>, what: &str) -> Result<Vec<Val>, LuaError> {
        self.enter()?;
        let r = match f {
            Val::Builtin(b) => call_builtin(self, *b, args),
            Val::Func(def, captured) => {
                let saved = std::mem::replace(&mut self.scope, (**captured).clone());
                let line = self.line;
                let mut args = args.into_iter();
                for p in &def.params {
                    self.scope
                        .push((p.clone(), cell(args.next().unwrap_or(Val::Nil))));
                }
                let r = self.exec_block(&def.body);
                self.scope = saved;
                self.line = line;
                r.map(|flow| match flow {
                    Flow::Return(v) => v,
                    _ => Vec::new(),
                })
            }
            other => Err(self.rt(format_args!(
                "attempt to call {}",
                phrase(what, other.type_name())
            ))),
        };
        self.depth -= 1;
        r
    }

    fn index(&mut self, o: &Val, k: &Val, obj: &Expr) -> Result<Val, LuaError> {
        match o {
            Val::Table(t) => {
                self.charge(t.borrow().hash.len())?;
                self.charge_bytes(k.str_len())?;
                Ok(t.borrow().get(k))
            }
            // Strings index the string library (`("x"):upper()`).
            Val::Str(_) => Ok(match k {
                Val::Str(name) => Builtin::string_fn(name)
                    .map(Val::Builtin)
                    .unwrap_or(Val::Nil),
                _ => Val::Nil,
            }),
            _ => {
                let what = self.operand(obj);
                Err(self.rt(format_args!(
                    "attempt to index {}",
                    phrase(&what, o.type_name())
                )))
            }
        }
    }

    pub fn eval(&mut self, e: &Expr) -> Result<Val, LuaError> {
        self.enter()?;
        let r = self.eval_inner(e);
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, e: &Expr) -> Result<Val, LuaError> {
        Ok(match e {
            Expr::Const(v) => v.clone(),
            Expr::Name(n) => match self.lookup(n) {
                Some(c) => c.borrow().clone(),
                None => match self.globals.get(&Val::str(n.as_bytes())) {
                    Val::Nil => {
                        return Err(self.rt(format_args!(
                            "Script attempted to access nonexistent global variable '{n}'"
                        )))
                    }
                    v => v,
                },
            },
            Expr::Index(obj, key) => {
                let o = self.eval(obj)?;
                let k = self.eval(key)?;
                self.index(&o, &k, obj)?
            }
            Expr::Call(..) | Expr::Method(..) => {
                self.eval_multi(e)?.into_iter().next().unwrap_or(Val::Nil)
            }
            Expr::Paren(inner) => self.eval(inner)?,
            Expr::Func(def) => Val::Func(def.clone(), self.capture()),
            Expr::Table(items) => {
                let mut t = Table::default();
                let mut n = 0.0;
                for (i, (k, v)) in items.iter().enumerate() {
                    match k {
                        Some(k) => {
                            let k = self.eval(k)?;
                            let v = self.eval(v)?;
                            if matches!(k, Val::Nil) {
                                return Err(self.rt("table index is nil"));
                            }
                            t.set(k, v);
                        }
                        None if i + 1 == items.len() => {
                            for v in self.eval_multi(v)? {
                                n += 1.0;
                                t.set(Val::Num(n), v);
                            }
                        }
                        None => {
                            n += 1.0;
                            let v = self.eval(v)?;
                            t.set(Val::Num(n), v);
                        }
                    }
                }
                Val::table(t)
            }
            Expr::Un(op, x) => {
                let v = self.eval(x)?;
                match (op, &v) {
                    (UnOp::Not, _) => Val::Bool(!v.truthy()),
                    (UnOp::Neg, _) => match v.to_num() {
                        Some(n) => Val::Num(-n),
                        None => return Err(self.arith_err(x, &v)),
                    },
                    (UnOp::Len, Val::Str(s)) => Val::Num(s.len() as f64),
                    (UnOp::Len, Val::Table(t)) => Val::Num(t.borrow().len() as f64),
                    (UnOp::Len, _) => {
                        let what = self.operand(x);
                        return Err(self.rt(format_args!(
                            "attempt to get length of {}",
                            phrase(&what, v.type_name())
                        )));
                    }
                }
            }
            Expr::Bin(BinOp::And, a, b) => {
                let l = self.eval(a)?;
                if l.truthy() {
                    self.eval(b)?
                } else {
                    l
                }
            }
            Expr::Bin(BinOp::Or, a, b) => {
                let l = self.eval(a)?;
                if l.truthy() {
                    l
                } else {
                    self.eval(b)?
                }
            }
            Expr::Bin(op, a, b) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                self.binary(*op, l, r, a, b)?
            }
        })
    }
}
