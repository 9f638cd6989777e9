//! Component tests in a real browser (headless Chromium through wasm-bindgen-test):
//! real components mounted into a DOM node, asserted on the DOM they render.
//!   wasm-pack test --headless --chrome web   (flags in web/webdriver.json)
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use replilab_core::action::Action;
use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::{Session, Source};
use replilab_web::app::App;
use replilab_web::components::{console::Console, inspector::Inspector};
use replilab_web::i18n::{self, Lang};
use replilab_web::lab::Lab;
use replilab_web::lessons;
use replilab_web::permalink;
use replilab_web::route::{self, Route};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element under <body> to mount a component into.
fn root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// Lets Yew's scheduler render.
async fn rendered() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// The sandbox (m, r1, r2) after `ms` of simulated time, links up.
fn sandbox(ms: u64) -> Rc<RefCell<Session>> {
    let mut s = Session::new(Source::Sandbox(Default::default()), Some(1));
    s.advance_to(ms).unwrap();
    Rc::new(RefCell::new(s))
}

fn lab(session: &Rc<RefCell<Session>>) -> Lab {
    Lab {
        session: session.clone(),
        version: 1,
    }
}

fn console_line(session: &Rc<RefCell<Session>>, node: &str, line: &str) {
    let mut s = session.borrow_mut();
    s.act(Action::Command {
        node: node.into(),
        line: line.into(),
    })
    .unwrap();
    s.settle();
}

#[wasm_bindgen_test]
async fn console_renders_replies_as_redis_cli_does() {
    let session = sandbox(5_000);
    console_line(&session, "m", "SET k v");
    console_line(&session, "m", "GET k");
    console_line(&session, "m", "GET missing");
    console_line(&session, "m", "INCR n");
    console_line(&session, "m", "MGET k missing");
    console_line(&session, "r1", "SET k2 v");
    let m = session.borrow().sim.node_id("m").unwrap();
    let el = root();
    let props = yew::props!(replilab_web::components::console::Props {
        lab: lab(&session),
        lang: Lang::En,
        target: m,
        on_target: Callback::noop(),
        on_command: Callback::noop(),
    });
    yew::Renderer::<Console>::with_root_and_props(el.clone(), props).render();
    rendered().await;
    assert_eq!(
        texts(&el, "#console-output .reply"),
        [
            "OK",
            "\"v\"",
            "(nil)",
            "(integer) 1",
            "1) \"v\"\n2) (nil)",
            "(error) READONLY You can't write against a read only replica."
        ]
    );
    let prompts = texts(&el, "#console-output .prompt");
    assert!(
        prompts[0].starts_with("[m] ") && prompts[0].ends_with(":6379>"),
        "{prompts:?}"
    );
    assert!(prompts[5].starts_with("[r1] "), "{prompts:?}");
    // Clients do not listen: only servers are offered as targets.
    assert_eq!(texts(&el, "#console-target option").len(), 3);
}

#[wasm_bindgen_test]
async fn inspector_shows_info_replication_as_redis_prints_it() {
    let session = sandbox(5_000);
    console_line(&session, "m", "SET k v");
    session.borrow_mut().advance_to(6_000).unwrap();
    let (m, r1) = {
        let s = session.borrow();
        (s.sim.node_id("m").unwrap(), s.sim.node_id("r1").unwrap())
    };
    for (node, lines) in [
        (
            m,
            &["# Replication", "role:master", "connected_slaves:2"][..],
        ),
        (
            r1,
            &[
                "# Replication",
                "role:slave",
                "master_port:6379",
                "master_link_status:up",
            ][..],
        ),
    ] {
        let el = root();
        let props = yew::props!(replilab_web::components::inspector::Props {
            lab: lab(&session),
            lang: Lang::En,
            selected: node,
            on_select: Callback::noop(),
        });
        yew::Renderer::<Inspector>::with_root_and_props(el.clone(), props).render();
        rendered().await;
        let info = texts(&el, "#info-replication").join("");
        let got: Vec<&str> = info.lines().collect();
        assert_eq!(got[0], lines[0], "{info}");
        assert_eq!(got[1], lines[1], "{info}");
        for l in &lines[2..] {
            assert!(got.contains(l), "{l} missing from:\n{info}");
        }
        assert!(!info.contains('\r'), "CRLF shown as-is");
        // The replica holds the key the master wrote.
        let keys = el.query_selector_all("[data-key]").unwrap();
        assert_eq!(keys.length(), 1);
        let key = keys.item(0).unwrap().dyn_into::<Element>().unwrap();
        assert_eq!(key.get_attribute("data-key").as_deref(), Some("k"));
        // The offset tape: both replicas are in sync, so a reconnect now
        // would resume partially (the master's own PSYNC rule says so).
        let verdicts = el.query_selector_all("[data-verdict]").unwrap();
        assert_eq!(verdicts.length(), 2, "one verdict per replica");
        for i in 0..verdicts.length() {
            let v = verdicts.item(i).unwrap().dyn_into::<Element>().unwrap();
            assert_eq!(v.get_attribute("data-verdict").as_deref(), Some("partial"));
        }
    }
}

fn click(root: &Element, selector: &str) {
    let el = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    el.dyn_into::<web_sys::HtmlElement>().unwrap().click();
}

