//! The page's layouts, drawn from values `app` has computed: the chrome
//! every view shares (header, banner, help, live region), the landing view,
//! and a lesson as the lab (narrative, map, diagram, inspector or
//! comparison, transport, console, tabs) or embedded (caption, map,
//! diagram, transport).

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::scenario::Outcome;
use replilab_core::timeline::{ChallengeStatus, Session};
use yew::prelude::*;

use super::challenge::ChallengeCallbacks;
use super::controls::Controls;
use super::layout::{self, Scrub};
use super::ui_callbacks::UiCallbacks;
use crate::components::charts::Charts;
use crate::components::cluster::Cluster;
use crate::components::compare::{self, Ctl};
use crate::components::console::Console;
use crate::components::context_menu::ContextMenu;
use crate::components::diagram::Diagram;
use crate::components::fault_toolbar::FaultToolbar;
use crate::components::fold::{self, Folds, Pane};
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::inspector::Inspector;
use crate::components::landing::Landing;
use crate::components::ledger::Ledger;
use crate::components::narrative::Narrative;
use crate::components::sentinels::Sentinels;
use crate::components::topology::Topology;
use crate::components::trace_list::TraceList;
use crate::components::transport::{Tick, Transport};
use crate::dom;
use crate::i18n::{self, Lang};
use crate::lab::Lab;
use crate::learner::Progress;
use crate::state::{Tab, UiState};

/// What every view shows around its body (the embed leaves out the header).
pub struct Chrome {
    header: Html,
    /// The lesson's title (the header's heading; the embed, which has no header, keeps it
    /// for screen readers).
    title: Option<String>,
    banner: Option<Html>,
    help: Option<Html>,
    live: Html,
}

/// The header (title, language, theme, share, export, compare), the banner,
/// the help overlay and the screen reader's live region.
pub fn chrome(
    ui: &UiState,
    session: &Option<Rc<RefCell<Session>>>,
    shared: bool,
    (comparing, compare_shown): (bool, bool),
    controls: &Controls,
    cb: &UiCallbacks,
) -> Chrome {
    let l = ui.lang;
    let title = session.as_ref().map(|s| match s.borrow().lesson() {
        Some(x) => l.text(&x.title),
        None => l.t(i18n::SANDBOX).to_string(),
    });
    let header = html! {
        <Header lang={l} theme={ui.theme} title={title.clone()} in_lab={session.is_some()} on_lang={cb.on_lang.clone()} on_theme={cb.on_theme.clone()}
            on_share={cb.on_share.clone()} on_help={cb.on_help.clone()} on_export={cb.on_export.clone()} on_edit={cb.on_edit.clone()} shared={shared}
            comparing={comparing} compare_shown={compare_shown} on_compare={controls.on_compare.clone()} />
    };
    let banner = ui.banner.clone().map(|b| html! {
        <div id="banner" class="banner error" role="alert"><span>{b}</span><button class="btn subtle" onclick={cb.dismiss.clone()}>{l.t(i18n::DISMISS)}</button></div>
    });
    let help = ui
        .help
        .then(|| html! { <Help lang={l} on_close={cb.on_close.clone()} /> });
    let live = html! { <div id="live" class="sr-only" aria-live="polite" role="status">{ui.live.clone()}</div> };
    Chrome {
        header,
        title,
        banner,
        help,
        live,
    }
}

impl Chrome {
    /// A whole-page view (`class`: its layout) with the chrome around `body`.
    fn around(self, class: &'static str, body: Html) -> Html {
        let Chrome {
            header,
            banner,
            help,
            live,
            ..
        } = self;
        html! {
            <div class={classes!("app", class)}>
                {header}{ banner.unwrap_or_default() }{body}{ help.unwrap_or_default() }{live}
            </div>
        }
    }
}

