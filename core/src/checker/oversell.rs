//! Flash-sale accounting: per buyers node, what was sold against the stock,
//! read from the buyers' own counts and the final master's counter.

use serde::Serialize;

use crate::client::{SaleStats, Strategy};
use crate::node::NodeState;
use crate::sim::Sim;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SaleReport {
    pub client: String,
    pub strategy: Strategy,
    pub key: String,
    pub stock: i64,
    pub stats: SaleStats,
    /// The counter on the final master at the end (None: missing or not a number).
    pub final_stock: Option<i64>,
    /// Units sold beyond the stock: purchases confirmed to buyers minus the
    /// stock, or how far the counter went below zero, whichever is larger.
    pub oversold: u64,
}

/// The expectation checks this module answers (README, format table).
pub const SALE_CHECKS: &[&str] = &[
    "oversold",
    "purchases",
    "final_stock",
    "sold_out",
    "lock_contention",
    "lock_expired",
    "foreign_releases",
    "watch_retries",
];

pub fn sales(sim: &Sim) -> Vec<SaleReport> {
    let mut out = Vec::new();
    for slot in sim.nodes() {
        let NodeState::Client(c) = &slot.state else {
            continue;
        };
        let Some(sale) = &c.sale else { continue };
        let final_stock = super::final_master_for(sim, c)
            .and_then(|m| sim.redis(m))
            .and_then(|r| r.db.get_entry(sale.spec.key.as_bytes()))
            .and_then(|e| crate::data::parse_i64(&e.value));
        let by_acks = sale.stats.purchases as i64 - sale.spec.stock;
        let by_counter = final_stock.map_or(0, |n| -n);
        out.push(SaleReport {
            client: slot.name.clone(),
            strategy: sale.spec.strategy,
            key: sale.spec.key.clone(),
            stock: sale.spec.stock,
            stats: sale.stats.clone(),
            final_stock,
            oversold: by_acks.max(by_counter).max(0) as u64,
        });
    }
    out
}

/// The value of a sale check, summed over the buyers nodes `client` selects (all when None).
pub fn sale_value(check: &str, client: Option<&str>, sales: &[SaleReport]) -> i64 {
    sales
        .iter()
        .filter(|s| client.is_none_or(|c| c == s.client))
        .map(|s| match check {
            "oversold" => s.oversold as i64,
            "purchases" => s.stats.purchases as i64,
            "final_stock" => s.final_stock.unwrap_or(0),
            "sold_out" => s.stats.sold_out as i64,
            "lock_contention" => s.stats.lock_failed as i64,
            "lock_expired" => s.stats.lock_expired as i64,
            "foreign_releases" => s.stats.foreign_releases as i64,
            _ => s.stats.watch_retries as i64,
        })
        .sum()
}

/// One line per sale, as `replilab run` and `check` print them.
pub fn describe(s: &SaleReport) -> String {
    let st = &s.stats;
    let counter = s.final_stock.map_or("(missing)".into(), |n| n.to_string());
    format!(
        "{} ({:?}): {} purchases of {} units, oversold {}, {} now {counter}; sold out {}, lock contention {}, locks expired mid-work {}, foreign releases {}, WATCH retries {}, errors {}",
        s.client, s.strategy, st.purchases, s.stock, s.oversold, s.key, st.sold_out, st.lock_failed, st.lock_expired, st.foreign_releases, st.watch_retries, st.errors
    )
}
