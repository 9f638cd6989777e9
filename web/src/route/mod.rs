//! Where the page is: the landing view or a session, opened from the URL
//! hash (a permalink), and the hash that describes a session now.

use std::cell::RefCell;
use std::rc::Rc;

use crate::components::diagram::spacing::Spacing;
use crate::components::fold::Folds;
use crate::dom;
use crate::editor::{self, codec};
use crate::i18n::{self, Lang};
use crate::lessons::{self, SANDBOX_ID};
use crate::permalink;
use crate::state::{Theme, UiState};
use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::{Compare, Session, Source};

#[derive(Clone)]
pub enum Route {
    Landing,
    /// Waiting for the lesson's JSON.
    Loading,
    Lab(Rc<RefCell<Session>>),
    Editor(Rc<editor::Init>),
}

/// What must arrive before the hash can be opened (then it is opened again).
#[derive(Clone)]
pub enum Pending {
    /// The lesson's JSON.
    Lesson(&'static lessons::Meta),
    /// The text of a `scn=` link, to open in the lab (`edit`: in the editor).
    Scenario { code: String, edit: bool },
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Route::Landing, Route::Landing) | (Route::Loading, Route::Loading) => true,
            (Route::Lab(a), Route::Lab(b)) => Rc::ptr_eq(a, b),
            (Route::Editor(a), Route::Editor(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

pub fn initial_lang() -> Lang {
    dom::storage_get("replilab.lang")
        .and_then(|s| Lang::parse(&s))
        .or_else(|| dom::navigator_language().and_then(|s| Lang::parse(&s)))
        .unwrap_or(Lang::En)
}

pub fn initial_theme() -> Theme {
    match dom::storage_get("replilab.theme").as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = dom::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if dark {
                Theme::Dark
            } else {
                Theme::Light
            }
        }
    }
}

/// What opening a hash gives: where to go, and what to tell the learner.
pub struct Opened {
    pub route: Route,
    pub banner: Option<String>,
    pub playing: bool,
    pub embed: bool,
    pub lang: Option<Lang>,
    /// The link holds a comparison: show it.
    pub compare: bool,
    /// The diagram's spacing the link asks for (`None`: automatic).
    pub spacing: Option<Spacing>,
    /// The panels the link folds.
    pub folds: Folds,
    /// What to fetch or decode, then open the hash again.
    pub pending: Option<Pending>,
    /// The challenge taken up (step) and its hints shown; the choices' shuffle seed.
    pub challenge: Option<(usize, usize)>,
    pub shuffle: Option<u32>,
}

impl Opened {
    /// The editor on `text`, with `banner`.
    pub fn editor(text: String, banner: Option<String>) -> Opened {
        Opened {
            route: Route::Editor(Rc::new(editor::Init { text: Some(text) })),
            banner,
            ..Opened::landing(String::new(), false)
        }
    }

