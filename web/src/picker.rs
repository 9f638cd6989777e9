//! The landing page's markup as HTML text, in one place for both pages:
//!  - `build.rs` includes this file to render, from `static/lessons/*.toml`,
//!    the lesson picker of each language once, at build time. The static
//!    page (`dist/index.html`, see `boot`) shows it before any wasm has
//!    loaded, and the Yew landing (`components/landing.rs`) mounts the very
//!    same string (`lessons::LANDING_HTML`), so the app's first render
//!    replaces the static markup without a visible jump;
//!  - the wasm uses `brand` and `loading` (the header's brand link and the
//!    "Loading…" view), which the static page shows too.
//!
//! Plain strings only (no Yew, no DOM): it compiles into the build script.
//! Every text is HTML-escaped.

use crate::i18n::{self, Lang};

/// The id under which the sandbox is opened (`#lesson=sandbox`).
pub use replilab_core::scenario::sandbox::SANDBOX_ID;

/// A lesson file as the picker shows it.
pub enum Entry<'a> {
    Lesson(Card<'a>),
    /// A file that did not load: its name and error.
    Broken {
        file: &'a str,
        error: &'a str,
    },
}

/// What a lesson's card shows; (English, 简体中文) pairs.
pub struct Card<'a> {
    pub id: &'a str,
    pub title: (&'a str, &'a str),
    pub summary: (&'a str, &'a str),
    pub source: (&'a str, &'a str),
    pub minutes: u32,
}

/// `s` with `& < > " '` escaped: safe as element text and as a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The header's brand: the logo and name, a link to the landing page.
pub fn brand(l: Lang) -> String {
    format!(
        concat!(
            r##"<a class="brand" href="#" aria-label="{}">"##,
            r#"<svg class="logo" viewBox="0 0 24 24" aria-hidden="true"><rect x="2" y="2" width="9" height="9" rx="2.5" class="logo-m"/>"#,
            r#"<rect x="13.5" y="13.5" width="8" height="8" rx="1" class="logo-r"/><path d="M9 9 L14 14" class="logo-l"/></svg>"#,
            "<span>replilab</span></a>"
        ),
        escape(l.t(i18n::ALL_LESSONS))
    )
}

/// The view shown while a lesson's JSON loads.
pub fn loading(l: Lang) -> String {
    format!(
        r#"<main class="landing loading"><p class="lede" aria-busy="true">{}</p></main>"#,
        escape(l.t(i18n::LOADING_LESSON))
    )
}

