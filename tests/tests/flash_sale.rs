//! Seed 002, flash sale: the five buyer strategies against one master,
//! with the oversell checker (issue 8, "Flash sale (seckill) atomicity").

use replilab_core::checker::oversell::SaleReport;
use replilab_core::client::{ClientSpec, SaleSpec, Strategy, Workload};
use replilab_core::profile::Profile;
use replilab_harness::dsl::Lab;

fn sale(seed: u64, spec: SaleSpec) -> SaleReport {
    let mut lab = Lab::master_with_replicas(seed, 1, Profile::V7_0, 1);
    lab.wait_synced();
    lab.add_client(
        "buyers",
        ClientSpec {
            workload: Workload::Buyers(spec),
            ..ClientSpec::default()
        },
    );
    lab.run_ms(20_000);
    let mut sales = lab.check().sales;
    assert_eq!(sales.len(), 1);
    sales.remove(0)
}

fn spec(strategy: Strategy) -> SaleSpec {
    SaleSpec {
        strategy,
        buyers: 300,
        stock: 30,
        arrival_ms: 50,
        ..SaleSpec::default()
    }
}

#[test]
fn check_then_act_over_the_network_oversells() {
    for strategy in [Strategy::Naive, Strategy::Multi] {
        let r = sale(1, spec(strategy));
        assert!(r.oversold > 0, "{strategy:?}: {r:?}");
        assert_eq!(r.final_stock, Some(30 - r.stats.purchases as i64));
        assert_eq!(r.stats.finished, 300);
    }
}

#[test]
fn the_script_watch_and_a_safe_lock_never_oversell() {
    for seed in 1..=3 {
        for strategy in [Strategy::Script, Strategy::Watch, Strategy::Lock] {
            let r = sale(seed, spec(strategy));
            assert_eq!(
                (r.oversold, r.stats.purchases, r.final_stock),
                (0, 30, Some(0)),
                "{strategy:?} seed {seed}: {r:?}"
            );
            assert_eq!(
                r.stats.sold_out + r.stats.purchases,
                300,
                "{strategy:?}: {r:?}"
            );
            match strategy {
                Strategy::Watch => assert!(r.stats.watch_retries > 0),
                Strategy::Lock => assert!(r.stats.lock_failed > 0 && r.stats.lock_expired == 0),
                _ => {}
            }
        }
    }
}

#[test]
fn a_lock_shorter_than_the_work_expires_and_plain_del_frees_another_buyers_lock() {
    let short = SaleSpec {
        work_ms: 30,
        lock_ttl_ms: 10,
        retry_ms: 20,
        safe_release: false,
        ..spec(Strategy::Lock)
    };
    let r = sale(4, short.clone());
    assert!(
        r.stats.lock_expired > 0 && r.stats.foreign_releases > 0,
        "{r:?}"
    );
    assert!(r.oversold > 0, "{r:?}");
    // The compare-and-delete release never deletes another buyer's lock.
    let r = sale(
        4,
        SaleSpec {
            safe_release: true,
            ..short
        },
    );
    assert_eq!(r.stats.foreign_releases, 0, "{r:?}");
    assert!(r.stats.lock_expired > 0, "{r:?}");
}

#[test]
fn a_sale_is_deterministic() {
    assert_eq!(
        sale(9, spec(Strategy::Naive)),
        sale(9, spec(Strategy::Naive))
    );
}
