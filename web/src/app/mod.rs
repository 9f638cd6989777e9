//! The page: routes between the landing view and a lesson (or the sandbox)
//! and lays the lab out. The parts live beside it: `open` (hash → route,
//! lesson fetch, window events, ready), `clock` (the gloo `Interval` that
//! advances the session by speed × tick, live-region narration, the hash
//! kept a permalink), `controls` (callbacks that act on the session),
//! `ui_callbacks` (callbacks on the view state), `keys` (shortcuts),
//! `layout` (scrub ticks, panel sizes), `view` (the landing, lab and embed
//! layouts, drawn from what `app` computed).

mod challenge;
mod clock;
mod controls;
mod keys;
mod layout;
mod open;
mod ui_callbacks;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::scenario::Outcome;
use replilab_core::timeline::{ChallengeStatus, Session};
use yew::prelude::*;

use self::view::LabView;
use crate::components::compare;
use crate::dom;
use crate::lab::Lab;
use crate::route::{initial_lang, initial_theme, Route};
use crate::state::UiState;

/// The keyboard shortcuts handler of the latest render.
type KeyHandler = Rc<dyn Fn(web_sys::KeyboardEvent)>;

/// The goals' outcomes (so far, final), by expectation; each challenge's status.
type Goals = (Vec<(Option<Outcome>, bool)>, Vec<ChallengeStatus>);

/// The root: every hook first, unconditionally and in one order; then the
/// session's per-render upkeep; then the landing view, the embed or the lab.
#[function_component(App)]
pub fn app() -> Html {
    let ui = use_reducer(|| UiState::new(initial_lang(), initial_theme()));
    // Until the hash is opened (an effect, after this first render): "Loading…" if it names
    // a lesson, as the static page showed it, so the landing view is not built for nothing.
    let route = use_state(|| {
        let link = crate::permalink::parse_hash(&dom::hash());
        match link.lesson.is_some() || link.scenario.is_some() || link.edit {
            true => Route::Loading,
            false => Route::Landing,
        }
    });
    let goals_cache = use_mut_ref(|| (u64::MAX, Goals::default()));
    let figures_cache = use_mut_ref(compare::Cache::default);
    let narrated = use_mut_ref(|| 0usize);
    let shared = use_state(|| false);
    let coach = use_state(|| dom::storage_get("replilab.coach").is_none());
    let key_handler: Rc<RefCell<Option<KeyHandler>>> = use_mut_ref(|| None);

    open::use_routing(&ui, &route, &narrated, &key_handler);

    let session = match &*route {
        Route::Lab(s) => Some(s.clone()),
        Route::Landing | Route::Loading | Route::Editor(_) => None,
    };
    let version = ui.version;

    clock::use_clock(&ui, &session);
    clock::narrate(&ui, &session, &narrated);
    clock::use_permalink(&ui, &session);
    let controls = controls::controls(&ui, &session);
    let cb = ui_callbacks::ui_callbacks(&ui, &session, &shared);
    let revealed = use_state(|| false);
    let ch = challenge::challenge_callbacks(&ui, &session, &revealed);

    *key_handler.borrow_mut() = Some(keys::shortcuts(
        ui.dispatcher(),
        controls.step.clone(),
        session.is_some(),
        controls.on_toggle.clone(),
    ));

    let compare = follow_compare(&ui, &session);
    let chrome = view::chrome(&ui, &session, *shared, compare, &controls, &cb);
    if let Route::Editor(init) = &*route {
        return view::editor(chrome, init.clone(), ui.lang);
    }
    let Some(session) = session else {
        return view::landing(chrome, matches!(*route, Route::Loading), ui.lang);
    };
    let goals = cached_goals(&goals_cache, &session, version, ui.playing);
    let progress = if ui.playing {
        None
    } else {
        challenge::record_progress(&session.borrow(), &ui, &goals.1, *revealed)
    };
    let scrub = layout::scrub(&session.borrow());
    let v = LabView {
        ui: &ui,
        lab: Lab { session, version },
        compare_shown: compare.1,
        controls: &controls,
        cb: &cb,
        ch: &ch,
        figures: &figures_cache,
    };
    if ui.embed {
        return v.embed(chrome, scrub);
    }
    v.lab(chrome, scrub, goals, progress, &coach)
}

/// Whether a comparison is open, and whether it is shown. The other branch
/// follows the playhead while it is in view or playback is paused (its
/// errors stay in its `error`, shown there).
fn follow_compare(ui: &UiState, session: &Option<Rc<RefCell<Session>>>) -> (bool, bool) {
    let comparing = session
        .as_ref()
        .is_some_and(|s| s.borrow().compare.is_some());
    let compare_shown = comparing && (ui.compare_view || ui.embed);
    if let Some(Ok(mut s)) = session.as_ref().map(|s| s.try_borrow_mut()) {
        if comparing && (compare_shown || !ui.playing) {
            let _ = s.sync_other();
        }
    }
    (comparing, compare_shown)
}

/// The goals, from the cache unless stale. The checker reads the whole
/// run: refresh at most every 8 versions while playing, and never for the
/// sandbox, which has no goals (a 6 h run acknowledges 216,000 writes).
fn cached_goals(
    cache: &RefCell<(u64, Goals)>,
    session: &RefCell<Session>,
    version: u64,
    playing: bool,
) -> Goals {
    let mut cache = cache.borrow_mut();
    if crate::lab::whole_run_stale(cache.0, version, playing) {
        let s = session.borrow();
        if s.lesson().is_none() {
            *cache = (version, Goals::default());
            return cache.1.clone();
        }
        let report = replilab_core::checker::check(&s.sim);
        *cache = (
            version,
            (s.goals_with(&report), s.challenge_statuses_with(&report)),
        );
    }
    cache.1.clone()
}
