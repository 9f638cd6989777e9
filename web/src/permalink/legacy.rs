//! Links written before the one grammar of actions carried each action as
//! `<code>[:<arg>]*` (percent-encoded fields): `c:<node>:<line>` command,
//! `p:<node>:<ms>` pause, `x:<node>` crash, `r:<node>` restart,
//! `k:<node>:<ms>` skew, `j:<node>:<ms>` clock jump, `P:<a,b>:<c,d>…`
//! partition, `o:<from>:<to>` one-way cut, `h` heal,
//! `l:<a>:<b>:<latency>:<jitter>:<bandwidth B/ms>` link. Shared links must
//! keep opening, so they are translated into the grammar's text here, and
//! parsed by it like any other.

use replilab_core::action::{Action, LinkChange, Ms};

use super::decode;

const CODES: &[&str] = &["c", "p", "x", "r", "k", "j", "P", "o", "h", "l"];

/// The action text of an old-style entry body; None if `body` is not one.
pub fn action_text(body: &str) -> Option<Result<String, String>> {
    let code = body.split(':').next().unwrap_or("");
    if !CODES.contains(&code) || (body != code && !body.starts_with(&format!("{code}:"))) {
        return None;
    }
    Some(translate(body))
}

fn translate(body: &str) -> Result<String, String> {
    let fields: Vec<String> = body.split(':').map(decode).collect::<Result<_, _>>()?;
    let f = |k: usize| -> Result<&str, String> {
        fields
            .get(k)
            .map(String::as_str)
            .ok_or_else(|| "an argument is missing".to_string())
    };
    let num = |k: usize| -> Result<u64, String> {
        f(k)?
            .parse::<u64>()
            .map_err(|_| "expected a number".to_string())
    };
    let int = |k: usize| -> Result<i64, String> {
        f(k)?
            .parse::<i64>()
            .map_err(|_| "expected a number".to_string())
    };
    let signed = |ms: i64| {
        let sign = if ms < 0 { "-" } else { "+" };
        format!("{sign}{}", Ms(ms.unsigned_abs()))
    };
    Ok(match f(0)? {
        "c" => {
            let line = f(2).map_err(|_| "the command is missing".to_string())?;
            format!("@{} {line}", f(1)?)
        }
        "p" => format!("pause {} {}", f(1)?, Ms(num(2)?)),
        "x" => format!("crash {}", f(1)?),
        "r" => format!("restart {}", f(1)?),
        "k" => format!("skew {} {}", f(1)?, signed(int(2)?)),
        "j" => format!("jump {} {}", f(1)?, signed(int(2)?)),
        "o" => format!("oneway {} -> {}", f(1)?, f(2)?),
        "h" => "heal".into(),
        "P" => {
            if fields.len() < 3 {
                return Err("a partition needs two groups".into());
            }
            format!("partition {}", fields[1..].join(" / "))
        }
        _ => Action::Link {
            a: f(1)?.into(),
            b: f(2)?.into(),
            change: LinkChange {
                latency_ms: Some(num(3)?),
                jitter_ms: Some(num(4)?),
                bandwidth_bytes_per_ms: Some(num(5)?.max(1)),
            },
        }
        .to_string(),
    })
}
