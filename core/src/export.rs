//! What the lab hands to the world outside it, each shape defined once
//! with serde and written the same way by the page and the native tool:
//!  - `trace_json`: the trace export (the page's "Export trace JSON",
//!    `replilab run FILE --trace`), `TraceEvent`'s `Serialize` (trace.rs);
//!  - `EmbedMessage`: what a page in an iframe posts to the course page
//!    around it (README, "embed"), `{source: "replilab", type, ...}`; the
//!    page converts it with `serde_wasm_bindgen` (maps as objects).

use serde::Serialize;

use crate::trace::TraceEvent;

/// The trace as JSON: an array, one event per line, each event as
/// `TraceEvent` serializes it (`t_ms`, `node`, `type`, then its fields).
pub fn trace_json(trace: &[TraceEvent]) -> String {
    let mut out = String::from("[\n");
    for (i, e) in trace.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        // Serializing owned strings and integers into a String cannot fail.
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    out.push_str("\n]\n");
    out
}

/// One message to the embedding page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EmbedMessage {
    /// Always "replilab": the embedding page filters on it.
    pub source: &'static str,
    #[serde(flatten)]
    pub event: Embed,
}

/// What happened, as the message's `type` and fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Embed {
    /// The page shows what its URL asked for.
    Ready,
    /// Step `step` (from 0) ended, at `t` ms of simulated time.
    Step { step: usize, t: u64 },
    /// The lesson ran to its end, at `t` ms.
    Complete { t: u64 },
}

impl From<Embed> for EmbedMessage {
    fn from(event: Embed) -> Self {
        EmbedMessage {
            source: "replilab",
            event,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{ConnId, NodeId};
    use crate::trace::TraceKind;

    #[test]
    fn embed_messages_keep_their_documented_shape() {
        let json = |e: Embed| serde_json::to_string(&EmbedMessage::from(e)).unwrap();
        assert_eq!(
            json(Embed::Ready),
            r#"{"source":"replilab","type":"ready"}"#
        );
        assert_eq!(
            json(Embed::Step { step: 2, t: 41000 }),
            r#"{"source":"replilab","type":"step","step":2,"t":41000}"#
        );
        assert_eq!(
            json(Embed::Complete { t: 90000 }),
            r#"{"source":"replilab","type":"complete","t":90000}"#
        );
    }

    #[test]
    fn the_trace_is_one_event_per_line() {
        let ev = |t_ms, kind| TraceEvent {
            t_ms,
            node: NodeId(1),
            kind,
        };
        let trace = [
            ev(
                5,
                TraceKind::ConnOpen {
                    conn: ConnId(3),
                    peer: NodeId(0),
                },
            ),
            ev(
                7,
                TraceKind::Log {
                    text: "say \"hi\"\n".into(),
                },
            ),
        ];
        assert_eq!(
            trace_json(&trace),
            "[\n{\"t_ms\":5,\"node\":1,\"type\":\"conn_open\",\"conn\":3,\"peer\":0},\n\
             {\"t_ms\":7,\"node\":1,\"type\":\"log\",\"text\":\"say \\\"hi\\\"\\n\"}\n]\n"
        );
        assert_eq!(trace_json(&[]), "[\n\n]\n");
    }
}
