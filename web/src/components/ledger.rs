//! The checker ledger: acknowledged writes, the lost ones linked to the full
//! sync (or crash) that erased them, stale reads and reads of expired keys,
//! and flash sales (oversold units per buyers node).

use std::rc::Rc;

use replilab_core::checker;
use yew::prelude::*;

use super::fmt_time;
use crate::i18n::{self, Lang};
use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub on_seek: Callback<u64>,
    pub playing: bool,
}

#[function_component(Ledger)]
pub fn ledger(p: &Props) -> Html {
    let l = p.lang;
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let has_clients = sim
        .nodes()
        .iter()
        .any(|n| matches!(n.spec, replilab_core::node::NodeSpec::Client(_)));
    // The checker reads the whole run (216,000 writes in a 6 h sandbox):
    // while playing, once every 8 versions, as the goals are.
    let cache = use_mut_ref(|| (0usize, u64::MAX, Rc::new(checker::Report::default())));
    let r = {
        let mut c = cache.borrow_mut();
        let (s, v) = (Rc::as_ptr(&p.lab.session) as usize, p.lab.version);
        if c.0 != s || crate::lab::whole_run_stale(c.1, v, p.playing) {
            *c = (s, v, Rc::new(checker::check(sim)));
        }
        c.2.clone()
    };
    let seek = |t: u64| {
        let cb = p.on_seek.clone();
        Callback::from(move |_| cb.emit(t))
    };
    let stat = |label: &'static str, value: String, class: &'static str| {
        html! {
            <div class={classes!("stat", class)} data-stat={label}><b>{value}</b><span>{label_text(l, label)}</span></div>
        }
    };
    html! {
        <div class="ledger" id="ledger">
            if !has_clients { <p class="muted">{l.t(i18n::NO_CLIENTS)}</p> }
            <div class="stats">
                {stat("acked", r.acked_writes.to_string(), "")}
                {stat("surviving", r.surviving_writes.to_string(), "")}
                {stat("lost", r.lost_writes.len().to_string(), if r.lost_writes.is_empty() { "" } else { "bad" })}
                {stat("stale", r.stale_reads.len().to_string(), if r.stale_reads.is_empty() { "" } else { "bad" })}
                {stat("expired", r.expired_reads.len().to_string(), if r.expired_reads.is_empty() { "" } else { "bad" })}
                {stat("full", r.full_syncs.to_string(), "")}
                {stat("partial", r.partial_syncs.to_string(), "")}
                {stat("outage", fmt_time(r.longest_unavailable_ms()), "")}
                {stat("master", r.final_master.clone().unwrap_or_else(|| "-".into()), "")}
            </div>
            if !r.lost_writes.is_empty() {
                <h3>{format!("{} ({})", l.t(i18n::LOST), r.lost_writes.len())}</h3>
                <ol class="lost">
                    { for r.lost_writes.iter().take(200).map(|w| html! {
                        <li class="lost-write" data-lost={w.cmd.clone()}>
                            <button class="t link" onclick={seek(w.acked_ms)}>{fmt_time(w.acked_ms)}</button>
                            <span>{l.f(i18n::LOST_WRITE, &[&format!("[{}] {}", w.client, w.cmd), &w.acked_by, &fmt_time(w.acked_ms), &w.offset.to_string(), &w.erased_by])}</span>
                            if let Some(t) = w.erased_ms { <button class="link show" onclick={seek(t)}>{l.t(i18n::SHOW_IN_DIAGRAM)}{" → "}{fmt_time(t)}</button> }
                        </li>
                    }) }
                </ol>
            }
            if !r.stale_reads.is_empty() || !r.expired_reads.is_empty() {
                <h3>{format!("{} / {}", l.t(i18n::STALE_READS), l.t(i18n::EXPIRED_READS))}</h3>
                <ol class="reads">
                    { for r.stale_reads.iter().map(|b| ("stale", b)).chain(r.expired_reads.iter().map(|b| ("expired", b))).take(200).map(|(k, b)| html! {
                        <li class={k}>
                            <button class="t link" onclick={seek(b.read_ms)}>{fmt_time(b.read_ms)}</button>
                            <code>{format!("[{}] GET {} @{} → {} (expected {})", b.client, b.key, b.node, b.got, b.expected)}</code>
                        </li>
                    }) }
                </ol>
            }
            if !r.sales.is_empty() {
                <h3>{l.t(i18n::SALES)}</h3>
                <ol class="sales">
                    { for r.sales.iter().map(|s| html! {
                        <li class={classes!((s.oversold > 0).then_some("bad"))} data-sale={s.client.clone()}>
                            {l.f(i18n::SALE_LINE, &[
                                &s.client,
                                &format!("{:?}", s.strategy).to_lowercase(),
                                &s.stats.purchases.to_string(),
                                &s.stock.to_string(),
                                &s.oversold.to_string(),
                                &s.final_stock.map_or("-".into(), |n| n.to_string()),
                                &s.stats.lock_failed.to_string(),
                                &s.stats.lock_expired.to_string(),
                                &s.stats.foreign_releases.to_string(),
                                &s.stats.watch_retries.to_string(),
                            ])}
                        </li>
                    }) }
                </ol>
            }
        </div>
    }
}

fn label_text(l: Lang, k: &str) -> &'static str {
    match k {
        "acked" => l.t(i18n::ACKED),
        "surviving" => l.t(i18n::SURVIVING),
        "lost" => l.t(i18n::LOST),
        "stale" => l.t(i18n::STALE_READS),
        "expired" => l.t(i18n::EXPIRED_READS),
        "full" => l.t(i18n::FULL_SYNCS),
        "partial" => l.t(i18n::PARTIAL_SYNCS),
        "outage" => l.t(i18n::UNAVAILABLE),
        _ => l.t(i18n::FINAL_MASTER),
    }
}
