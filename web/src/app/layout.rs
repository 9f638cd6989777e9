//! What the lab view computes from the session and the window: the
//! transport's ticks and the panels' sizes.

use replilab_core::trace::TraceKind;

use crate::components::fmt_time;
use crate::components::fold::{Folds, Pane};
use crate::components::transport::Tick as ScrubTick;
use crate::dom;
use crate::lab::landmark;
use replilab_core::timeline::Session;

pub struct Scrub {
    pub now_ms: u64,
    pub end_ms: u64,
    pub ticks: Vec<ScrubTick>,
    pub node_names: Vec<String>,
}

/// The playhead, the end of the scrub bar, its ticks (landmarks, future
/// actions, step stops) and the node names.
pub fn scrub(s: &Session) -> Scrub {
    {
        let now = s.now_ms();
        let end = s
            .end_ms()
            .unwrap_or_else(|| (s.frontier_ms() + 30_000).div_ceil(30_000) * 30_000);
        let mut ticks: Vec<ScrubTick> = (s.sim.run_record().marks().iter())
            .map(|m| &m.ev)
            .filter(|e| landmark(e))
            .take(2000)
            .map(|e| ScrubTick {
                at_ms: e.t_ms,
                class: match &e.kind {
                    TraceKind::Fault { .. } => "fault",
                    TraceKind::Role { .. } => "role",
                    TraceKind::Sync { .. } => "sync",
                    _ => "sentinel",
                },
                title: e.line(&|id| s.sim.name(id)),
            })
            .collect();
        // The lesson's own timeline and the learner's future actions.
        ticks.extend(
            s.schedule[s.applied.min(s.schedule.len())..]
                .iter()
                .map(|e| ScrubTick {
                    at_ms: e.at_ms,
                    class: "future",
                    title: fmt_time(e.at_ms),
                }),
        );
        ticks.extend(s.stops().into_iter().map(|t| ScrubTick {
            at_ms: t,
            class: "stop",
            title: fmt_time(t),
        }));
        let names: Vec<String> = s.sim.nodes().iter().map(|n| n.name.clone()).collect();
        Scrub {
            now_ms: now,
            end_ms: end,
            ticks,
            node_names: names,
        }
    }
}

/// The diagram's width in px and the topology map's aspect ratio, with
/// `folds` as style.css lays them out (a folded side column is a 40 px strip;
/// a folded row, its head line).
pub fn panel_size(embed: bool, folds: Folds) -> (f64, f64) {
    // The diagram's panel width: the centre column (lab) or the whole page (embed).
    let page_w = dom::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0);
    let (mut share, mut fixed) = (0.48, 20.0);
    for (pane, column) in [(Pane::Narrative, 0.25), (Pane::Inspector, 0.27)] {
        if folds.has(pane) {
            (share, fixed) = (share + column, fixed + 48.0);
        }
    }
    let width_px = if embed {
        page_w - 20.0
    } else {
        page_w * share - fixed
    };
    // The map panel's height, as the CSS grid gives it (header, transport, bottom panel).
    let page_h = dom::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(720.0);
    let grid_h = if folds.has(Pane::Console) && folds.has(Pane::Records) {
        page_h - 172.0
    } else {
        page_h * 0.75 - 120.0
    };
    let map_h = match (embed, folds.has(Pane::Diagram)) {
        (true, _) => (page_h - 110.0) * 0.45 - 40.0,
        (false, false) => grid_h * 0.425 - 40.0,
        (false, true) => grid_h - 92.0,
    };
    (width_px, width_px / map_h.max(80.0))
}
