//! replilab in the browser: the Yew front end over `replilab-core`.

mod app;
mod components;
mod lab;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
