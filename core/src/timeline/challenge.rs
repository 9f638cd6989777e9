//! A step's challenge on the learner's branch: its goals judged over the
//! live run, the learner's actions held to what the challenge allows, and
//! the file's solution applied as the learner would apply it. The page, the
//! `replilab check` proof and the tests all go through these functions.

use crate::checker;
use crate::scenario::challenge::{Challenge, Means};
use crate::scenario::Outcome;

use super::Session;

/// How a challenge stands on the live branch.
#[derive(Clone, Debug, PartialEq)]
pub struct ChallengeStatus {
    /// The step that holds it.
    pub step: usize,
    /// Where it starts (ms): the run forks here.
    pub start_ms: u64,
    /// Each goal: (outcome so far, final).
    pub goals: Vec<(Option<Outcome>, bool)>,
    /// The learner's actions in this branch.
    pub actions: usize,
    /// What breaks the challenge's rules: an action of a kind it does not
    /// allow (the action's text), or more actions than `max_actions`.
    pub breaches: Vec<Breach>,
    /// Every goal met and final, and no breach.
    pub solved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Breach {
    /// An action of a kind the challenge does not allow.
    NotAllowed { action: String, means: Means },
    /// More actions than the challenge's `max_actions`.
    TooMany { used: usize, max: u32 },
}

impl Session {
    fn challenge(&self, step: usize) -> Option<(u64, &Challenge)> {
        self.lesson()?
            .challenges()
            .find(|(i, _, _)| *i == step)
            .map(|(_, start, c)| (start, c))
    }

    /// The challenge of step `step` (None: the step has none).
    pub fn challenge_status(&self, step: usize) -> Option<ChallengeStatus> {
        self.challenge_status_with(step, &checker::check(&self.sim))
    }

    /// `challenge_status` from the checker's report of the run now.
    pub fn challenge_status_with(
        &self,
        step: usize,
        report: &checker::Report,
    ) -> Option<ChallengeStatus> {
        let (start_ms, ch) = self.challenge(step)?;
        let range = self.lesson()?.goal_range(step)?;
        let goals = self.judge(report, range);
        let mut breaches: Vec<Breach> = self
            .schedule
            .iter()
            .filter(|e| !ch.allows(&e.action))
            .map(|e| Breach::NotAllowed {
                action: e.action.to_string(),
                means: Means::of(&e.action),
            })
            .collect();
        let actions = self.schedule.len();
        if let Some(max) = ch.max_actions.filter(|m| actions > *m as usize) {
            breaches.push(Breach::TooMany { used: actions, max });
        }
        let solved = breaches.is_empty()
            && goals
                .iter()
                .all(|(o, fin)| *fin && o.as_ref().is_some_and(|o| o.pass));
        Some(ChallengeStatus {
            step,
            start_ms,
            goals,
            actions,
            breaches,
            solved,
        })
    }

    /// Every challenge of the lesson, from one checker report.
    pub fn challenge_statuses_with(&self, report: &checker::Report) -> Vec<ChallengeStatus> {
        let steps: Vec<usize> = self
            .lesson()
            .map(|l| l.challenges().map(|(i, _, _)| i).collect())
            .unwrap_or_default();
        steps
            .into_iter()
            .filter_map(|i| self.challenge_status_with(i, report))
            .collect()
    }

    /// "Show solution": back to the challenge's start (the run so far is
    /// kept as branch A of a comparison, unless one is open), then the
    /// file's solution acted at its times, as a learner would act it; the
    /// caller plays on. The learner's own actions after the start leave
    /// this branch.
    pub fn apply_solution(&mut self, step: usize) -> Result<(), String> {
        let (start_ms, ch) = self
            .challenge(step)
            .map(|(s, c)| (s, c.clone()))
            .ok_or_else(|| format!("step {} has no challenge", step + 1))?;
        self.keep_as_a();
        // Just before the start, so that the learner's actions at the start
        // itself leave the branch too; then on to the start.
        self.seek(start_ms.saturating_sub(1))?;
        self.cut_here();
        self.advance_to(start_ms)?;
        let mut solution: Vec<_> = ch
            .solution
            .iter()
            .filter_map(|a| a.at_ms().map(|t| (t, a.action.clone())))
            .collect();
        solution.sort_by_key(|(t, _)| *t);
        for (at, action) in solution {
            self.advance_to(at)?;
            self.act(action)?;
        }
        Ok(())
    }
}

/// A challenge proven over two runs: the lesson unchanged, and the lesson
/// with the file's solution applied.
#[derive(Clone, Debug)]
pub struct Proof {
    pub baseline: ChallengeStatus,
    pub solution: ChallengeStatus,
}

impl Proof {
    /// The unchanged run fails the goals and the solution meets them.
    pub fn holds(&self) -> bool {
        !self.baseline.solved && self.solution.solved
    }
}

/// Proves every challenge of a lesson (`replilab check`, the tests).
pub fn prove(lesson: &std::rc::Rc<crate::scenario::Scenario>) -> Result<Vec<Proof>, String> {
    let source = super::Source::Lesson(lesson.clone());
    let end = lesson.duration_s.saturating_mul(1000);
    let mut base = Session::new(source.clone(), None);
    base.advance_to(end)?;
    let report = checker::check(&base.sim);
    let mut proofs = Vec::new();
    for (step, _, _) in lesson.challenges() {
        let mut solved = Session::new(source.clone(), None);
        solved.apply_solution(step)?;
        solved.advance_to(end)?;
        let (Some(baseline), Some(solution)) = (
            base.challenge_status_with(step, &report),
            solved.challenge_status(step),
        ) else {
            continue;
        };
        proofs.push(Proof { baseline, solution });
    }
    Ok(proofs)
}
