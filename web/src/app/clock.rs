//! Time: the clock that advances a playing session, the live-region
//! narration of key events, and the hash kept a permalink while paused.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use replilab_core::export::Embed;
use replilab_core::trace::TraceKind;
use yew::prelude::*;

use crate::components::fmt_time;
use crate::dom;
use crate::i18n;
use crate::lab::landmark;
use crate::route::hash_of;
use crate::state::{Action, UiState};
use replilab_core::timeline::Session;

/// Real milliseconds between two simulation ticks while playing.
const TICK_MS: u32 = 50;

type SessionRef = Option<Rc<RefCell<Session>>>;

#[hook]
pub fn use_clock(ui: &UseReducerHandle<UiState>, session: &SessionRef) {
    // The clock.
    {
        let ui_d = ui.dispatcher();
        let session = session.clone();
        let key = session.as_ref().map_or(0, |s| Rc::as_ptr(s) as usize);
        let lang = ui.lang;
        // In a challenge the learner plays their branch through: no step stops.
        let challenge = ui.challenge.is_some();
        use_effect_with(
            (ui.playing, (ui.speed * 1000.0) as u64, key, lang, challenge),
            move |&(playing, speed_milli, _, lang, challenge)| {
                let interval = session.filter(|_| playing).map(|session| {
                    let carry = Rc::new(RefCell::new(0u64));
                    // Set once this interval has paused the run: ticks already queued
                    // before the re-render drops the interval must not run past the stop.
                    let halted = Rc::new(std::cell::Cell::new(false));
                    Interval::new(TICK_MS, move || {
                        if halted.get() {
                            return;
                        }
                        let ms = {
                            let mut c = carry.borrow_mut();
                            *c += TICK_MS as u64 * speed_milli;
                            let ms = *c / 1000;
                            *c %= 1000;
                            ms
                        };
                        if ms == 0 {
                            return;
                        }
                        let (result, stop, at_end, step_index, now) = {
                            let mut s = session.borrow_mut();
                            let now = s.now_ms();
                            let stops = if challenge {
                                s.end_ms().into_iter().collect()
                            } else {
                                s.stops()
                            };
                            let next_stop = stops.iter().copied().find(|&t| t > now);
                            let target = now.saturating_add(ms).min(next_stop.unwrap_or(u64::MAX));
                            let r = s.advance_to(target);
                            s.settle();
                            let reached = next_stop.is_some_and(|t| s.now_ms() >= t);
                            let at_end = s.end_ms().is_some_and(|e| s.now_ms() >= e);
                            let step_index = stops.iter().position(|&t| Some(t) == next_stop);
                            (r, reached, at_end, step_index, s.now_ms())
                        };
                        ui_d.dispatch(Action::Bump);
                        if result.is_err() || stop || at_end {
                            halted.set(true);
                        }
                        if let Err(e) = result {
                            ui_d.dispatch(Action::Pause);
                            ui_d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))));
                        } else if stop || at_end {
                            ui_d.dispatch(Action::Pause);
                            ui_d.dispatch(Action::Live(
                                lang.f(i18n::LIVE_PAUSED_AT, &[&fmt_time(now)]),
                            ));
                            // Tell an embedding page (no-op when not in a frame).
                            if at_end {
                                dom::post_parent(Embed::Complete { t: now });
                            } else if let Some(i) = step_index {
                                dom::post_parent(Embed::Step { step: i, t: now });
                            }
                        }
                    })
                });
                move || drop(interval)
            },
        );
    }
}

pub fn narrate(ui: &UseReducerHandle<UiState>, session: &SessionRef, narrated: &RefCell<usize>) {
    // Narrate the newest key event since the last render.
    if let Some(s) = session {
        let s = s.borrow();
        // `narrated` counts events of the whole trace.
        let trace = s.sim.trace();
        let base = s.sim.trace_base();
        let from = (*narrated.borrow()).clamp(base, s.sim.trace_end()) - base;
        if let Some(e) = trace[from..].iter().rev().find(|e| landmark(e)) {
            let text = match &e.kind {
                TraceKind::Sentinel { event } => event.to_string(),
                TraceKind::Fault { text } => text.clone(),
                TraceKind::Role { role } => format!("role {role}"),
                TraceKind::Sync { replica, full, .. } => format!(
                    "{} sync → {}",
                    if *full { "full" } else { "partial" },
                    s.sim.name(*replica)
                ),
                _ => String::new(),
            };
            let line = format!(
                "t={:.1} s · {}: {}",
                e.t_ms as f64 / 1000.0,
                s.sim.name(e.node),
                text
            );
            let d = ui.dispatcher();
            yew::platform::spawn_local(async move { d.dispatch(Action::Live(line)) });
        }
        *narrated.borrow_mut() = s.sim.trace_end();
    }
}

#[hook]
pub fn use_permalink(ui: &UseReducerHandle<UiState>, session: &SessionRef) {
    let version = ui.version;
    // Keep the hash a permalink while paused, once the playhead has rested
    // for 300 ms (`history.replaceState` costs ~6 ms: not on every scrub
    // step). A newer version drops the pending update (the timeout's drop).
    {
        let session = session.clone();
        let playing = ui.playing;
        let view = (**ui).clone();
        use_effect_with(
            (
                version,
                playing,
                session.as_ref().map(|s| Rc::as_ptr(s) as usize),
                (view.challenge, view.hints, view.spacing, view.folds),
            ),
            move |_| {
                let pending = match (session, playing) {
                    (Some(s), false) => Some(gloo_timers::callback::Timeout::new(300, move || {
                        dom::replace_hash(&hash_of(&s.borrow(), &view));
                    })),
                    _ => None,
                };
                move || drop(pending)
            },
        );
    }
    // After a scrub far back, the trace before the playhead was dropped
    // (`timeline/history.rs`): once the playhead rests for 150 ms,
    // regenerate what the event list and the diagram show.
    {
        let session = session.clone();
        let d = ui.dispatcher();
        let lang = ui.lang;
        use_effect_with(version, move |_| {
            let pending = session.map(|s| {
                gloo_timers::callback::Timeout::new(150, move || {
                    let filled = s.borrow_mut().fill_history(crate::lab::TRACE_KEEP_MS);
                    match filled {
                        Ok(true) => d.dispatch(Action::Bump),
                        Ok(false) => {}
                        Err(e) => {
                            d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))))
                        }
                    }
                })
            });
            move || drop(pending)
        });
    }
}
