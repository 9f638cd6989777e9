//! Charts over the run so far: each server's replication offset, and client
//! writes per second (acknowledged / failed), from the run's record and histories.

use replilab_core::client::Outcome;
use replilab_core::node::NodeState;
use yew::prelude::*;

use super::fmt_time_short;
use crate::i18n::{self, Lang};
use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
}

const W: f64 = 560.0;
const H: f64 = 120.0;
const PAD: f64 = 34.0;
/// Okabe–Ito, in series order.
const COLORS: [&str; 7] = [
    "#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
];

#[function_component(Charts)]
pub fn charts(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let now = sim.now_ms().max(1000);
    // Offsets: the last Feed/Apply offset per node, sampled in 200 buckets.
    let buckets = 200u64;
    let bucket_ms = now.div_ceil(buckets).max(1);
    let mut series: Vec<(u16, Vec<(u64, u64)>)> = Vec::new();
    let mut max_off = 1u64;
    // The run's record samples them (`trace::Record`): the trace's start may be gone.
    for e in sim.run_record().offsets().iter() {
        let off = e.offset;
        max_off = max_off.max(off);
        let idx = match series.iter().position(|(n, _)| *n == e.node.0) {
            Some(i) => i,
            None => {
                series.push((e.node.0, Vec::new()));
                series.len() - 1
            }
        };
        let v = &mut series[idx].1;
        let b = e.t_ms / bucket_ms;
        match v.last_mut() {
            Some(last) if last.0 / bucket_ms == b => *last = (e.t_ms, off),
            _ => v.push((e.t_ms, off)),
        }
    }
    let x = |t: u64| PAD + t as f64 / now as f64 * (W - PAD - 6.0);
    let y = |o: u64| H - 16.0 - o as f64 / max_off as f64 * (H - 26.0);
    series.sort_unstable_by_key(|(n, _)| *n);
    let lines = series.iter().enumerate().map(|(i, (n, pts))| {
        let d: String = pts.iter().enumerate().map(|(k, (t, o))| format!("{}{:.1},{:.1}", if k == 0 { "M" } else { " L" }, x(*t), y(*o))).collect();
        let c = COLORS[i % COLORS.len()];
        let last = pts.last().copied().unwrap_or((0, 0));
        html! { <g><path d={d} fill="none" stroke={c} stroke-width="1.5" /><text x={format!("{:.1}", x(last.0).min(W - 30.0))} y={format!("{:.1}", y(last.1) - 3.0)} fill={c} class="series">{sim.name(replilab_core::net::NodeId(*n))}</text></g> }
    });
    // Writes per second from every client's history.
    // One bar per second, or per few seconds on long runs (at most ~300 bars).
    let per = (now / 1000 / 300 + 1).max(1);
    let secs = (now / 1000 / per + 1) as usize;
    let mut ok = vec![0u32; secs];
    let mut bad = vec![0u32; secs];
    for n in sim.nodes() {
        if let NodeState::Client(c) = &n.state {
            for op in c.history.iter().filter(|o| o.kind.is_write()) {
                let Some(done) = op.complete_ms else { continue };
                let s = (done / 1000 / per) as usize;
                if s < secs {
                    if matches!(op.outcome, Outcome::Ok(_)) {
                        ok[s] += 1
                    } else {
                        bad[s] += 1
                    }
                }
            }
        }
    }
    let peak = ok
        .iter()
        .zip(&bad)
        .map(|(a, b)| a + b)
        .max()
        .unwrap_or(0)
        .max(1);
    let bw = ((W - PAD - 6.0) / secs as f64).max(0.5);
    let bars = (0..secs).map(|s| {
        let bx = PAD + s as f64 * bw;
        let hs = |v: u32| v as f64 / peak as f64 * (H - 26.0);
        let (ho, hb) = (hs(ok[s]), hs(bad[s]));
        html! { <g>
            <rect x={format!("{bx:.1}")} y={format!("{:.1}", H - 16.0 - ho)} width={format!("{:.2}", (bw - 0.3).max(0.4))} height={format!("{ho:.1}")} class="bar ok" />
            <rect x={format!("{bx:.1}")} y={format!("{:.1}", H - 16.0 - ho - hb)} width={format!("{:.2}", (bw - 0.3).max(0.4))} height={format!("{hb:.1}")} class="bar bad" />
        </g> }
    });
    let axis = |id: &str| {
        html! {
            <g class="chart-axis" data-axis={id.to_string()}>
                <line x1={PAD.to_string()} x2={(W - 6.0).to_string()} y1={(H - 16.0).to_string()} y2={(H - 16.0).to_string()} />
                <text x={PAD.to_string()} y={(H - 4.0).to_string()}>{"0 s"}</text>
                <text x={(W - 6.0).to_string()} y={(H - 4.0).to_string()} text-anchor="end">{fmt_time_short(now / 1000 * 1000)}</text>
            </g>
        }
    };
    html! {
        <div class="charts" id="charts">
            <figure>
                <figcaption>{l.t(i18n::CHART_OFFSETS)}{format!(" · {} {max_off}", l.t(i18n::CHART_MAX))}</figcaption>
                <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={l.t(i18n::CHART_OFFSETS)}>{axis("offsets")}{ for lines }</svg>
            </figure>
            <figure>
                <figcaption>{l.t(i18n::CHART_WRITES)}{format!(" · {} {peak}/{per} s", l.t(i18n::CHART_PEAK))}</figcaption>
                <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={l.t(i18n::CHART_WRITES)}>{axis("writes")}{ for bars }</svg>
            </figure>
        </div>
    }
}
