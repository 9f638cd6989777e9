//! Recursive-descent parser for the Lua subset, with Lua 5.1's operator
//! priorities (`lparser.c`). Constructs outside the subset are refused here,
//! at compile time, with an error naming them.

use std::rc::Rc;

use super::ast::{BinOp, Block, Expr, FuncDef, Stat, UnOp};
use super::lex::{lex, Tok};
use super::value::Val;

/// Nesting limit of blocks and expressions (Lua: "chunk has too many syntax levels").
const MAX_DEPTH: u32 = 100;

struct Parser {
    toks: Vec<(Tok, u32)>,
    pos: usize,
    depth: u32,
}

/// Parses a chunk into the body of its main function.
pub fn parse(src: &[u8]) -> Result<Block, String> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
    };
    let b = p.block()?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected());
    }
    Ok(b)
}

fn binop(t: &Tok) -> Option<(BinOp, u8, u8)> {
    let Tok::Op(o) = t else { return None };
    Some(match *o {
        "+" => (BinOp::Add, 6, 6),
        "-" => (BinOp::Sub, 6, 6),
        "*" => (BinOp::Mul, 7, 7),
        "/" => (BinOp::Div, 7, 7),
        "%" => (BinOp::Mod, 7, 7),
        "^" => (BinOp::Pow, 10, 9),
        ".." => (BinOp::Concat, 5, 4),
        "==" => (BinOp::Eq, 3, 3),
        "~=" => (BinOp::Ne, 3, 3),
        "<" => (BinOp::Lt, 3, 3),
        "<=" => (BinOp::Le, 3, 3),
        ">" => (BinOp::Gt, 3, 3),
        ">=" => (BinOp::Ge, 3, 3),
        "and" => (BinOp::And, 2, 2),
        "or" => (BinOp::Or, 1, 1),
        _ => return None,
    })
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn line(&self) -> u32 {
        self.toks[self.pos].1
    }
    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn accept(&mut self, op: &str) -> bool {
        let yes = self.is(op);
        if yes {
            self.next();
        }
        yes
    }
    fn err(&self, msg: &str) -> String {
        format!(
            "user_script:{}: {msg} near '{}'",
            self.line(),
            self.peek().near()
        )
    }
    fn unexpected(&self) -> String {
        self.err("unexpected symbol")
    }
    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.accept(op) {
            Ok(())
        } else {
            Err(self.err(&format!("'{op}' expected")))
        }
    }
    fn name(&mut self) -> Result<Rc<str>, String> {
        match self.peek().clone() {
            Tok::Name(n) => {
                self.next();
                Ok(n.into())
            }
            _ => Err(self.err("<name> expected")),
        }
    }
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "user_script:{}: chunk has too many syntax levels",
                self.line()
            ));
        }
        Ok(())
    }
    fn unsupported(&self, what: &str) -> String {
        format!(
            "user_script:{}: {what} is not supported by the lab's Lua subset",
            self.line()
        )
    }

    fn block(&mut self) -> Result<Block, String> {
        self.enter()?;
        let mut out = Vec::new();
        loop {
            while self.accept(";") {}
            let line = self.line();
            match self.peek() {
                Tok::Eof => break,
                Tok::Op("end" | "else" | "elseif" | "until") => break,
                Tok::Op("return") => {
                    self.next();
                    let ends = matches!(
                        self.peek(),
                        Tok::Eof | Tok::Op("end" | "else" | "elseif" | "until" | ";")
                    );
                    let exprs = if ends { Vec::new() } else { self.exprlist()? };
                    self.accept(";");
                    out.push((line, Stat::Return(exprs)));
                    break;
                }
                Tok::Op("break") => {
                    self.next();
                    out.push((line, Stat::Break));
                    break;
                }
                _ => {
                    let s = self.statement()?;
                    out.push((line, s));
                }
            }
        }
        self.depth -= 1;
        Ok(out)
    }

    fn end_block(&mut self) -> Result<Block, String> {
        let b = self.block()?;
        self.expect("end")?;
        Ok(b)
    }

    fn statement(&mut self) -> Result<Stat, String> {
        match self.peek().clone() {
            Tok::Op("if") => {
                self.next();
                let mut arms = Vec::new();
                let mut other = None;
                loop {
                    let cond = self.expr()?;
                    self.expect("then")?;
                    arms.push((cond, self.block()?));
                    if self.accept("elseif") {
                        continue;
                    }
                    if self.accept("else") {
                        other = Some(self.block()?);
                    }
                    self.expect("end")?;
                    break;
                }
                Ok(Stat::If(arms, other))
            }
            Tok::Op("while") => {
                self.next();
                let cond = self.expr()?;
                self.expect("do")?;
                Ok(Stat::While(cond, self.end_block()?))
            }
            Tok::Op("do") => {
                self.next();
                Ok(Stat::Do(self.end_block()?))
            }
            Tok::Op("for") => {
                self.next();
                let first = self.name()?;
                if self.accept("=") {
                    let a = self.expr()?;
                    self.expect(",")?;
                    let b = self.expr()?;
                    let c = if self.accept(",") {
                        Some(self.expr()?)
                    } else {
                        None
                    };
                    self.expect("do")?;
                    return Ok(Stat::NumFor(first, a, b, c, self.end_block()?));
                }
                let mut names = vec![first];
                while self.accept(",") {
                    names.push(self.name()?);
                }
                self.expect("in")?;
                let exprs = self.exprlist()?;
                self.expect("do")?;
                Ok(Stat::GenFor(names, exprs, self.end_block()?))
            }
            Tok::Op("function") => {
                // `function a.b()` assigns a global or a field: Redis 7 refuses
                // new globals at run time, as here.
                self.next();
                let mut target = Expr::Name(self.name()?);
                while self.accept(".") {
                    let k = self.name()?;
                    target = Expr::Index(
                        Box::new(target),
                        Box::new(Expr::Const(Val::str(k.as_bytes()))),
                    );
                }
                if self.is(":") {
                    return Err(self.unsupported("a method definition ('function a:b()')"));
                }
                let f = self.funcbody()?;
                Ok(Stat::Assign(vec![target], vec![Expr::Func(f)]))
            }
            Tok::Op("local") => {
                self.next();
                if self.accept("function") {
                    let n = self.name()?;
                    return Ok(Stat::LocalFunc(n, self.funcbody()?));
                }
                let mut names = vec![self.name()?];
                while self.accept(",") {
                    names.push(self.name()?);
                }
                let exprs = if self.accept("=") {
                    self.exprlist()?
                } else {
                    Vec::new()
                };
                Ok(Stat::Local(names, exprs))
            }
            Tok::Op("repeat") => Err(self.unsupported("'repeat ... until'")),
            Tok::Op("goto") => Err(self.unsupported("'goto'")),
            _ => {
                let e = self.suffixed()?;
                if self.is("=") || self.is(",") {
                    let mut targets = vec![e];
                    while self.accept(",") {
                        targets.push(self.suffixed()?);
                    }
                    self.expect("=")?;
                    if targets
                        .iter()
                        .any(|t| !matches!(t, Expr::Name(_) | Expr::Index(..)))
                    {
                        return Err(self.err("syntax error"));
                    }
                    return Ok(Stat::Assign(targets, self.exprlist()?));
                }
                match e {
                    Expr::Call(..) | Expr::Method(..) => Ok(Stat::Call(e)),
                    _ => Err(self.err("syntax error")),
                }
            }
        }
    }

    fn funcbody(&mut self) -> Result<Rc<FuncDef>, String> {
        self.expect("(")?;
        let mut params = Vec::new();
        if !self.is(")") {
            loop {
                if self.is("...") {
                    return Err(self.unsupported("a variable argument list ('...')"));
                }
                params.push(self.name()?);
                if !self.accept(",") {
                    break;
                }
            }
        }
        self.expect(")")?;
        let body = self.end_block()?;
        Ok(Rc::new(FuncDef { params, body }))
    }

    fn exprlist(&mut self) -> Result<Vec<Expr>, String> {
        let mut v = vec![self.expr()?];
        while self.accept(",") {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.subexpr(0)
    }

    fn subexpr(&mut self, limit: u8) -> Result<Expr, String> {
        self.enter()?;
        let un = match self.peek() {
            Tok::Op("-") => Some(UnOp::Neg),
            Tok::Op("not") => Some(UnOp::Not),
            Tok::Op("#") => Some(UnOp::Len),
            _ => None,
        };
        let mut left = match un {
            Some(op) => {
                self.next();
                let e = self.subexpr(8)?;
                match (op, e) {
                    (UnOp::Neg, Expr::Const(Val::Num(n))) => Expr::Const(Val::Num(-n)),
                    (op, e) => Expr::Un(op, Box::new(e)),
                }
            }
            None => self.simple()?,
        };
        while let Some((op, l, r)) = binop(self.peek()) {
            if l <= limit {
                break;
            }
            self.next();
            let right = self.subexpr(r)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn simple(&mut self) -> Result<Expr, String> {
        let c = |v| Ok(Expr::Const(v));
        match self.peek().clone() {
            Tok::Num(n) => {
                self.next();
                c(Val::Num(n))
            }
            Tok::Str(s) => {
                self.next();
                c(Val::str(&s))
            }
            Tok::Op("nil") => {
                self.next();
                c(Val::Nil)
            }
            Tok::Op("true") => {
                self.next();
                c(Val::Bool(true))
            }
            Tok::Op("false") => {
                self.next();
                c(Val::Bool(false))
            }
            Tok::Op("{") => self.table(),
            Tok::Op("function") => {
                self.next();
                Ok(Expr::Func(self.funcbody()?))
            }
            Tok::Op("...") => Err(self.unsupported("a variable argument list ('...')")),
            _ => self.suffixed(),
        }
    }

    fn suffixed(&mut self) -> Result<Expr, String> {
        let mut e = match self.peek().clone() {
            Tok::Name(n) => {
                self.next();
                Expr::Name(n.into())
            }
            Tok::Op("(") => {
                self.next();
                let inner = self.expr()?;
                self.expect(")")?;
                Expr::Paren(Box::new(inner))
            }
            _ => return Err(self.unexpected()),
        };
        loop {
            match self.peek().clone() {
                Tok::Op(".") => {
                    self.next();
                    let k = self.name()?;
                    e = Expr::Index(Box::new(e), Box::new(Expr::Const(Val::str(k.as_bytes()))));
                }
                Tok::Op("[") => {
                    self.next();
                    let k = self.expr()?;
                    self.expect("]")?;
                    e = Expr::Index(Box::new(e), Box::new(k));
                }
                Tok::Op(":") => {
                    self.next();
                    let m = self.name()?;
                    let args = self.args()?;
                    e = Expr::Method(Box::new(e), m, args);
                }
                Tok::Op("(" | "{") | Tok::Str(_) => {
                    let args = self.args()?;
                    e = Expr::Call(Box::new(e), args);
                }
                _ => return Ok(e),
            }
        }
    }

    fn args(&mut self) -> Result<Vec<Expr>, String> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.next();
                Ok(vec![Expr::Const(Val::str(&s))])
            }
            Tok::Op("{") => Ok(vec![self.table()?]),
            Tok::Op("(") => {
                self.next();
                if self.accept(")") {
                    return Ok(Vec::new());
                }
                let v = self.exprlist()?;
                self.expect(")")?;
                Ok(v)
            }
            _ => Err(self.err("function arguments expected")),
        }
    }

    fn table(&mut self) -> Result<Expr, String> {
        self.expect("{")?;
        let mut items = Vec::new();
        while !self.is("}") {
            if self.accept("[") {
                let k = self.expr()?;
                self.expect("]")?;
                self.expect("=")?;
                items.push((Some(k), self.expr()?));
            } else if matches!(self.peek(), Tok::Name(_))
                && self
                    .toks
                    .get(self.pos + 1)
                    .is_some_and(|t| t.0 == Tok::Op("="))
            {
                let k = self.name()?;
                self.next();
                items.push((Some(Expr::Const(Val::str(k.as_bytes()))), self.expr()?));
            } else {
                items.push((None, self.expr()?));
            }
            if !self.accept(",") && !self.accept(";") {
                break;
            }
        }
        self.expect("}")?;
        Ok(Expr::Table(items))
    }
}
