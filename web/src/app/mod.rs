//! The page: routes between the landing view and a lesson (or the sandbox)
//! and lays the lab out. The parts live beside it: `open` (hash → route,
//! lesson fetch, window events, ready), `clock` (the gloo `Interval` that
//! advances the session by speed × tick, live-region narration, the hash
//! kept a permalink), `controls` (callbacks that act on the session), `keys`
//! (shortcuts), `layout` (scrub ticks, panel sizes).

mod clock;
mod controls;
mod keys;
mod layout;
mod open;

use std::cell::RefCell;
use std::rc::Rc;

use replilab_core::net::NodeId;
use yew::prelude::*;

use self::controls::Controls;
use self::layout::Scrub;

use crate::components::charts::Charts;
use crate::components::cluster::Cluster;
use crate::components::compare::{self, Ctl};
use crate::components::console::Console;
use crate::components::context_menu::ContextMenu;
use crate::components::diagram::Diagram;
use crate::components::fault_toolbar::FaultToolbar;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::inspector::Inspector;
use crate::components::landing::Landing;
use crate::components::ledger::Ledger;
use crate::components::narrative::Narrative;
use crate::components::sentinels::Sentinels;
use crate::components::topology::Topology;
use crate::components::trace_list::TraceList;
use crate::components::transport::Transport;
use crate::dom;
use crate::i18n::{self, Lang};
use crate::lab::Lab;
use crate::route::{hash_of, initial_lang, initial_theme, Route};
use crate::state::{Action, Tab, Theme, UiState};

/// The keyboard shortcuts handler of the latest render.
type KeyHandler = Rc<dyn Fn(web_sys::KeyboardEvent)>;

#[function_component(App)]
pub fn app() -> Html {
    let ui = use_reducer(|| UiState::new(initial_lang(), initial_theme()));
    // Until the hash is opened (an effect, after this first render): "Loading…" if it names
    // a lesson, as the static page showed it, so the landing view is not built for nothing.
    let route = use_state(|| match crate::permalink::parse_hash(&dom::hash()).lesson {
        Some(_) => Route::Loading,
        None => Route::Landing,
    });
    let goals_cache = use_mut_ref(|| (u64::MAX, Vec::new()));
    let figures_cache = use_mut_ref(compare::Cache::default);
    let narrated = use_mut_ref(|| 0usize);
    let shared = use_state(|| false);
    let coach = use_state(|| dom::storage_get("replilab.coach").is_none());
    let key_handler: Rc<RefCell<Option<KeyHandler>>> = use_mut_ref(|| None);

    open::use_routing(&ui, &route, &narrated, &key_handler);

    let session = match &*route {
        Route::Lab(s) => Some(s.clone()),
        Route::Landing | Route::Loading => None,
    };
    let version = ui.version;

    clock::use_clock(&ui, &session);
    clock::narrate(&ui, &session, &narrated);
    clock::use_permalink(&ui, &session);
    let Controls {
        on_command,
        on_fault,
        on_actions,
        on_heal,
        on_seek,
        step,
        on_step,
        on_toggle,
        on_play,
        on_compare,
        on_swap,
        on_end_compare,
    } = controls::controls(&ui, &session);
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

    *key_handler.borrow_mut() = Some(keys::shortcuts(
        d.clone(),
        step,
        session.is_some(),
        on_toggle.clone(),
    ));

    // The other branch of a comparison follows the playhead while it is in
    // view or playback is paused (its errors stay in its `error`, shown there).
    let comparing = session
        .as_ref()
        .is_some_and(|s| s.borrow().compare.is_some());
    let compare_shown = comparing && (ui.compare_view || ui.embed);
    if let Some(Ok(mut s)) = session.as_ref().map(|s| s.try_borrow_mut()) {
        if comparing && (compare_shown || !ui.playing) {
            let _ = s.sync_other();
        }
    }
    let l = ui.lang;
    let title = session.as_ref().map(|s| match s.borrow().lesson() {
        Some(x) => l.text(&x.title),
        None => l.t(i18n::SANDBOX).to_string(),
    });
    let header = html! {
        <Header lang={l} theme={ui.theme} title={title} in_lab={session.is_some()} on_lang={on_lang} on_theme={on_theme}
            on_share={on_share} on_help={on_help.clone()} on_export={on_export} shared={*shared}
            comparing={comparing} compare_shown={compare_shown} on_compare={on_compare} />
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
                    {Html::from_html_unchecked(crate::picker::loading(l).into())}
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
    let Scrub {
        now_ms,
        end_ms,
        ticks,
        node_names,
    } = layout::scrub(&session.borrow());
    let menu = ui.menu.clone().map(|m| html! {
        <ContextMenu lab={lab.clone()} lang={l} menu={m} on_fault={on_fault.clone()} on_actions={on_actions.clone()} on_console={on_console_here.clone()} on_close={on_close.clone()} />
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
        Tab::Cluster => html! { <Cluster lab={lab.clone()} lang={l} /> },
    };
    let transport = html! {
        <Transport lang={l} now_ms={now_ms} end_ms={end_ms} playing={ui.playing} speed={ui.speed} ticks={ticks}
            on_toggle={on_toggle.clone()} on_speed={on_speed} on_step={on_step} on_seek={on_seek.clone()} jump={ui.jump} on_jump={on_jump} />
    };
    let (width_px, topology_aspect) = layout::panel_size(ui.embed);
    let topology = html! {
        <section class="panel map" aria-label={l.t(i18n::TOPOLOGY)}>
            <header class="panel-head">
                <h2>{l.t(i18n::TOPOLOGY)}</h2>
                <FaultToolbar lang={l} nodes={node_names} selected={ui.selected} on_fault={on_fault.clone()} on_heal={on_heal} on_command={on_command.clone()} />
            </header>
            <Topology lab={lab.clone()} lang={l} selected={ui.selected} on_select={on_select.clone()} on_menu={on_menu} aspect={topology_aspect} />
        </section>
    };
    let diagram = html! {
        <Diagram lab={lab.clone()} lang={l} filter={ui.filter} window_ms={ui.window_ms} on_toggle_kind={on_kind} on_window={on_window} on_seek={on_seek.clone()} width_px={width_px} />
    };
    let ctl = Ctl {
        on_swap,
        on_end: on_end_compare,
        on_seek: on_seek.clone(),
    };
    let compare_view = |compact: bool| {
        if !compare_shown {
            return html! {};
        }
        compare::view(&session.borrow(), l, compact, &figures_cache, &ctl)
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
                <p class="caption"><span class="caption-text">{caption.unwrap_or_default()}</span>{compare_view(true)}</p>
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
                if compare_shown {
                    {compare_view(false)}
                } else {
                    <Inspector lab={lab.clone()} lang={l} selected={ui.selected} on_select={on_select} />
                }
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
                        {tab_btn(Tab::Cluster, l.t(i18n::CLUSTER), "tab-cluster")}
                    </div>
                    <div class="tab-body" role="tabpanel">{tab_body}</div>
                </section>
            </div>
            { for coach_html }{ for menu }{ for help }{live}
        </div>
    }
}
