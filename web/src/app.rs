//! The page: routes between the landing view and a lesson (or the sandbox),
//! owns the clock (a gloo `Interval` advances the session by speed × tick),
//! turns UI events into session actions, keeps the URL hash a permalink,
//! and narrates key events in an ARIA live region.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use replilab_core::net::NodeId;
use replilab_core::sim::{Action as SimAction, Fault};
use replilab_core::trace::TraceKind;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::charts::Charts;
use crate::components::console::Console;
use crate::components::context_menu::ContextMenu;
use crate::components::diagram::Diagram;
use crate::components::fault_toolbar::FaultToolbar;
use crate::components::fmt_time;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::inspector::Inspector;
use crate::components::landing::Landing;
use crate::components::ledger::Ledger;
use crate::components::narrative::Narrative;
use crate::components::sentinels::Sentinels;
use crate::components::topology::Topology;
use crate::components::trace_list::TraceList;
use crate::components::transport::{Tick as ScrubTick, Transport};
use crate::dom;
use crate::faults::Quick;
use crate::i18n::{self, Lang};
use crate::lab::{landmark, Lab};
use crate::route::{hash_of, initial_lang, initial_theme, open, Opened, Route};
use crate::state::{Action, Tab, Theme, UiState};

/// Real milliseconds between two simulation ticks while playing.
const TICK_MS: u32 = 50;

/// The keyboard shortcuts handler of the latest render.
type KeyHandler = Rc<dyn Fn(web_sys::KeyboardEvent)>;

