//! The page: header, node cards, console, transport and the event list.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use replilab_core::demo;
use replilab_core::net::NodeId;
use replilab_core::profile::Profile;
use yew::prelude::*;

use crate::components::console::Console;
use crate::components::node_card::NodeCard;
use crate::components::trace_list::TraceList;
use crate::components::transport::Transport;
use crate::lab::{ConsoleLine, Lab};

/// Real milliseconds between two simulation ticks while playing.
const TICK_MS: u32 = 50;

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_memo((), |_| {
        Rc::new(RefCell::new(demo::master_and_two_replicas(
            1,
            Profile::V7_0,
        )))
    });
    let version = use_mut_ref(|| 0u64);
    let force = use_force_update();
    let playing = use_state(|| true);
    let speed = use_state(|| 1.0f64);
    let error = use_state(|| Option::<String>::None);
    let lines = use_mut_ref(Vec::<ConsoleLine>::new);

    let lab = Lab {
        sim: (*sim).clone(),
        version: *version.borrow(),
    };

    // Mark the page ready for tests and embedders once the app has rendered.
    use_effect_with((), |_| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-ready", "1");
        }
    });

    {
        let lab = lab.clone();
        let version = version.clone();
        let force = force.clone();
        let error = error.clone();
        let lines = lines.clone();
        use_effect_with(
            (*playing, (*speed * 1000.0) as u64),
            move |&(playing, speed_milli)| {
                let interval = playing.then(|| {
                    // Carry fractional ms between ticks so slow speeds still advance.
                    let carry = Rc::new(RefCell::new(0u64));
                    Interval::new(TICK_MS, move || {
                        let mut c = carry.borrow_mut();
                        *c += TICK_MS as u64 * speed_milli;
                        let ms = *c / 1000;
                        *c %= 1000;
                        if ms == 0 {
                            return;
                        }
                        if let Err(e) = lab.advance(ms) {
                            error.set(Some(e));
                        }
                        lab.settle(&mut lines.borrow_mut());
                        *version.borrow_mut() += 1;
                        force.force_update();
                    })
                });
                move || drop(interval)
            },
        );
    }

    let on_toggle = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(!*playing))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: f64| speed.set(s))
    };
    let on_command = {
        let lab = lab.clone();
        let lines = lines.clone();
        let version = version.clone();
        let force = force.clone();
        Callback::from(move |(node, line): (NodeId, String)| {
            let entry = lab.console(node, &line);
            lines.borrow_mut().push(entry);
            *version.borrow_mut() += 1;
            force.force_update();
        })
    };

    let node_ids: Vec<NodeId> = (0..lab.sim.borrow().nodes().len())
        .map(|i| NodeId(i as u16))
        .collect();
    let now_ms = lab.sim.borrow().now_ms();

    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand">{"replilab"}<span class="tag">{"Redis replication lab"}</span></h1>
                <p class="lede">{"One master, two replicas 40 ms and 120 ms away, Redis 7.0. Type a write at the master and watch it travel: each replica applies it after its latency, and every offset grows by the exact bytes of the replication stream."}</p>
            </header>
            if let Some(e) = (*error).clone() {
                <div class="banner error" role="alert">{e}</div>
            }
            <Transport now_ms={now_ms} playing={*playing} speed={*speed} on_toggle={on_toggle} on_speed={on_speed} />
            <section class="nodes" aria-label="Nodes">
                { for node_ids.iter().map(|&id| html! { <NodeCard lab={lab.clone()} node={id} /> }) }
            </section>
            <div class="lower">
                <Console lab={lab.clone()} lines={lines.borrow().clone()} on_command={on_command} />
                <TraceList lab={lab.clone()} />
            </div>
        </div>
    }
}
