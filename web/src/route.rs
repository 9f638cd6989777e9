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
mod tests {
    use replilab_core::action::Action;

    use super::*;

    fn opened(hash: &str) -> (Session, Option<String>, bool) {
        let o = open(hash, Lang::En);
        let Route::Lab(s) = o.route else {
            panic!("landing for {hash}")
        };
        let s = s.borrow().clone();
        (s, o.banner, o.compare)
    }

    #[test]
    fn comparison_links_round_trip() {
        let mut s = Session::new(Source::Sandbox(Topo::default()), None);
        s.advance_to(1_500).unwrap();
        s.keep_as_a();
        s.act(Action::config_set("m", "min-replicas-to-write", "1"))
            .unwrap();
        s.advance_to(3_000).unwrap();
        s.sync_other().unwrap();
        for swapped in [false, true] {
            if swapped {
                s.swap_branches().unwrap();
            }
            let hash = hash_of(&s, &UiState::new(Lang::En, Theme::Light));
            assert!(hash.contains("&cmp="), "{hash}");
            assert_eq!(hash.contains("&live=a"), swapped, "{hash}");
            let (again, banner, shown) = opened(&hash);
            assert!(banner.is_none() && shown, "{banner:?}");
            let ((a0, b0), (a1, b1)) = (s.branches().unwrap(), again.branches().unwrap());
            assert_eq!(again.live_letter(), s.live_letter());
            assert_eq!((&a1.schedule, &b1.schedule), (&a0.schedule, &b0.schedule));
            assert_eq!((a1.now_ms(), b1.now_ms()), (3_000, 3_000));
            assert_eq!(a1.sim.trace(), a0.sim.trace());
            assert_eq!(b1.sim.trace(), b0.sim.trace());
            let (d0, d1) = (s.divergence().unwrap(), again.divergence().unwrap());
            assert_eq!((d1.t_ms, d1.b), (d0.t_ms, d0.b));
        }
    }

    #[test]
    fn a_bad_comparison_opens_without_it() {
        for (hash, why) in [
            ("#lesson=sandbox&s=&cmp=5:1:q&t=100", "unknown action"),
            ("#lesson=sandbox&cmp=5:1:c:nobody:GET", "unknown node"),
            ("#lesson=sandbox&cmp=&live=c&t=100", "live \"c\""),
            ("#lesson=sandbox&cmp=9:1:h;5:1:h", "out of order"),
        ] {
            let (s, banner, shown) = opened(hash);
            let banner = banner.expect("a banner");
            assert!(banner.contains("comparison could not be read"), "{banner}");
            assert!(banner.contains(why), "{banner}");
            assert!(s.compare.is_none() && !shown);
        }
        // An empty `cmp=` is a comparison with no actions in the other branch.
        let (s, banner, _) = opened("#lesson=sandbox&cmp=&t=100");
        assert!(banner.is_none() && s.compare.is_some() && s.now_ms() == 100);
    }
}

#[cfg(test)]
mod spacing_tests {
    use super::*;

    #[test]
    fn the_diagram_spacing_rides_in_the_link() {
        let mut s = Session::new(Source::Sandbox(Topo::default()), None);
        s.advance_to(100).unwrap();
        let mut ui = UiState::new(Lang::En, Theme::Light);
        assert!(!hash_of(&s, &ui).contains("spacing"));
        for sp in [Spacing::Order, Spacing::Time] {
            ui.spacing = Some(sp);
            let h = hash_of(&s, &ui);
            assert!(h.ends_with(&format!("&spacing={}", sp.code())), "{h}");
            let o = open(&h, Lang::En);
            assert_eq!((o.spacing, o.banner), (Some(sp), None));
        }
        // An unknown value: the default and a banner; the rest of the link opens.
        let o = open("#lesson=sandbox&t=100&spacing=%3Cb%3Esideways", Lang::Zh);
        assert_eq!(o.spacing, None);
        let banner = o.banner.expect("a banner");
        assert!(
            banner.contains("%3Cb%3Esideways") && banner.contains("间距"),
            "{banner}"
        );
        let Route::Lab(again) = o.route else {
            panic!("landing")
        };
        assert_eq!(again.borrow().now_ms(), 100);
    }

    #[test]
    fn folded_panels_ride_in_the_link() {
        use crate::components::fold::{Folds, Pane};
        let mut s = Session::new(Source::Sandbox(Topo::default()), None);
        s.advance_to(100).unwrap();
        let mut ui = UiState::new(Lang::En, Theme::Light);
        assert!(!hash_of(&s, &ui).contains("fold"));
        ui.folds = Folds::default().toggle(Pane::Records).toggle(Pane::Map);
        let h = hash_of(&s, &ui);
        assert!(h.ends_with("&fold=map,records"), "{h}");
        let o = open(&h, Lang::En);
        assert_eq!((o.folds, o.banner), (ui.folds, None));
        // An unknown pane folds none, with a banner; the rest of the link opens.
        let o = open("#lesson=sandbox&t=100&fold=map,side%3Cbar", Lang::En);
        assert!(o.folds.is_empty());
        let banner = o.banner.expect("a banner");
        assert!(banner.contains("unknown panel, \"side%3Cbar\""), "{banner}");
        let Route::Lab(again) = o.route else {
            panic!("landing")
        };
        assert_eq!(again.borrow().now_ms(), 100);
    }
}

#[cfg(test)]
mod replay_tests {
    use replilab_core::action::Action;

    use super::*;

    /// Seed 001's deployment: the playhead rests after each of 60 "next
    /// event" steps, often between two events of the same millisecond.
    #[test]
    fn a_link_reopens_exactly_where_the_playhead_rested() {
        let mut s = Session::new(Source::Sandbox(Topo::seed001()), None);
        s.advance_to(5_000).unwrap();
        let act = |s: &mut Session, t: &str| {
            s.act(t.parse::<Action>().unwrap()).unwrap();
            s.settle();
        };
        act(&mut s, "@m SET k \"hello world\"");
        act(&mut s, "pause r2 5s");
        let mut mid = 0;
        for step in 0..60 {
            s.step_event().unwrap();
            if step == 30 {
                act(&mut s, "@m INCR n");
            }
            mid += usize::from(s.mid_millisecond());
            let hash = hash_of(&s, &UiState::new(Lang::En, Theme::Light));
            let o = open(&hash, Lang::En);
            let Route::Lab(again) = o.route else {
                panic!("landing")
            };
            let again = again.borrow();
            assert!(o.banner.is_none(), "{hash}");
            assert_eq!(again.now_ms(), s.now_ms(), "{hash}");
            assert_eq!(
                again.sim.events_processed(),
                s.sim.events_processed(),
                "{hash}"
            );
            // The page does not hash its trace: the same events, to the last.
            assert_eq!(again.sim.trace_end(), s.sim.trace_end(), "{hash}");
            assert_eq!(again.sim.trace().last(), s.sim.trace().last(), "{hash}");
            assert_eq!(again.applied, s.applied, "{hash}");
        }
        assert!(mid > 10, "the playhead rested mid-millisecond {mid} times");
    }
}
