//! Challenges: a task a lesson step sets the learner, judged over the
//! learner's own run by the lesson's kind of expectations (`goal`).
//!
//! A challenge starts where its step starts (the previous step's `until_s`,
//! or 0). The learner changes the run with the lab's own means (`allow`);
//! the goals are then checked over that branch (`timeline/challenge.rs`).
//! The file also holds a solution, an action schedule: `replilab check`
//! proves every challenge, the unchanged run failing its goals and the run
//! with the solution passing them (`prove`).

use serde::{Deserialize, Serialize};

use super::format::{ActionDef, Expect, Scenario, Text};
use crate::action::Action;

/// At most this many hints, revealed one at a time.
pub const MAX_HINTS: usize = 3;

/// A task the learner solves on their own branch of the run, judged by goals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// What to achieve, as the learner reads it.
    pub task: Text,
    /// Where the learner's branch forks from the run (simulated seconds);
    /// default: where the step starts. A last step can send the learner
    /// back to before the accident it showed.
    pub from_s: Option<f64>,
    /// Up to 3 hints, revealed one at a time; default: none.
    #[serde(default)]
    pub hints: Vec<Text>,
    /// What the learner may use; default: empty, anything.
    #[serde(default)]
    pub allow: Vec<Means>,
    /// At most this many actions of the learner count (e.g. "one setting");
    /// default: no limit.
    pub max_actions: Option<u32>,
    /// `[[step.challenge.solution]]`: actions that solve it, at times from
    /// the challenge's start on (fields as `[[timeline]]`).
    pub solution: Vec<ActionDef>,
    /// Why the solution works: shown once solved or revealed.
    pub explain: Text,
    /// `[[step.challenge.goal]]`: checked over the learner's run (fields as
    /// `[[expect]]`).
    #[serde(rename = "goal")]
    pub goals: Vec<Expect>,
}

/// The kinds of means a learner acts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    /// `CONFIG SET` (toolbar or console).
    Config,
    /// Changes who replicates whom or who is master: REPLICAOF, SLAVEOF,
    /// FAILOVER, SENTINEL, CLUSTER commands.
    Topology,
    /// Any other command typed at a node.
    Command,
    /// Faults: pause, crash, restart, partition, one-way cut, heal, clock,
    /// link changes.
    Fault,
}

impl Means {
    pub fn of(action: &Action) -> Means {
        let Action::Command { line, .. } = action else {
            return Means::Fault;
        };
        let word = line.split_whitespace().next().unwrap_or("");
        let is = |w: &str| word.eq_ignore_ascii_case(w);
        if is("CONFIG") {
            Means::Config
        } else if ["REPLICAOF", "SLAVEOF", "FAILOVER", "SENTINEL", "CLUSTER"]
            .iter()
            .any(|w| is(w))
        {
            Means::Topology
        } else {
            Means::Command
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Means::Config => "config",
            Means::Topology => "topology",
            Means::Command => "command",
            Means::Fault => "fault",
        }
    }
}

impl Challenge {
    /// Where it starts, given where its step starts.
    pub fn start_ms(&self, step_start_ms: u64) -> u64 {
        self.from_s
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(step_start_ms, |s| (s * 1000.0) as u64)
    }

    /// Whether the challenge lets a learner use `action`.
    pub fn allows(&self, action: &Action) -> bool {
        self.allow.is_empty() || self.allow.contains(&Means::of(action))
    }

    /// The loader's checks beyond the shape (times, counts, the solution
    /// keeping to the challenge's own rules).
    pub(super) fn validate(&self, step_start_ms: u64, end_ms: u64) -> Result<(), String> {
        if self
            .from_s
            .is_some_and(|s| !(s.is_finite() && s >= 0.0 && s * 1000.0 <= end_ms as f64))
        {
            return Err("`from_s` must be a time within the run".into());
        }
        let start_ms = self.start_ms(step_start_ms);
        if self.hints.len() > MAX_HINTS {
            return Err(format!("at most {MAX_HINTS} `hints`"));
        }
        if self.goals.is_empty() {
            return Err("a challenge needs at least one `[[step.challenge.goal]]`".into());
        }
        if self.solution.is_empty() {
            return Err("a challenge needs a `solution` (at least one action)".into());
        }
        if let Some(max) = self.max_actions {
            if self.solution.len() > max as usize {
                return Err(format!(
                    "the solution has {} actions, more than `max_actions` = {max}",
                    self.solution.len()
                ));
            }
        }
        for (i, a) in self.solution.iter().enumerate() {
            let at = a
                .at_ms()
                .ok_or_else(|| format!("solution #{}: needs `at_s` or `at_ms`", i + 1))?;
            if at < start_ms || at > end_ms {
                return Err(format!(
                    "solution #{}: at {at} ms, outside the challenge ({start_ms}..={end_ms} ms)",
                    i + 1
                ));
            }
            if !self.allows(&a.action) {
                return Err(format!(
                    "solution #{}: uses {}, which `allow` does not list",
                    i + 1,
                    Means::of(&a.action).name()
                ));
            }
        }
        Ok(())
    }
}

impl Scenario {
    /// The steps that hold a challenge: (step index, start ms, challenge).
    /// A challenge starts at its `from_s`, or where its step does (the
    /// previous `until_s`).
    pub fn challenges(&self) -> impl Iterator<Item = (usize, u64, &Challenge)> {
        self.steps.iter().enumerate().filter_map(|(i, st)| {
            let start = i
                .checked_sub(1)
                .and_then(|p| self.steps.get(p))
                .map_or(0, |p| (p.until_s * 1000.0) as u64);
            st.challenge.as_ref().map(|c| (i, c.start_ms(start), c))
        })
    }

    /// Every expectation checked over a run: the lesson's, then each
    /// challenge's goals, in step order (how a session stores outcomes).
    pub fn all_expects(&self) -> impl Iterator<Item = &Expect> {
        self.expects
            .iter()
            .chain(self.challenges().flat_map(|(_, _, c)| c.goals.iter()))
    }

    /// Where step `step`'s challenge goals sit in `all_expects`.
    pub fn goal_range(&self, step: usize) -> Option<std::ops::Range<usize>> {
        let mut at = self.expects.len();
        for (i, _, c) in self.challenges() {
            if i == step {
                return Some(at..at + c.goals.len());
            }
            at += c.goals.len();
        }
        None
    }
}
