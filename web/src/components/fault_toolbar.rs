//! The fault toolbar: every fault of the action grammar, with its values,
//! without a mouse. Choose a fault, its node (and the other end of a link or
//! a cut), type the values (a pause length, a clock offset or step, a link's
//! latency, jitter and bandwidth, a CONFIG SET value), then apply; Enter in a
//! field applies too. The line under the controls shows the action exactly
//! as the schedule, the console and lesson timelines write it, or, after a
//! refused apply, what is wrong (in the page's language) and nothing changes.
//! The form's rules are `fault_form.rs`; acting goes through
//! `Session::act` like every other fault. CONFIG SET lists the parameters
//! the simulated Redis lets it change (`RedisNode::config_set_params`), and
//! proposes the target's current value.

use replilab_core::action::{Action, Ms, MBIT_BYTES_PER_MS};
use replilab_core::net::NodeId;
use replilab_core::node::NodeState;
use replilab_core::redis::RedisNode;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::dom;
use crate::fault_form::{t, Field, Form, Problem, Tool, TOOLS};
use crate::i18n::{self, Lang};
use crate::lab::Lab;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lab: Lab,
    pub lang: Lang,
    pub nodes: Vec<String>,
    pub selected: NodeId,
    /// Actions to record at the playhead.
    pub on_actions: Callback<Vec<Action>>,
}

const PARAM: i18n::T = t("Parameter", "参数");
const VALUE: i18n::T = t("Value", "值");
const PEER: i18n::T = t("Other end", "另一端");
const WILL_DO: i18n::T = t("Applies:", "将执行：");
const KEEP: i18n::T = t(
    "empty: stays as it is, now {0}",
    "留空则保持不变，当前为 {0}",
);
const ERROR_ID: &str = "fault-error";
const PREVIEW_ID: &str = "fault-preview";

/// The parameters CONFIG SET can change, as the core's config table says.
fn params() -> Vec<&'static str> {
    RedisNode::config_set_params()
}

/// `2mbit`, or `500B/ms` when not a whole number of Mbit/s.
fn rate_text(bytes_per_ms: u64) -> String {
    if bytes_per_ms % MBIT_BYTES_PER_MS == 0 {
        format!("{}mbit", bytes_per_ms / MBIT_BYTES_PER_MS)
    } else {
        format!("{bytes_per_ms}B/ms")
    }
}

/// What the learner chose and typed.
#[derive(Clone, PartialEq)]
struct State {
    tool: Tool,
    /// None: the node selected in the map.
    target: Option<usize>,
    peer: Option<usize>,
    /// The typed values (pause, skew, jump, link settings).
    texts: Form,
    param: usize,
    /// None: the target's current value.
    value: Option<String>,
    /// Why the last apply was refused, until the next edit.
    problem: Option<Problem>,
}

enum Msg {
    /// A field or picker changed: (element id, value, selected index).
    Input(String, String, i32),
    Refused(Problem),
    Applied,
}

impl Reducible for State {
    type Action = Msg;
    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        let index = |i: i32| usize::try_from(i).ok();
        match msg {
            Msg::Input(id, v, i) => {
                s.problem = None;
                match id.as_str() {
                    "fault-kind" => s.tool = Tool::from_code(&v).unwrap_or(s.tool),
                    "fault-target" => s.target = index(i).or(s.target),
                    "fault-peer" => s.peer = index(i).or(s.peer),
                    "config-param" => {
                        s.param = index(i).unwrap_or(s.param);
                        s.value = None;
                    }
                    "config-value" => s.value = Some(v),
                    other => {
                        if let Some(f) = FIELDS.into_iter().find(|f| f.id() == other) {
                            s.texts.set_text(f, v);
                        }
                    }
                }
            }
            Msg::Refused(p) => s.problem = Some(p),
            Msg::Applied => {
                s.problem = None;
                if s.tool == Tool::Link {
                    // The placeholders now show the new settings.
                    for f in [Field::Latency, Field::Jitter, Field::Bandwidth] {
                        s.texts.set_text(f, String::new());
                    }
                }
            }
        }
        Rc::new(s)
    }
}

