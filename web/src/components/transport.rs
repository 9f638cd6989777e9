//! Play/pause, step by event, speed (log scale), the clock and the scrubber.
//! The scrubber shows faults, role changes and syncs as ticks; dragging it
//! seeks through snapshots and replay.

use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang, T};
use crate::lab::{Jump, JUMPS};

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at_ms: u64,
    pub class: &'static str,
    pub title: String,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub now_ms: u64,
    /// The end of the scrubber (the lesson's end, or a bit past now).
    pub end_ms: u64,
    pub playing: bool,
    pub speed: f64,
    pub ticks: Vec<Tick>,
    pub on_toggle: Callback<()>,
    pub on_speed: Callback<f64>,
    pub on_step: Callback<i32>,
    pub on_seek: Callback<u64>,
    pub jump: Jump,
    pub on_jump: Callback<Jump>,
}

const JUMP: T = T {
    en: "Shift+←/→",
    zh: "Shift+←/→",
};
const JUMP_HELP: T = T {
    en: "Shift+← and Shift+→ jump to the previous or next event of this kind",
    zh: "Shift+← 和 Shift+→ 跳到上一个或下一个此类事件",
};

pub const SPEEDS: &[(f64, &str)] = &[
    (0.01, "1/100×"),
    (0.03, "1/30×"),
    (0.1, "1/10×"),
    (0.3, "1/3×"),
    (1.0, "1×"),
    (3.0, "3×"),
    (10.0, "10×"),
    (30.0, "30×"),
    (100.0, "100×"),
];

pub fn icon(path: &'static str) -> Html {
    html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d={path} fill="currentColor"/></svg> }
}
pub const I_PLAY: &str = "M4 2.5v11l9-5.5z";
pub const I_PAUSE: &str = "M4 2.5h3v11H4zM9 2.5h3v11H9z";
const I_START: &str = "M3 2.5h2v11H3zM13 2.5v11L6 8z";
const I_BACK: &str = "M12 2.5v11L5 8zM3 2.5h2v11H3z";
const I_FWD: &str = "M4 2.5v11L11 8zM11 2.5h2v11h-2z";

#[function_component(Transport)]
pub fn transport(p: &Props) -> Html {
    let l = p.lang;
    let toggle = {
        let cb = p.on_toggle.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let step = |d: i32| {
        let cb = p.on_step.clone();
        Callback::from(move |_: MouseEvent| cb.emit(d))
    };
    let to_start = {
        let cb = p.on_seek.clone();
        Callback::from(move |_: MouseEvent| cb.emit(0))
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
    let on_scrub = {
        let cb = p.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            let ms = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value_as_number();
            if ms.is_finite() && ms >= 0.0 {
                cb.emit(ms as u64);
            }
        })
    };
    let on_jump = {
        let cb = p.on_jump.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(j) = Jump::from_code(&v) {
                cb.emit(j);
            }
        })
    };
    let end = p.end_ms.max(1);
    let pct = |t: u64| (t.min(end) as f64 / end as f64) * 100.0;
    html! {
        <section class="transport" aria-label={l.t(i18n::PLAYBACK)}>
            <div class="buttons">
                <button id="to-start" class="btn icon-only" title={l.t(i18n::TO_START)} aria-label={l.t(i18n::TO_START)} onclick={to_start}>{icon(I_START)}</button>
                <button id="step-back" class="btn icon-only" title={format!("{} (←)", l.t(i18n::STEP_BACK))} aria-label={l.t(i18n::STEP_BACK)} onclick={step(-1)}>{icon(I_BACK)}</button>
                <button id="play" class="btn primary" aria-pressed={p.playing.to_string()} onclick={toggle} title="Space">
                    { if p.playing { icon(I_PAUSE) } else { icon(I_PLAY) } }
                    <span>{ if p.playing { l.t(i18n::PAUSE) } else { l.t(i18n::PLAY) } }</span>
                </button>
                <button id="step-fwd" class="btn icon-only" title={format!("{} (→)", l.t(i18n::STEP_FWD))} aria-label={l.t(i18n::STEP_FWD)} onclick={step(1)}>{icon(I_FWD)}</button>
            </div>
            <label class="speed jump" title={l.t(JUMP_HELP)}><span>{l.t(JUMP)}</span>
                <select id="jump-kind" onchange={on_jump}>
                    { for JUMPS.iter().map(|j| html! { <option value={j.code()} selected={*j == p.jump}>{l.t(j.label())}</option> }) }
                </select>
            </label>
            <label class="speed"><span>{l.t(i18n::SPEED)}</span>
                <select id="speed" onchange={on_change}>
                    { for SPEEDS.iter().map(|(v, label)| html! {
                        <option value={v.to_string()} selected={(*v - p.speed).abs() < 1e-9}>{*label}</option>
                    }) }
                </select>
            </label>
            <span class="clock"><output id="sim-time" data-ms={p.now_ms.to_string()} aria-label={l.t(i18n::TIME)}>{fmt_time(p.now_ms)}</output></span>
            <div class="scrubber">
                <div class="ticks" aria-hidden="true">
                    { for p.ticks.iter().map(|t| html! {
                        <span class={classes!("tick", t.class)} style={format!("left:{:.3}%", pct(t.at_ms))} title={t.title.clone()}></span>
                    }) }
                </div>
                <input id="scrubber" type="range" min="0" max={end.to_string()} step="1" value={p.now_ms.min(end).to_string()}
                    aria-label={l.t(i18n::SCRUBBER)} aria-valuetext={fmt_time(p.now_ms)} oninput={on_scrub} />
            </div>
            <span class="end muted">{fmt_time(end)}</span>
        </section>
    }
}
