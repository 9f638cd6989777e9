//! Exports: the trace as JSON (`replilab_core::export`, byte for byte what
//! `replilab run FILE --trace` prints), the diagram as SVG, and the
//! deployment as redis.conf / sentinel.conf fragments to replay on real Redis.

use replilab_core::node::NodeSpec;
use replilab_core::sim::Sim;
use replilab_core::timeline::Session;

use crate::dom;

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

/// Downloads `what`; the whole trace may need a replay, which can fail
/// only as the run itself did (the event budget).
pub fn run(what: &str, session: &Session) -> Result<(), String> {
    let (sim, id) = (&session.sim, session.id());
    match what {
        "trace" => {
            // The whole run, replayed if the page dropped its start.
            let trace = session.whole_trace()?;
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
