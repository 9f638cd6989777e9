//! Folding the lab's panels (ui-brief: "every panel can collapse"): each
//! panel's head holds a button that folds the panel to its head (a narrow
//! strip for the side columns and the bottom row's halves). Which panels are
//! folded is view state: the app root's classes (`fold-<code>`, laid out by
//! style.css) and the link's `fold=` (a comma-separated list of codes).

use yew::prelude::*;

use crate::i18n::{self, Lang, T};

/// A panel of the lab that can fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The lesson's narrative, or the sandbox's form (left column).
    Narrative,
    Map,
    Diagram,
    /// The inspector, or the comparison in its place (right column).
    Inspector,
    Console,
    /// The bottom tabs: events, ledger, Sentinels, charts, cluster.
    Records,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Narrative,
        Pane::Map,
        Pane::Diagram,
        Pane::Inspector,
        Pane::Console,
        Pane::Records,
    ];

    /// The pane's name in links and in the root's `fold-<code>` class.
    pub fn code(self) -> &'static str {
        match self {
            Pane::Narrative => "narrative",
            Pane::Map => "map",
            Pane::Diagram => "diagram",
            Pane::Inspector => "inspector",
            Pane::Console => "console",
            Pane::Records => "records",
        }
    }

    fn bit(self) -> u8 {
        1 << Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    fn name(self) -> T {
        match self {
            Pane::Narrative => i18n::NARRATIVE,
            Pane::Map => i18n::TOPOLOGY,
            Pane::Diagram => i18n::DIAGRAM,
            Pane::Inspector => i18n::INSPECTOR,
            Pane::Console => i18n::CONSOLE,
            Pane::Records => i18n::RECORDS,
        }
    }
}

/// The folded panes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Folds(u8);

impl Folds {
    pub fn has(self, p: Pane) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn toggle(self, p: Pane) -> Folds {
        Folds(self.0 ^ p.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The app root's classes.
    pub fn classes(self) -> Classes {
        Pane::ALL
            .iter()
            .filter(|p| self.has(**p))
            .map(|p| format!("fold-{}", p.code()))
            .collect()
    }

    /// `fold=`'s value: the folded panes' codes, in `Pane::ALL`'s order.
    pub fn code(self) -> String {
        let codes: Vec<&str> = (Pane::ALL.iter())
            .filter(|p| self.has(**p))
            .map(|p| p.code())
            .collect();
        codes.join(",")
    }

    /// Reads `fold=`'s value; `Err` names the first unknown pane.
    pub fn parse(s: &str) -> Result<Folds, String> {
        let mut f = Folds::default();
        for code in s.split(',').filter(|c| !c.is_empty()) {
            match Pane::ALL.iter().find(|p| p.code() == code) {
                Some(p) => f.0 |= p.bit(),
                None => return Err(code.to_string()),
            }
        }
        Ok(f)
    }
}

const FOLD: T = T {
    en: "Fold the panel: {0}",
    zh: "折叠面板：{0}",
};
const UNFOLD: T = T {
    en: "Unfold the panel: {0}",
    zh: "展开面板：{0}",
};

/// The button in `pane`'s head that folds or unfolds it.
pub fn button(l: Lang, pane: Pane, folds: Folds, on_fold: &Callback<Pane>) -> Html {
    let folded = folds.has(pane);
    let label = l.f(if folded { UNFOLD } else { FOLD }, &[l.t(pane.name())]);
    let cb = on_fold.clone();
    html! {
        <button class="btn icon-only fold" data-pane={pane.code()} aria-expanded={(!folded).to_string()}
            aria-label={label.clone()} title={label} onclick={Callback::from(move |_| cb.emit(pane))}>
            <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
                <path d={if folded { "M4 6l4 4 4-4" } else { "M4 10l4-4 4 4" }} fill="none" stroke="currentColor" stroke-width="1.6"/>
            </svg>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_read_back_from_their_code() {
        let f = Folds::default()
            .toggle(Pane::Inspector)
            .toggle(Pane::Narrative);
        assert_eq!(f.code(), "narrative,inspector");
        assert_eq!(Folds::parse(&f.code()), Ok(f));
        assert_eq!(Folds::parse(""), Ok(Folds::default()));
        assert_eq!(
            Folds::parse("map,,map"),
            Ok(Folds::default().toggle(Pane::Map))
        );
        assert_eq!(Folds::parse("map,<b>"), Err("<b>".to_string()));
        assert!(f.toggle(Pane::Narrative).toggle(Pane::Inspector).is_empty());
    }
}
