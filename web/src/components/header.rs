//! The header: lesson title, 中文/EN, theme, compare, share link, export,
//! shortcuts.

use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::picker;
use crate::state::Theme;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub theme: Theme,
    pub title: Option<String>,
    pub in_lab: bool,
    pub on_lang: Callback<Lang>,
    pub on_theme: Callback<()>,
    pub on_share: Callback<()>,
    pub on_help: Callback<()>,
    pub on_export: Callback<&'static str>,
    #[prop_or_default]
    pub on_edit: Callback<()>,
    pub shared: bool,
    /// A comparison is open, and whether it is shown.
    #[prop_or_default]
    pub comparing: bool,
    #[prop_or_default]
    pub compare_shown: bool,
    #[prop_or_default]
    pub on_compare: Callback<()>,
}

#[function_component(Header)]
pub fn header(p: &Props) -> Html {
    let l = p.lang;
    let lang_btn = |to: Lang, label: &'static str| {
        let cb = p.on_lang.clone();
        html! {
            <button class={classes!("seg", (l == to).then_some("on"))} aria-pressed={(l == to).to_string()} lang={to.html_lang()}
                data-lang={to.code()} onclick={Callback::from(move |_| cb.emit(to))}>{label}</button>
        }
    };
    let theme = {
        let cb = p.on_theme.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let share = {
        let cb = p.on_share.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let compare = {
        let cb = p.on_compare.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let help = {
        let cb = p.on_help.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let edit = {
        let cb = p.on_edit.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let export = |what: &'static str| {
        let cb = p.on_export.clone();
        Callback::from(move |e: MouseEvent| {
            // Close the menu once a choice is made.
            if let Ok(Some(d)) = e
                .target_unchecked_into::<web_sys::Element>()
                .closest("details")
            {
                let _ = d.remove_attribute("open");
            }
            cb.emit(what)
        })
    };
    let theme_label = match p.theme {
        Theme::Light => l.t(i18n::THEME_DARK),
        Theme::Dark => l.t(i18n::THEME_LIGHT),
    };
    html! {
        <header class="topbar">
            // The brand link, as the static page (dist/index.html) shows it too.
            {Html::from_html_unchecked(picker::brand(l).into())}
            if let Some(t) = &p.title { <h1 class="lesson-title">{t.clone()}</h1> } else { <h1 class="tag">{l.t(i18n::BRAND_TAG)}</h1> }
            <div class="header-tools">
                if p.in_lab {
                    <details class="export">
                        <summary class="btn">{l.t(i18n::EXPORT)}</summary>
                        <div class="export-menu">
                            <button id="export-trace" onclick={export("trace")}>{l.t(i18n::EXPORT_TRACE)}</button>
                            <button id="export-svg" onclick={export("svg")}>{l.t(i18n::EXPORT_SVG)}</button>
                            <button id="export-conf" onclick={export("conf")}>{l.t(i18n::EXPORT_CONF)}</button>
                        </div>
                    </details>
                    <button id="compare-toggle" class={classes!("btn", p.comparing.then_some("on"))} aria-pressed={p.compare_shown.to_string()}
                        aria-controls={p.compare_shown.then_some("compare")} title={(!p.comparing).then(|| l.t(i18n::COMPARE_HINT))} onclick={compare}>
                        { if p.comparing { l.t(i18n::COMPARE_AB) } else { l.t(i18n::COMPARE) } }</button>
                    <button id="share" class="btn" onclick={share}>{ if p.shared { l.t(i18n::SHARE_DONE) } else { l.t(i18n::SHARE) } }</button>
                    <button id="edit" class="btn" title={l.t(i18n::EDIT_TITLE)} onclick={edit}>{l.t(i18n::EDIT)}</button>
                } else {
                    <a id="write-own" class="btn" href="#edit">{l.t(i18n::WRITE_OWN)}</a>
                }
                <div class="segmented" role="group" aria-label={l.t(i18n::LANGUAGE)}>
                    {lang_btn(Lang::Zh, "中文")}
                    {lang_btn(Lang::En, "EN")}
                </div>
                <button id="theme" class="btn icon-only" aria-label={theme_label} title={theme_label} onclick={theme}>
                    { match p.theme {
                        Theme::Light => html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M6 1.5a6.5 6.5 0 1 0 8.5 8.5A5.5 5.5 0 0 1 6 1.5z" fill="currentColor"/></svg> },
                        Theme::Dark => html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="3.5" fill="currentColor"/><path d="M8 0.5v2M8 13.5v2M0.5 8h2M13.5 8h2M2.7 2.7l1.4 1.4M11.9 11.9l1.4 1.4M2.7 13.3l1.4-1.4M11.9 4.1l1.4-1.4" stroke="currentColor" stroke-width="1.4"/></svg> },
                    } }
                </button>
                <button id="help" class="btn icon-only" aria-label={l.t(i18n::SHORTCUTS)} title={format!("{} (?)", l.t(i18n::SHORTCUTS))} onclick={help}>{"?"}</button>
            </div>
        </header>
    }
}