/// The landing view: a card per lesson file (a link `#lesson=<id>`, so a
/// click works before any script has run), the sandbox last.
pub fn landing(l: Lang, entries: &[Entry]) -> String {
    let mut h = format!(
        "<main class=\"landing\"><p class=\"lede\">{}</p><h2>{}</h2><ul class=\"cards\">\n",
        escape(l.t(i18n::LANDING_LEDE)),
        escape(l.t(i18n::LESSONS))
    );
    let start = format!(r#"<span class="go">{} →</span>"#, escape(l.t(i18n::START)));
    for (i, e) in entries.iter().enumerate() {
        match e {
            Entry::Lesson(c) => {
                let mut meta = String::new();
                let source = l.pair(c.source);
                if !source.is_empty() {
                    meta += &format!("<span>{}</span>", escape(source));
                }
                if c.minutes > 0 {
                    meta += &format!(
                        "<span>{}</span>",
                        escape(&l.f(i18n::MINUTES, &[&c.minutes.to_string()]))
                    );
                }
                h += &card(
                    "lesson-card",
                    c.id,
                    &format!("{:02}", i + 1),
                    l.pair(c.title),
                    l.pair(c.summary),
                    &(meta + &start),
                );
            }
            Entry::Broken { file, error } => {
                h += &format!(
                    "<li><div class=\"lesson-card broken\"><h3>{}</h3><p>{}</p></div></li>\n",
                    escape(file),
                    escape(&l.f(i18n::BROKEN_LESSON, &[*error]))
                );
            }
        }
    }
    h += &card(
        "lesson-card sandbox",
        SANDBOX_ID,
        "∞",
        l.t(i18n::SANDBOX),
        l.t(i18n::SANDBOX_SUMMARY),
        &format!("<span>{}</span>{start}", escape(l.t(i18n::SANDBOX_SOURCE))),
    );
    h + "</ul></main>"
}

/// One card; `meta_html` is markup already.
fn card(class: &str, id: &str, num: &str, title: &str, summary: &str, meta_html: &str) -> String {
    let id = escape(id);
    format!(
        "<li><a class=\"{class}\" href=\"#lesson={id}\" data-lesson=\"{id}\"><span class=\"num\">{num}</span><h3>{}</h3><p>{}</p><p class=\"meta\">{meta_html}</p></a></li>\n",
        escape(title),
        escape(summary),
    )
}

/// The static page's body, before the wasm app replaces it: for each
/// language, what the app's landing view shows (header without its tools,
/// the picker, and the "Loading…" view), as `<div class="app landing-app
/// boot" lang=…>`. `static/style.css` shows one language and one of the two
/// views, as `web/boot.js` chose (`<html lang>`, `html.boot-lesson`).
pub fn boot(entries: &[Entry]) -> String {
    [Lang::En, Lang::Zh]
        .iter()
        .map(|&l| {
            format!(
                "<div class=\"app landing-app boot\" lang=\"{}\">\n<header class=\"topbar\">{}<h1 class=\"tag\">{}</h1></header>\n{}\n{}\n</div>\n",
                l.html_lang(),
                brand(l),
                escape(l.t(i18n::BRAND_TAG)),
                landing(l, entries),
                loading(l)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let entries = [
            Entry::Lesson(Card {
                id: "a\"b",
                title: ("<b>T</b>", ""),
                summary: ("S & more", "摘要"),
                source: ("seed <1>", ""),
                minutes: 5,
            }),
            Entry::Broken {
                file: "x<.toml",
                error: "bad <key>",
            },
        ];
        let en = landing(Lang::En, &entries);
        assert!(
            en.contains(r##"href="#lesson=a&quot;b" data-lesson="a&quot;b""##),
            "{en}"
        );
        assert!(
            en.contains("<h3>&lt;b&gt;T&lt;/b&gt;</h3><p>S &amp; more</p>"),
            "{en}"
        );
        assert!(
            en.contains("<span>seed &lt;1&gt;</span><span>about 5 min</span>"),
            "{en}"
        );
        assert!(
            en.contains("<h3>x&lt;.toml</h3><p>This lesson file has an error: bad &lt;key&gt;</p>"),
            "{en}"
        );
        assert!(!en.contains("<b>") && !en.contains("<key>"));
        // An empty translation falls back to the other language.
        let zh = landing(Lang::Zh, &entries);
        assert!(
            zh.contains("<h3>&lt;b&gt;T&lt;/b&gt;</h3><p>摘要</p>"),
            "{zh}"
        );
        assert!(zh.contains(r#"data-lesson="sandbox""#) && zh.contains("约 5 分钟"));
    }

    #[test]
    fn the_static_page_holds_both_languages_and_both_views() {
        let page = boot(&[]);
        for (lang, lede, loading) in [
            ("en", i18n::LANDING_LEDE.en, i18n::LOADING_LESSON.en),
            ("zh-CN", i18n::LANDING_LEDE.zh, i18n::LOADING_LESSON.zh),
        ] {
            let at = page.find(&format!("boot\" lang=\"{lang}\"")).expect(lang);
            let block = &page[at..];
            assert!(block.contains(lede) && block.contains(loading), "{lang}");
        }
        assert_eq!(page.matches("class=\"topbar\"").count(), 2);
    }
}
