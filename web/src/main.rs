//! replilab in the browser: the Yew front end over `replilab-core`.

mod app;
mod components;
mod dom;
mod export;
mod faults;
mod i18n;
mod lab;
mod lessons;
mod permalink;
mod route;
mod session;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
