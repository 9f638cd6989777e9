//! UI state (never in the simulation): language, theme, play/pause, speed,
//! selection, panels, filters, predictions. A `Reducible` with an `Action`
//! enum, as in Yew's function_todomvc. The simulation itself lives in
//! `lab.rs` behind `Rc<RefCell<_>>`; `version` counts its changes so
//! components re-render only when it moved.

use std::rc::Rc;

use replilab_core::msg::MsgKind;
use replilab_core::net::NodeId;
use yew::Reducible;

use crate::components::diagram::spacing::Spacing;
use crate::components::fold::{Folds, Pane};
use crate::i18n::Lang;
use crate::lab::Jump;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Events,
    Ledger,
    Sentinels,
    Charts,
    Cluster,
}

/// Message kinds the diagram can show, in legend order.
pub const KINDS: [MsgKind; 10] = [
    MsgKind::Repl,
    MsgKind::Ack,
    MsgKind::Ping,
    MsgKind::Sentinel,
    MsgKind::Client,
    MsgKind::Reply,
    MsgKind::Handshake,
    MsgKind::Rdb,
    MsgKind::Keepalive,
    MsgKind::Bus,
];

pub fn kind_bit(k: MsgKind) -> u16 {
    1 << KINDS.iter().position(|x| *x == k).unwrap_or(0)
}

/// A right-click menu on a node, at page coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    pub node: NodeId,
    /// A menu on the link between `node` and `peer` (else on the node).
    pub peer: Option<NodeId>,
    pub x: i32,
    pub y: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    pub lang: Lang,
    pub theme: Theme,
    pub playing: bool,
    pub speed: f64,
    pub selected: NodeId,
    /// The node the console talks to.
    pub console_target: NodeId,
    pub tab: Tab,
    /// Bit set of shown message kinds (`kind_bit`).
    pub filter: u16,
    /// Width of the diagram's time window, ms.
    pub window_ms: u64,
    /// The diagram's spacing as the learner (or the link) chose it; `None`:
    /// automatic, from the run.
    pub spacing: Option<Spacing>,
    /// The automatic spacing found real time crowded (event order until
    /// another lesson or window).
    pub crowded: bool,
    /// Predictions: the chosen answer of each step (by step index).
    pub choices: Vec<Option<usize>>,
    pub menu: Option<Menu>,
    pub help: bool,
    pub banner: Option<String>,
    /// Text for the ARIA live region.
    pub live: String,
    /// Bumped when the simulation changed.
    pub version: u64,
    pub embed: bool,
    /// What Shift+←/→ jumps to.
    pub jump: Jump,
    /// The right column shows the side-by-side comparison (if one is open).
    pub compare_view: bool,
    /// The challenge the learner took up (its step), and how many of its
    /// hints are shown.
    pub challenge: Option<usize>,
    pub hints: usize,
    /// Shuffles prediction choices (`learner::choice_order`): this
    /// browser's seed, or the one a link carried.
    pub shuffle: u32,
    /// The folded panels (`components/fold.rs`).
    pub folds: Folds,
}

impl UiState {
    pub fn new(lang: Lang, theme: Theme) -> UiState {
        UiState {
            lang,
            theme,
            playing: false,
            speed: 1.0,
            selected: NodeId(0),
            console_target: NodeId(0),
            tab: Tab::Events,
            filter: KINDS
                .iter()
                .filter(|k| !matches!(k, MsgKind::Keepalive | MsgKind::Reply))
                .map(|k| kind_bit(*k))
                .sum(),
            window_ms: 5_000,
            spacing: None,
            crowded: false,
            choices: Vec::new(),
            menu: None,
            help: false,
            banner: None,
            live: String::new(),
            version: 0,
            embed: false,
            jump: Jump::default(),
            compare_view: false,
            challenge: None,
            hints: 0,
            shuffle: 0,
            folds: Folds::default(),
        }
    }
}