/// No lesson open: the lesson picker, or "Loading…" while the named lesson
/// is fetched.
pub fn landing(chrome: Chrome, loading: bool, l: Lang) -> Html {
    let body = if loading {
        Html::from_html_unchecked(crate::picker::loading(l).into())
    } else {
        html! { <Landing lang={l} /> }
    };
    chrome.around("landing-app", body)
}

/// The scenario editor, in the page's chrome. A new text is a new editor
/// (its state starts from that text).
pub fn editor(chrome: Chrome, init: Rc<crate::editor::Init>, l: Lang) -> Html {
    let key = format!("{:p}", Rc::as_ptr(&init));
    chrome.around(
        "editor-app",
        html! { <crate::editor::Editor {key} lang={l} {init} /> },
    )
}

/// A lesson or the sandbox open: what its panels are drawn from.
pub struct LabView<'a> {
    pub ui: &'a UiState,
    pub lab: Lab,
    /// The comparison is shown in place of the inspector (or in the caption).
    pub compare_shown: bool,
    pub controls: &'a Controls,
    pub cb: &'a UiCallbacks,
    pub ch: &'a ChallengeCallbacks,
    pub figures: &'a RefCell<compare::Cache>,
}

impl LabView<'_> {
    /// The embedded lab: the current step's title as a caption, the map and
    /// the diagram side by side, the transport.
    pub fn embed(self, chrome: Chrome, scrub: Scrub) -> Html {
        let Chrome {
            title,
            banner,
            help,
            live,
            ..
        } = chrome;
        let Scrub {
            now_ms,
            end_ms,
            ticks,
            node_names,
        } = scrub;
        let l = self.ui.lang;
        let (width_px, aspect) = layout::panel_size(self.ui.embed, Folds::default());
        let caption = self.lab.session.borrow().lesson().and_then(|x| {
            let now = now_ms;
            x.steps
                .iter()
                .find(|st| now <= (st.until_s * 1000.0) as u64)
                .map(|st| l.text(&st.title))
        });
        html! {
            <main class="app embed">
                <h1 class="sr-only">{title.unwrap_or_default()}</h1>
                { banner.unwrap_or_default() }
                <p class="caption"><span class="caption-text">{caption.unwrap_or_default()}</span>{self.compare(true)}</p>
                <div class="embed-main">{self.topology(node_names, aspect)}{self.diagram(width_px)}</div>
                {self.transport(now_ms, end_ms, ticks)}
                { self.menu().unwrap_or_default() }{ help.unwrap_or_default() }{live}
            </main>
        }
    }

    /// The full lab: narrative, centre (map and diagram), inspector or
    /// comparison; the transport; the console and the tabs below.
    pub fn lab(
        self,
        chrome: Chrome,
        scrub: Scrub,
        (goals, challenges): (Vec<(Option<Outcome>, bool)>, Vec<ChallengeStatus>),
        progress: Option<Progress>,
        coach: &UseStateHandle<bool>,
    ) -> Html {
        let Chrome {
            header,
            banner,
            help,
            live,
            ..
        } = chrome;
        let Scrub {
            now_ms,
            end_ms,
            ticks,
            node_names,
        } = scrub;
        let (ui, l, lab, c, cb) = (self.ui, self.ui.lang, &self.lab, self.controls, self.cb);
        let (width_px, aspect) = layout::panel_size(ui.embed, ui.folds);
        let coach_html = coach_marks(l, coach, **coach && now_ms == 0 && !ui.playing);
        html! {
            <div class={classes!("app", "lab", ui.folds.classes())}>
                {header}
                { banner.unwrap_or_default() }
                <main class="lab-grid">
                    <Narrative lab={lab.clone()} lang={l} fold={self.fold(Pane::Narrative)} choices={ui.choices.clone()} goals={goals} on_choose={cb.on_choose.clone()} on_play={c.on_play.clone()} on_seek={c.on_seek.clone()}
                        challenges={challenges} challenge={ui.challenge} hints={ui.hints} shuffle={ui.shuffle} progress={progress}
                        on_challenge={self.ch.on_challenge.clone()} on_hint={self.ch.on_hint.clone()} on_solution={self.ch.on_solution.clone()} on_reset={self.ch.on_reset.clone()} />
                    <div class="center">{self.topology(node_names, aspect)}{self.diagram(width_px)}</div>
                    if self.compare_shown {
                        {self.compare(false)}
                    } else {
                        <Inspector lab={lab.clone()} lang={l} fold={self.fold(Pane::Inspector)} selected={ui.selected} on_select={cb.on_select.clone()} />
                    }
                </main>
                {self.transport(now_ms, end_ms, ticks)}
                <div class="bottom">
                    <Console lab={lab.clone()} lang={l} fold={self.fold(Pane::Console)} target={ui.console_target} on_target={cb.on_target.clone()} on_command={c.on_command.clone()} />
                    {self.tabs()}
                </div>
                { coach_html.unwrap_or_default() }{ self.menu().unwrap_or_default() }{ help.unwrap_or_default() }{live}
            </div>
        }
    }

    fn transport(&self, now_ms: u64, end_ms: u64, ticks: Vec<Tick>) -> Html {
        let (ui, c, cb) = (self.ui, self.controls, self.cb);
        html! {
            <Transport lang={ui.lang} now_ms={now_ms} end_ms={end_ms} playing={ui.playing} speed={ui.speed} ticks={ticks}
                on_toggle={c.on_toggle.clone()} on_speed={cb.on_speed.clone()} on_step={c.on_step.clone()} on_seek={c.on_seek.clone()} jump={ui.jump} on_jump={cb.on_jump.clone()} />
        }
    }

    /// The topology panel: the fault toolbar over the map (`aspect`: its width / height).
    fn topology(&self, node_names: Vec<String>, aspect: f64) -> Html {
        let (ui, l, c, cb) = (self.ui, self.ui.lang, self.controls, self.cb);
        html! {
            <section class="panel map" aria-label={l.t(i18n::TOPOLOGY)}>
                <header class="panel-head">
                    {self.fold(Pane::Map)}
                    <h2>{l.t(i18n::TOPOLOGY)}</h2>
                    <FaultToolbar lab={self.lab.clone()} lang={l} nodes={node_names} selected={ui.selected} on_actions={c.on_actions.clone()} />
                </header>
                <Topology lab={self.lab.clone()} lang={l} selected={ui.selected} on_select={cb.on_select.clone()} on_menu={cb.on_menu.clone()} aspect={aspect} />
            </section>
        }
    }

    /// The message diagram, `width_px` wide.
    fn diagram(&self, width_px: f64) -> Html {
        let (ui, cb) = (self.ui, self.cb);
        html! {
            <Diagram lab={self.lab.clone()} lang={ui.lang} fold={self.fold(Pane::Diagram)} filter={ui.filter} window_ms={ui.window_ms} on_toggle_kind={cb.on_kind.clone()} on_window={cb.on_window.clone()} on_seek={self.controls.on_seek.clone()} width_px={width_px}
                spacing={ui.spacing} crowded={ui.crowded} on_spacing={cb.on_spacing.clone()} on_crowded={cb.on_crowded.clone()} />
        }
    }

    /// `pane`'s fold button; none in embed mode, whose panels do not fold.
    fn fold(&self, pane: Pane) -> Html {
        if self.ui.embed {
            return html! {};
        }
        fold::button(self.ui.lang, pane, self.ui.folds, &self.cb.on_fold)
    }

    /// Branches A and B side by side (nothing unless the comparison is shown).
    fn compare(&self, compact: bool) -> Html {
        if !self.compare_shown {
            return html! {};
        }
        let c = self.controls;
        let ctl = Ctl {
            on_swap: c.on_swap.clone(),
            on_end: c.on_end_compare.clone(),
            on_seek: c.on_seek.clone(),
            fold: self.fold(Pane::Inspector),
        };
        compare::view(
            &self.lab.session.borrow(),
            self.ui.lang,
            compact,
            self.figures,
            &ctl,
        )
    }

    /// The context menu on a node or a link, if one is open.
    fn menu(&self) -> Option<Html> {
        let (l, c, cb) = (self.ui.lang, self.controls, self.cb);
        self.ui.menu.clone().map(|m| html! {
            <ContextMenu lab={self.lab.clone()} lang={l} menu={m} on_fault={c.on_fault.clone()} on_actions={c.on_actions.clone()} on_console={cb.on_console_here.clone()} on_close={cb.on_close.clone()} />
        })
    }

    /// The bottom panel's tabs: events, ledger, Sentinels, charts, cluster.
    fn tabs(&self) -> Html {
        let (ui, l) = (self.ui, self.ui.lang);
        let tab_btn = |t: Tab, label: &'static str, id: &'static str| {
            html! {
                <button role="tab" id={id} class={classes!("tab", (ui.tab == t).then_some("on"))} aria-selected={(ui.tab == t).to_string()} aria-controls="tab-panel" onclick={self.cb.on_tab(t)}>{label}</button>
            }
        };
        html! {
            <section class="panel tabs-panel" aria-label={l.t(i18n::RECORDS)}>
                <div class="tabs-head">
                {self.fold(Pane::Records)}
                <div class="tabs" role="tablist">
                    {tab_btn(Tab::Events, l.t(i18n::EVENTS), tab_id(Tab::Events))}
                    {tab_btn(Tab::Ledger, l.t(i18n::LEDGER), tab_id(Tab::Ledger))}
                    {tab_btn(Tab::Sentinels, l.t(i18n::SENTINELS), tab_id(Tab::Sentinels))}
                    {tab_btn(Tab::Charts, l.t(i18n::CHARTS), tab_id(Tab::Charts))}
                    {tab_btn(Tab::Cluster, l.t(i18n::CLUSTER), tab_id(Tab::Cluster))}
                </div>
                // Shown only when folded (style.css): the strip's title.
                <h2 class="fold-title" aria-hidden="true">{l.t(i18n::RECORDS)}</h2>
                </div>
                // Named by its tab; focusable so that a keyboard can scroll it, except for the
                // events, whose list scrolls itself (and takes focus).
                <div class="tab-body" id="tab-panel" role="tabpanel" tabindex={(ui.tab != Tab::Events).then_some("0")}
                    aria-labelledby={tab_id(ui.tab)}>{self.tab_body()}</div>
            </section>
        }
    }

    fn tab_body(&self) -> Html {
        let (lab, l, on_seek) = (&self.lab, self.ui.lang, &self.controls.on_seek);
        match self.ui.tab {
            Tab::Events => {
                html! { <TraceList lab={lab.clone()} lang={l} on_seek={on_seek.clone()} /> }
            }
            Tab::Ledger => {
                html! { <Ledger lab={lab.clone()} lang={l} on_seek={on_seek.clone()} playing={self.ui.playing} /> }
            }
            Tab::Sentinels => {
                html! { <Sentinels lab={lab.clone()} lang={l} on_seek={on_seek.clone()} /> }
            }
            Tab::Charts => html! { <Charts lab={lab.clone()} lang={l} /> },
            Tab::Cluster => html! { <Cluster lab={lab.clone()} lang={l} /> },
        }
    }
}

/// The first visit's coach marks (play, step, faults), until dismissed.
fn coach_marks(l: Lang, coach: &UseStateHandle<bool>, show: bool) -> Option<Html> {
    show.then(|| {
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
    })
}

/// The id of a tab's button (the tab panel is named by the selected one).
fn tab_id(t: Tab) -> &'static str {
    match t {
        Tab::Events => "tab-events",
        Tab::Ledger => "tab-ledger",
        Tab::Sentinels => "tab-sentinels",
        Tab::Charts => "tab-charts",
        Tab::Cluster => "tab-cluster",
    }
}
