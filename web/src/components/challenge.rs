//! A step's challenge in the narrative panel: the task, what may be used,
//! the goals judged over the learner's branch, what breaks the rules, hints
//! one at a time, the solution, and the verdict. It draws what
//! `Session::challenge_status` decided; it decides nothing.

use replilab_core::scenario::challenge::{Challenge, Means};
use replilab_core::timeline::{Breach, ChallengeStatus};
use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub step: usize,
    pub challenge: Challenge,
    pub status: Option<ChallengeStatus>,
    /// Taken up (else a card offering it).
    pub active: bool,
    pub hints: usize,
    pub on_challenge: Callback<Option<usize>>,
    pub on_hint: Callback<()>,
    pub on_solution: Callback<usize>,
}

fn means(l: Lang, m: Means) -> &'static str {
    l.t(match m {
        Means::Config => i18n::MEANS_CONFIG,
        Means::Topology => i18n::MEANS_TOPOLOGY,
        Means::Command => i18n::MEANS_COMMAND,
        Means::Fault => i18n::MEANS_FAULT,
    })
}

#[function_component(ChallengePanel)]
pub fn challenge_panel(p: &Props) -> Html {
    let l = p.lang;
    let ch = &p.challenge;
    let step = p.step;
    let start = p.status.as_ref().map_or(0, |s| s.start_ms);
    let rules = rules(l, ch);
    if !p.active {
        let take = p.on_challenge.clone();
        return html! {
            <div class="challenge offer" data-step={step.to_string()}>
                <h4>{l.t(i18n::CHALLENGE)}</h4>
                <p class="task">{l.text(&ch.task)}</p>
                <p class="rules muted">{rules}</p>
                <button id="challenge-take" class="btn primary" onclick={Callback::from(move |_| take.emit(Some(step)))}>
                    {l.t(i18n::CHALLENGE_TAKE)}</button>
                <p class="muted">{l.f(i18n::CHALLENGE_FORKS, &[&fmt_time(start)])}</p>
            </div>
        };
    }
    let solved = p.status.as_ref().is_some_and(|s| s.solved);
    let leave = p.on_challenge.clone();
    let hint = p.on_hint.clone();
    let solution = p.on_solution.clone();
    let shown = p.hints.min(ch.hints.len());
    html! {
        <div class={classes!("challenge", "active", solved.then_some("solved"))} id="challenge" data-step={step.to_string()} data-solved={solved.to_string()}>
            <h4>{l.t(i18n::CHALLENGE)}</h4>
            <p class="task">{l.text(&ch.task)}</p>
            <p class="rules muted">{rules}</p>
            <ul class="challenge-goals" aria-live="polite">{ for goals(l, ch, p.status.as_ref()) }</ul>
            { for breaches(l, p.status.as_ref()) }
            if solved {
                <div class="verdict solved" id="challenge-verdict"><p><strong>{l.t(i18n::CHALLENGE_SOLVED)}</strong></p>
                    <p>{l.text(&ch.explain)}</p></div>
            } else {
                <p class="muted" id="challenge-verdict">{l.t(i18n::CHALLENGE_NOT_YET)}</p>
            }
            <ol class="hints">{ for ch.hints.iter().take(shown).enumerate().map(|(i, h)| html! {
                <li class="hint-text"><span class="muted">{l.f(i18n::HINT_N, &[&(i + 1).to_string(), &ch.hints.len().to_string()])}</span>{" "}{l.text(h)}</li>
            }) }</ol>
            <div class="challenge-actions">
                if shown < ch.hints.len() {
                    <button id="challenge-hint" class="btn" onclick={Callback::from(move |_| hint.emit(()))}>{l.t(i18n::SHOW_HINT)}</button>
                }
                <button id="challenge-solution" class="btn" onclick={Callback::from(move |_| solution.emit(step))}>{l.t(i18n::SHOW_SOLUTION)}</button>
                <button class="btn subtle" onclick={Callback::from(move |_| leave.emit(None))}>{l.t(i18n::CHALLENGE_LEAVE)}</button>
            </div>
        </div>
    }
}

/// "Allowed: CONFIG SET · at most 1 action".
fn rules(l: Lang, ch: &Challenge) -> String {
    let mut parts = Vec::new();
    if !ch.allow.is_empty() {
        let list: Vec<&str> = ch.allow.iter().map(|m| means(l, *m)).collect();
        parts.push(l.f(i18n::ALLOWED, &[&list.join(l.t(i18n::LIST_SEP))]));
    }
    if let Some(max) = ch.max_actions {
        parts.push(l.f(i18n::MAX_ACTIONS, &[&max.to_string()]));
    }
    parts.join(" · ")
}

fn goals(l: Lang, ch: &Challenge, status: Option<&ChallengeStatus>) -> Vec<Html> {
    let Some(st) = status else { return Vec::new() };
    st.goals
        .iter()
        .enumerate()
        .map(|(i, (o, fin))| {
            let state = match (o, fin) {
                (Some(o), true) if o.pass => "pass",
                (Some(_), true) => "fail",
                _ => "pending",
            };
            let icon = match state {
                "pass" => "✔",
                "fail" => "✘",
                _ => "…",
            };
            let label = ch
                .goals
                .get(i)
                .map(|g| l.text(&g.label))
                .unwrap_or_default();
            let detail = match (o, fin) {
                (Some(o), true) => l.f(i18n::GOAL_GOT, &[&o.got, &o.wanted]),
                (Some(o), false) => l.f(i18n::GOAL_SO_FAR, &[&o.got, &o.wanted]),
                (None, _) => String::new(),
            };
            html! {
                <li class={classes!("goal", state)} data-goal={i.to_string()} data-status={state}>
                    <span class="icon" aria-hidden="true">{icon}</span>
                    <span class="label">{label}</span>
                    <span class="detail">{detail}</span>
                </li>
            }
        })
        .collect()
}

fn breaches(l: Lang, status: Option<&ChallengeStatus>) -> Option<Html> {
    let st = status.filter(|s| !s.breaches.is_empty())?;
    Some(html! {
        <ul class="breaches" id="challenge-breaches">{ for st.breaches.iter().map(|b| html! {
            <li>{ match b {
                Breach::NotAllowed { action, means: m } => l.f(i18n::BREACH_NOT_ALLOWED, &[action, means(l, *m)]),
                Breach::TooMany { used, max } => l.f(i18n::BREACH_TOO_MANY, &[&used.to_string(), &max.to_string()]),
            } }</li>
        }) }</ul>
    })
}