pub enum Action {
    SetLang(Lang),
    ToggleTheme,
    Play,
    Pause,
    TogglePlay,
    SetSpeed(f64),
    Select(NodeId),
    SetConsoleTarget(NodeId),
    SetTab(Tab),
    ToggleKind(MsgKind),
    SetWindow(u64),
    SetSpacing(Spacing),
    /// Folds or unfolds a panel.
    Fold(Pane),
    /// The automatic spacing found the diagram crowded in real time.
    Crowded,
    SetJump(Jump),
    Choose {
        step: usize,
        choice: usize,
    },
    OpenMenu(Menu),
    CloseMenu,
    ToggleHelp,
    Banner(Option<String>),
    Live(String),
    /// The simulation changed: re-render what shows it.
    Bump,
    ShowCompare(bool),
    /// Takes up (or puts down) a step's challenge, with hints shown.
    Challenge {
        step: Option<usize>,
        hints: usize,
    },
    RevealHint,
    SetShuffle(u32),
    /// A new session (lesson opened): reset what belongs to the old one.
    Reset {
        playing: bool,
        embed: bool,
        compare: bool,
        /// The link's spacing (`None`: automatic).
        spacing: Option<Spacing>,
        /// The link's folded panels.
        folds: Folds,
    },
}

impl Reducible for UiState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetLang(l) => s.lang = l,
            Action::ToggleTheme => {
                s.theme = match s.theme {
                    Theme::Light => Theme::Dark,
                    Theme::Dark => Theme::Light,
                }
            }
            Action::Play => s.playing = true,
            Action::Pause => s.playing = false,
            Action::TogglePlay => s.playing = !s.playing,
            Action::SetSpeed(v) => {
                if v.is_finite() && v > 0.0 {
                    s.speed = v.clamp(0.01, 100.0)
                }
            }
            Action::Select(n) => {
                s.selected = n;
                s.menu = None;
            }
            Action::SetConsoleTarget(n) => {
                s.console_target = n;
                s.menu = None;
            }
            Action::SetTab(t) => s.tab = t,
            Action::ToggleKind(k) => s.filter ^= kind_bit(k),
            Action::SetWindow(w) => {
                s.window_ms = w.clamp(200, 600_000);
                s.crowded = false;
            }
            Action::SetSpacing(sp) => s.spacing = Some(sp),
            Action::Fold(p) => s.folds = s.folds.toggle(p),
            Action::Crowded => {
                if s.crowded {
                    return self;
                }
                s.crowded = true;
            }
            Action::SetJump(j) => s.jump = j,
            Action::Choose { step, choice } => {
                if s.choices.len() <= step {
                    s.choices.resize(step + 1, None);
                }
                s.choices[step] = Some(choice);
            }
            Action::OpenMenu(m) => s.menu = Some(m),
            Action::CloseMenu => {
                if s.menu.is_none() && !s.help {
                    return self;
                }
                s.menu = None;
                s.help = false;
            }
            Action::ToggleHelp => s.help = !s.help,
            Action::Banner(b) => s.banner = b,
            Action::Live(t) => {
                if t == s.live {
                    return self;
                }
                s.live = t
            }
            Action::Bump => s.version += 1,
            Action::ShowCompare(on) => s.compare_view = on,
            Action::Challenge { step, hints } => {
                s.challenge = step;
                s.hints = hints.min(replilab_core::scenario::challenge::MAX_HINTS);
            }
            Action::RevealHint => {
                s.hints = (s.hints + 1).min(replilab_core::scenario::challenge::MAX_HINTS)
            }
            Action::SetShuffle(q) => s.shuffle = q,
            Action::Reset {
                playing,
                embed,
                compare,
                spacing,
                folds,
            } => {
                s.compare_view = compare;
                s.spacing = spacing;
                s.folds = folds;
                s.crowded = false;
                s.playing = playing;
                s.selected = NodeId(0);
                s.console_target = NodeId(0);
                s.choices.clear();
                s.challenge = None;
                s.hints = 0;
                s.menu = None;
                s.embed = embed;
                s.version += 1;
            }
        }
        Rc::new(s)
    }
}