#[function_component(App)]
pub fn app() -> Html {
    let ui = use_reducer(|| UiState::new(initial_lang(), initial_theme()));
    let route = use_state(|| Route::Landing);
    let goals_cache = use_mut_ref(|| (u64::MAX, Vec::new()));
    let narrated = use_mut_ref(|| 0usize);
    let shared = use_state(|| false);
    let coach = use_state(|| dom::storage_get("replilab.coach").is_none());
    let key_handler: Rc<RefCell<Option<KeyHandler>>> = use_mut_ref(|| None);
    // None until the first hash is opened, then whether a lesson is loading.
    let opened = use_mut_ref(|| None::<bool>);

    // Opens the lesson the hash names (on load and on every hash change).
    let do_open = {
        let ui = ui.dispatcher();
        let route = route.setter();
        let lang_now = ui_lang_ref(&ui);
        let narrated = narrated.clone();
        let opened = opened.clone();
        let apply = Rc::new(move |o: Opened| {
            *opened.borrow_mut() = Some(matches!(o.route, Route::Loading));
            if let Some(l) = o.lang {
                ui.dispatch(Action::SetLang(l));
            }
            *narrated.borrow_mut() = 0;
            ui.dispatch(Action::Reset {
                playing: o.playing,
                embed: o.embed,
            });
            ui.dispatch(Action::Banner(o.banner));
            route.set(o.route);
        });
        Callback::from(move |hash: String| {
            let o = open(&hash, *lang_now.borrow());
            let (fetch, embed) = (o.fetch, o.embed);
            apply(o);
            let Some(meta) = fetch else { return };
            let (apply, lang_now) = (apply.clone(), lang_now.clone());
            yew::platform::spawn_local(async move {
                let fetched = crate::lessons::fetch(meta).await;
                if dom::hash() != hash {
                    return; // the learner has gone elsewhere meanwhile
                }
                let lang = *lang_now.borrow();
                apply(match fetched {
                    Ok(_) => open(&hash, lang),
                    Err(e) => {
                        Opened::landing(lang.f(i18n::LESSON_FETCH_FAILED, &[meta.id, &e]), embed)
                    }
                });
            });
        })
    };
    {
        let lang_ref = ui_lang_ref_handle(&ui);
        *lang_ref.borrow_mut() = ui.lang;
    }
    {
        let do_open = do_open.clone();
        let key_handler = key_handler.clone();
        let resize_d = ui.dispatcher();
        use_effect_with((), move |_| {
            do_open.emit(dom::hash());
            let on_hash = Closure::<dyn Fn()>::new(move || do_open.emit(dom::hash()));
            let on_resize = {
                let d = resize_d;
                Closure::<dyn Fn()>::new(move || d.dispatch(Action::Bump))
            };
            let on_key =
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    let h = key_handler.borrow().clone();
                    if let Some(h) = h {
                        h(e);
                    }
                });
            if let Some(w) = dom::window() {
                w.set_onhashchange(Some(on_hash.as_ref().unchecked_ref()));
                w.set_onresize(Some(on_resize.as_ref().unchecked_ref()));
                w.set_onkeydown(Some(on_key.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(w) = dom::window() {
                    w.set_onhashchange(None);
                    w.set_onresize(None);
                    w.set_onkeydown(None);
                }
                drop(on_hash);
                drop(on_resize);
                drop(on_key);
            }
        });
    }
    // Ready (body[data-ready], and a "ready" message to an embedding page)
    // once the page shows what the URL asked for: not while a lesson loads.
    {
        let announced = use_mut_ref(|| false);
        let opened = opened.clone();
        use_effect_with(matches!(*route, Route::Loading), move |_| {
            if *opened.borrow() == Some(false) && !announced.replace(true) {
                dom::set_body_attr("data-ready", "1");
                dom::post_parent("ready", &[]);
            }
        });
    }
    // Language and theme: on <html>, and remembered.
    {
        let (lang, theme) = (ui.lang, ui.theme);
        use_effect_with((lang, theme), move |_| {
            dom::set_root_attr("lang", lang.html_lang());
            dom::set_root_attr(
                "data-theme",
                match theme {
                    Theme::Light => "light",
                    Theme::Dark => "dark",
                },
            );
        });
    }

    let session = match &*route {
        Route::Lab(s) => Some(s.clone()),
        Route::Landing | Route::Loading => None,
    };
    let version = ui.version;

    // The clock.
    {
        let ui_d = ui.dispatcher();
        let session = session.clone();
        let key = session.as_ref().map_or(0, |s| Rc::as_ptr(s) as usize);
        let lang = ui.lang;
        use_effect_with(
            (ui.playing, (ui.speed * 1000.0) as u64, key, lang),
            move |&(playing, speed_milli, _, lang)| {
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
                            let stops = s.stops();
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
                                dom::post_parent(
                                    "complete",
                                    &[("t", JsValue::from_f64(now as f64))],
                                );
                            } else if let Some(i) = step_index {
                                dom::post_parent(
                                    "step",
                                    &[
                                        ("step", JsValue::from_f64(i as f64)),
                                        ("t", JsValue::from_f64(now as f64)),
                                    ],
                                );
                            }
                        }
                    })
                });
                move || drop(interval)
            },
        );
    }

    // Narrate the newest key event since the last render.
    if let Some(s) = &session {
        let s = s.borrow();
        let trace = s.sim.trace();
        let mut from = *narrated.borrow();
        if from > trace.len() {
            from = trace.len();
        }
        if let Some(e) = trace[from..].iter().rev().find(|e| landmark(e)) {
            let text = match &e.kind {
                TraceKind::Sentinel { event } => event.clone(),
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
        *narrated.borrow_mut() = trace.len();
    }

    // Keep the hash a permalink while paused.
    {
        let session = session.clone();
        let (playing, embed, lang) = (ui.playing, ui.embed, ui.lang);
        use_effect_with(
            (
                version,
                playing,
                session.as_ref().map(|s| Rc::as_ptr(s) as usize),
            ),
            move |_| {
                if let (Some(s), false) = (session, playing) {
                    dom::replace_hash(&hash_of(&s.borrow(), embed, lang));
                }
            },
        );
    }

    // --- callbacks into the session
    let bump = {
        let d = ui.dispatcher();
        move || d.dispatch(Action::Bump)
    };
    let act = {
        let session = session.clone();
        let d = ui.dispatcher();
        let lang = ui.lang;
        let bump = bump.clone();
        Rc::new(move |actions: Vec<SimAction>| {
            let Some(s) = &session else { return };
            let mut dropped = 0;
            {
                let mut s = s.borrow_mut();
                for a in actions {
                    dropped += s.act(a);
                }
                s.settle();
            }
            if dropped > 0 {
                let now = s.borrow().now_ms();
                d.dispatch(Action::Banner(Some(
                    lang.f(i18n::FORKED, &[&fmt_time(now), &dropped.to_string()]),
                )));
            }
            bump();
        })
    };
    let on_command = {
        let act = act.clone();
        Callback::from(move |(node, line): (NodeId, String)| {
            act(vec![SimAction::Console {
                node,
                line,
                tag: None,
            }])
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
    let on_heal = {
        let act = act.clone();
        Callback::from(move |_| act(vec![SimAction::Fault(Fault::Heal)]))
    };
    let seek = {
        let session = session.clone();
        let d = ui.dispatcher();
        let lang = ui.lang;
        let bump = bump.clone();
        Rc::new(move |t: u64| {
            let Some(s) = &session else { return };
            let r = s.borrow_mut().seek(t);
            if let Err(e) = r {
                d.dispatch(Action::Banner(Some(lang.f(i18n::RUN_STOPPED, &[&e]))));
            }
            bump();
        })
    };
    let on_seek = {
        let seek = seek.clone();
        Callback::from(move |t: u64| seek(t))
    };
    let step = {
        let session = session.clone();
        let d = ui.dispatcher();
        let seek = seek.clone();
        let bump = bump.clone();
        Rc::new(move |dir: i32, landmarks: bool| {
            let Some(s) = &session else { return };
            d.dispatch(Action::Pause);
            if dir > 0 {
                let mut s = s.borrow_mut();
                let len0 = s.sim.trace().len();
                for _ in 0..if landmarks { 20_000 } else { 1 } {
                    let before = s.sim.trace().len();
                    if s.step_event().is_err() || s.sim.trace().len() == before {
                        break;
                    }
                    if !landmarks || s.sim.trace()[len0..].iter().any(landmark) {
                        break;
                    }
                }
                drop(s);
                bump();
            } else {
                let target = {
                    let s = s.borrow();
                    let now = s.now_ms();
                    s.sim
                        .trace()
                        .iter()
                        .rev()
                        .find(|e| e.t_ms < now && (!landmarks || landmark(e)))
                        .map(|e| e.t_ms)
                };
                seek(target.unwrap_or(0));
            }
        })
    };
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
    let d = ui.dispatcher();
    let on_speed = {
        let d = d.clone();
        Callback::from(move |v: f64| d.dispatch(Action::SetSpeed(v)))
    };
    let on_select = {
        let d = d.clone();
        Callback::from(move |n: NodeId| d.dispatch(Action::Select(n)))
    };
    let on_menu = {
        let d = d.clone();
        Callback::from(move |m| d.dispatch(Action::OpenMenu(m)))
    };
    let on_close = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::CloseMenu))
    };
    let on_console_here = {
        let d = d.clone();
        Callback::from(move |n: NodeId| {
            d.dispatch(Action::SetConsoleTarget(n));
            dom::focus("console-input");
        })
    };
    let on_target = {
        let d = d.clone();
        Callback::from(move |n: NodeId| d.dispatch(Action::SetConsoleTarget(n)))
    };
    let on_choose = {
        let d = d.clone();
        Callback::from(move |(step, choice)| d.dispatch(Action::Choose { step, choice }))
    };
    let on_kind = {
        let d = d.clone();
        Callback::from(move |k| d.dispatch(Action::ToggleKind(k)))
    };
    let on_window = {
        let d = d.clone();
        Callback::from(move |w| d.dispatch(Action::SetWindow(w)))
    };
    let on_lang = {
        let d = d.clone();
        Callback::from(move |l: Lang| {
            dom::storage_set("replilab.lang", l.code());
            d.dispatch(Action::SetLang(l));
        })
    };
    let on_theme = {
        let d = d.clone();
        let theme = ui.theme;
        Callback::from(move |_| {
            dom::storage_set(
                "replilab.theme",
                match theme {
                    Theme::Light => "dark",
                    Theme::Dark => "light",
                },
            );
            d.dispatch(Action::ToggleTheme);
        })
    };
    let on_help = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::ToggleHelp))
    };
    let on_share = {
        let session = session.clone();
        let shared = shared.clone();
        let (embed, lang) = (ui.embed, ui.lang);
        Callback::from(move |_| {
            if let Some(s) = &session {
                let h = hash_of(&s.borrow(), embed, lang);
                dom::replace_hash(&h);
                dom::copy(&dom::href_with(&h));
                shared.set(true);
            }
        })
    };
    let on_export = {
        let session = session.clone();
        Callback::from(move |what: &'static str| {
            if let Some(s) = &session {
                let s = s.borrow();
                crate::export::run(what, &s.sim, s.id());
            }
        })
    };
    let on_tab = |t: Tab| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetTab(t)))
    };
    let dismiss = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Banner(None)))
    };

    // Keyboard shortcuts (the latest closure sees the latest state).
    {
        let d = d.clone();
        let step = step.clone();
        let has_session = session.is_some();
        let on_toggle = on_toggle.clone();
        *key_handler.borrow_mut() = Some(Rc::new(move |e: web_sys::KeyboardEvent| {
            let key = e.key();
            let tag = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            if key == "Escape" {
                d.dispatch(Action::CloseMenu);
                return;
            }
            if matches!(tag.as_str(), "input" | "select" | "textarea")
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
            {
                return;
            }
            match key.as_str() {
                " " if has_session && !matches!(tag.as_str(), "button" | "a" | "summary") => {
                    e.prevent_default();
                    on_toggle.emit(());
                }
                "ArrowRight" if has_session => {
                    e.prevent_default();
                    step(1, e.shift_key());
                }
                "ArrowLeft" if has_session => {
                    e.prevent_default();
                    step(-1, e.shift_key());
                }
                "/" if has_session => {
                    e.prevent_default();
                    dom::focus("console-input");
                }
                "?" => {
                    e.prevent_default();
                    d.dispatch(Action::ToggleHelp);
                }
                _ => {}
            }
        }));
    }

    let l = ui.lang;
    let title = session.as_ref().map(|s| match s.borrow().lesson() {
        Some(x) => l.text(&x.title),
        None => l.t(i18n::SANDBOX).to_string(),
    });
    let header = html! {
        <Header lang={l} theme={ui.theme} title={title} in_lab={session.is_some()} on_lang={on_lang} on_theme={on_theme}
            on_share={on_share} on_help={on_help.clone()} on_export={on_export} shared={*shared} />
    };
    let banner = ui.banner.clone().map(|b| html! {
        <div id="banner" class="banner error" role="alert"><span>{b}</span><button class="btn subtle" onclick={dismiss.clone()}>{l.t(i18n::DISMISS)}</button></div>
    });
    let help = ui
        .help
        .then(|| html! { <Help lang={l} on_close={on_close.clone()} /> });
    let live = html! { <div id="live" class="sr-only" aria-live="polite" role="status">{ui.live.clone()}</div> };

    let Some(session) = session else {
        return html! {
            <div class={classes!("app", "landing-app")}>
                {header}{ for banner }
                if matches!(*route, Route::Loading) {
                    <main class="landing loading"><p class="lede" aria-busy="true">{l.t(i18n::LOADING_LESSON)}</p></main>
                } else {
                    <Landing lang={l} />
                }
                { for help }{live}
            </div>
        };
    };
    let lab = Lab {
        session: session.clone(),
        version,
    };
    let goals = {
        let mut cache = goals_cache.borrow_mut();
        // The checker reads the whole trace: refresh at most every 8 versions while playing.
        if cache.0 == u64::MAX
            || !ui.playing && cache.0 != version
            || version >= cache.0.saturating_add(8)
            || version < cache.0
        {
            *cache = (version, session.borrow_mut().goals());
        }
        cache.1.clone()
    };
    let (now_ms, end_ms, ticks, node_names) = {
        let s = session.borrow();
        let now = s.now_ms();
        let end = s
            .end_ms()
            .unwrap_or_else(|| (now + 30_000).div_ceil(30_000) * 30_000);
        let mut ticks: Vec<ScrubTick> = s
            .sim
            .trace()
            .iter()
            .filter(|e| landmark(e))
            .take(2000)
            .map(|e| ScrubTick {
                at_ms: e.t_ms,
                class: match &e.kind {
                    TraceKind::Fault { .. } => "fault",
                    TraceKind::Role { .. } => "role",
                    TraceKind::Sync { .. } => "sync",
                    _ => "sentinel",
                },
                title: e.line(&|id| s.sim.name(id)),
            })
            .collect();
        // The lesson's own timeline and the learner's future actions.
        ticks.extend(
            s.schedule[s.applied.min(s.schedule.len())..]
                .iter()
                .map(|e| ScrubTick {
                    at_ms: e.at_ms,
                    class: "future",
                    title: fmt_time(e.at_ms),
                }),
        );
        ticks.extend(s.stops().into_iter().map(|t| ScrubTick {
            at_ms: t,
            class: "stop",
            title: fmt_time(t),
        }));
        let names: Vec<String> = s.sim.nodes().iter().map(|n| n.name.clone()).collect();
        (now, end, ticks, names)
    };
    let menu = ui.menu.clone().map(|m| html! {
        <ContextMenu lab={lab.clone()} lang={l} menu={m} on_fault={on_fault.clone()} on_console={on_console_here.clone()} on_close={on_close.clone()} />
    });
    let tab_btn = |t: Tab, label: &'static str, id: &'static str| {
        html! {
            <button role="tab" id={id} class={classes!("tab", (ui.tab == t).then_some("on"))} aria-selected={(ui.tab == t).to_string()} onclick={on_tab(t)}>{label}</button>
        }
    };
    let tab_body = match ui.tab {
        Tab::Events => html! { <TraceList lab={lab.clone()} lang={l} on_seek={on_seek.clone()} /> },
        Tab::Ledger => html! { <Ledger lab={lab.clone()} lang={l} on_seek={on_seek.clone()} /> },
        Tab::Sentinels => {
            html! { <Sentinels lab={lab.clone()} lang={l} on_seek={on_seek.clone()} /> }
        }
        Tab::Charts => html! { <Charts lab={lab.clone()} lang={l} /> },
    };
    let transport = html! {
        <Transport lang={l} now_ms={now_ms} end_ms={end_ms} playing={ui.playing} speed={ui.speed} ticks={ticks}
            on_toggle={on_toggle.clone()} on_speed={on_speed} on_step={on_step} on_seek={on_seek.clone()} />
    };
    // The diagram's panel width: the centre column (lab) or the whole page (embed).
    let page_w = dom::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0);
    let width_px = if ui.embed {
        page_w - 20.0
    } else {
        page_w * 0.48 - 20.0
    };
    // The map panel's height, as the CSS grid gives it (header, transport, bottom panel).
    let page_h = dom::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(720.0);
    let map_h = if ui.embed {
        (page_h - 110.0) * 0.45 - 40.0
    } else {
        (page_h * 0.75 - 120.0) * 0.425 - 40.0
    };
    let aspect = width_px / map_h.max(80.0);
    let topology_aspect = aspect;
    let topology = html! {
        <section class="panel map" aria-label={l.t(i18n::TOPOLOGY)}>
            <header class="panel-head">
                <h2>{l.t(i18n::TOPOLOGY)}</h2>
                <FaultToolbar lang={l} nodes={node_names} selected={ui.selected} on_fault={on_fault.clone()} on_heal={on_heal} />
            </header>
            <Topology lab={lab.clone()} lang={l} selected={ui.selected} on_select={on_select.clone()} on_menu={on_menu} aspect={topology_aspect} />
        </section>
    };
    let diagram = html! {
        <Diagram lab={lab.clone()} lang={l} filter={ui.filter} window_ms={ui.window_ms} on_toggle_kind={on_kind} on_window={on_window} on_seek={on_seek.clone()} width_px={width_px} />
    };
    if ui.embed {
        let caption = session.borrow().lesson().and_then(|x| {
            let now = now_ms;
            x.steps
                .iter()
                .find(|st| now <= (st.until_s * 1000.0) as u64)
                .map(|st| l.text(&st.title))
        });
        return html! {
            <div class="app embed">
                { for banner }
                <p class="caption">{caption.unwrap_or_default()}</p>
                <div class="embed-main">{topology}{diagram}</div>
                {transport}
                { for menu }{ for help }{live}
            </div>
        };
    }
    let coach_html = (*coach && now_ms == 0 && !ui.playing).then(|| {
        let c = coach.clone();
        let ok = Callback::from(move |_| {
            dom::storage_set("replilab.coach", "1");
            c.set(false);
        });
        html! {
            <aside class="coach" id="coach" aria-label={l.t(i18n::COACH_TITLE)}>
                <h3>{l.t(i18n::COACH_TITLE)}</h3>
                <ul><li>{l.t(i18n::COACH_PLAY)}</li><li>{l.t(i18n::COACH_STEP)}</li><li>{l.t(i18n::COACH_FAULTS)}</li></ul>
                <button class="btn primary" onclick={ok}>{l.t(i18n::COACH_OK)}</button>
            </aside>
        }
    });
    html! {
        <div class="app lab">
            {header}
            { for banner }
            <main class="lab-grid">
                <Narrative lab={lab.clone()} lang={l} choices={ui.choices.clone()} goals={goals} on_choose={on_choose} on_play={on_play} on_seek={on_seek.clone()} />
                <div class="center">{topology}{diagram}</div>
                <Inspector lab={lab.clone()} lang={l} selected={ui.selected} on_select={on_select} />
            </main>
            {transport}
            <div class="bottom">
                <Console lab={lab.clone()} lang={l} target={ui.console_target} on_target={on_target} on_command={on_command} />
                <section class="panel tabs-panel">
                    <div class="tabs" role="tablist">
                        {tab_btn(Tab::Events, l.t(i18n::EVENTS), "tab-events")}
                        {tab_btn(Tab::Ledger, l.t(i18n::LEDGER), "tab-ledger")}
                        {tab_btn(Tab::Sentinels, l.t(i18n::SENTINELS), "tab-sentinels")}
                        {tab_btn(Tab::Charts, l.t(i18n::CHARTS), "tab-charts")}
                    </div>
                    <div class="tab-body" role="tabpanel">{tab_body}</div>
                </section>
            </div>
            { for coach_html }{ for menu }{ for help }{live}
        </div>
    }
}

thread_local! {
    static LANG_NOW: Rc<RefCell<Lang>> = Rc::new(RefCell::new(Lang::En));
}

/// The current language, readable from callbacks created before it changed.
fn ui_lang_ref(_ui: &UseReducerDispatcher<UiState>) -> Rc<RefCell<Lang>> {
    LANG_NOW.with(|l| l.clone())
}

fn ui_lang_ref_handle(_ui: &UseReducerHandle<UiState>) -> Rc<RefCell<Lang>> {
    LANG_NOW.with(|l| l.clone())
}
