//! The callbacks that change only the view (speed, selection, menus, tabs,
//! language, theme, help), plus share and export, which read the session.
//! The ones that act on the session are in `controls`.

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::msg::MsgKind;
use replilab_core::net::NodeId;
use replilab_core::timeline::Session;
use yew::prelude::*;

use crate::components::diagram::spacing::Spacing;
use crate::components::fold::Pane;
use crate::dom;
use crate::i18n::Lang;
use crate::lab::Jump;
use crate::route::hash_of;
use crate::state::{Action, Menu, Tab, Theme, UiState};

pub struct UiCallbacks {
    d: UseReducerDispatcher<UiState>,
    pub on_speed: Callback<f64>,
    pub on_jump: Callback<Jump>,
    pub on_select: Callback<NodeId>,
    pub on_menu: Callback<Menu>,
    /// Closes the context menu (and the help overlay).
    pub on_close: Callback<()>,
    /// The context menu's "console here": target the node, focus the prompt.
    pub on_console_here: Callback<NodeId>,
    pub on_target: Callback<NodeId>,
    pub on_choose: Callback<(usize, usize)>,
    pub on_kind: Callback<MsgKind>,
    pub on_window: Callback<u64>,
    pub on_spacing: Callback<Spacing>,
    pub on_fold: Callback<Pane>,
    /// The diagram's automatic spacing found real time crowded.
    pub on_crowded: Callback<()>,
    pub on_lang: Callback<Lang>,
    pub on_theme: Callback<()>,
    pub on_help: Callback<()>,
    pub on_share: Callback<()>,
    pub on_export: Callback<&'static str>,
    /// Opens the session's scenario in the editor.
    pub on_edit: Callback<()>,
    /// Dismisses the banner.
    pub dismiss: Callback<MouseEvent>,
}

impl UiCallbacks {
    /// Opens a tab of the bottom panel.
    pub fn on_tab(&self, t: Tab) -> Callback<MouseEvent> {
        let d = self.d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetTab(t)))
    }
}

pub fn ui_callbacks(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    shared: &UseStateHandle<bool>,
) -> UiCallbacks {
    let d = ui.dispatcher();
    let on_speed = {
        let d = d.clone();
        Callback::from(move |v: f64| d.dispatch(Action::SetSpeed(v)))
    };
    let on_jump = {
        let d = d.clone();
        Callback::from(move |j| d.dispatch(Action::SetJump(j)))
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
    let on_spacing = {
        let d = d.clone();
        Callback::from(move |s| d.dispatch(Action::SetSpacing(s)))
    };
    let on_fold = {
        let d = d.clone();
        Callback::from(move |p| d.dispatch(Action::Fold(p)))
    };
    let on_crowded = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Crowded))
    };
    let on_lang = {
        let d = d.clone();
        Callback::from(move |l: Lang| {
            dom::storage_set("replilab.lang", l.code());
            d.dispatch(Action::SetLang(l));
        })
    };
    let on_theme = theme_toggle(ui);
    let on_help = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::ToggleHelp))
    };
    let on_share = share(ui, session, shared);
    let on_export = export(ui, session);
    let on_edit = {
        let (session, d, lang) = (session.clone(), d.clone(), ui.lang);
        Callback::from(move |_| {
            if let Some(s) = &session {
                let d = d.clone();
                crate::editor::edit(&s.borrow(), move |e| {
                    d.dispatch(Action::Banner(Some(
                        lang.f(crate::i18n::EDIT_FAILED, &[&e]),
                    )))
                });
            }
        })
    };
    let dismiss = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Banner(None)))
    };
    UiCallbacks {
        d,
        on_speed,
        on_jump,
        on_select,
        on_menu,
        on_close,
        on_console_here,
        on_target,
        on_choose,
        on_kind,
        on_window,
        on_spacing,
        on_fold,
        on_crowded,
        on_lang,
        on_theme,
        on_help,
        on_share,
        on_export,
        on_edit,
        dismiss,
    }
}

/// Switches the theme, remembered for the next visit.
fn theme_toggle(ui: &UseReducerHandle<UiState>) -> Callback<()> {
    let d = ui.dispatcher();
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
}

/// Puts the permalink in the address bar and the clipboard.
fn share(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
    shared: &UseStateHandle<bool>,
) -> Callback<()> {
    let session = session.clone();
    let shared = shared.clone();
    let view = (**ui).clone();
    Callback::from(move |_| {
        if let Some(s) = &session {
            let h = hash_of(&s.borrow(), &view);
            dom::replace_hash(&h);
            dom::copy(&dom::href_with(&h));
            shared.set(true);
        }
    })
}

/// Downloads what the header's export menu names ("trace", "svg").
fn export(
    ui: &UseReducerHandle<UiState>,
    session: &Option<Rc<RefCell<Session>>>,
) -> Callback<&'static str> {
    let session = session.clone();
    let (d, lang) = (ui.dispatcher(), ui.lang);
    Callback::from(move |what: &'static str| {
        if let Some(s) = &session {
            if let Err(e) = crate::export::run(what, &s.borrow(), lang) {
                d.dispatch(Action::Banner(Some(e)));
            }
        }
    })
}
