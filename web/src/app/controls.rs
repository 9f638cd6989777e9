//! The callbacks that act on the session: console commands, faults,
//! seeking, stepping, play/pause, the comparison. `controls` builds them by
//! group (`faults`, `playback`, `comparison`) on two primitives, `actor` and
//! `seeker`.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::action::Action as SimAction;
use replilab_core::net::NodeId;
use replilab_core::trace::TraceEvent;
use yew::prelude::*;

use crate::components::fmt_time;
use crate::faults::Quick;
use crate::i18n;
use crate::state::{Action, UiState};
use replilab_core::timeline::Session;

/// Steps one event (or to the next landmark) forward (> 0) or back.
pub type Step = Rc<dyn Fn(i32, bool)>;

pub struct Controls {
    pub on_command: Callback<(NodeId, String)>,
    pub on_fault: Callback<(Quick, NodeId)>,
    /// Actions from the fault toolbar and the link menu.
    pub on_actions: Callback<Vec<SimAction>>,
    pub on_seek: Callback<u64>,
    pub step: Step,
    pub on_step: Callback<i32>,
    pub on_toggle: Callback<()>,
    pub on_play: Callback<()>,
    /// Starts a comparison, or shows/hides it.
    pub on_compare: Callback<()>,
    pub on_swap: Callback<()>,
    pub on_end_compare: Callback<()>,
}

/// Every callback, built by group: the session's two primitives (`act`,
/// `seek`), then faults and commands, the transport, the comparison.
pub fn controls(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
) -> Controls {
    let bump = bumper(ui);
    let act = actor(ui, session, bump.clone());
    let seek = seeker(ui, session, bump.clone());
    let Faults {
        on_command,
        on_actions,
        on_fault,
    } = faults(ui, session, &act);
    let Playback {
        on_seek,
        step,
        on_step,
        on_toggle,
        on_play,
    } = playback(ui, session, &seek, bump.clone());
    let Comparison {
        on_compare,
        on_swap,
        on_end_compare,
    } = comparison(ui, session, bump);
    Controls {
        on_command,
        on_fault,
        on_actions,
        on_seek,
        step,
        on_step,
        on_toggle,
        on_play,
        on_compare,
        on_swap,
        on_end_compare,
    }
}

/// Acts on the session: a batch of actions, then the fork banner.
type Act = Rc<dyn Fn(Vec<SimAction>)>;
/// Moves the playhead (a banner if the run stops on the way).
type Seek = Rc<dyn Fn(u64)>;

/// Tells the page the session moved (its version goes up).
fn bumper(ui: &UseReducerHandle<UiState>) -> impl Fn() + Clone + 'static {
    let d = ui.dispatcher();
    move || d.dispatch(Action::Bump)
}

/// Applies actions at the playhead; a banner says what the fork dropped or
/// kept, or why an action was refused.
fn actor(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    bump: impl Fn() + 'static,
) -> Act {
    let session = session.clone();
    let d = ui.dispatcher();
    let lang = ui.lang;
    Rc::new(move |actions: Vec<SimAction>| {
        let Some(s) = &session else { return };
        let (mut dropped, mut kept, mut refused) = (0, false, None);
        {
            let mut s = s.borrow_mut();
            for a in actions {
                match s.act(a) {
                    Ok(fork) => {
                        dropped += fork.dropped;
                        kept |= fork.kept;
                    }
                    Err(e) => refused = Some(e),
                }
            }
            s.settle();
        }
        if let Some(e) = refused {
            d.dispatch(Action::Banner(Some(e)));
        } else if dropped > 0 || kept {
            let now = s.borrow().now_ms();
            let text = match (kept, dropped) {
                (true, 0) => i18n::FORKED_RUN_KEPT,
                (true, _) => i18n::FORKED_KEPT,
                _ => i18n::FORKED,
            };
            d.dispatch(Action::Banner(Some(
                lang.f(text, &[&fmt_time(now), &dropped.to_string()]),
            )));
        }
        bump();
    })
}

fn seeker(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    bump: impl Fn() + 'static,
) -> Seek {
    let session = session.clone();
    let d = ui.dispatcher();
    let lang = ui.lang;
    Rc::new(move |t: u64| {
        let Some(s) = &session else { return };
        let r = s.borrow_mut().seek(t);
        if let Err(e) = r {
            d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))));
        }
        bump();
    })
}

/// Console commands, the fault toolbar and the context menu.
struct Faults {
    on_command: Callback<(NodeId, String)>,
    on_actions: Callback<Vec<SimAction>>,
    on_fault: Callback<(Quick, NodeId)>,
}

