//! Exports: the trace as JSON, the diagram as SVG, and the deployment as
//! redis.conf / sentinel.conf fragments to replay on real Redis.

use replilab_core::sim::{NodeSpec, Sim};
use replilab_core::trace::TraceKind;

use crate::dom;

/// The trace as JSON, in the shape of the core's `Serialize` (`type` tag,
/// snake_case), written by hand: the serde machinery costs more wasm.
pub fn trace_json(sim: &Sim) -> Option<String> {
    let mut out = String::from("[\n");
    for (i, e) in sim.trace().iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!("{{\"t_ms\":{},\"node\":{},", e.t_ms, e.node.0));
        let body = match &e.kind {
            TraceKind::Send { msg, conn, to, kind, bytes, summary } => format!(
                "\"type\":\"send\",\"msg\":{msg},\"conn\":{},\"to\":{},\"kind\":{},\"bytes\":{bytes},\"summary\":{}",
                conn.0, to.0, q(crate::components::diagram::kind_name(*kind)), q(summary)
            ),
            TraceKind::Deliver { msg, from } => format!("\"type\":\"deliver\",\"msg\":{msg},\"from\":{}", from.0),
            TraceKind::Drop { msg, reason } => format!("\"type\":\"drop\",\"msg\":{msg},\"reason\":{}", q(reason)),
            TraceKind::Held { msg } => format!("\"type\":\"held\",\"msg\":{msg}"),
            TraceKind::ConnOpen { conn, peer } => format!("\"type\":\"conn_open\",\"conn\":{},\"peer\":{}", conn.0, peer.0),
            TraceKind::ConnClose { conn, peer, reason } => format!("\"type\":\"conn_close\",\"conn\":{},\"peer\":{},\"reason\":{}", conn.0, peer.0, q(reason)),
            TraceKind::Exec { client, cmd, reply } => format!("\"type\":\"exec\",\"client\":{},\"cmd\":{},\"reply\":{}", q(client), q(cmd), q(reply)),
            TraceKind::Apply { cmd, bytes, offset } => format!("\"type\":\"apply\",\"cmd\":{},\"bytes\":{bytes},\"offset\":{offset}", q(cmd)),
            TraceKind::Feed { cmd, bytes, offset } => format!("\"type\":\"feed\",\"cmd\":{},\"bytes\":{bytes},\"offset\":{offset}", q(cmd)),
            TraceKind::Role { role } => format!("\"type\":\"role\",\"role\":{}", q(role)),
            TraceKind::Sync { replica, full, reason } => format!("\"type\":\"sync\",\"replica\":{},\"full\":{full},\"reason\":{}", replica.0, q(reason)),
            TraceKind::Expired { key } => format!("\"type\":\"expired\",\"key\":{}", q(key)),
            TraceKind::Log { text } => format!("\"type\":\"log\",\"text\":{}", q(text)),
            TraceKind::Fault { text } => format!("\"type\":\"fault\",\"text\":{}", q(text)),
            TraceKind::Sentinel { event } => format!("\"type\":\"sentinel\",\"event\":{}", q(&event.to_string())),
            TraceKind::Ack { conn, cmd, replid, offset } => format!("\"type\":\"ack\",\"conn\":{},\"cmd\":{},\"replid\":{},\"offset\":{offset}", conn.0, q(cmd), q(replid)),
            TraceKind::Op { op, text } => format!("\"type\":\"op\",\"op\":{op},\"text\":{}", q(text)),
        };
        out.push_str(&body);
        out.push('}');
    }
    out.push_str("\n]\n");
    Some(out)
}

/// A JSON string literal.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

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

pub fn run(what: &str, sim: &Sim, id: &str) {
    match what {
        "trace" => {
            if let Some(json) = trace_json(sim) {
                dom::download(
                    &format!("replilab-{id}-trace.json"),
                    "application/json",
                    &json,
                );
            }
        }
        "svg" => {
            if let Some(svg) = dom::outer_html("diagram-svg") {
                dom::download(&format!("replilab-{id}-diagram.svg"), "image/svg+xml", &svg);
            }
        }
        _ => dom::download(&format!("replilab-{id}.conf"), "text/plain", &conf(sim)),
    }
}
