//! Why the toolbar's form cannot be applied, worded in both languages.

use replilab_core::action::{self, BadValue};

use super::{t, Field};
use crate::i18n::{Lang, T};

/// Why the form cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Value {
        field: Field,
        bad: BadValue,
        text: String,
    },
    /// A link with nothing to change.
    NoChange,
    /// Both ends are the same node.
    SameNode,
    /// Nothing to cut the node from.
    Alone,
    /// A CONFIG SET longer than a command may be (`action::MAX_LINE_BYTES`).
    TooLong,
}

const EMPTY: T = t(
    "{0}: enter a time, e.g. {1}.",
    "{0}：请输入时间，例如 {1}。",
);
const NEGATIVE: T = t(
    "{0}: cannot be negative ('{1}').",
    "{0}：不能为负数（“{1}”）。",
);
const NOT_TIME: T = t(
    "{0}: '{1}' is not a time. Write it like {2} (ms or s; a bare number is ms).",
    "{0}：“{1}”不是时间。请写成 {2} 这样的形式（单位为 ms 或 s，不带单位即为毫秒）。",
);
const TOO_LONG: T = t(
    "{0}: '{1}' is more than a day (at most {2}).",
    "{0}：“{1}”超过了一天（最多 {2}）。",
);
const NOT_RATE: T = t(
    "{0}: '{1}' is not a rate. Write it like 2mbit or 500B/ms.",
    "{0}：“{1}”不是速率。请写成 2mbit 或 500B/ms 这样的形式。",
);
const RATE_RANGE: T = t(
    "{0}: '{1}' is out of range (1B/ms to {2}).",
    "{0}：“{1}”超出范围（1B/ms 到 {2}）。",
);
const NO_CHANGE: T = t(
    "Link: enter a latency, a jitter or a bandwidth (an empty field stays as it is).",
    "链路：请至少填写延迟、抖动、带宽中的一项（留空的项保持不变）。",
);
const SAME_NODE: T = t("Choose two different nodes.", "请选择两个不同的节点。");
const ALONE: T = t("There is no other node.", "没有其他节点。");
const TOO_LONG_LINE: T = t(
    "The command would be longer than {0} bytes.",
    "命令会超过 {0} 字节。",
);

impl Problem {
    pub fn message(&self, l: Lang) -> String {
        let (field, bad, text) = match self {
            Problem::Value { field, bad, text } => (field, bad, text),
            Problem::NoChange => return l.t(NO_CHANGE).to_string(),
            Problem::SameNode => return l.t(SAME_NODE).to_string(),
            Problem::Alone => return l.t(ALONE).to_string(),
            Problem::TooLong => return l.f(TOO_LONG_LINE, &[&action::MAX_LINE_BYTES.to_string()]),
        };
        let name = l.t(field.name());
        let text = action::clip(text);
        let rate = *field == Field::Bandwidth;
        let max = if rate {
            format!(
                "{}mbit",
                action::MAX_BYTES_PER_MS / action::MBIT_BYTES_PER_MS
            )
        } else {
            let sign = if field.signed() { "±" } else { "" };
            format!("{sign}{}s", action::MAX_MS / 1000)
        };
        match (bad, rate) {
            (BadValue::Empty, _) => l.f(EMPTY, &[name, field.example()]),
            (BadValue::Negative, _) => l.f(NEGATIVE, &[name, &text]),
            (BadValue::Malformed, false) => l.f(NOT_TIME, &[name, &text, field.example()]),
            (BadValue::Malformed, true) => l.f(NOT_RATE, &[name, &text]),
            (BadValue::OutOfRange, false) => l.f(TOO_LONG, &[name, &text, &max]),
            (BadValue::OutOfRange, true) => l.f(RATE_RANGE, &[name, &text, &max]),
        }
    }
    /// The field to mark invalid and focus.
    pub fn field(&self) -> Option<Field> {
        match self {
            Problem::Value { field, .. } => Some(*field),
            Problem::NoChange => Some(Field::Latency),
            _ => None,
        }
    }
}
