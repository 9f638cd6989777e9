//! The narrative panel: the lesson's steps (what to watch, predict, then
//! the reveal once the step has run) and the goals, checked live against
//! the lesson's expectations. In the sandbox: how to use it, and the
//! learner's recorded actions.

use replilab_core::scenario::format::{Scenario, Step};
use replilab_core::scenario::Outcome;
use replilab_core::timeline::{ChallengeStatus, Session, Source};
use yew::prelude::*;

use super::challenge::ChallengePanel;
use super::fmt_time;
use super::prediction::prediction;
use super::sandbox_form::SandboxForm;
use crate::i18n::{self, Lang};
use crate::lab::Lab;
use crate::learner::Progress;

/// The name of the panel's scrolling body (focusable, so a keyboard can scroll it).
const BODY: i18n::T = i18n::T {
    en: "Lesson text",
    zh: "课程内容",
};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    /// The panel head's fold button (none in embed mode: `components/fold.rs`).
    #[prop_or_default]
    pub fold: Html,
    pub choices: Vec<Option<usize>>,
    pub goals: Vec<(Option<Outcome>, bool)>,
    pub on_choose: Callback<(usize, usize)>,
    pub on_play: Callback<()>,
    pub on_seek: Callback<u64>,
    /// Each challenge's status, the one taken up, its hints shown.
    pub challenges: Vec<ChallengeStatus>,
    pub challenge: Option<usize>,
    pub hints: usize,
    /// Shuffles prediction choices (`learner::choice_order`).
    pub shuffle: u32,
    pub progress: Option<Progress>,
    pub on_challenge: Callback<Option<usize>>,
    pub on_hint: Callback<()>,
    pub on_solution: Callback<usize>,
    pub on_reset: Callback<()>,
}

#[function_component(Narrative)]
pub fn narrative(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let schedule = schedule(p, &session);
    let Some(lesson) = session.lesson() else {
        return sandbox(l, &session, schedule, p.fold.clone());
    };
    let at = Playhead::new(lesson, session.now_ms());
    let step_html = lesson
        .steps
        .get(at.cur)
        .map(|st| step(p, &session, &at, st));
    let progress = progress(l, &at);
    let goals = goals(p, lesson);
    // A challenge taken up stays on top wherever the playhead goes.
    let active = p.challenge.and_then(|i| challenge(p, lesson, i, true));
    let reset = p.on_reset.clone();
    html! {
        <section class="panel narrative" aria-label={l.t(i18n::NARRATIVE)}>
            <header class="panel-head">
                {p.fold.clone()}
                <h2>{l.t(i18n::NARRATIVE)}</h2>
                <ol class="progress" aria-hidden="true">{ for progress }</ol>
                <button id="reset-lesson" class="btn subtle small" title={l.t(i18n::RESET_LESSON_TITLE)}
                    onclick={Callback::from(move |_| reset.emit(()))}>{l.t(i18n::RESET_LESSON)}</button>
            </header>
            <div class="narrative-body" tabindex="0" role="region" aria-label={l.t(BODY)}>
                { for learner_progress(p, lesson) }
                { for active }
                { for step_html }
                if !lesson.expects.is_empty() {
                    <div class="goals">
                        <h3>{l.t(i18n::GOALS)}</h3>
                        <ul id="goals">{ for goals }</ul>
                    </div>
                }
                {schedule}
            </div>
        </section>
    }
}

/// The learner's recorded actions, each a link to its time (those not yet
/// applied marked future).
fn schedule(p: &Props, session: &Session) -> Html {
    let l = p.lang;
    let items: Vec<Html> = session
        .schedule
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let text = e.action.to_string();
            let at = e.at_ms;
            let seek = p.on_seek.clone();
            html! { <li class={classes!((i >= session.applied).then_some("future"))}>
                <button class="t link" onclick={Callback::from(move |_| seek.emit(at))}>{fmt_time(at)}</button>{" "}<code>{text}</code>
            </li> }
        })
        .collect();
    html! {
        <div class="schedule">
            <h3>{l.t(i18n::SCHEDULE)}</h3>
            if items.is_empty() { <p class="muted">{l.t(i18n::SCHEDULE_EMPTY)}</p> }
            <ol id="schedule">{ for items }</ol>
        </div>
    }
}

