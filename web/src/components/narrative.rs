//! The narrative panel: the lesson's steps (what to watch, predict, then
//! the reveal once the step has run) and the goals, checked live against
//! the lesson's expectations. In the sandbox: how to use it, and the
//! learner's recorded actions.

use replilab_core::scenario::Outcome;
use yew::prelude::*;

use super::fmt_time;
use super::sandbox_form::SandboxForm;
use crate::i18n::{self, Lang};
use crate::lab::Lab;
use replilab_core::timeline::Source;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub choices: Vec<Option<usize>>,
    pub goals: Vec<(Option<Outcome>, bool)>,
    pub on_choose: Callback<(usize, usize)>,
    pub on_play: Callback<()>,
    pub on_seek: Callback<u64>,
}

#[function_component(Narrative)]
pub fn narrative(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let now = session.now_ms();
    let schedule = {
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
    };
    let Some(lesson) = session.lesson() else {
        return html! {
            <section class="panel narrative" aria-label={l.t(i18n::NARRATIVE)}>
                <header class="panel-head"><h2>{l.t(i18n::SANDBOX)}</h2></header>
                <div class="narrative-body">
                    <p>{l.t(i18n::SANDBOX_HELP)}</p>
                    if let Source::Sandbox(topo) = &session.source {
                        <SandboxForm key={topo.encode()} lang={l} topo={topo.clone()} />
                    }
                    {schedule}
                </div>
            </section>
        };
    };
    let until = |i: usize| {
        lesson
            .steps
            .get(i)
            .map_or(u64::MAX, |s| (s.until_s * 1000.0) as u64)
    };
    let n = lesson.steps.len();
    let cur = (0..n)
        .find(|&i| now <= until(i))
        .unwrap_or(n.saturating_sub(1));
    let end_ms = lesson.duration_s * 1000;
    let step_html = lesson.steps.get(cur).map(|st| {
        let reached = now >= until(cur);
        let predict = st.predict.as_ref().map(|pr| {
            let chosen = p.choices.get(cur).copied().flatten();
            let answer = lesson_text(l, pr.choices.get(pr.answer));
            html! {
                <div class="predict" data-step={cur.to_string()}>
                    <h4>{l.t(i18n::PREDICT)}</h4>
                    <p class="question">{l.text(&pr.question)}</p>
                    <div class="choices" role="radiogroup" aria-label={l.text(&pr.question)}>
                        { for pr.choices.iter().enumerate().map(|(ci, c)| {
                            let cb = p.on_choose.clone();
                            let picked = chosen == Some(ci);
                            let verdict = reached.then_some(if ci == pr.answer { "right" } else if picked { "wrong" } else { "" });
                            html! {
                                <button class={classes!("choice", picked.then_some("picked"), verdict)} role="radio" aria-checked={picked.to_string()}
                                    disabled={reached} onclick={Callback::from(move |_| cb.emit((cur, ci)))}>
                                    <span class="mark" aria-hidden="true">{ match verdict { Some("right") => "✔", Some("wrong") => "✘", _ => if picked { "●" } else { "○" } } }</span>
                                    <span>{l.text(c)}</span>
                                </button>
                            }
                        }) }
                    </div>
                    if !reached && chosen.is_none() { <p class="hint">{l.t(i18n::PREDICT_HINT)}</p> }
                    if reached {
                        <p class="verdict" data-verdict={ match chosen { Some(c) if c == pr.answer => "right", Some(_) => "wrong", None => "none" } }>{ match chosen {
                            Some(c) if c == pr.answer => l.t(i18n::RIGHT).to_string(),
                            Some(_) => l.f(i18n::WRONG, &[&answer]),
                            None => l.f(i18n::ANSWER, &[&answer]),
                        } }</p>
                    }
                </div>
            }
        });
        let play = p.on_play.clone();
        let seek = p.on_seek.clone();
        let prev_start = if cur >= 2 { until(cur - 2) } else { 0 };
        // The first key event of the step (fault, role change, sync, Sentinel verdict):
        // the reveal links to it, so the learner can see it in the diagram.
        let step_start = if cur >= 1 { until(cur - 1) } else { 0 };
        let key_event = reached
            .then(|| {
                session.sim.trace().iter().find(|e| e.t_ms > step_start && e.t_ms <= until(cur) && crate::lab::landmark(e))
                    .map(|e| (e.t_ms, e.line(&|id| session.sim.name(id))))
            })
            .flatten();
        let key_html = key_event.map(|(t, line)| {
            let seek = p.on_seek.clone();
            // Land a little after the event, so it sits inside the diagram's window.
            html! { <p class="key-event"><button id="key-event" class="link" onclick={Callback::from(move |_| seek.emit(t + 300))}>
                {l.t(i18n::SEE_EVENT)}{" "}<code>{line}</code></button></p> }
        });
        html! {
            <article class="step" data-step={cur.to_string()} data-reached={reached.to_string()}>
                <p class="step-of">{l.f(i18n::STEP_OF, &[&(cur + 1).to_string(), &n.to_string()])}
                    <span class="until">{format!(" · → {}", fmt_time(until(cur)))}</span></p>
                <h3>{l.text(&st.title)}</h3>
                <p class="watch">{l.text(&st.watch)}</p>
                { for predict }
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
    });
    let progress = (0..n).map(|i| {
        let class = if now >= until(i) {
            "done"
        } else if i == cur {
            "current"
        } else {
            ""
        };
        html! { <li class={class} title={l.text(&lesson.steps[i].title)}></li> }
    });
    let goals = lesson.expects.iter().enumerate().map(|(i, e)| {
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
        let detail = match (&o, fin) {
            (Some(o), true) => l.f(i18n::GOAL_GOT, &[&o.got, &o.wanted]),
            (Some(o), false) => l.f(i18n::GOAL_SO_FAR, &[&o.got, &o.wanted]),
            (None, _) => l.f(
                i18n::GOAL_PENDING_AT,
                &[&fmt_time(e.at_s.map_or(end_ms, |s| (s * 1000.0) as u64))],
            ),
        };
        html! {
            <li class={classes!("goal", status)} data-goal={i.to_string()} data-status={status}>
                <span class="icon" aria-hidden="true">{icon}</span>
                <span class="label">{l.text(&e.label)}</span>
                <span class="detail">{detail}</span>
            </li>
        }
    });
    html! {
        <section class="panel narrative" aria-label={l.t(i18n::NARRATIVE)}>
            <header class="panel-head">
                <h2>{l.t(i18n::NARRATIVE)}</h2>
                <ol class="progress" aria-hidden="true">{ for progress }</ol>
            </header>
            <div class="narrative-body">
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

fn lesson_text(l: Lang, t: Option<&replilab_core::scenario::format::Text>) -> String {
    t.map(|t| l.text(t)).unwrap_or_default()
}
