//! Exports: the trace as JSON (`replilab_core::export`, byte for byte what
//! `replilab run FILE --trace` prints), the diagram as SVG, and the
//! deployment as redis.conf / sentinel.conf fragments to replay on real Redis.

use replilab_core::sim::{NodeSpec, Sim};

use crate::dom;

/// One fragment per host, as its config file would hold it now.
pub fn conf(sim: &Sim) -> String {
    let mut out = String::from(
        "# replilab: the deployment as config files (settings that differ from the defaults).\n",
    );
    for n in sim.nodes() {
        match &n.spec {
            NodeSpec::Redis(s) => {
                out.push_str(&format!(
                    "\n# ---- {} ({}:{}) redis.conf, Redis {}\nport {}\n",
                    n.name,
                    n.host,
                    n.port,
                    s.profile.label(),
                    n.port
                ));
                if let Some((h, p)) = &s.replicaof {
                    out.push_str(&format!("replicaof {h} {p}\n"));
                }
                for l in s.conf.to_conf_lines(s.profile) {
                    out.push_str(&l);
                    out.push('\n');
                }
            }
            NodeSpec::Sentinel(s) => {
                out.push_str(&format!(
                    "\n# ---- {} ({}:{}) sentinel.conf\nport {}\n",
                    n.name, n.host, n.port, n.port
                ));
                if !s.protected_mode {
                    out.push_str("protected-mode no\n");
                }
                for m in &s.monitors {
                    out.push_str(&format!(
                        "sentinel monitor {} {} {} {}\n",
                        m.name, m.host, m.port, m.quorum
                    ));
                    out.push_str(&format!(
                        "sentinel down-after-milliseconds {} {}\n",
                        m.name, m.down_after_ms
                    ));
                    out.push_str(&format!(
                        "sentinel failover-timeout {} {}\n",
                        m.name, m.failover_timeout_ms
                    ));
                    out.push_str(&format!(
                        "sentinel parallel-syncs {} {}\n",
                        m.name, m.parallel_syncs
                    ));
                }
            }
            NodeSpec::Client(_) => {}
        }
    }
    out
}

pub fn run(what: &str, sim: &Sim, id: &str) {
    match what {
        "trace" => {
            let json = replilab_core::export::trace_json(sim.trace());
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
}
