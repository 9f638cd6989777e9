//! The routes' and links' tests.

use replilab_core::action::Action;

use super::*;

fn opened(hash: &str) -> (Session, Option<String>, bool) {
    let o = open(hash, Lang::En);
    let Route::Lab(s) = o.route else {
        panic!("landing for {hash}")
    };
    let s = s.borrow().clone();
    (s, o.banner, o.compare)
}

#[test]
fn comparison_links_round_trip() {
    let mut s = Session::new(Source::Sandbox(Topo::default()), None);
    s.advance_to(1_500).unwrap();
    s.keep_as_a();
    s.act(Action::config_set("m", "min-replicas-to-write", "1"))
        .unwrap();
    s.advance_to(3_000).unwrap();
    s.sync_other().unwrap();
    for swapped in [false, true] {
        if swapped {
            s.swap_branches().unwrap();
        }
        let hash = hash_of(&s, &UiState::new(Lang::En, Theme::Light));
        assert!(hash.contains("&cmp="), "{hash}");
        assert_eq!(hash.contains("&live=a"), swapped, "{hash}");
        let (again, banner, shown) = opened(&hash);
        assert!(banner.is_none() && shown, "{banner:?}");
        let ((a0, b0), (a1, b1)) = (s.branches().unwrap(), again.branches().unwrap());
        assert_eq!(again.live_letter(), s.live_letter());
        assert_eq!((&a1.schedule, &b1.schedule), (&a0.schedule, &b0.schedule));
        assert_eq!((a1.now_ms(), b1.now_ms()), (3_000, 3_000));
        assert_eq!(a1.sim.trace(), a0.sim.trace());
        assert_eq!(b1.sim.trace(), b0.sim.trace());
        let (d0, d1) = (s.divergence().unwrap(), again.divergence().unwrap());
        assert_eq!((d1.t_ms, d1.b), (d0.t_ms, d0.b));
    }
}

#[test]
fn a_bad_comparison_opens_without_it() {
    for (hash, why) in [
        ("#lesson=sandbox&s=&cmp=5:1:q&t=100", "unknown action"),
        ("#lesson=sandbox&cmp=5:1:c:nobody:GET", "unknown node"),
        ("#lesson=sandbox&cmp=&live=c&t=100", "live \"c\""),
        ("#lesson=sandbox&cmp=9:1:h;5:1:h", "out of order"),
    ] {
        let (s, banner, shown) = opened(hash);
        let banner = banner.expect("a banner");
        assert!(banner.contains("comparison could not be read"), "{banner}");
        assert!(banner.contains(why), "{banner}");
        assert!(s.compare.is_none() && !shown);
    }
    // An empty `cmp=` is a comparison with no actions in the other branch.
    let (s, banner, _) = opened("#lesson=sandbox&cmp=&t=100");
    assert!(banner.is_none() && s.compare.is_some() && s.now_ms() == 100);
}

mod spacing_tests {
    use super::*;

    #[test]
    fn the_diagram_spacing_rides_in_the_link() {
        let mut s = Session::new(Source::Sandbox(Topo::default()), None);
        s.advance_to(100).unwrap();
        let mut ui = UiState::new(Lang::En, Theme::Light);
        assert!(!hash_of(&s, &ui).contains("spacing"));
        for sp in [Spacing::Order, Spacing::Time] {
            ui.spacing = Some(sp);
            let h = hash_of(&s, &ui);
            assert!(h.ends_with(&format!("&spacing={}", sp.code())), "{h}");
            let o = open(&h, Lang::En);
            assert_eq!((o.spacing, o.banner), (Some(sp), None));
        }
        // An unknown value: the default and a banner; the rest of the link opens.
        let o = open("#lesson=sandbox&t=100&spacing=%3Cb%3Esideways", Lang::Zh);
        assert_eq!(o.spacing, None);
        let banner = o.banner.expect("a banner");
        assert!(
            banner.contains("%3Cb%3Esideways") && banner.contains("间距"),
            "{banner}"
        );
        let Route::Lab(again) = o.route else {
            panic!("landing")
        };
        assert_eq!(again.borrow().now_ms(), 100);
    }

    #[test]
    fn folded_panels_ride_in_the_link() {
        use crate::components::fold::{Folds, Pane};
        let mut s = Session::new(Source::Sandbox(Topo::default()), None);
        s.advance_to(100).unwrap();
        let mut ui = UiState::new(Lang::En, Theme::Light);
        assert!(!hash_of(&s, &ui).contains("fold"));
        ui.folds = Folds::default().toggle(Pane::Records).toggle(Pane::Map);
        let h = hash_of(&s, &ui);
        assert!(h.ends_with("&fold=map,records"), "{h}");
        let o = open(&h, Lang::En);
        assert_eq!((o.folds, o.banner), (ui.folds, None));
        // An unknown pane folds none, with a banner; the rest of the link opens.
        let o = open("#lesson=sandbox&t=100&fold=map,side%3Cbar", Lang::En);
        assert!(o.folds.is_empty());
        let banner = o.banner.expect("a banner");
        assert!(banner.contains("unknown panel, \"side%3Cbar\""), "{banner}");
        let Route::Lab(again) = o.route else {
            panic!("landing")
        };
        assert_eq!(again.borrow().now_ms(), 100);
    }
}

mod replay_tests {
    use replilab_core::action::Action;

    use super::*;

    /// Seed 001's deployment: the playhead rests after each of 60 "next
    /// event" steps, often between two events of the same millisecond.
    #[test]
    fn a_link_reopens_exactly_where_the_playhead_rested() {
        let mut s = Session::new(Source::Sandbox(Topo::seed001()), None);
        s.advance_to(5_000).unwrap();
        let act = |s: &mut Session, t: &str| {
            s.act(t.parse::<Action>().unwrap()).unwrap();
            s.settle();
        };
        act(&mut s, "@m SET k \"hello world\"");
        act(&mut s, "pause r2 5s");
        let mut mid = 0;
        for step in 0..60 {
            s.step_event().unwrap();
            if step == 30 {
                act(&mut s, "@m INCR n");
            }
            mid += usize::from(s.mid_millisecond());
            let hash = hash_of(&s, &UiState::new(Lang::En, Theme::Light));
            let o = open(&hash, Lang::En);
            let Route::Lab(again) = o.route else {
                panic!("landing")
            };
            let again = again.borrow();
            assert!(o.banner.is_none(), "{hash}");
            assert_eq!(again.now_ms(), s.now_ms(), "{hash}");
            assert_eq!(
                again.sim.events_processed(),
                s.sim.events_processed(),
                "{hash}"
            );
            // The page does not hash its trace: the same events, to the last.
            assert_eq!(again.sim.trace_end(), s.sim.trace_end(), "{hash}");
            assert_eq!(again.sim.trace().last(), s.sim.trace().last(), "{hash}");
            assert_eq!(again.applied, s.applied, "{hash}");
        }
        assert!(mid > 10, "the playhead rested mid-millisecond {mid} times");
    }
}
