//! "Import configuration": a pasted redis.conf, sentinel.conf, `CONFIG GET *`
//! or `INFO replication` output written into one node of the edited
//! scenario (`scenario::import`), with every line not imported listed by
//! name and why, in the learner's language.

use replilab_core::scenario::format::Kind;
use replilab_core::scenario::import::{self, ApplyError, ImportError, Imported, Reason};
use yew::prelude::*;

use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The scenario's text now.
    pub text: String,
    /// Its nodes (empty while it does not load).
    pub nodes: Vec<String>,
    pub on_apply: Callback<String>,
}

/// What the last Apply gave: a summary, the lines not imported, or an error.
#[derive(Clone, PartialEq, Default)]
struct Outcome {
    done: Option<String>,
    skipped: Vec<String>,
    error: Option<String>,
}

#[function_component(Import)]
pub fn import_panel(p: &Props) -> Html {
    let l = p.lang;
    let conf = use_node_ref();
    let node = use_state(|| None::<String>);
    let outcome = use_state(Outcome::default);
    let chosen = (*node)
        .clone()
        .filter(|n| p.nodes.contains(n))
        .or_else(|| p.nodes.first().cloned());
    let on_node = {
        let node = node.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            node.set(Some(s.value()));
        })
    };
    let apply = {
        let (conf, outcome, text, on_apply) = (
            conf.clone(),
            outcome.clone(),
            p.text.clone(),
            p.on_apply.clone(),
        );
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| {
            let pasted = conf
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|a| a.value())
                .unwrap_or_default();
            let Some(target) = chosen.clone() else { return };
            outcome.set(match import::import_conf(&pasted) {
                Err(e) => Outcome {
                    error: Some(import_error(l, &e)),
                    ..Outcome::default()
                },
                Ok(imp) => match import::apply_with(&text, &target, &imp, &super::check) {
                    Err(e) => Outcome {
                        error: Some(apply_error(l, &e)),
                        skipped: skipped(l, &imp),
                        ..Outcome::default()
                    },
                    Ok(new_text) => {
                        on_apply.emit(new_text);
                        Outcome {
                            done: Some(summary(l, &imp, &target)),
                            skipped: skipped(l, &imp),
                            error: None,
                        }
                    }
                },
            });
        })
    };
    let o = &*outcome;
    html! {
        <details id="ed-import" class="ed-import">
            <summary class="btn">{l.t(i18n::IMPORT)}</summary>
            <div class="imp-body">
            <label for="imp-text" class="ed-status">{l.t(i18n::IMPORT_HINT)}</label>
            <textarea id="imp-text" ref={conf} rows="8" spellcheck="false" wrap="off" />
            <div class="ed-bar">
                <label for="imp-node">{l.t(i18n::IMPORT_INTO)}</label>
                <select id="imp-node" onchange={on_node}>
                    { for p.nodes.iter().map(|n| html! { <option value={n.clone()} selected={chosen.as_ref() == Some(n)}>{n}</option> }) }
                </select>
                <button id="imp-apply" class="btn primary" disabled={chosen.is_none()} onclick={apply}>{l.t(i18n::IMPORT_APPLY)}</button>
            </div>
            if let Some(d) = &o.done { <p id="imp-done" class="ed-status ok" role="status">{d.clone()}</p> }
            if let Some(e) = &o.error { <p id="imp-error" class="ed-status error" role="alert">{e.clone()}</p> }
            if !o.skipped.is_empty() {
                <p class="ed-status">{l.f(i18n::IMPORT_SKIPPED, &[&o.skipped.len().to_string()])}</p>
                <ul id="imp-skipped" class="imp-skipped">{ for o.skipped.iter().map(|s| html! { <li><code>{s.clone()}</code></li> }) }</ul>
            }
            </div>
        </details>
    }
}

fn summary(l: Lang, imp: &Imported, node: &str) -> String {
    let format = l.f(i18n::IMPORT_FORMAT, &[&imp.format.to_string()]);
    let what = match (
        imp.format.has_settings(),
        imp.replicaof.as_ref().and_then(|r| r.to.as_ref()),
    ) {
        (false, Some((h, p))) => l.f(i18n::IMPORT_REPLICAOF_ONLY, &[node, &format!("{h}:{p}")]),
        _ => l.f(i18n::IMPORT_DONE, &[&imp.settings.len().to_string(), node]),
    };
    format!("{format} {what}")
}

fn skipped(l: Lang, imp: &Imported) -> Vec<String> {
    imp.skipped
        .iter()
        .map(|s| {
            l.f(
                i18n::SKIPPED_LINE,
                &[&s.line.to_string(), &s.directive, &reason(l, &s.reason)],
            )
        })
        .collect()
}

fn reason(l: Lang, r: &Reason) -> String {
    match r {
        Reason::NotModelled => l.t(i18n::WHY_NOT_MODELLED).into(),
        Reason::State => l.t(i18n::WHY_STATE).into(),
        Reason::Cluster => l.t(i18n::WHY_CLUSTER).into(),
        Reason::Address => l.t(i18n::WHY_ADDRESS).into(),
        Reason::Overridden { line } => l.f(i18n::WHY_OVERRIDDEN, &[&line.to_string()]),
        Reason::Alias { name } => l.f(i18n::WHY_ALIAS, &[name]),
        Reason::ExtraMonitor => l.t(i18n::WHY_EXTRA_MONITOR).into(),
        Reason::Invalid(e) => l.f(i18n::WHY_INVALID, &[e]),
        Reason::Unreadable(e) => l.f(i18n::WHY_UNREADABLE, &[e]),
        Reason::Unsupported => l.t(i18n::WHY_UNSUPPORTED).into(),
        Reason::NoValue => l.t(i18n::WHY_NO_VALUE).into(),
        Reason::Unexpected => l.t(i18n::WHY_UNEXPECTED).into(),
    }
}

fn import_error(l: Lang, e: &ImportError) -> String {
    match e {
        ImportError::TooLong { bytes } => l.f(
            i18n::IMPORT_TOO_LONG,
            &[&bytes.to_string(), &import::MAX_BYTES.to_string()],
        ),
        ImportError::TooManyLines { lines } => l.f(
            i18n::IMPORT_TOO_MANY_LINES,
            &[&lines.to_string(), &import::MAX_LINES.to_string()],
        ),
        ImportError::Empty => l.t(i18n::IMPORT_EMPTY).into(),
    }
}

fn kind(k: &Kind) -> &'static str {
    match k {
        Kind::Redis => "redis",
        Kind::Sentinel => "sentinel",
        Kind::Client => "client",
    }
}

fn apply_error(l: Lang, e: &ApplyError) -> String {
    match e {
        ApplyError::Load(e) => l.f(i18n::IMPORT_FIX_FIRST, &[&e.to_string()]),
        ApplyError::NoSuchNode(n) => l.f(i18n::IMPORT_NO_NODE, &[n]),
        ApplyError::WrongKind {
            node,
            kind: k,
            imported,
        } => l.f(i18n::IMPORT_WRONG_KIND, &[node, kind(k), kind(imported)]),
        ApplyError::NoNodeAt { host, port } => {
            l.f(i18n::IMPORT_NO_NODE_AT, &[host, &port.to_string()])
        }
        ApplyError::Layout { key } => l.f(i18n::IMPORT_LAYOUT, &[key]),
        ApplyError::Reload(e) => l.f(i18n::IMPORT_RELOAD, &[&e.to_string()]),
    }
}
