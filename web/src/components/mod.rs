pub mod console;
pub mod node_card;
pub mod trace_list;
pub mod transport;

/// Simulated time as the page shows it: `12.340 s`.
pub fn fmt_time(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}
