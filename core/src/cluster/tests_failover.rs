//! Failure detection and failover over the cluster bus.

use super::tests::{cli, SIX};
use crate::client::Outcome;
use crate::node::NodeState;
use crate::scenario::{self, build::build};
use crate::sim::Sim;
use crate::trace::TraceKind;

fn run(extra: &str, secs: u64) -> Sim {
    let s = scenario::parse(&format!("{SIX}{extra}")).expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(secs * 1000).expect("runs");
    sim
}

fn logs(sim: &Sim, node: &str, needle: &str) -> usize {
    let id = sim.node_id(node).expect("node");
    sim.trace()
        .iter()
        .filter(|t| {
            t.node == id && matches!(&t.kind, TraceKind::Log { text } if text.contains(needle))
        })
        .count()
}

const APP: &str =
    "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 50\n";

#[test]
fn a_killed_master_is_replaced_by_its_replica_and_clients_recover() {
    let crash = "[[timeline]]\nat_s = 10\ndo = \"crash m1\"\n";
    let mut sim = run(&format!("{APP}{crash}"), 30);
    println!("events {}", sim.events_processed());
    for n in ["m2", "m3"] {
        assert_eq!(logs(&sim, n, "possibly failing"), 1, "{n}");
    }
    let marked = ["m2", "m3", "r1", "r2", "r3"]
        .iter()
        .map(|n| logs(&sim, n, "as failing (quorum reached)."))
        .sum::<usize>();
    assert!(marked >= 1);
    assert_eq!(
        logs(&sim, "r1", "Failover election won: I'm the new master."),
        1
    );
    assert_eq!(
        logs(&sim, "r1", "configEpoch set to 4 after successful failover"),
        1
    );
    assert_eq!(logs(&sim, "m2", "Failover auth granted to"), 1);
    assert_eq!(
        cli(&mut sim, "r1", "ROLE").lines().next(),
        Some("1) \"master\"")
    );
    let nodes = cli(&mut sim, "m2", "CLUSTER NODES");
    assert!(
        nodes
            .lines()
            .any(|l| l.contains("master,fail") && l.contains(" disconnected")),
        "{nodes}"
    );
    assert!(
        nodes
            .lines()
            .any(|l| l.contains(" master - ") && l.ends_with("connected 0-5460")),
        "{nodes}"
    );
    let id = sim.node_id("app").expect("app");
    let NodeState::Client(c) = &sim.node(id).expect("app").state else {
        panic!("client")
    };
    let late: Vec<_> = c
        .history
        .iter()
        .filter(|o| o.invoke_ms > 25_000 && o.complete_ms.is_some())
        .collect();
    assert!(late.len() > 50);
    assert!(
        late.iter().all(|o| matches!(o.outcome, Outcome::Ok(_))),
        "{:?}",
        late.iter().find(|o| !matches!(o.outcome, Outcome::Ok(_)))
    );
    // The cluster was down while m1's slots had no live owner.
    assert_eq!(logs(&sim, "m2", "Cluster state changed: fail"), 1);
    assert_eq!(logs(&sim, "m2", "Cluster state changed: ok"), 2);
}

#[test]
fn a_master_in_the_minority_stops_taking_writes_and_rejoins_as_a_replica() {
    let part = "[[timeline]]\nat_s = 10\ndo = \"partition m1,app / m2,m3,r1,r2,r3\"\n[[timeline]]\nat_s = 30\ndo = \"heal\"\n";
    let mut sim = run(&format!("{APP}{part}"), 20);
    assert_eq!(logs(&sim, "m1", "Cluster state changed: fail"), 1);
    let down = cli(&mut sim, "m1", "SET {a}x 1");
    assert_eq!(down, "(error) CLUSTERDOWN The cluster is down");
    assert_eq!(
        logs(&sim, "r1", "Failover election won: I'm the new master."),
        1
    );
    sim.run_until(40_000).expect("runs");
    assert_eq!(
        logs(
            &sim,
            "m1",
            "Configuration change detected. Reconfiguring myself as a replica of"
        ),
        1
    );
    assert_eq!(
        cli(&mut sim, "m1", "ROLE").lines().next(),
        Some("1) \"slave\"")
    );
    // Writes m1 acknowledged between the partition and CLUSTERDOWN are gone.
    assert!(!crate::checker::check(&sim).lost_writes.is_empty());
}

#[test]
fn a_stall_longer_than_a_low_node_timeout_causes_a_false_failover() {
    let low = SIX.replace("node_timeout_ms = 5000", "node_timeout_ms = 1000");
    let s = scenario::parse(&format!(
        "{low}[[timeline]]\nat_s = 10\ndo = \"pause m1 4s\"\n"
    ))
    .expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(25_000).expect("runs");
    assert_eq!(
        logs(&sim, "r1", "Failover election won: I'm the new master."),
        1
    );
    assert_eq!(
        cli(&mut sim, "m1", "ROLE").lines().next(),
        Some("1) \"slave\"")
    );
    let s = scenario::parse(&format!(
        "{SIX}[[timeline]]\nat_s = 10\ndo = \"pause m1 4s\"\n"
    ))
    .expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(25_000).expect("runs");
    assert_eq!(
        logs(&sim, "r1", "Failover election won: I'm the new master."),
        0
    );
}
