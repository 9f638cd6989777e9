//! A step's prediction: the choices in an order shuffled per learner
//! (`learner::choice_order`; choices keep their file index, so answers and
//! links do not depend on the order shown), locked and marked once the step
//! has run, then the verdict and why each wrong choice tempts and fails.

use replilab_core::scenario::format::Predict;
use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::learner::choice_order;

#[allow(clippy::too_many_arguments)]
pub fn prediction(
    l: Lang,
    lesson: &str,
    pr: &Predict,
    cur: usize,
    chosen: Option<usize>,
    reached: bool,
    shuffle: u32,
    on_choose: &Callback<(usize, usize)>,
) -> Html {
    let text = |i: usize| {
        pr.choices
            .get(i)
            .map(|c| l.text(&c.text()))
            .unwrap_or_default()
    };
    let answer = text(pr.answer);
    let order = choice_order(lesson, cur, pr.choices.len(), shuffle);
    let buttons = order.iter().map(|&ci| {
        let cb = on_choose.clone();
        let picked = chosen == Some(ci);
        let verdict = reached.then_some(if ci == pr.answer {
            "right"
        } else if picked {
            "wrong"
        } else {
            ""
        });
        let mark = match verdict {
            Some("right") => "✔",
            Some("wrong") => "✘",
            _ if picked => "●",
            _ => "○",
        };
        html! {
            <button class={classes!("choice", picked.then_some("picked"), verdict)} role="radio" aria-checked={picked.to_string()}
                data-choice={ci.to_string()} disabled={reached} onclick={Callback::from(move |_| cb.emit((cur, ci)))}>
                <span class="mark" aria-hidden="true">{mark}</span>
                <span>{text(ci)}</span>
            </button>
        }
    });
    // Why a wrong choice is wrong: the learner's own first, the others folded.
    let why = |i: usize| {
        pr.choices
            .get(i)
            .and_then(|c| c.why.as_ref())
            .map(|w| l.f(i18n::WHY_NOT, &[&text(i), &l.text(w)]))
    };
    let own = chosen.filter(|c| *c != pr.answer).and_then(why);
    let others: Vec<String> = order
        .iter()
        .filter(|&&i| i != pr.answer && Some(i) != chosen)
        .filter_map(|&i| why(i))
        .collect();
    html! {
        <div class="predict" data-step={cur.to_string()}>
            <h4>{l.t(i18n::PREDICT)}</h4>
            <p class="question">{l.text(&pr.question)}</p>
            <div class="choices" role="radiogroup" aria-label={l.text(&pr.question)}>{ for buttons }</div>
            if !reached && chosen.is_none() { <p class="hint">{l.t(i18n::PREDICT_HINT)}</p> }
            if reached {
                <p class="verdict" data-verdict={ match chosen { Some(c) if c == pr.answer => "right", Some(_) => "wrong", None => "none" } }>{ match chosen {
                    Some(c) if c == pr.answer => l.t(i18n::RIGHT).to_string(),
                    Some(_) => l.f(i18n::WRONG, &[&answer]),
                    None => l.f(i18n::ANSWER, &[&answer]),
                } }</p>
                if let Some(own) = own { <p class="why-not" id="why-not">{own}</p> }
                if !others.is_empty() {
                    <details class="why-others"><summary>{l.t(i18n::OTHER_CHOICES)}</summary>
                        <ul>{ for others.iter().map(|w| html! { <li>{w.clone()}</li> }) }</ul>
                    </details>
                }
            }
        </div>
    }
}
