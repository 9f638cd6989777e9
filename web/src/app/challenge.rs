//! The callbacks of a lesson's challenges and progress: take up a challenge
//! (the playhead goes back to where it starts; the learner's first action
//! there forks the run, keeping the original as branch A), reveal a hint,
//! show the solution (`Session::apply_solution`, then play), reset the
//! lesson; and the hook that keeps the learner's progress in local storage.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::timeline::{ChallengeStatus, Session};
use yew::prelude::*;

use crate::dom;
use crate::i18n;
use crate::learner::Progress;
use crate::state::{Action, UiState};

pub struct ChallengeCallbacks {
    /// Takes up a step's challenge (None: puts it down).
    pub on_challenge: Callback<Option<usize>>,
    pub on_hint: Callback<()>,
    pub on_solution: Callback<usize>,
    /// Forgets the lesson's progress and opens it at its start.
    pub on_reset: Callback<()>,
}

pub fn challenge_callbacks(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    revealed: &UseStateHandle<bool>,
) -> ChallengeCallbacks {
    let d = ui.dispatcher();
    let lang = ui.lang;
    let on_challenge = {
        let (d, session) = (d.clone(), session.clone());
        Callback::from(move |step: Option<usize>| {
            d.dispatch(Action::Pause);
            d.dispatch(Action::Challenge { step, hints: 0 });
            let (Some(step), Some(s)) = (step, &session) else {
                return;
            };
            let start = s
                .borrow()
                .lesson()
                .and_then(|l| l.challenges().find(|c| c.0 == step).map(|c| c.1));
            if let Some(start) = start.filter(|t| *t < s.borrow().now_ms()) {
                if let Err(e) = s.borrow_mut().seek(start) {
                    d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))));
                }
            }
            d.dispatch(Action::Bump);
        })
    };
    let on_hint = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::RevealHint))
    };
    let on_solution = {
        let (d, session, revealed) = (d.clone(), session.clone(), revealed.clone());
        Callback::from(move |step: usize| {
            let Some(s) = &session else { return };
            revealed.set(true);
            let r = s.borrow_mut().apply_solution(step);
            match r {
                Ok(()) => d.dispatch(Action::Play),
                Err(e) => d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e])))),
            }
            d.dispatch(Action::Bump);
        })
    };
    let on_reset = {
        let session = session.clone();
        Callback::from(move |_| {
            let Some(s) = &session else { return };
            let Some((key, link)) = s
                .borrow()
                .lesson()
                .map(crate::lessons::progress_key_and_link)
            else {
                return;
            };
            Progress::clear(&key);
            dom::set_hash(&link);
        })
    };
    ChallengeCallbacks {
        on_challenge,
        on_hint,
        on_solution,
        on_reset,
    }
}

/// Records what the learner has done in this lesson: a prediction once its
/// step has run, a challenge once solved without "Show solution".
pub fn record_progress(
    session: &Session,
    ui: &UiState,
    challenges: &[ChallengeStatus],
    revealed: bool,
) -> Option<Progress> {
    let lesson = session.lesson()?;
    let now = session.now_ms();
    let (key, _) = crate::lessons::progress_key_and_link(lesson);
    let mut p = Progress::load(&key);
    for (i, st) in lesson.steps.iter().enumerate() {
        let (Some(pr), Some(Some(c))) = (&st.predict, ui.choices.get(i)) else {
            continue;
        };
        if now >= (st.until_s * 1000.0) as u64 {
            p.answered.insert(i);
            if *c == pr.answer {
                p.right.insert(i);
            }
        }
    }
    if !revealed {
        p.solved
            .extend(challenges.iter().filter(|c| c.solved).map(|c| c.step));
    }
    p.save(&key);
    Some(p)
}