/// The whole app, on its landing view: the header's 中文/EN switch re-renders every string.
#[wasm_bindgen_test]
async fn language_switch_changes_every_visible_string() {
    let el = root();
    yew::Renderer::<App>::with_root(el.clone()).render();
    rendered().await;
    let first = match &lessons::index()[0] {
        (_, Ok(meta)) => meta,
        (id, Err(e)) => panic!("{id}: {e}"),
    };
    let html_lang = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .document_element()
            .unwrap()
            .get_attribute("lang")
    };
    click(&el, "button[data-lang=en]");
    rendered().await;
    assert_eq!(texts(&el, ".landing h2"), [i18n::LESSONS.en]);
    let first_card = format!(".lesson-card[data-lesson=\"{}\"] h3", first.id);
    let title_en = texts(&el, &first_card);
    assert_eq!(title_en.len(), 1, "{first_card}");
    assert_eq!(html_lang().as_deref(), Some("en"));
    click(&el, "button[data-lang=zh]");
    rendered().await;
    assert_eq!(texts(&el, ".landing h2"), ["课程"]);
    let title_zh = texts(&el, &first_card);
    assert!(
        title_zh.len() == 1 && !title_zh[0].is_empty() && title_zh != title_en,
        "{title_zh:?}"
    );
    assert_eq!(html_lang().as_deref(), Some("zh-CN"));
    let pressed = el
        .query_selector("button[data-lang=zh]")
        .unwrap()
        .unwrap()
        .get_attribute("aria-pressed");
    assert_eq!(pressed.as_deref(), Some("true"));
    click(&el, "button[data-lang=en]");
    rendered().await;
    assert_eq!(texts(&el, ".landing h2"), [i18n::LESSONS.en]);
}

#[wasm_bindgen_test]
fn permalink_schedule_round_trips() {
    // Seed 001's deployment in the sandbox (lessons are fetched JSON, not in the wasm).
    let mut s = Session::new(Source::Sandbox(Topo::seed001()), None);
    s.advance_to(2_000).unwrap();
    let act = |s: &mut Session, text: &str| {
        s.act(text.parse::<Action>().unwrap()).unwrap();
    };
    act(&mut s, "@m SET \"a b\" x;y:z%");
    s.advance_to(3_000).unwrap();
    act(&mut s, "partition m,s1 / r1");
    act(&mut s, "pause r1 1500ms");
    s.advance_to(4_000).unwrap();
    act(&mut s, "skew m -250ms");
    act(&mut s, "heal");
    let encoded = permalink::encode_schedule(&s.schedule);
    let decoded = permalink::decode_schedule(&s.sim, &encoded, s.end_ms()).unwrap();
    assert_eq!(decoded, s.schedule);
    // The whole link: opening it reaches the same state.
    let ui = replilab_web::state::UiState::new(Lang::En, replilab_web::state::Theme::Light);
    let hash = route::hash_of(&s, &ui);
    let opened = route::open(&hash, Lang::En);
    assert!(opened.banner.is_none(), "{:?}", opened.banner);
    let Route::Lab(again) = opened.route else {
        panic!("landing")
    };
    let again = again.borrow();
    assert_eq!(again.now_ms(), s.now_ms());
    assert_eq!(again.schedule, s.schedule);
    assert_eq!(again.sim.trace(), s.sim.trace());
}

#[wasm_bindgen_test]
fn damaged_permalinks_open_the_lesson_start_with_a_banner() {
    let s = Session::new(Source::Sandbox(Topo::seed001()), None);
    let err = permalink::decode_schedule(&s.sim, "100:5:c:m", None).unwrap_err();
    assert_eq!(err, "action 1: the command is missing");
    let err = permalink::decode_schedule(&s.sim, "100:5:x:nobody", None).unwrap_err();
    assert!(err.contains("unknown node"), "{err}");
    assert!(permalink::decode("%4").is_err());
    for hash in [
        "#lesson=sandbox&topo=7.0,5,0,3,2,1,writer,master&s=100:5:c:m",
        "#lesson=sandbox&topo=7.0,5,0,3,2,1,writer,master&seed=x",
    ] {
        let opened = route::open(hash, Lang::En);
        let banner = opened.banner.expect("a banner");
        assert!(
            banner.contains("action 1") || banner.contains("seed"),
            "{banner}"
        );
        let Route::Lab(at) = opened.route else {
            panic!("landing for {hash}")
        };
        assert_eq!(at.borrow().now_ms(), 0);
        assert!(at.borrow().schedule.is_empty());
    }
    // A bad topology field: named in the banner, its default used, the rest kept.
    let opened = route::open(
        "#lesson=sandbox&topo=7.0,99,0,3,2,1,writer,master",
        Lang::En,
    );
    let banner = opened.banner.expect("a banner");
    assert!(banner.contains("replicas \"99\""), "{banner}");
    let Route::Lab(at) = opened.route else {
        panic!("landing")
    };
    let names: Vec<String> = at
        .borrow()
        .sim
        .nodes()
        .iter()
        .map(|n| n.name.clone())
        .collect();
    assert_eq!(names, ["m", "r1", "r2", "s1", "s2", "s3", "app"]);
    let opened = route::open("#lesson=no-such-lesson", Lang::Zh);
    assert!(opened.route == Route::Landing && opened.banner.is_some());
}
