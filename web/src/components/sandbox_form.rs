//! The sandbox's topology form: version profile, replicas (chained or not),
//! Sentinels with their quorum, clients with workload and read_from, and a
//! "split-brain case deployment" preset. Applying it opens the permalink of that
//! topology (`core/src/scenario/sandbox.rs`), so the new run starts at 0 and the link reproduces it.

use yew::prelude::*;

use crate::dom;
use crate::i18n::{Lang, T};
use replilab_core::scenario::sandbox::{
    Topo, MAX_CLIENTS, MAX_REPLICAS, MAX_SENTINELS, PROFILES, READ_FROM, WORKLOADS,
};

const TITLE: T = T {
    en: "Topology",
    zh: "拓扑",
};
const PROFILE: T = T {
    en: "Redis version",
    zh: "Redis 版本",
};
const REPLICAS: T = T {
    en: "Replicas",
    zh: "从库",
};
const CHAINED: T = T {
    en: "Chained (r2 follows r1, …)",
    zh: "级联（r2 跟随 r1，…）",
};
const SENTINELS: T = T {
    en: "Sentinels",
    zh: "哨兵",
};
const QUORUM: T = T {
    en: "Quorum",
    zh: "法定票数",
};
const CLIENTS: T = T {
    en: "Clients",
    zh: "客户端",
};
const WORKLOAD: T = T {
    en: "Workload",
    zh: "负载",
};
const READ: T = T {
    en: "Reads from",
    zh: "读取自",
};
const APPLY: T = T {
    en: "Start this topology",
    zh: "以此拓扑开始",
};
const PRESET: T = T {
    en: "The split-brain case's deployment",
    zh: "脑裂案例的部署",
};
const NOTE: T = T {
    en: "Starting a topology restarts the run at 0 s. The sandbox has no end.",
    zh: "开始新拓扑会从 0 秒重新运行。沙盒没有终点。",
};

fn workload_label(w: &str, l: Lang) -> &'static str {
    l.t(match w {
        "write_then_read" => T {
            en: "write, then read",
            zh: "先写后读",
        },
        "counter" => T {
            en: "counter (INCR)",
            zh: "计数器（INCR）",
        },
        "expiring" => T {
            en: "expiring keys",
            zh: "过期键",
        },
        _ => T {
            en: "writer",
            zh: "写入",
        },
    })
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub topo: Topo,
}

fn open(t: &Topo) {
    dom::set_hash(&format!("#lesson=sandbox&topo={}", t.encode()));
}

/// A `<select>` of numbers lo..=hi.
fn numbers(id: &'static str, lo: u8, hi: u8, value: u8, on: Callback<u8>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        if let Ok(n) = v.parse::<u8>() {
            on.emit(n);
        }
    });
    html! {
        <select id={id} {onchange}>
            { for (lo..=hi).map(|n| html! { <option value={n.to_string()} selected={n == value}>{n}</option> }) }
        </select>
    }
}

/// A `<select>` of fixed codes with labels.
fn choices(
    id: &'static str,
    set: &'static [&'static str],
    value: &str,
    label: impl Fn(&str) -> String,
    on: Callback<&'static str>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        if let Some(x) = set.iter().find(|x| **x == v) {
            on.emit(x);
        }
    });
    html! {
        <select id={id} {onchange}>
            { for set.iter().map(|x| html! { <option value={*x} selected={*x == value}>{label(x)}</option> }) }
        </select>
    }
}

#[function_component(SandboxForm)]
pub fn sandbox_form(p: &Props) -> Html {
    let l = p.lang;
    let draft = use_state(|| p.topo.clone());
    let t = (*draft).clone();
    let set = |f: fn(&mut Topo, u8)| {
        let draft = draft.clone();
        Callback::from(move |n: u8| {
            let mut t = (*draft).clone();
            f(&mut t, n);
            draft.set(t);
        })
    };
    let set_code = |f: fn(&mut Topo, &'static str)| {
        let draft = draft.clone();
        Callback::from(move |c: &'static str| {
            let mut t = (*draft).clone();
            f(&mut t, c);
            draft.set(t);
        })
    };
    let on_chain = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked();
            let mut t = (*draft).clone();
            t.chained = on;
            draft.set(t);
        })
    };
    let on_submit = {
        let t = t.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            open(&t);
        })
    };
    let on_preset = Callback::from(|_| open(&Topo::seed001()));
    let field = |label: T, control: Html| html! { <label class="field"><span>{l.t(label)}</span>{control}</label> };
    html! {
        <form class="sandbox-form" id="sandbox-form" onsubmit={on_submit} aria-labelledby="sandbox-form-title">
            <h3 id="sandbox-form-title">{l.t(TITLE)}</h3>
            <div class="fields">
                {field(PROFILE, choices("topo-profile", &PROFILES, t.profile, |x| x.to_string(), set_code(|t, c| t.profile = c)))}
                {field(REPLICAS, numbers("topo-replicas", 0, MAX_REPLICAS, t.replicas, set(|t, n| t.replicas = n)))}
                {field(SENTINELS, numbers("topo-sentinels", 0, MAX_SENTINELS, t.sentinels, set(|t, n| t.sentinels = n)))}
                {field(QUORUM, numbers("topo-quorum", 1, MAX_SENTINELS, t.quorum, set(|t, n| t.quorum = n)))}
                {field(CLIENTS, numbers("topo-clients", 0, MAX_CLIENTS, t.clients, set(|t, n| t.clients = n)))}
                {field(WORKLOAD, choices("topo-workload", &WORKLOADS, t.workload, |x| workload_label(x, l).to_string(), set_code(|t, c| t.workload = c)))}
                {field(READ, choices("topo-read", &READ_FROM, t.read_from, |x| l.t(if x == "replica" { T { en: "replica r1", zh: "从库 r1" } } else { T { en: "master", zh: "主库" } }).to_string(), set_code(|t, c| t.read_from = c)))}
                <label class="check"><input type="checkbox" id="topo-chained" checked={t.chained} onchange={on_chain} /><span>{l.t(CHAINED)}</span></label>
            </div>
            <p class="muted small">{l.t(NOTE)}</p>
            <div class="actions">
                <button type="submit" class="btn primary" id="topo-apply">{l.t(APPLY)}</button>
                <button type="button" class="btn" id="topo-seed001" onclick={on_preset}>{l.t(PRESET)}</button>
            </div>
        </form>
    }
}