    /// The landing view with `banner`.
    pub fn landing(banner: String, embed: bool) -> Opened {
        Opened {
            route: Route::Landing,
            banner: Some(banner),
            playing: false,
            embed,
            lang: None,
            compare: false,
            spacing: None,
            folds: Folds::default(),
            pending: None,
            challenge: None,
            shuffle: None,
        }
    }
}

pub fn open(hash: &str, lang: Lang) -> Opened {
    let link = permalink::parse_hash(hash);
    let link_lang = link.lang.as_deref().and_then(Lang::parse);
    let lang = link_lang.unwrap_or(lang);
    let mut opened = Opened {
        route: Route::Landing,
        banner: None,
        playing: false,
        embed: link.embed,
        lang: link_lang,
        compare: false,
        spacing: None,
        folds: Folds::default(),
        pending: None,
        challenge: None,
        shuffle: link.shuffle,
    };
    if let Some(code) = &link.scenario {
        if code.len() > codec::MAX_CODE {
            let args = [&*code.len().to_string(), &*codec::MAX_CODE.to_string()];
            opened.banner = Some(lang.f(i18n::LINK_TOO_LONG, &args));
            return opened;
        }
    }
    if link.edit {
        match (&link.scenario, editor::take_handed()) {
            (Some(code), _) => {
                opened.route = Route::Loading;
                opened.pending = Some(Pending::Scenario {
                    code: code.clone(),
                    edit: true,
                });
            }
            (None, text) => opened.route = Route::Editor(Rc::new(editor::Init { text })),
        }
        return opened;
    }
    // An unknown spacing is the default, with a banner (unless a worse one replaces it).
    match link.spacing.as_deref().map(|v| (v, Spacing::from_code(v))) {
        Some((_, Some(s))) => opened.spacing = Some(s),
        Some((v, None)) => opened.banner = Some(lang.f(i18n::BAD_SPACING, &[&permalink::trim(v)])),
        None => {}
    }
    // An unknown panel folds none, with a banner.
    match link.fold.as_deref().map(Folds::parse) {
        Some(Ok(f)) => opened.folds = f,
        Some(Err(v)) => opened.banner = Some(lang.f(i18n::BAD_FOLD, &[&permalink::trim(&v)])),
        None => {}
    }
    let source = match &link.scenario {
        Some(code) => match lessons::custom(code) {
            Some(s) => Source::Lesson(s),
            None => {
                opened.route = Route::Loading;
                opened.pending = Some(Pending::Scenario {
                    code: code.clone(),
                    edit: false,
                });
                return opened;
            }
        },
        None => match lesson_source(&link, lang, &mut opened) {
            Some(s) => s,
            None => return opened,
        },
    };
    open_session(source, &link, lang, opened)
}

/// The lesson or sandbox `lesson=` names (None: fetch it first, or unknown).
fn lesson_source(link: &permalink::Link, lang: Lang, opened: &mut Opened) -> Option<Source> {
    let id = link.lesson.clone()?;
    if id == SANDBOX_ID {
        let (topo, bad) = link.topo.as_deref().map(Topo::parse).unwrap_or_default();
        if !bad.is_empty() {
            // Bad fields take their defaults; the lab opens with a banner.
            opened.banner = Some(lang.f(i18n::BAD_TOPOLOGY, &[&bad.join(", ")]));
        }
        Some(Source::Sandbox(topo))
    } else {
        match (lessons::loaded(&id), lessons::meta(&id)) {
            (Some(s), _) => Some(Source::Lesson(s)),
            (None, Some(meta)) => {
                opened.route = Route::Loading;
                opened.pending = Some(Pending::Lesson(meta));
                None
            }
            (None, None) => {
                opened.banner = Some(lang.f(
                    i18n::UNKNOWN_LESSON,
                    &[&id.chars().take(40).collect::<String>()],
                ));
                None
            }
        }
    }
}

/// The session the link describes on `source`: seed, schedule, playhead,
/// comparison and challenge.
fn open_session(source: Source, link: &permalink::Link, lang: Lang, mut opened: Opened) -> Opened {
    let fresh = |source: Source| Rc::new(RefCell::new(lab_session(source, None)));
    if !link.errors.is_empty() {
        opened.banner = Some(lang.f(i18n::BAD_LINK, &[&link.errors.join(", ")]));
        opened.route = Route::Lab(fresh(source));
        return opened;
    }
    let other = link
        .compare
        .as_deref()
        .map(|c| other_branch(&source, link, c));
    let mut session = lab_session(source.clone(), link.seed);
    let schedule = match link.schedule.as_deref() {
        Some(s) => permalink::decode_schedule(&session.sim, s, session.end_ms()),
        None => Ok(Vec::new()),
    };
    match schedule {
        Err(e) => {
            opened.banner = Some(lang.f(i18n::BAD_LINK, &[&e]));
            opened.route = Route::Lab(fresh(source));
            return opened;
        }
        Ok(entries) => session.schedule = entries,
    }
    if let Some(t) = link.t_ms {
        // The sandbox has no end: a link may not ask for more than a day of simulation.
        let t = session.end_ms().map_or(t.min(86_400_000), |e| t.min(e));
        let r = match link.events {
            Some(events) => session.seek_event(t, events),
            None => session.seek(t),
        };
        if let Err(e) = r {
            opened.banner = Some(lang.f(i18n::RUN_STOPPED, &[&e]));
        }
    }
    match other {
        Some(Ok((other, live_is_a))) => {
            session.compare = Some(Box::new(Compare::new(other, live_is_a)));
            opened.compare = true;
            if let Err(e) = session.sync_other() {
                session.compare = None;
                opened.compare = false;
                opened.banner = Some(lang.f(i18n::BAD_COMPARE, &[&e]));
            }
        }
        Some(Err(e)) => opened.banner = Some(lang.f(i18n::BAD_COMPARE, &[&e])),
        None => {}
    }
    if let Some(step) = link.challenge {
        let has = session
            .lesson()
            .is_some_and(|l| l.challenges().any(|(i, _, _)| i == step));
        if has {
            opened.challenge = Some((step, link.hints.unwrap_or(0)));
        } else {
            opened.banner = Some(lang.f(i18n::BAD_LINK, &[&format!("ch \"{}\"", step + 1)]));
        }
    }
    // The sandbox runs at once (as the first page did); lessons wait for Play.
    opened.playing = matches!(session.source, Source::Sandbox(_)) && link.t_ms.is_none();
    opened.route = Route::Lab(Rc::new(RefCell::new(session)));
    opened
}

/// A session as the lab runs it: keeping only the trace its views show,
/// without hashing it (the page never reads the hash).
fn lab_session(source: Source, seed: Option<u64>) -> Session {
    let mut s = Session::new(source, seed);
    s.sim.set_hashing(false);
    s.set_trace_keep(Some(crate::lab::TRACE_KEEP_MS));
    s
}

/// The other branch of a comparison link (`cmp=`, `live=`), at its start.
fn other_branch(
    source: &Source,
    link: &permalink::Link,
    cmp: &str,
) -> Result<(Session, bool), String> {
    let live_is_a = match link.live.as_deref() {
        None | Some("b") => false,
        Some("a") => true,
        Some(v) => return Err(format!("live \"{}\"", permalink::trim(v))),
    };
    let mut other = Session::new(source.clone(), link.seed);
    other.schedule = permalink::decode_schedule(&other.sim, cmp, other.end_ms())?;
    Ok((other, live_is_a))
}

/// The link to `session` as `ui` shows it (the diagram's spacing only if
/// the learner, or the link, chose one).
pub fn hash_of(session: &Session, ui: &UiState) -> String {
    let (embed, lang) = (ui.embed, ui.lang);
    let mut h = match session.lesson().and_then(lessons::custom_of) {
        Some((code, _)) => format!("#scn={code}"),
        None => format!("#lesson={}", session.id()),
    };
    let default_seed = session.lesson().map_or(1, |s| s.seed);
    if session.seed != default_seed {
        h.push_str(&format!("&seed={}", session.seed));
    }
    if let Source::Sandbox(topo) = &session.source {
        if *topo != Topo::default() {
            h.push_str(&format!("&topo={}", topo.encode()));
        }
    }
    if !session.schedule.is_empty() {
        h.push_str("&s=");
        h.push_str(&permalink::encode_schedule(&session.schedule));
    }
    if let Some(c) = &session.compare {
        h.push_str("&cmp=");
        h.push_str(&permalink::encode_schedule(&c.other.schedule));
        if c.live_is_a {
            h.push_str("&live=a");
        }
    }
    h.push_str(&format!("&t={}", session.now_ms()));
    if session.mid_millisecond() {
        h.push_str(&format!("&e={}", session.sim.events_processed()));
    }
    if let Some(step) = ui.challenge {
        h.push_str(&format!("&ch={}&h={}", step + 1, ui.hints));
    }
    if session.lesson().is_some() {
        h.push_str(&format!("&q={}", ui.shuffle));
    }
    if let Some(s) = ui.spacing {
        h.push_str(&format!("&spacing={}", s.code()));
    }
    if !ui.folds.is_empty() {
        h.push_str(&format!("&fold={}", ui.folds.code()));
    }
    if embed {
        h.push_str(&format!("&lang={}&embed=1", lang.code()));
    }
    h
}

#[cfg(test)]
mod tests;
