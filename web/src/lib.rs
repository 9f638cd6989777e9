//! replilab in the browser: the Yew front end over `replilab-core`.
//! A library so that the component tests (`web/tests/`) can mount the real
//! components; `main.rs` only starts the app.

pub mod app;
pub mod components;
pub mod dom;
pub mod editor;
pub mod export;
pub mod fault_form;
pub mod faults;
pub mod i18n;
pub mod lab;
pub mod learner;
pub mod lessons;
pub mod permalink;
pub mod picker;
pub mod route;
pub mod state;
