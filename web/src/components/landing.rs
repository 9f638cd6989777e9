//! The landing view: a card per lesson (title, promise, seed case, time),
//! the sandbox last. Its HTML is rendered once, at build time, by `picker`
//! (`lessons::LANDING_HTML`): the same string the static page shows before
//! the wasm has loaded, so mounting the app changes nothing on screen.
//! Cards are links (`#lesson=<id>`): the hash change opens the lesson.

use yew::prelude::*;

use crate::i18n::Lang;
use crate::lessons::LANDING_HTML;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

#[function_component(Landing)]
pub fn landing(p: &Props) -> Html {
    let html = match p.lang {
        Lang::En => LANDING_HTML.0,
        Lang::Zh => LANDING_HTML.1,
    };
    Html::from_html_unchecked(AttrValue::Static(html))
}
