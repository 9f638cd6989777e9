//! The scenario editor (`#edit`): any lesson, the sandbox or a template as
//! TOML text, checked as it is typed by the core's own loader (the errors of
//! `replilab run`, with line and column), run in the lab, shared as a link
//! that carries the text (`codec`), downloaded, or opened from a file. The
//! text is a draft in local storage until it is discarded: nothing typed is
//! lost to a reload, a bad link or a crash of the tab.

pub mod codec;
mod file;
mod gutter;
mod import;

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use replilab_core::scenario::{self, text, toml_out, Limit, LoadError, Scenario};
use replilab_core::timeline::{Session, Source};
use yew::prelude::*;

use crate::dom;
use crate::i18n::{self, Lang};
use crate::lessons::{self, Custom};

/// The template "Edit" starts from when there is no draft.
pub const TEMPLATE: &str = include_str!("template.toml");
const DRAFT: &str = "replilab.draft";
const PREVIOUS: &str = "replilab.draft.prev";

/// What the editor opens with: a text (a lesson, the sandbox, a link), or
/// the draft (`None`); and a note for the learner.
#[derive(PartialEq)]
pub struct Init {
    pub text: Option<String>,
}

/// The text handed to the next `#edit` (by "Edit" in the lab).
pub fn hand_over(text: String) {
    HANDED.with(|h| *h.borrow_mut() = Some(text));
}

thread_local! {
    static HANDED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub fn take_handed() -> Option<String> {
    HANDED.with(|h| h.borrow_mut().take())
}

/// Opens the session's scenario in the editor: a lesson's own file (fetched),
/// the custom scenario's text, or the sandbox written out as a scenario.
pub fn edit(session: &Session, on_error: impl Fn(String) + 'static) {
    let go = |text: String| {
        hand_over(text);
        dom::set_hash("#edit");
    };
    match &session.source {
        Source::Sandbox(topo) => match toml_out::write(&topo.editable(session.seed)) {
            Ok(text) => go(text),
            Err(e) => on_error(e),
        },
        Source::Lesson(s) => match (lessons::custom_of(s), lessons::meta(&s.id)) {
            (Some((_, text)), _) => go(text),
            (None, Some(meta)) => yew::platform::spawn_local(async move {
                match lessons::fetch_toml(meta).await {
                    Ok(text) => go(text),
                    Err(e) => on_error(e),
                }
            }),
            (None, None) => on_error(s.id.clone()),
        },
    }
}

/// The text to show: `init`'s, keeping a different draft as the previous
/// one; else the draft; else the template.
fn opening_text(init: &Init) -> (String, bool) {
    let draft = dom::storage_get(DRAFT);
    match &init.text {
        Some(t) => {
            let kept = draft.filter(|d| d != t && d.trim() != TEMPLATE.trim());
            if let Some(d) = &kept {
                dom::storage_set(PREVIOUS, d);
            }
            dom::storage_set(DRAFT, t);
            (t.clone(), kept.is_some())
        }
        None => (draft.unwrap_or_else(|| TEMPLATE.to_string()), false),
    }
}

/// The loader's verdict on a text: its stages as `scenario::parse` runs
/// them, the shape decoded from the tables' JavaScript form (so the wasm
/// holds the scenario's `Deserialize` once: 63 KB gzipped less than
/// deserializing from TOML directly).
pub fn check(text: &str) -> Result<Scenario, LoadError> {
    use serde::Serialize as _;
    let table = text::parse_table(text)?;
    let js = table
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| text::located(text, &e.to_string()))?;
    let s = lessons::decode(js).map_err(|e| text::located(text, &e))?;
    scenario::load::validate_text(text, &s)?;
    Ok(s)
}

/// The learner's words for going over a cap, if that is the error.
pub fn limit_text(lang: Lang, e: &LoadError) -> Option<String> {
    let (s, n) = match e.limit? {
        Limit::Text => (i18n::LIMIT_TEXT, Limit::Text.max()),
        Limit::Nodes => (i18n::LIMIT_NODES, Limit::Nodes.max()),
        Limit::Duration => (i18n::LIMIT_DURATION, Limit::Duration.max()),
    };
    Some(lang.f(s, &[&n.to_string()]))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub init: Rc<Init>,
}

