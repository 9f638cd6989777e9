//! A node's card: role, link, offsets and keyspace, read from the live node.

use replilab_core::net::NodeId;
use replilab_core::sim::NodeState;
use yew::prelude::*;

use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub node: NodeId,
}

fn field(name: &'static str, value: String) -> Html {
    html! {
        <div class="field"><dt>{name}</dt><dd data-field={name}>{value}</dd></div>
    }
}

#[function_component(NodeCard)]
pub fn node_card(p: &Props) -> Html {
    let sim = p.lab.sim.borrow();
    let Some(slot) = sim.node(p.node) else {
        return html! {};
    };
    let clock = sim.clock_ms(p.node);
    let name = slot.name.clone();
    let NodeState::Redis(r) = &slot.state else {
        return html! {
            <article class="card node crashed" data-node={name.clone()}>
                <header><span class="badge">{"✕"}</span><h2>{name}</h2><span class="addr">{format!("{}:{}", slot.host, slot.port)}</span></header>
                <p class="muted">{"crashed"}</p>
            </article>
        };
    };
    let master = r.is_master();
    let role_class = if master {
        "card node master"
    } else {
        "card node replica"
    };
    let mut fields = vec![field(
        "role",
        if master {
            "master".into()
        } else {
            "slave".into()
        },
    )];
    if let Some(m) = &r.master {
        let status = if m.is_connected() { "up" } else { "down" };
        fields.push(field("master_link_status", status.into()));
        fields.push(field(
            "slave_repl_offset",
            r.ids.master_repl_offset.to_string(),
        ));
    } else {
        fields.push(field("connected_slaves", r.replicas.len().to_string()));
    }
    fields.push(field(
        "master_repl_offset",
        r.ids.master_repl_offset.to_string(),
    ));
    let keys: Vec<Html> = r
        .db
        .iter()
        .take(12)
        .map(|(k, e)| {
            let (v, ttl) = (&e.value, e.expire_at_ms);
            let key = String::from_utf8_lossy(k).to_string();
            let ttl = ttl.map(|at| format!(" · ttl {:.1} s", (at - clock) as f64 / 1000.0)).unwrap_or_default();
            html! { <li data-key={key.clone()}><code>{key}</code>{" = "}<code>{String::from_utf8_lossy(v).to_string()}</code><span class="muted">{ttl}</span></li> }
        })
        .collect();
    let more = r.db.len().saturating_sub(12);
    let status = if slot.paused { "paused" } else { "running" };
    html! {
        <article class={classes!(role_class, slot.paused.then_some("paused"))} data-node={name.clone()} data-status={status}>
            <header>
                <span class="badge" aria-hidden="true">{ if master { "M" } else { "R" } }</span>
                <h2>{name}</h2>
                <span class="addr">{format!("{}:{}", slot.host, slot.port)}</span>
                <span class="ver">{r.profile.label()}</span>
            </header>
            <dl class="fields">{ for fields }</dl>
            <div class="keys">
                <h3>{format!("keys ({})", r.db.len())}</h3>
                <ul>{ for keys }</ul>
                if more > 0 { <p class="muted">{format!("… {more} more")}</p> }
            </div>
            <p class="runid" title="run_id">{format!("run_id {}…", &r.run_id[..8])}</p>
        </article>
    }
}
