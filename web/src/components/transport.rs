//! Play/pause, speed and the simulated clock.

use yew::prelude::*;

use super::fmt_time;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub now_ms: u64,
    pub playing: bool,
    pub speed: f64,
    pub on_toggle: Callback<()>,
    pub on_speed: Callback<f64>,
}

const SPEEDS: &[(f64, &str)] = &[
    (0.01, "1/100×"),
    (0.1, "1/10×"),
    (0.25, "1/4×"),
    (1.0, "1×"),
    (4.0, "4×"),
    (10.0, "10×"),
    (100.0, "100×"),
];

/// Icons are inline SVG: symbol fonts are not on every machine.
fn icon_play() -> Html {
    html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" fill="currentColor"/></svg> }
}

fn icon_pause() -> Html {
    html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor"/></svg> }
}

#[function_component(Transport)]
pub fn transport(p: &Props) -> Html {
    let toggle = {
        let cb = p.on_toggle.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_change = {
        let cb = p.on_speed.clone();
        Callback::from(move |e: Event| {
            let v: String = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Ok(s) = v.parse::<f64>() {
                cb.emit(s);
            }
        })
    };
    html! {
        <section class="transport" aria-label="Playback">
            <button id="play" class="btn primary" aria-pressed={p.playing.to_string()} onclick={toggle}>
                { if p.playing { icon_pause() } else { icon_play() } }
                <span>{ if p.playing { "Pause" } else { "Play" } }</span>
            </button>
            <label class="speed">{"Speed "}
                <select id="speed" onchange={on_change}>
                    { for SPEEDS.iter().map(|(v, label)| html! {
                        <option value={v.to_string()} selected={(*v - p.speed).abs() < 1e-9}>{*label}</option>
                    }) }
                </select>
            </label>
            <span class="clock">{"t = "}<output id="sim-time" data-ms={p.now_ms.to_string()}>{fmt_time(p.now_ms)}</output></span>
        </section>
    }
}