#[function_component(Editor)]
pub fn editor(p: &Props) -> Html {
    let l = p.lang;
    let opened = use_memo(p.init.clone(), |init| opening_text(init));
    let text = use_state(|| opened.0.clone());
    let has_prev = use_state(|| opened.1);
    let verdict = use_state(|| Rc::new(check(&text)));
    let checking = use_state(|| false);
    let timer = use_mut_ref(|| None::<Timeout>);
    let link_len = use_state(|| None::<usize>);
    let copied = use_state(|| false);
    let area = use_node_ref();

    // A new text: kept as the draft at once, checked 250 ms after the last key.
    let set_text = {
        let (text, verdict, checking, timer) = (
            text.clone(),
            verdict.clone(),
            checking.clone(),
            timer.clone(),
        );
        let (link_len, copied) = (link_len.clone(), copied.clone());
        Callback::from(move |t: String| {
            dom::storage_set(DRAFT, &t);
            text.set(t.clone());
            checking.set(true);
            link_len.set(None);
            copied.set(false);
            let (verdict, checking) = (verdict.clone(), checking.clone());
            *timer.borrow_mut() = Some(Timeout::new(250, move || {
                verdict.set(Rc::new(check(&t)));
                checking.set(false);
            }));
        })
    };
    let oninput = {
        let set_text = set_text.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            set_text.emit(el.value());
        })
    };
    // Run and Copy link both encode the text first (asynchronously).
    let problem = use_state(|| None::<String>);
    let share = |copy: bool| {
        let (text, verdict, link_len, copied) = (
            text.clone(),
            verdict.clone(),
            link_len.clone(),
            copied.clone(),
        );
        let problem = problem.clone();
        Callback::from(move |_: MouseEvent| {
            let Ok(s) = &**verdict else { return };
            let (t, s) = ((*text).clone(), Rc::new(s.clone()));
            let (link_len, copied, problem) = (link_len.clone(), copied.clone(), problem.clone());
            yew::platform::spawn_local(async move {
                let code = match codec::encode(&t).await {
                    Ok(code) => code,
                    // A browser without CompressionStream (before 2023).
                    Err(e) => return problem.set(Some(l.f(i18n::LINK_FAILED, &[&e]))),
                };
                problem.set(None);
                let hash = format!("#scn={code}");
                link_len.set(Some(dom::href_with(&hash).len()));
                lessons::set_custom(Custom {
                    code,
                    text: t,
                    scenario: s,
                });
                if copy {
                    dom::copy(&dom::href_with(&hash));
                    copied.set(true);
                } else {
                    dom::set_hash(&hash);
                }
            });
        })
    };
    let download = {
        let (text, verdict) = (text.clone(), verdict.clone());
        Callback::from(move |_: MouseEvent| {
            let id = match &**verdict {
                Ok(s) => s.id.clone(),
                Err(_) => "scenario".into(),
            };
            dom::download(&format!("{id}.toml"), "application/toml", &text);
        })
    };
    let discard = {
        let set_text = set_text.clone();
        Callback::from(move |_: MouseEvent| {
            let sure = dom::window()
                .and_then(|w| w.confirm_with_message(l.t(i18n::DISCARD_CONFIRM)).ok())
                .unwrap_or(false);
            if sure {
                dom::storage_remove(DRAFT);
                set_text.emit(TEMPLATE.to_string());
            }
        })
    };
    let restore = {
        let (set_text, has_prev) = (set_text.clone(), has_prev.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(prev) = dom::storage_get(PREVIOUS) {
                dom::storage_remove(PREVIOUS);
                set_text.emit(prev);
            }
            has_prev.set(false);
        })
    };
    let on_file = file::on_file(l, set_text.clone(), problem.clone());

    let error_line = verdict.as_ref().as_ref().err().map(|e| e.line);
    let status = match (&**verdict, *checking) {
        (_, true) => html! { <p class="ed-status">{l.t(i18n::CHECKING)}</p> },
        (Ok(s), false) => {
            let steps = s.steps.len().to_string();
            let goals = s.expects.len().to_string();
            let args = [
                &*s.nodes.len().to_string(),
                &*s.duration_s.to_string(),
                &*steps,
                &*goals,
            ];
            html! { <p id="ed-ok" class="ed-status ok" role="status">{"✓ "}{l.f(i18n::LOADS_OK, &args)}</p> }
        }
        (Err(e), false) => {
            let at = l.f(
                i18n::LINE_COL,
                &[&e.line.to_string(), &e.column.to_string()],
            );
            let jump = gutter::jump(area.clone(), (*text).clone(), e.line, e.column);
            html! {
                <div id="ed-error" class="ed-status error" role="alert">
                    <button class="btn subtle ed-at" onclick={jump}>{at}</button>{l.t(i18n::COLON)}<code>{e.message.clone()}</code>
                    if let Some(lim) = limit_text(l, e) { <p>{lim}</p> }
                </div>
            }
        }
    };
    let ok = verdict.is_ok() && !*checking;
    let nodes: Vec<String> = match &**verdict {
        Ok(s) => s.nodes.iter().map(|n| n.name.clone()).collect(),
        Err(_) => Vec::new(),
    };
    let ref_href = format!("format.html?lang={}", l.code());
    html! {
        <main id="editor" class="editor">
            <div class="ed-bar" role="toolbar" aria-label={l.t(i18n::EDITOR)}>
                <h1 class="ed-title">{l.t(i18n::EDITOR)}</h1>
                <button id="ed-run" class="btn primary" disabled={!ok} title={l.t(i18n::RUN_TITLE)} onclick={share(false)}>{"▶ "}{l.t(i18n::RUN)}</button>
                <button id="ed-copy" class="btn" disabled={!ok} onclick={share(true)}>{ if *copied { l.t(i18n::COPIED) } else { l.t(i18n::COPY_LINK) } }</button>
                <button id="ed-download" class="btn" onclick={download}>{l.t(i18n::DOWNLOAD_TOML)}</button>
                <label class="btn file-btn">{l.t(i18n::OPEN_FILE)}
                    <input id="ed-file" type="file" accept=".toml,text/plain" class="sr-only" onchange={on_file.pick} /></label>
                <a id="ed-ref" class="btn" href={ref_href} target="_blank" rel="noopener">{l.t(i18n::FORMAT_REF)}</a>
                <button id="ed-discard" class="btn subtle" onclick={discard}>{l.t(i18n::DISCARD)}</button>
            </div>
            if *has_prev {
                <p class="banner"><span>{l.t(i18n::REPLACE_DRAFT)}</span>
                    <button id="ed-restore" class="btn subtle" onclick={restore}>{l.t(i18n::RESTORE)}</button></p>
            }
            if let Some(e) = &*problem { <p id="ed-problem" class="banner error" role="alert">{e.clone()}</p> }
            {status}
            if let Some(n) = *link_len { <p id="ed-link-len" class="ed-status">{l.f(i18n::LINK_SIZE, &[&n.to_string()])}</p> }
            <import::Import lang={l} text={(*text).clone()} nodes={nodes} on_apply={set_text.clone()} />
            <gutter::Lines text={(*text).clone()} {error_line} area={area.clone()}
                label={l.t(i18n::EDITOR_TEXT)} drop_hint={l.t(i18n::DROP_HERE)} oninput={oninput} ondrop={on_file.drop} />
        </main>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_template_loads_and_fails_no_goal() {
        let s = replilab_core::scenario::parse(super::TEMPLATE).unwrap_or_else(|e| panic!("{e}"));
        let (_, run) = replilab_core::scenario::run(&s, None).expect("runs");
        assert!(run.passed(), "{:?}", run.expectations);
    }
}
