//! The cluster-aware client and the skew view: spread keys, a hot key,
//! hot-key copies going stale, a tag pulling keys onto one slot, MOVED.

use super::skew::{expect_value, stale_copy_reads};
use super::SkewView;
use crate::client::{OpKind, Outcome};
use crate::cluster::key_slot;
use crate::cluster::tests::{cli, SIX};
use crate::node::NodeState;
use crate::scenario::{self, build::build};
use crate::sim::Sim;

fn with_clients(clients: &str, secs: u64) -> Sim {
    let s = scenario::parse(&format!("{SIX}{clients}")).expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(secs * 1000).expect("runs");
    sim
}

fn ops(sim: &Sim, client: &str) -> Vec<(OpKind, Outcome)> {
    let id = sim.node_id(client).expect("client");
    match &sim.node(id).expect("slot").state {
        NodeState::Client(c) => c
            .history
            .iter()
            .map(|o| (o.kind.clone(), o.outcome.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn spread_keys_land_on_every_master_without_redirects() {
    let sim = with_clients(
        "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 10\n",
        6,
    );
    let all = ops(&sim, "app");
    assert!(all.len() > 400, "{}", all.len());
    assert!(
        all.iter().all(|(_, o)| matches!(o, Outcome::Ok(_))),
        "{:?}",
        all.iter().find(|(_, o)| !matches!(o, Outcome::Ok(_)))
    );
    let v = SkewView::of(&sim);
    let masters: Vec<u64> = v
        .nodes
        .iter()
        .filter(|n| n.role == "master")
        .map(|n| n.keys)
        .collect();
    assert_eq!(masters.len(), 3);
    assert!(masters.iter().all(|&k| k > 100), "{masters:?}");
    assert_eq!(expect_value(&sim, "moved", None, None), Ok(0));
    assert!(expect_value(&sim, "max_keys_ratio_pct", None, None).unwrap() < 130);
    assert_eq!(
        v.slots.iter().map(|s| s.keys).sum::<u64>(),
        masters.iter().sum::<u64>()
    );
}

#[test]
fn a_hot_key_loads_one_node_and_copies_spread_it_but_go_stale() {
    let hot = "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 2\ncluster_workload = { kind = \"hot_read\", key = \"hot\" }\n";
    let sim = with_clients(hot, 8);
    let owner = ["m1", "m2", "m3"]
        [usize::from(key_slot(b"hot") > 5460) + usize::from(key_slot(b"hot") > 10922)];
    let v = SkewView::of(&sim);
    let busy = v.node(owner).expect("owner").ops_per_s;
    assert!(busy > 150, "{busy}");
    for n in v
        .nodes
        .iter()
        .filter(|n| n.role == "master" && n.name != owner)
    {
        assert_eq!(n.ops_per_s, 0, "{}", n.name);
    }
    let copies = "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 2\ncluster_workload = { kind = \"hot_copies\", key = \"hot\", copies = 12, write_every = 50 }\n";
    let sim = with_clients(copies, 8);
    let v = SkewView::of(&sim);
    let per: Vec<u64> = v
        .nodes
        .iter()
        .filter(|n| n.role == "master")
        .map(|n| n.ops_per_s)
        .collect();
    assert!(per.iter().all(|&o| o > 20 && o < busy), "{per:?}");
    assert!(stale_copy_reads(&sim, None) > 100);
    let never = copies.replace("write_every = 50", "write_every = 0");
    assert_eq!(stale_copy_reads(&with_clients(&never, 8), None), 0);
}

#[test]
fn a_hash_tag_pulls_every_key_onto_one_slot() {
    let sim = with_clients(
        "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nperiod_ms = 10\ncluster_workload = { kind = \"tagged\", tag = \"user1000\" }\n",
        5,
    );
    let v = SkewView::of(&sim);
    assert_eq!(v.slots.len(), 1);
    assert_eq!(v.slots[0].slot, 3443);
    assert_eq!(v.slots[0].node, "m1");
    assert!(expect_value(&sim, "max_keys_ratio_pct", None, None).unwrap() > 10_000);
}

#[test]
fn the_client_follows_moved_and_refreshes_its_map() {
    let s = scenario::parse(&format!(
        "{SIX}[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\nstart_s = 3\ncluster_workload = {{ kind = \"tagged\", tag = \"user1000\" }}\n"
    ))
    .expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(2000).expect("runs");
    // Slot 3443 (empty) moves from m1 to m2 on every node; the client's map is old.
    let m2 = cli(&mut sim, "m2", "CLUSTER MYID")
        .trim_matches('"')
        .to_string();
    for n in ["m1", "m2", "m3", "r1", "r2", "r3"] {
        let line = format!("CLUSTER SETSLOT 3443 NODE {m2}");
        let r = cli(&mut sim, n, &line);
        assert!(r == "OK" || r.contains("only with masters"), "{n}: {r}");
    }
    sim.run_until(6000).expect("runs");
    let all = ops(&sim, "app");
    let bad: Vec<_> = all
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Ok(_) | Outcome::Pending))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(expect_value(&sim, "moved", None, None), Ok(1));
    assert!(SkewView::of(&sim).node("m2").expect("m2").keys > 10);
}