/// The panel in the sandbox: how to use it, the topology form, the schedule.
fn sandbox(l: Lang, session: &Session, schedule: Html, fold: Html) -> Html {
    html! {
        <section class="panel narrative" aria-label={l.t(i18n::NARRATIVE)}>
            <header class="panel-head">{fold}<h2>{l.t(i18n::SANDBOX)}</h2></header>
            <div class="narrative-body" tabindex="0" role="region" aria-label={l.t(i18n::SANDBOX)}>
                <p>{l.t(i18n::SANDBOX_HELP)}</p>
                if let Source::Sandbox(topo) = &session.source {
                    <SandboxForm key={topo.encode()} lang={l} topo={topo.clone()} />
                }
                {schedule}
            </div>
        </section>
    }
}

/// Where the playhead is among the lesson's steps.
struct Playhead<'a> {
    lesson: &'a Scenario,
    now: u64,
    /// The current step: the first whose end is not behind the playhead (or the last).
    cur: usize,
}

impl<'a> Playhead<'a> {
    fn new(lesson: &'a Scenario, now: u64) -> Self {
        let mut at = Playhead {
            lesson,
            now,
            cur: 0,
        };
        let n = at.n();
        at.cur = (0..n)
            .find(|&i| now <= at.until(i))
            .unwrap_or(n.saturating_sub(1));
        at
    }

    fn n(&self) -> usize {
        self.lesson.steps.len()
    }

    /// When step `i` ends, in ms (never, past the last step).
    fn until(&self, i: usize) -> u64 {
        self.lesson
            .steps
            .get(i)
            .map_or(u64::MAX, |s| (s.until_s * 1000.0) as u64)
    }
}

/// The current step: what to watch, the prediction, and once it has run the
/// reveal (why, a link to its key event, Continue or done), and a way back.
fn step(p: &Props, session: &Session, at: &Playhead, st: &Step) -> Html {
    let l = p.lang;
    let (cur, n, now) = (at.cur, at.n(), at.now);
    let end_ms = at.lesson.duration_s * 1000;
    let reached = now >= at.until(cur);
    let predict = st.predict.as_ref().map(|pr| {
        let chosen = p.choices.get(cur).copied().flatten();
        prediction(
            l,
            &at.lesson.id,
            pr,
            cur,
            chosen,
            reached,
            p.shuffle,
            &p.on_choose,
        )
    });
    let offer = (p.challenge != Some(cur))
        .then(|| challenge(p, at.lesson, cur, false))
        .flatten();
    let play = p.on_play.clone();
    let seek = p.on_seek.clone();
    let prev_start = if cur >= 2 { at.until(cur - 2) } else { 0 };
    let key_html = reached.then(|| key_event(p, session, at)).flatten();
    html! {
        <article class="step" data-step={cur.to_string()} data-reached={reached.to_string()}>
            <p class="step-of">{l.f(i18n::STEP_OF, &[&(cur + 1).to_string(), &n.to_string()])}
                <span class="until">{format!(" · → {}", fmt_time(at.until(cur)))}</span></p>
            <h3>{l.text(&st.title)}</h3>
            <p class="watch">{l.text(&st.watch)}</p>
            { for predict }
            { for offer }
            if reached {
                <div class="explain"><h4>{l.t(i18n::WHY)}</h4><p>{l.text(&st.explain)}</p>{ for key_html }</div>
                if now < end_ms {
                    <button id="continue" class="btn primary" onclick={Callback::from(move |_| play.emit(()))}>{l.t(i18n::CONTINUE)}</button>
                } else {
                    <p class="done" id="lesson-done">{l.t(i18n::LESSON_DONE)}</p>
                }
            }
            if cur > 0 {
                <button class="btn subtle prev-step" onclick={Callback::from(move |_| seek.emit(prev_start))}>{l.t(i18n::PREV_STEP)}</button>
            }
        </article>
    }
}

