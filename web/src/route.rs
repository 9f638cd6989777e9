//! Where the page is: the landing view or a session, opened from the URL
//! hash (a permalink), and the hash that describes a session now.

use std::cell::RefCell;
use std::rc::Rc;

use crate::dom;
use crate::i18n::{self, Lang};
use crate::lessons::{self, SANDBOX_ID};
use crate::permalink;
use crate::sandbox::Topo;
use crate::session::{Session, Source};
use crate::state::Theme;

#[derive(Clone)]
pub enum Route {
    Landing,
    /// Waiting for the lesson's JSON.
    Loading,
    Lab(Rc<RefCell<Session>>),
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Route::Landing, Route::Landing) | (Route::Loading, Route::Loading) => true,
            (Route::Lab(a), Route::Lab(b)) => Rc::ptr_eq(a, b),
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
    /// The lesson to fetch, then open the hash again.
    pub fetch: Option<&'static lessons::Meta>,
}

impl Opened {
    /// The landing view with `banner`.
    pub fn landing(banner: String, embed: bool) -> Opened {
        Opened {
            route: Route::Landing,
            banner: Some(banner),
            playing: false,
            embed,
            lang: None,
            fetch: None,
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
        fetch: None,
    };
    let Some(id) = link.lesson.clone() else {
        return opened;
    };
    let source = if id == SANDBOX_ID {
        let (topo, bad) = link.topo.as_deref().map(Topo::parse).unwrap_or_default();
        if !bad.is_empty() {
            // Bad fields take their defaults; the lab opens with a banner.
            opened.banner = Some(lang.f(i18n::BAD_TOPOLOGY, &[&bad.join(", ")]));
        }
        Source::Sandbox(topo)
    } else {
        match (lessons::loaded(&id), lessons::meta(&id)) {
            (Some(s), _) => Source::Lesson(s),
            (None, Some(meta)) => {
                opened.route = Route::Loading;
                opened.fetch = Some(meta);
                return opened;
            }
            (None, None) => {
                opened.banner = Some(lang.f(
                    i18n::UNKNOWN_LESSON,
                    &[&id.chars().take(40).collect::<String>()],
                ));
                return opened;
            }
        }
    };
    let fresh = |source: Source| Rc::new(RefCell::new(Session::new(source, None)));
    if !link.errors.is_empty() {
        opened.banner = Some(lang.f(i18n::BAD_LINK, &[&link.errors.join(", ")]));
        opened.route = Route::Lab(fresh(source));
        return opened;
    }
    let mut session = Session::new(source.clone(), link.seed);
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
        if let Err(e) = session.seek(t) {
            opened.banner = Some(lang.f(i18n::RUN_STOPPED, &[&e]));
        }
    }
    // The sandbox runs at once (as the first page did); lessons wait for Play.
    opened.playing = matches!(session.source, Source::Sandbox(_)) && link.t_ms.is_none();
    opened.route = Route::Lab(Rc::new(RefCell::new(session)));
    opened
}

pub fn hash_of(session: &Session, embed: bool, lang: Lang) -> String {
    let mut h = format!("#lesson={}", session.id());
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
        h.push_str(&permalink::encode_schedule(&session.sim, &session.schedule));
    }
    h.push_str(&format!("&t={}", session.now_ms()));
    if embed {
        h.push_str(&format!("&lang={}&embed=1", lang.code()));
    }
    h
}