fn faults(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    act: &Act,
) -> Faults {
    let on_command = {
        let act = act.clone();
        let session = session.clone();
        Callback::from(move |(node, line): (NodeId, String)| {
            let Some(s) = &session else { return };
            let node = s.borrow().sim.name(node);
            act(vec![SimAction::Command { node, line }])
        })
    };
    let on_actions = {
        let act = act.clone();
        let d = ui.dispatcher();
        Callback::from(move |actions: Vec<SimAction>| {
            d.dispatch(Action::CloseMenu);
            act(actions);
        })
    };
    let on_fault = {
        let act = act.clone();
        let session = session.clone();
        let d = ui.dispatcher();
        Callback::from(move |(q, node): (Quick, NodeId)| {
            let actions = match &session {
                Some(s) => q.actions(&s.borrow().sim, node),
                None => return,
            };
            d.dispatch(Action::CloseMenu);
            act(actions);
        })
    };
    Faults {
        on_command,
        on_actions,
        on_fault,
    }
}

/// The transport: seek, step, play/pause, and the lesson's Continue.
struct Playback {
    on_seek: Callback<u64>,
    step: Step,
    on_step: Callback<i32>,
    on_toggle: Callback<()>,
    on_play: Callback<()>,
}

fn playback(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    seek: &Seek,
    bump: impl Fn() + 'static,
) -> Playback {
    let on_seek = {
        let seek = seek.clone();
        Callback::from(move |t: u64| seek(t))
    };
    let step = stepper(ui, session, seek, bump);
    let on_step = {
        let step = step.clone();
        Callback::from(move |d: i32| step(d, false))
    };
    let on_toggle = {
        let d = ui.dispatcher();
        let session = session.clone();
        let seek = seek.clone();
        Callback::from(move |_| {
            // Play at the end of a lesson starts it again.
            if let Some(s) = &session {
                let (now, end) = {
                    let s = s.borrow();
                    (s.now_ms(), s.end_ms())
                };
                if end.is_some_and(|e| now >= e) {
                    seek(0);
                }
            }
            d.dispatch(Action::TogglePlay)
        })
    };
    let on_play = {
        let d = ui.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Play))
    };
    Playback {
        on_seek,
        step,
        on_step,
        on_toggle,
        on_play,
    }
}

/// One event (or up to the next landmark of the jump kind) forward, or
/// back to the previous one.
fn stepper(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    seek: &Seek,
    bump: impl Fn() + 'static,
) -> Step {
    let session = session.clone();
    let d = ui.dispatcher();
    let seek = seek.clone();
    let jump = ui.jump;
    Rc::new(move |dir: i32, landmarks: bool| {
        let Some(s) = &session else { return };
        d.dispatch(Action::Pause);
        if dir > 0 {
            let mut s = s.borrow_mut();
            // Indices of the whole trace: stepping may drop its start.
            for _ in 0..if landmarks { 20_000 } else { 1 } {
                let before = s.sim.trace_end();
                if s.step_event().is_err() || s.sim.trace_end() == before {
                    break;
                }
                let new = &s.sim.trace()[before - s.sim.trace_base()..];
                if !landmarks || new.iter().any(|e| jump.matches(e)) {
                    break;
                }
            }
            drop(s);
            bump();
        } else {
            let target = {
                let s = s.borrow();
                let now = s.now_ms();
                let back = |e: &&TraceEvent| e.t_ms < now && (!landmarks || jump.matches(e));
                // The trace kept, then the run's record (every kind a jump
                // looks for is in it).
                (s.sim.trace().iter().rev().find(back))
                    .or_else(|| {
                        let marks = s.sim.run_record().marks();
                        marks.iter().rev().map(|m| &m.ev).find(back)
                    })
                    .map(|e| e.t_ms)
            };
            seek(target.unwrap_or(0));
        }
    })
}

/// Branches A/B: start or show/hide, swap, end.
struct Comparison {
    on_compare: Callback<()>,
    on_swap: Callback<()>,
    on_end_compare: Callback<()>,
}

fn comparison(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    bump: impl Fn() + Clone + 'static,
) -> Comparison {
    let on_compare = {
        let session = session.clone();
        let d = ui.dispatcher();
        let (shown, bump) = (ui.compare_view, bump.clone());
        Callback::from(move |_| {
            let Some(s) = &session else { return };
            let started = {
                let mut s = s.borrow_mut();
                let new = s.compare.is_none();
                s.keep_as_a();
                new
            };
            d.dispatch(Action::ShowCompare(started || !shown));
            bump();
        })
    };
    let on_swap = {
        let session = session.clone();
        let d = ui.dispatcher();
        let (lang, bump) = (ui.lang, bump.clone());
        Callback::from(move |_| {
            let Some(s) = &session else { return };
            let r = s.borrow_mut().swap_branches();
            if let Err(e) = r {
                d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))));
            }
            bump();
        })
    };
    let on_end_compare = {
        let session = session.clone();
        let d = ui.dispatcher();
        Callback::from(move |_| {
            let Some(s) = &session else { return };
            s.borrow_mut().close_compare();
            d.dispatch(Action::ShowCompare(false));
            bump();
            // The button is gone: keep the keyboard where the comparison starts.
            crate::dom::focus("compare-toggle");
        })
    };
    Comparison {
        on_compare,
        on_swap,
        on_end_compare,
    }
}
