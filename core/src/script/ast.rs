//! The syntax tree of the Lua subset (`parse.rs` builds it, `eval.rs` walks it).

use std::rc::Rc;

use super::value::Val;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Len,
}

#[derive(Debug)]
pub enum Expr {
    Const(Val),
    Name(Rc<str>),
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    /// `obj:name(args)`.
    Method(Box<Expr>, Rc<str>, Vec<Expr>),
    Func(Rc<FuncDef>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Un(UnOp, Box<Expr>),
    /// Positional items, then `[k] = v` / `name = v` items, in source order.
    Table(Vec<(Option<Expr>, Expr)>),
    /// `(f())`: truncated to one value.
    Paren(Box<Expr>),
}

#[derive(Debug)]
pub enum Stat {
    Local(Vec<Rc<str>>, Vec<Expr>),
    Assign(Vec<Expr>, Vec<Expr>),
    Call(Expr),
    If(Vec<(Expr, Block)>, Option<Block>),
    While(Expr, Block),
    NumFor(Rc<str>, Expr, Expr, Option<Expr>, Block),
    GenFor(Vec<Rc<str>>, Vec<Expr>, Block),
    Do(Block),
    Return(Vec<Expr>),
    Break,
    LocalFunc(Rc<str>, Rc<FuncDef>),
}

/// Statements with the line each starts on (for `user_script:<line>:`).
pub type Block = Vec<(u32, Stat)>;

#[derive(Debug)]
pub struct FuncDef {
    pub params: Vec<Rc<str>>,
    pub body: Block,
}
