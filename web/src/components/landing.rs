//! The landing view: a card per lesson (title, promise, seed case, time),
//! the sandbox last. Cards are links, so they work without script state.

use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::lessons::{self, SANDBOX_ID};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

#[function_component(Landing)]
pub fn landing(p: &Props) -> Html {
    let l = p.lang;
    let cards = lessons::index().iter().enumerate().map(|(i, (file, e))| match e {
        Ok(s) => html! {
            <li>
                <a class="lesson-card" href={format!("#lesson={}", s.id)} data-lesson={s.id}>
                    <span class="num">{format!("{:02}", i + 1)}</span>
                    <h3>{l.pair(s.title)}</h3>
                    <p>{l.pair(s.summary)}</p>
                    <p class="meta">
                        if !s.source.is_empty() { <span>{s.source}</span> }
                        if s.minutes > 0 { <span>{l.f(i18n::MINUTES, &[&s.minutes.to_string()])}</span> }
                        <span class="go">{l.t(i18n::START)}{" →"}</span>
                    </p>
                </a>
            </li>
        },
        Err(error) => html! {
            <li><div class="lesson-card broken"><h3>{*file}</h3><p>{l.f(i18n::BROKEN_LESSON, &[error])}</p></div></li>
        },
    });
    html! {
        <main class="landing">
            <p class="lede">{l.t(i18n::LANDING_LEDE)}</p>
            <h2>{l.t(i18n::LESSONS)}</h2>
            <ul class="cards">
                { for cards }
                <li>
                    <a class="lesson-card sandbox" href={format!("#lesson={SANDBOX_ID}")} data-lesson={SANDBOX_ID}>
                        <span class="num">{"∞"}</span>
                        <h3>{l.t(i18n::SANDBOX)}</h3>
                        <p>{l.t(i18n::SANDBOX_SUMMARY)}</p>
                        <p class="meta"><span>{l.t(i18n::SANDBOX_SOURCE)}</span><span class="go">{l.t(i18n::START)}{" →"}</span></p>
                    </a>
                </li>
            </ul>
        </main>
    }
}
