//! Routing: opens the lesson the URL hash names (on load and on every hash
//! change, fetching the lesson first if needed), wires the window's events,
//! says "ready" once the page shows what the URL asked for, and keeps the
//! language and theme on `<html>`.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::export::Embed;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::KeyHandler;
use crate::dom;
use crate::editor::{self, codec};
use crate::i18n::{self, Lang};
use crate::route::{open, Opened, Pending, Route};
use crate::state::{Action, Theme, UiState};

#[hook]
pub fn use_routing(
    ui: &UseReducerHandle<UiState>,
    route: &UseStateHandle<Route>,
    narrated: &Rc<RefCell<usize>>,
    key_handler: &Rc<RefCell<Option<KeyHandler>>>,
) {
    // None until the first hash is opened, then whether a lesson is loading.
    let opened = use_mut_ref(|| None::<bool>);
    // Opens the lesson the hash names (on load and on every hash change).
    let do_open = {
        let ui = ui.dispatcher();
        let route = route.setter();
        let lang_now = lang_now();
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
                compare: o.compare,
                spacing: o.spacing,
                folds: o.folds,
            });
            ui.dispatch(Action::Challenge {
                step: o.challenge.map(|c| c.0),
                hints: o.challenge.map_or(0, |c| c.1),
            });
            ui.dispatch(Action::SetShuffle(
                o.shuffle.unwrap_or_else(crate::learner::shuffle_seed),
            ));
            ui.dispatch(Action::Banner(o.banner));
            route.set(o.route);
        });
        Callback::from(move |hash: String| {
            let o = open(&hash, *lang_now.borrow());
            let (pending, embed) = (o.pending.clone(), o.embed);
            apply(o);
            let Some(pending) = pending else { return };
            let (apply, lang_now) = (apply.clone(), lang_now.clone());
            yew::platform::spawn_local(async move {
                let arrived = arrive(pending).await;
                if dom::hash() != hash {
                    return; // the learner has gone elsewhere meanwhile
                }
                let lang = *lang_now.borrow();
                apply(match arrived {
                    Arrived::Open => open(&hash, lang),
                    Arrived::Edit(text, why) => Opened::editor(text, why.map(|t| lang.t(t).into())),
                    Arrived::Failed(t, args) => {
                        let args: Vec<&str> = args.iter().map(String::as_str).collect();
                        Opened::landing(lang.f(t, &args), embed)
                    }
                });
            });
        })
    };
    {
        let lang_ref = lang_now();
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
        use_effect_with(matches!(**route, Route::Loading), move |_| {
            if *opened.borrow() == Some(false) && !announced.replace(true) {
                dom::set_body_attr("data-ready", "1");
                dom::post_parent(Embed::Ready);
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
}

/// What came of a `Pending`.
enum Arrived {
    /// Open the hash again: what it needs is here.
    Open,
    /// Show this text in the editor (with a note).
    Edit(String, Option<i18n::T>),
    /// The landing view with this message.
    Failed(i18n::T, Vec<String>),
}

async fn arrive(pending: Pending) -> Arrived {
    match pending {
        Pending::Lesson(meta) => match crate::lessons::fetch(meta).await {
            Ok(_) => Arrived::Open,
            Err(e) => Arrived::Failed(i18n::LESSON_FETCH_FAILED, vec![meta.id.into(), e]),
        },
        Pending::Scenario { code, edit } => {
            let text = match codec::decode(&code).await {
                Ok(t) => t,
                Err(e) => return Arrived::Failed(i18n::LINK_DAMAGED, vec![e]),
            };
            match (editor::check(&text), edit) {
                (_, true) => Arrived::Edit(text, None),
                (Ok(s), false) => {
                    let scenario = Rc::new(s);
                    crate::lessons::set_custom(crate::lessons::Custom {
                        code,
                        text,
                        scenario,
                    });
                    Arrived::Open
                }
                // A damaged scenario: its text in the editor, with the error there.
                (Err(_), false) => Arrived::Edit(text, Some(i18n::LINK_DOES_NOT_LOAD)),
            }
        }
    }
}

thread_local! {
    static LANG_NOW: Rc<RefCell<Lang>> = Rc::new(RefCell::new(Lang::En));
}

/// The current language, readable from callbacks created before it changed.
fn lang_now() -> Rc<RefCell<Lang>> {
    LANG_NOW.with(|l| l.clone())
}
