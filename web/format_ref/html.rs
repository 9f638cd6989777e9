//! The reference as one standalone page, `format.html`: both languages in
//! the markup (the one not chosen is hidden), CSS and script inline, no
//! request but the page itself, relative links only. Every text from the
//! sources is escaped; a `code` span in a doc becomes `<code>`.

use std::fmt::Write as _;

use super::extract::{Default, Entry, Table, Ty};
use super::Reference;

/// The page's own script: the language (`?lang=`, `#lang=`, the lab's remembered
/// choice, the browser's), the theme the lab remembers, and the language switch.
const SCRIPT: &str = r#"(function () {
  var root = document.documentElement;
  function stored(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function pick() {
    var q = null;
    try { q = new URLSearchParams(location.search).get('lang'); } catch (e) {}
    var h = /(?:^#|&)lang=([^&]*)/.exec(location.hash);
    var tries = [q, h && h[1], stored('replilab.lang'), navigator.language];
    for (var i = 0; i < tries.length; i++) {
      var s = (tries[i] || '').toLowerCase();
      if (s.indexOf('zh') === 0) return 'zh-CN';
      if (s.indexOf('en') === 0) return 'en';
    }
    return 'en';
  }
  function set(lang) {
    root.lang = lang;
    var code = lang === 'zh-CN' ? 'zh' : 'en';
    document.title = root.getAttribute('data-title-' + code);
    var bs = document.querySelectorAll('[data-lang]');
    for (var i = 0; i < bs.length; i++) bs[i].setAttribute('aria-pressed', String(bs[i].getAttribute('data-lang') === code));
    var lab = document.getElementById('lab');
    if (lab) lab.setAttribute('href', './#lang=' + code);
  }
  var theme = stored('replilab.theme');
  if (theme === 'dark' || theme === 'light') root.setAttribute('data-theme', theme);
  set(pick());
  addEventListener('DOMContentLoaded', function () { set(root.lang); });
  addEventListener('hashchange', function () { if (/(?:^#|&)lang=/.test(location.hash)) set(pick()); });
  addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-lang]');
    if (!b) return;
    var code = b.getAttribute('data-lang');
    set(code === 'zh' ? 'zh-CN' : 'en');
    var hash = /(?:^#|&)lang=/.test(location.hash) ? '' : location.hash;
    try { history.replaceState(null, '', '?lang=' + code + hash); } catch (err) {}
  });
})();"#;

/// The few rules of `static/style.css` the page needs, and its own.
const STYLE: &str = r#":root{--bg:#f4f5f7;--panel:#fff;--panel-2:#f8f9fb;--ink:#1b1f24;--muted:#5b6470;--line:#d9dde3;--accent:#0072b2;--accent-ink:#fff;--focus:#cc79a7;--mono:ui-monospace,"SFMono-Regular","JetBrains Mono",Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;--sans:system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color-scheme:light}
:root[data-theme=dark]{--bg:#0f1216;--panel:#171b21;--panel-2:#1d222a;--ink:#e6e9ee;--muted:#9aa4b1;--line:#2c333c;--accent:#56b4e9;--accent-ink:#0b1520;color-scheme:dark}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0f1216;--panel:#171b21;--panel-2:#1d222a;--ink:#e6e9ee;--muted:#9aa4b1;--line:#2c333c;--accent:#56b4e9;--accent-ink:#0b1520;color-scheme:dark}}
*{box-sizing:border-box}html,body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 var(--sans)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
html[lang=en] .zh,html[lang=zh-CN] .en{display:none}
code,pre{font-family:var(--mono)}code{font-size:13px;background:var(--panel-2);border:1px solid var(--line);border-radius:4px;padding:0 3px}
pre{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px;overflow:auto}pre code{border:0;padding:0;background:none}
a{color:var(--accent)}
.topbar{display:flex;align-items:center;gap:14px;padding:6px 14px;background:var(--panel);border-bottom:1px solid var(--line);min-height:46px;position:sticky;top:0;z-index:2}
.brand{font-weight:700;font-size:17px;color:var(--ink);text-decoration:none}.topbar h1{font-size:15px;font-weight:600;margin:0}
.segmented{margin-left:auto;display:inline-flex;border:1px solid var(--line);border-radius:6px;overflow:hidden}
.seg{font:inherit;border:0;background:var(--panel);color:var(--ink);padding:4px 10px;cursor:pointer}.seg[aria-pressed=true]{background:var(--accent);color:var(--accent-ink)}
main{max-width:1100px;margin:0 auto;padding:18px 20px 48px}main p{max-width:90ch}
h2{font-size:18px;margin:28px 0 6px}section,tr,li{scroll-margin-top:56px}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
table{border-collapse:collapse;width:100%;background:var(--panel);border:1px solid var(--line);border-radius:8px}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-top:1px solid var(--line)}th{font-size:12px;color:var(--muted);font-weight:600}
td p{margin:0 0 4px}td:first-child{white-space:nowrap}
tr:target,li:target,section:target>h2{background:color-mix(in srgb,var(--accent) 16%,var(--panel))}
.values{margin:4px 0 0;padding-left:18px}.muted{color:var(--muted)}"#;

fn esc(s: &str) -> String {
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

/// A doc text as HTML: escaped, `code` spans as `<code>`, a line break a new paragraph.
fn prose(s: &str) -> String {
    s.split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut out = String::from("<p>");
            for (i, part) in p.split('`').enumerate() {
                if i % 2 == 1 {
                    let _ = write!(out, "<code>{}</code>", esc(part));
                } else {
                    out.push_str(&esc(part));
                }
            }
            out.push_str("</p>");
            out
        })
        .collect()
}

/// Both languages, the one not chosen hidden by the stylesheet (already HTML).
fn bi(en: &str, zh: &str) -> String {
    format!(
        "<span class=\"en\" lang=\"en\">{en}</span><span class=\"zh\" lang=\"zh-CN\">{zh}</span>"
    )
}

/// A doc and its Chinese text (English in its place when missing: the test fails then).
fn both_prose(en: &str, zh: Option<&str>) -> String {
    format!(
        "<div class=\"en\" lang=\"en\">{}</div><div class=\"zh\" lang=\"zh-CN\">{}</div>",
        prose(en),
        prose(zh.unwrap_or(en))
    )
}

fn ty_name(t: &Ty) -> (String, String) {
    let s = |en: &str, zh: &str| (en.to_string(), zh.to_string());
    match t {
        Ty::Str => s("string", "字符串"),
        Ty::Int => s("integer", "整数"),
        Ty::Num => s("number", "数值"),
        Ty::Bool => s("boolean", "布尔值"),
        Ty::Text { or_string: false } => s("en/zh text", "中英文本"),
        Ty::Text { or_string: true } => s("en/zh text, or one string", "中英文本，或一个字符串"),
        Ty::Table => s("table", "表"),
        Ty::Tables => s("array of tables", "表数组"),
        Ty::List(inner) => {
            let (en, zh) = ty_name(inner);
            (format!("array of {en}"), format!("{zh}数组"))
        }
        Ty::Tuple(parts) => {
            let (en, zh): (Vec<_>, Vec<_>) = parts.iter().map(ty_name).unzip();
            (
                format!("[{}]", en.join(", ")),
                format!("[{}]", zh.join(", ")),
            )
        }
        Ty::StrMap => s("table of strings", "字符串表"),
        Ty::IntOrStr => s("integer or string", "整数或字符串"),
        Ty::Action => s("action (string)", "动作（字符串）"),
        Ty::OneOf => s("string, one of the values below", "字符串，取下列值之一"),
    }
}

fn default_html(d: &Default) -> String {
    match d {
        Default::Required => bi("<strong>required</strong>", "<strong>必填</strong>"),
        Default::Optional => bi("optional", "可选"),
        Default::Empty => bi("empty", "空"),
        Default::Fields => bi("each field’s default", "各字段取默认值"),
        Default::Value(v) => format!("<code>{}</code>", esc(v)),
    }
}

/// A table's header as written in a file: `[network]`, `[[node]]`.
fn header(t: &Table) -> String {
    if t.path == "top" {
        return bi("Top level", "顶层");
    }
    let (o, c) = if t.array { ("[[", "]]") } else { ("[", "]") };
    format!("<code>{o}{}{c}</code>", esc(&t.path))
}

fn row(out: &mut String, e: &Entry) {
    let (en, zh) = ty_name(&e.ty);
    let ty = if e.table {
        format!(
            "<a href=\"#{}\">{}</a>",
            esc(&e.path),
            bi(&esc(&en), &esc(&zh))
        )
    } else {
        bi(&esc(&en), &esc(&zh))
    };
    let id = if e.table {
        String::new()
    } else {
        format!(" id=\"{}\"", esc(&e.path))
    };
    let _ = write!(
        out,
        "<tr{id}><td><a href=\"#{}\"><code>{}</code></a></td><td>{ty}</td><td>{}</td><td>",
        esc(&e.path),
        esc(&e.name),
        default_html(&e.default)
    );
    if !e.only.is_empty() {
        let list = e
            .only
            .iter()
            .map(|k| format!("<code>{}</code>", esc(k)))
            .collect::<Vec<_>>();
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            bi(
                &format!("with kind = {}", list.join(", ")),
                &format!("kind 为 {} 时", list.join("、"))
            )
        );
    }
    out.push_str(&both_prose(&e.doc, e.zh.as_deref()));
    if !e.values.is_empty() {
        out.push_str("<ul class=\"values\">");
        for v in &e.values {
            let _ = write!(
                out,
                "<li id=\"{}\"><code>\"{}\"</code>{}</li>",
                esc(&v.path),
                esc(&v.name),
                both_prose(&v.doc, v.zh.as_deref())
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</td></tr>");
}

/// `format.html`: the reference and the worked example, in both languages.
pub fn page(r: &Reference, example: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" data-title-en=\"The replilab/1 format — replilab\" data-title-zh=\"replilab/1 格式参考 — replilab\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>The replilab/1 format — replilab</title>\n<link rel=\"icon\" href=\"data:,\">\n<script>{SCRIPT}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = write!(
        out,
        "<header class=\"topbar\"><a class=\"brand\" id=\"lab\" href=\"./\">replilab</a><h1>{}</h1><div class=\"segmented\" role=\"group\" aria-label=\"Language / 语言\"><button type=\"button\" class=\"seg\" data-lang=\"en\" lang=\"en\">English</button><button type=\"button\" class=\"seg\" data-lang=\"zh\" lang=\"zh-CN\">中文</button></div></header>\n<main>\n",
        bi("The <code>replilab/1</code> format", "<code>replilab/1</code> 格式参考")
    );
    out.push_str(&both_prose(
        "Every table and field of a scenario file (a lesson, the sandbox, a saved session), generated from the format's source, `core/src/scenario/format.rs`. A file is TOML. `[x]` opens table x; `[[x]]` adds one more entry to the array of tables x, and `[x.y]` after it belongs to that entry. A table can also be written inline: `monitor = { master = \"m\", quorum = 2 }`. A text in both languages is `title = { en = \"…\", zh = \"…\" }`. Times and sizes carry their unit in the name: `_ms`, `_s`, `_mbit`.",
        Some("场景文件（课程、沙盒、保存的会话）的全部表和字段，由格式的源码 `core/src/scenario/format.rs` 生成。文件是 TOML：`[x]` 开始表 x；`[[x]]` 在表数组 x 中添加一项，其后的 `[x.y]` 属于这一项。表也可以写成内联表：`monitor = { master = \"m\", quorum = 2 }`。中英两种语言的文本写作 `title = { en = \"…\", zh = \"…\" }`。时间和大小的单位写在字段名末尾：`_ms`、`_s`、`_mbit`。"),
    ));
    out.push_str("<nav aria-labelledby=\"toc\"><h2 id=\"toc\">");
    out.push_str(&bi("Tables", "表"));
    out.push_str("</h2><ul><li><a href=\"#example\">");
    out.push_str(&bi("A worked example", "示例"));
    out.push_str("</a></li>");
    for t in &r.tables {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            esc(&t.path),
            header(t)
        );
    }
    out.push_str("</ul></nav>\n<section id=\"example\"><h2>");
    out.push_str(&bi("A worked example", "示例"));
    out.push_str("</h2>");
    out.push_str(&both_prose(
        "A write on the master, read back from a replica 200 ms away before it arrived: the read returns nil.",
        Some("主库上的一次写入还没传到 200 ms 之外的从库，就从这个从库读：读到 nil。"),
    ));
    let _ = writeln!(
        out,
        "<pre tabindex=\"0\"><code>{}</code></pre></section>",
        esc(example.trim_end())
    );
    for t in &r.tables {
        let _ = write!(
            out,
            "<section id=\"{}\"><h2>{}</h2>",
            esc(&t.path),
            header(t)
        );
        out.push_str(&both_prose(&t.doc, t.zh.as_deref()));
        if let Some(home) = &t.same_as {
            let target = r.table(home).map(header).unwrap_or_default();
            let link = format!("<a href=\"#{}\">{target}</a>", esc(home));
            let _ = write!(
                out,
                "<p>{}</p>",
                bi(
                    &format!("Same fields as {link}."),
                    &format!("字段同 {link}。")
                )
            );
            out.push_str("</section>\n");
            continue;
        }
        let _ = write!(
            out,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            bi("Field", "字段"),
            bi("Type", "类型"),
            bi("Default", "默认值"),
            bi("What", "说明")
        );
        for e in &t.fields {
            row(&mut out, e);
        }
        out.push_str("</tbody></table></section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