/// The first key event of the current step (fault, role change, sync,
/// Sentinel verdict): the reveal links to it, so the learner can see it in
/// the diagram.
fn key_event(p: &Props, session: &Session, at: &Playhead) -> Option<Html> {
    let l = p.lang;
    let cur = at.cur;
    let step_start = if cur >= 1 { at.until(cur - 1) } else { 0 };
    // Landmarks are in the run's record, whatever the trace still holds.
    let (t, line) = (session.sim.run_record().marks().iter())
        .map(|m| &m.ev)
        .find(|e| e.t_ms > step_start && e.t_ms <= at.until(cur) && crate::lab::landmark(e))
        .map(|e| (e.t_ms, e.line(&|id| session.sim.name(id))))?;
    let seek = p.on_seek.clone();
    // Land a little after the event, so it sits inside the diagram's window.
    Some(
        html! { <p class="key-event"><button id="key-event" class="link" onclick={Callback::from(move |_| seek.emit(t + 300))}>
        {l.t(i18n::SEE_EVENT)}{" "}<code>{line}</code></button></p> },
    )
}

/// The progress dots in the panel's head: done, current, to come.
fn progress(l: Lang, at: &Playhead) -> Vec<Html> {
    (0..at.n())
        .map(|i| {
            let class = if at.now >= at.until(i) {
                "done"
            } else if i == at.cur {
                "current"
            } else {
                ""
            };
            html! { <li class={class} title={l.text(&at.lesson.steps[i].title)}></li> }
        })
        .collect()
}

/// The lesson's goals: pass or fail once final, the figure so far, or when
/// it will be checked.
fn goals(p: &Props, lesson: &Scenario) -> Vec<Html> {
    let l = p.lang;
    let end_ms = lesson.duration_s * 1000;
    lesson
        .expects
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (o, fin) = p.goals.get(i).cloned().unwrap_or((None, false));
            let status = match (&o, fin) {
                (Some(o), true) => {
                    if o.pass {
                        "pass"
                    } else {
                        "fail"
                    }
                }
                _ => "pending",
            };
            let icon = match status {
                "pass" => "✔",
                "fail" => "✘",
                _ => "…",
            };
            // A goal's label often states what will happen: it stays
            // hidden, like its figure so far, until the goal is checked.
            let (label, detail) = match (&o, fin) {
                (Some(o), true) => (l.text(&e.label), l.f(i18n::GOAL_GOT, &[&o.got, &o.wanted])),
                _ => (
                    l.f(i18n::GOAL_HIDDEN, &[&(i + 1).to_string()]),
                    l.f(
                        i18n::GOAL_PENDING_AT,
                        &[&fmt_time(e.at_s.map_or(end_ms, |s| (s * 1000.0) as u64))],
                    ),
                ),
            };
            html! {
                <li class={classes!("goal", status)} data-goal={i.to_string()} data-status={status}>
                    <span class="icon" aria-hidden="true">{icon}</span>
                    <span class="label">{label}</span>
                    <span class="detail">{detail}</span>
                </li>
            }
        })
        .collect()
}

/// Step `step`'s challenge, taken up or offered (None: it has none).
fn challenge(p: &Props, lesson: &Scenario, step: usize, active: bool) -> Option<Html> {
    let ch = lesson.steps.get(step)?.challenge.clone()?;
    let status = p.challenges.iter().find(|c| c.step == step).cloned();
    Some(html! {
        <ChallengePanel lang={p.lang} step={step} challenge={ch} status={status} active={active} hints={p.hints}
            on_challenge={p.on_challenge.clone()} on_hint={p.on_hint.clone()} on_solution={p.on_solution.clone()} />
    })
}

/// "Predictions 2/4 right · challenges 0/1 solved", from local storage.
fn learner_progress(p: &Props, lesson: &Scenario) -> Option<Html> {
    let pr = p.progress.as_ref()?;
    let predictions = lesson.steps.iter().filter(|s| s.predict.is_some()).count();
    let challenges = lesson.challenges().count();
    let text = p.lang.f(
        i18n::PROGRESS,
        &[
            &pr.right.len().to_string(),
            &predictions.to_string(),
            &pr.solved.len().to_string(),
            &challenges.to_string(),
        ],
    );
    Some(html! { <p class="learner-progress muted" id="learner-progress">{text}</p> })
}