const FIELDS: [Field; 6] = [
    Field::Pause,
    Field::Skew,
    Field::Jump,
    Field::Latency,
    Field::Jitter,
    Field::Bandwidth,
];

#[function_component(FaultToolbar)]
pub fn fault_toolbar(p: &Props) -> Html {
    let l = p.lang;
    let st = use_reducer(|| State {
        tool: Tool::Pause,
        target: None,
        peer: None,
        texts: Form::new(),
        param: params()
            .iter()
            .position(|n| *n == "min-replicas-to-write")
            .unwrap_or(0),
        value: None,
        problem: None,
    });
    let names = &p.nodes;
    if names.is_empty() {
        return html! {};
    }
    let tool = st.tool;
    let last = names.len() - 1;
    let node = st.target.unwrap_or(p.selected.0 as usize).min(last);
    let other = st
        .peer
        .filter(|&i| i <= last)
        .unwrap_or(usize::from(node == 0).min(last));
    let param_names = params();
    let param_name = param_names.get(st.param).copied().unwrap_or_default();

    // What the target and the link are now: placeholders and first values.
    let session = p.lab.session.borrow();
    let sim = &session.sim;
    let link = sim.net.link(NodeId(node as u16), NodeId(other as u16));
    let current = match sim.node(NodeId(node as u16)).map(|s| &s.state) {
        Some(NodeState::Redis(r)) => r.config_table().into_iter().find(|(n, _)| *n == param_name),
        _ => None,
    }
    .map(|(_, v)| v)
    .unwrap_or_default();
    drop(session);

    let form = Form {
        node: names[node].clone(),
        peer: names[other].clone(),
        nodes: names.clone(),
        param: param_name.to_string(),
        value: st.value.clone().unwrap_or_else(|| current.clone()),
        ..st.texts.clone()
    };
    let result = form.actions(tool);

    // Every picker and field reports here, by its element id.
    let on_input = {
        let d = st.dispatcher();
        Callback::from(move |e: InputEvent| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            let index = if el.tag_name() == "SELECT" {
                el.selected_index()
            } else {
                -1
            };
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            d.dispatch(Msg::Input(el.id(), value, index));
        })
    };
    let apply = {
        let (cb, d, result) = (p.on_actions.clone(), st.dispatcher(), result.clone());
        Callback::from(move |_: ()| match &result {
            Ok(actions) => {
                d.dispatch(Msg::Applied);
                cb.emit(actions.clone());
            }
            Err(e) => {
                dom::focus(e.field().map_or("fault-peer", Field::id));
                d.dispatch(Msg::Refused(e.clone()));
            }
        })
    };
    let on_key = {
        let apply = apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            let field = e.target_unchecked_into::<web_sys::Element>().tag_name() == "INPUT";
            if field && e.key() == "Enter" {
                e.prevent_default();
                apply.emit(());
            }
        })
    };
    let heal = {
        let cb = p.on_actions.clone();
        Callback::from(move |_: MouseEvent| cb.emit(vec![Action::Heal]))
    };

    let bad = st.problem.as_ref().and_then(Problem::field);
    let field = |f: Field, placeholder: String, title: Option<String>| {
        text_field(l, f, st.texts.text(f), placeholder, title, bad == Some(f))
    };
    let node_select = |id: &'static str, label: i18n::T, at: usize| {
        let invalid = id == "fault-peer" && matches!(st.problem, Some(Problem::SameNode));
        picker(
            l,
            id,
            label,
            &mut names.iter().map(String::as_str),
            at,
            invalid,
        )
    };
    // A link field: empty keeps the link's current setting, shown as the placeholder.
    let keep = |f: Field, now: String| field(f, now.clone(), Some(l.f(KEEP, &[&now])));
    let values = match tool {
        Tool::Link => html! { <>
            {keep(Field::Latency, Ms(link.latency_ms).to_string())}
            {keep(Field::Jitter, Ms(link.jitter_ms).to_string())}
            {keep(Field::Bandwidth, rate_text(link.bandwidth_bytes_per_ms))}
        </> },
        Tool::Config => html! { <>
            {picker(l, "config-param", PARAM, &mut param_names.iter().copied(), st.param, false)}
            <label><span class="sr-only">{l.t(VALUE)}</span>
                <input id="config-value" class="config-value" type="text" value={form.value.clone()} placeholder={current}
                    autocomplete="off" spellcheck="false" />
            </label>
        </> },
        t => match t.time_field() {
            Some(f) => field(f, f.example().to_string(), None),
            None => html! {},
        },
    };
    let arrow = match tool {
        Tool::OneWay => "→",
        Tool::CutBoth => "✕",
        _ => "↔",
    };
    let quiet = tool.time_field().is_none() && !matches!(tool, Tool::Link | Tool::Config);
    let status = match (&st.problem, &result) {
        (Some(e), _) => {
            html! { <p id={ERROR_ID} class="tb-status tb-error" role="alert">{e.message(l)}</p> }
        }
        // Shown where values were typed; for the others, only to screen readers.
        (None, Ok(actions)) => html! {
            <p class={classes!("tb-status", quiet.then_some("sr-only"))}><span class="muted">{l.t(WILL_DO)}</span>{" "}
                <code id={PREVIEW_ID}>{actions.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(" · ")}</code></p>
        },
        (None, Err(_)) => html! {},
    };
    html! {
        <div class={classes!("fault-toolbar", format!("tool-{}", tool.code()))} role="toolbar" aria-label={l.t(i18n::FAULTS)}
            oninput={on_input} onkeydown={on_key}>
            <span class="tb-title">{"⚡ "}{l.t(i18n::FAULTS)}</span>
            <label><span class="sr-only">{l.t(i18n::FAULT_KIND)}</span>
                <select id="fault-kind">
                    { for TOOLS.iter().map(|t| html! { <option value={t.code()} selected={*t == tool}>{l.t(t.label())}</option> }) }
                </select>
            </label>
            {node_select("fault-target", i18n::TARGET, node)}
            if tool.has_peer() {
                <span class="tb-arrow" aria-hidden="true">{arrow}</span>
                {node_select("fault-peer", PEER, other)}
            }
            {values}
            <button id="fault-apply" class="btn" aria-describedby={result.is_ok().then_some(PREVIEW_ID)}
                onclick={let a = apply.clone(); Callback::from(move |_: MouseEvent| a.emit(()))}>{l.t(i18n::APPLY)}</button>
            <button id="heal" class="btn" onclick={heal}>{l.t(i18n::HEAL)}</button>
            {status}
        </div>
    }
}

/// One text field of the form, with its visible label.
#[inline(never)]
fn text_field(
    l: Lang,
    f: Field,
    value: &str,
    placeholder: String,
    title: Option<String>,
    invalid: bool,
) -> Html {
    html! {
        <label class="tb-field"><span>{l.t(f.label())}</span>
            <input id={f.id()} type="text" class="tb-value" value={value.to_string()} placeholder={placeholder} title={title}
                autocomplete="off" spellcheck="false" aria-invalid={invalid.then_some("true")}
                aria-describedby={invalid.then_some(ERROR_ID)} />
        </label>
    }
}

/// A drop-down of names (nodes, parameters), `at` selected.
#[inline(never)]
fn picker(
    l: Lang,
    id: &'static str,
    label: i18n::T,
    names: &mut dyn Iterator<Item = &str>,
    at: usize,
    invalid: bool,
) -> Html {
    html! {
        <label><span class="sr-only">{l.t(label)}</span>
            <select id={id} aria-invalid={invalid.then_some("true")} aria-describedby={invalid.then_some(ERROR_ID)}>
                { for names.enumerate().map(|(i, n)| html! { <option value={n.to_string()} selected={i == at}>{n.to_string()}</option> }) }
            </select>
        </label>
    }
}
