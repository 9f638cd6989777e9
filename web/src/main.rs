//! Starts replilab's page (the app lives in the library, `lib.rs`).

fn main() {
    yew::Renderer::<replilab_web::app::App>::new().render();
}
