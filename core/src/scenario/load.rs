//! Loading a scenario: TOML parse errors and semantic errors both come back
//! as `LoadError` with a line, a column and what was expected. Nothing in a
//! file can make this panic (fuzzed in `tests/tests/scenario_fuzz.rs`).

use std::collections::BTreeSet;

use crate::action::Action;

use super::cluster::ClusterDef;
use super::format::{ActionDef, Kind, NodeDef, Scenario, FORMAT};
use crate::profile::Profile;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The cap the file went over, if that is the error (the page names
    /// it in the learner's language).
    pub limit: Option<Limit>,
}

/// The caps on a scenario: one that arrives by link or file may be hostile
/// or broken, and must not stall the tab. The run's own caps are the event
/// budget (`SimConfig::event_budget`, an error with the time it ran out)
/// and the Lua step budget (`script::STEP_BUDGET`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Bytes of the file's text.
    Text,
    Nodes,
    /// `duration_s`.
    Duration,
}

impl Limit {
    pub const fn max(self) -> u64 {
        match self {
            Limit::Text => 262_144,
            Limit::Nodes => 64,
            Limit::Duration => 86_400,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

pub(super) fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(src.len());
    let before = &src[..src.floor_char_boundary(byte)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where the `index`-th `[[table]]` header starts (for semantic errors).
fn header_pos(src: &str, table: &str, index: usize) -> (usize, usize) {
    let header = format!("[[{table}]]");
    let mut offset = 0;
    let mut seen = 0;
    for line in src.split_inclusive('\n') {
        if line.trim_start().starts_with(&header) {
            if seen == index {
                let indent = line.len() - line.trim_start().len();
                return line_col(src, offset + indent);
            }
            seen += 1;
        }
        offset += line.len();
    }
    (1, 1)
}

struct Checker<'a> {
    src: &'a str,
    names: BTreeSet<String>,
}

impl Checker<'_> {
    fn err(&self, table: &str, index: usize, message: String) -> LoadError {
        let (line, column) = header_pos(self.src, table, index);
        LoadError {
            line,
            column,
            message: format!("[[{table}]] #{}: {message}", index + 1),
            limit: None,
        }
    }

    fn node(
        &self,
        table: &str,
        index: usize,
        field: &str,
        name: &Option<String>,
    ) -> Result<(), LoadError> {
        match name {
            None => Err(self.err(table, index, format!("expected `{field}` (a node name)"))),
            Some(n) if !self.names.contains(n) => {
                let known = self.names.iter().cloned().collect::<Vec<_>>().join(", ");
                Err(self.err(
                    table,
                    index,
                    format!("unknown node '{n}' in `{field}` (known: {known})"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Parses and validates a scenario file: its TOML, its shape, then the
/// checks below (the page runs the same three stages: `text.rs`).
pub fn parse(src: &str) -> Result<Scenario, LoadError> {
    let table = super::text::parse_table(src)?;
    let scenario =
        super::decode(toml::Value::Table(table)).map_err(|e| super::text::located(src, &e))?;
    validate_text(src, &scenario)?;
    Ok(scenario)
}

/// The checks (and caps) of `parse` on a scenario that came another way: a
/// fetched lesson JSON may be damaged or hand-made. Without a text, errors
/// name the table entry only.
pub fn check(s: &Scenario) -> Result<(), String> {
    validate("", s).map_err(|e| e.message)
}

/// The checks of `parse` on a scenario decoded from `src` (errors point
/// into it).
pub fn validate_text(src: &str, s: &Scenario) -> Result<(), LoadError> {
    validate(src, s)
}

fn validate(src: &str, s: &Scenario) -> Result<(), LoadError> {
    validate_top(s)?;
    let c = node_names(src, s)?;
    for (i, n) in s.nodes.iter().enumerate() {
        match n.kind {
            Kind::Redis => validate_redis(&c, i, n)?,
            Kind::Sentinel => validate_sentinel(&c, i, n)?,
            Kind::Client => {
                validate_client_routing(&c, i, n, s.cluster.is_some())?;
                validate_client_workload(&c, i, n)?;
            }
        }
    }
    for (i, l) in s.network.links.iter().enumerate() {
        c.node("network.link", i, "a", &Some(l.a.clone()))?;
        c.node("network.link", i, "b", &Some(l.b.clone()))?;
    }
    let ids = validate_timeline(&c, s)?;
    validate_steps(&c, s, &ids)?;
    validate_expects(&c, "expect", &s.expects, &ids)?;
    if let Some(cl) = &s.cluster {
        validate_cluster(&c, s, cl)?;
    }
    Ok(())
}

/// The top-level keys: format, id, profile, duration and node count. Their
/// errors point at line 1.
/// An error for going over `limit`, at the file's start.
fn over(limit: Limit, message: String) -> LoadError {
    LoadError {
        line: 1,
        column: 1,
        message,
        limit: Some(limit),
    }
}

fn validate_top(s: &Scenario) -> Result<(), LoadError> {
    let top = |message: String| LoadError {
        line: 1,
        column: 1,
        message,
        limit: None,
    };
    if s.format != FORMAT {
        return Err(top(format!(
            "expected format = \"{FORMAT}\", found \"{}\"",
            s.format
        )));
    }
    if s.id.is_empty()
        || !s
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(top(format!(
            "`id` must be lowercase letters, digits and '-', found \"{}\"",
            s.id
        )));
    }
    if Profile::parse(&s.profile).is_none() {
        return Err(top(format!(
            "unknown profile \"{}\" (expected \"3.0\", \"6.2\" or \"7.0\")",
            s.profile
        )));
    }
    let max_s = Limit::Duration.max();
    if s.duration_s == 0 || s.duration_s > max_s {
        let message = format!("`duration_s` must be between 1 and {max_s}");
        return Err(match s.duration_s {
            0 => top(message),
            _ => over(Limit::Duration, message),
        });
    }
    if s.nodes.is_empty() {
        return Err(top("expected at least one [[node]]".into()));
    }
    if s.nodes.len() as u64 > Limit::Nodes.max() {
        let message = format!("{} nodes: at most {}", s.nodes.len(), Limit::Nodes.max());
        return Err(over(Limit::Nodes, message));
    }
    Ok(())
}

/// Checks every node's name (well-formed, unique) and returns a checker that
/// knows them all, for the references the other tables make.
fn node_names<'a>(src: &'a str, s: &Scenario) -> Result<Checker<'a>, LoadError> {
    let mut c = Checker {
        src,
        names: BTreeSet::new(),
    };
    for (i, n) in s.nodes.iter().enumerate() {
        if n.name.is_empty()
            || n.name.len() > 32
            || !n
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(c.err(
                "node",
                i,
                format!(
                    "`name` must be 1-32 letters, digits, '-' or '_', found \"{}\"",
                    n.name
                ),
            ));
        }
        if !c.names.insert(n.name.clone()) {
            return Err(c.err("node", i, format!("duplicate node name '{}'", n.name)));
        }
    }
    Ok(c)
}

fn validate_redis(c: &Checker, i: usize, n: &NodeDef) -> Result<(), LoadError> {
    if let Some(p) = &n.profile {
        if Profile::parse(p).is_none() {
            return Err(c.err("node", i, format!("unknown profile \"{p}\"")));
        }
    }
    if n.replicaof.is_some() {
        c.node("node", i, "replicaof", &n.replicaof)?;
    }
    let mut conf = crate::redis::RedisConf::default();
    for (k, v) in &n.config {
        conf.config_set(k, v)
            .map_err(|e| c.err("node", i, format!("config: {e}")))?;
    }
    if n.monitor.is_some() || n.routing.is_some() || n.workload.is_some() || n.sale.is_some() {
        return Err(c.err(
            "node",
            i,
            "a redis node takes no `monitor`, `routing`, `workload` or `sale`".into(),
        ));
    }
    Ok(())
}

fn validate_sentinel(c: &Checker, i: usize, n: &NodeDef) -> Result<(), LoadError> {
    let Some(m) = &n.monitor else {
        return Err(c.err(
            "node",
            i,
            "expected `monitor = { master = \"...\", quorum = N }`".into(),
        ));
    };
    c.node("node", i, "monitor.master", &Some(m.master.clone()))?;
    if m.quorum == 0 {
        return Err(c.err("node", i, "`monitor.quorum` must be at least 1".into()));
    }
    Ok(())
}

/// A client's `routing` and the nodes it names (`target`, `read_from`).
fn validate_client_routing(
    c: &Checker,
    i: usize,
    n: &NodeDef,
    has_cluster: bool,
) -> Result<(), LoadError> {
    match n.routing.as_deref() {
        Some("fixed") | None => c.node("node", i, "target", &n.target)?,
        Some("sentinel") => {}
        Some("cluster") if has_cluster => {}
        Some("cluster") => {
            return Err(c.err(
                "node",
                i,
                "routing \"cluster\" needs a [cluster] table".into(),
            ))
        }
        Some(other) => {
            return Err(c.err(
                "node",
                i,
                format!("`routing` must be \"fixed\" or \"sentinel\", found \"{other}\""),
            ))
        }
    }
    if n.read_from.is_some() {
        c.node("node", i, "read_from", &n.read_from)?;
    }
    if n.cluster_workload.is_some() && n.routing.as_deref() != Some("cluster") {
        return Err(c.err(
            "node",
            i,
            "`cluster_workload` needs routing = \"cluster\"".into(),
        ));
    }
    Ok(())
}

/// A client's `workload` and the keys that workload needs.
fn validate_client_workload(c: &Checker, i: usize, n: &NodeDef) -> Result<(), LoadError> {
    match n.workload.as_deref() {
        None | Some("writer" | "write_then_read" | "counter") => {}
        Some("buyers") if n.sale.as_ref().is_some_and(crate::client::SaleSpec::is_valid) => {}
        Some("buyers") if n.sale.is_some() => return Err(c.err("node", i, "`sale.buyers` must be at most 100000, and `arrival_ms`, `work_ms`, `lock_ttl_ms`, `retry_ms` at most 3600000".into())),
        Some("buyers") => return Err(c.err("node", i, "workload \"buyers\" needs `sale` (strategy, buyers, stock, ...)".into())),
        Some("expiring") if n.ttl_ms.is_some() && n.read_after_ms.is_some() => {}
        Some("expiring") => return Err(c.err("node", i, "workload \"expiring\" needs `ttl_ms` and `read_after_ms`".into())),
        Some(other) => {
            return Err(c.err("node", i, format!("`workload` must be writer, write_then_read, counter, expiring or buyers, found \"{other}\"")))
        }
    }
    Ok(())
}

/// Checks every timeline action and returns the ids they declare (what
/// `[[expect]]` may refer to).
fn validate_timeline(c: &Checker, s: &Scenario) -> Result<BTreeSet<String>, LoadError> {
    let mut ids = BTreeSet::new();
    for (i, a) in s.timeline.iter().enumerate() {
        validate_action(c, i, a, s.duration_s)?;
        if let Some(id) = &a.id {
            if !ids.insert(id.clone()) {
                return Err(c.err("timeline", i, format!("duplicate id '{id}'")));
            }
        }
    }
    Ok(ids)
}

/// Lesson steps: increasing `until_s` within the run, well-formed predictions.
fn validate_steps(c: &Checker, s: &Scenario, ids: &BTreeSet<String>) -> Result<(), LoadError> {
    let mut last = 0.0;
    for (i, st) in s.steps.iter().enumerate() {
        if !(st.until_s.is_finite() && st.until_s > last && st.until_s <= s.duration_s as f64) {
            return Err(c.err(
                "step",
                i,
                format!(
                    "`until_s` must increase and stay within duration_s ({})",
                    s.duration_s
                ),
            ));
        }
        if let Some(ch) = &st.challenge {
            validate_challenge(c, i, ch, (last * 1000.0) as u64, s, ids)?;
        }
        last = st.until_s;
        if let Some(p) = &st.predict {
            if p.choices.len() < 2 || p.answer >= p.choices.len() {
                return Err(c.err(
                    "step",
                    i,
                    "a prediction needs at least two `choices` and an `answer` index among them"
                        .into(),
                ));
            }
        }
    }
    Ok(())
}

/// A step's challenge; errors point at the step (`[[step]]` #i).
fn validate_challenge(
    c: &Checker,
    i: usize,
    ch: &super::challenge::Challenge,
    start_ms: u64,
    s: &Scenario,
    ids: &BTreeSet<String>,
) -> Result<(), LoadError> {
    // Inner errors name their own table ("[[expect]] #1: ..."): keep what
    // they say, placed at the step.
    let in_step = |what: &str, k: usize, e: LoadError| {
        let msg = e.message.split_once(": ").map_or(&*e.message, |x| x.1);
        c.err("step", i, format!("challenge {what} #{}: {msg}", k + 1))
    };
    ch.validate(start_ms, s.duration_s * 1000)
        .map_err(|m| c.err("step", i, format!("challenge: {m}")))?;
    for (k, a) in ch.solution.iter().enumerate() {
        validate_action(c, k, a, s.duration_s).map_err(|e| in_step("solution", k, e))?;
    }
    for (k, g) in ch.goals.iter().enumerate() {
        validate_expects(c, "expect", std::slice::from_ref(g), ids)
            .map_err(|e| in_step("goal", k, e))?;
    }
    Ok(())
}

fn validate_expects(
    c: &Checker,
    table: &str,
    expects: &[super::format::Expect],
    ids: &BTreeSet<String>,
) -> Result<(), LoadError> {
    for (i, e) in expects.iter().enumerate() {
        super::expect::validate(e, ids).map_err(|m| c.err(table, i, m))?;
        if e.node.is_some() {
            c.node(table, i, "node", &e.node)?;
        }
        if e.client.is_some() {
            c.node(table, i, "client", &e.client)?;
        }
        for n in e.nodes.iter().flatten() {
            c.node(table, i, "nodes", &Some(n.clone()))?;
        }
    }
    Ok(())
}

/// The `[cluster]` table; errors not tied to a `[[cluster.slots]]` entry
/// point at the table header.
fn validate_cluster(c: &Checker, s: &Scenario, cl: &ClusterDef) -> Result<(), LoadError> {
    crate::scenario::cluster::validate(s, cl).map_err(|(i, m)| match i {
        Some(i) => c.err("cluster.slots", i, m),
        None => {
            let at = c.src.find("[cluster]").unwrap_or(0);
            let (line, column) = line_col(c.src, at);
            LoadError {
                line,
                column,
                message: m,
                limit: None,
            }
        }
    })
}

fn validate_action(c: &Checker, i: usize, a: &ActionDef, duration_s: u64) -> Result<(), LoadError> {
    let t = "timeline";
    match a.at_ms() {
        None => {
            return Err(c.err(
                t,
                i,
                "expected `at_ms` or `at_s` (a time within the run)".into(),
            ))
        }
        Some(ms) if ms > duration_s * 1000 => {
            return Err(c.err(
                t,
                i,
                format!("at {ms} ms is after the end of the run ({duration_s} s)"),
            ))
        }
        _ => {}
    }
    for n in a.action.nodes() {
        c.node(t, i, "do", &Some(n.to_string()))?;
    }
    match &a.action {
        Action::Command { line, .. } => {
            let argv = crate::data::split_args(line).unwrap_or_default();
            if argv.is_empty() {
                return Err(c.err(
                    t,
                    i,
                    format!(
                        "`do` must hold a redis-cli command line after the node, found \"{line}\""
                    ),
                ));
            }
            let is = |k: usize, w: &str| {
                argv.get(k)
                    .is_some_and(|a| a.eq_ignore_ascii_case(w.as_bytes()))
            };
            if is(0, "CONFIG") && is(1, "SET") && argv.len() == 4 {
                let text = |k: usize| String::from_utf8_lossy(&argv[k]).into_owned();
                let (k, v) = (text(2), text(3));
                crate::cluster::config_set(&mut crate::cluster::ClusterSpec::plain(), &k, &v)
                    .unwrap_or_else(|| crate::redis::RedisConf::default().config_set(&k, &v))
                    .map_err(|e| c.err(t, i, e))?;
            }
        }
        _ if a.id.is_some() => {
            return Err(c.err(
                t,
                i,
                "`id` names a command's reply; this action is not a command".into(),
            ));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = parse("format = \"replilab/1\"\nid = \"x\"\nduration_s = = 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 14), "{e}");
    }

    #[test]
    fn cluster_parameters_are_checked_like_the_server_checks_them() {
        let src = |v: &str| {
            format!("format = \"replilab/1\"\nid = \"x\"\nduration_s = 10\n[title]\nen = \"a\"\nzh = \"b\"\n\n[[node]]\nname = \"m\"\nkind = \"redis\"\n\n[[timeline]]\nat_s = 1\ndo = \"@m CONFIG SET cluster-node-timeout {v}\"\n")
        };
        assert!(parse(&src("15000")).is_ok());
        let e = parse(&src("abc")).unwrap_err();
        assert!(e.message.contains("cluster-node-timeout"), "{e}");
    }

    #[test]
    fn unknown_nodes_point_at_their_table() {
        let src = "format = \"replilab/1\"\nid = \"x\"\nduration_s = 10\n[title]\nen = \"a\"\nzh = \"b\"\n\n[[node]]\nname = \"m\"\nkind = \"redis\"\n\n[[timeline]]\nat_s = 1\ndo = \"pause r9 2s\"\n";
        let e = parse(src).unwrap_err();
        assert_eq!(e.line, 12);
        assert!(e.message.contains("unknown node 'r9'"), "{e}");
    }

    #[test]
    fn timeline_config_set_knows_the_cluster_parameters() {
        let at = |line: &str| {
            format!("format = \"replilab/1\"\nid = \"x\"\nduration_s = 10\n[title]\nen = \"a\"\nzh = \"b\"\n\n[[node]]\nname = \"m\"\nkind = \"redis\"\n\n[[timeline]]\nat_s = 1\ndo = \"@m CONFIG SET {line}\"\n")
        };
        assert!(parse(&at("cluster-require-full-coverage no")).is_ok());
        assert!(parse(&at("cluster-node-timeout 5000")).is_ok());
        let e = parse(&at("cluster-node-timeout soon")).unwrap_err();
        assert!(e.message.contains("'cluster-node-timeout'"), "{e}");
        let e = parse(&at("cluster-enabled no")).unwrap_err();
        assert!(e.message.contains("can't set immutable config"), "{e}");
    }
}
