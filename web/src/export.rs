//! Exports: the trace as JSON (`replilab_core::export`, byte for byte what
//! `replilab run FILE --trace` prints), the diagram as SVG, and the
//! deployment as redis.conf / sentinel.conf fragments to replay on real Redis.

use replilab_core::node::NodeSpec;
use replilab_core::sim::Sim;
use replilab_core::timeline::Session;

use crate::dom;
use crate::i18n::{self, Lang};

/// One fragment per host, as its config file would hold it now (the core
/// renders each file: `NodeSpec::conf_file`).
pub fn conf(sim: &Sim) -> String {
    let mut out = String::from(
        "# replilab: the deployment as config files (settings that differ from the defaults).\n",
    );
    for n in sim.nodes() {
        let Some((file, lines)) = n.spec.conf_file(n.port) else {
            continue;
        };
        let version = match &n.spec {
            NodeSpec::Redis(s) => format!(", Redis {}", s.profile.label()),
            _ => String::new(),
        };
        out.push_str(&format!(
            "\n# ---- {} ({}:{}) {file}{version}\n",
            n.name, n.host, n.port
        ));
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// The most events a trace export holds: about an hour of seed 001's
/// deployment, a JSON file of ~300 MB; a longer run would not fit the tab.
const MAX_EXPORT_EVENTS: usize = 2_000_000;

/// Downloads `what`, or says (in `l`) why not: the run is too long to
/// export, or the replay of its dropped start failed as the run itself
/// can (the event budget).
pub fn run(what: &str, session: &Session, l: Lang) -> Result<(), String> {
    let (sim, id) = (&session.sim, session.id());
    match what {
        "trace" => {
            let n = sim.trace_end();
            if n > MAX_EXPORT_EVENTS {
                let (n, max) = (n.to_string(), MAX_EXPORT_EVENTS.to_string());
                return Err(l.f(i18n::EXPORT_TOO_LONG, &[&n, &max]));
            }
            // The whole run, replayed if the page dropped its start.
            let trace = session
                .whole_trace()
                .map_err(|e| l.f(i18n::RUN_STOPPED, &[&e]))?;
            let json = replilab_core::export::trace_json(&trace);
            dom::download(
                &format!("replilab-{id}-trace.json"),
                "application/json",
                &json,
            );
        }
        "svg" => {
            if let Some(svg) = dom::outer_html("diagram-svg") {
                dom::download(&format!("replilab-{id}-diagram.svg"), "image/svg+xml", &svg);
            }
        }
        _ => dom::download(&format!("replilab-{id}.conf"), "text/plain", &conf(sim)),
    }
    Ok(())
}
