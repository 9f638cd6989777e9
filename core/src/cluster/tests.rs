//! A 3-master, 3-replica cluster built from a scenario: redirections and
//! the CLUSTER replies, as redis-server 7.0.15 gives them.

use crate::scenario::{self, build::build};
use crate::sim::{ConsoleOutcome, Sim};

pub(crate) const SIX: &str = r#"
format = "replilab/1"
id = "c"
title = { en = "c", zh = "c" }
duration_s = 30
[cluster]
node_timeout_ms = 5000
[[node]]
name = "m1"
kind = "redis"
[[node]]
name = "m2"
kind = "redis"
[[node]]
name = "m3"
kind = "redis"
[[node]]
name = "r1"
kind = "redis"
replicaof = "m1"
[[node]]
name = "r2"
kind = "redis"
replicaof = "m2"
[[node]]
name = "r3"
kind = "redis"
replicaof = "m3"
"#;

pub(crate) fn six() -> Sim {
    let s = scenario::parse(SIX).expect("parses");
    let mut sim = build(&s, None);
    sim.run_until(3000).expect("runs");
    sim
}

pub(crate) fn cli(sim: &mut Sim, node: &str, line: &str) -> String {
    let id = sim.node_id(node).expect("node");
    match sim.console(id, line) {
        ConsoleOutcome::Reply(r) => r,
        ConsoleOutcome::Pending(t) => format!("pending {t}"),
    }
}

#[test]
fn redirects_like_get_node_by_query() {
    let mut sim = six();
    assert_eq!(
        cli(&mut sim, "m1", "CLUSTER KEYSLOT foo"),
        "(integer) 12182"
    );
    assert_eq!(
        cli(&mut sim, "m1", "SET foo 1"),
        "(error) MOVED 12182 10.0.0.3:6379"
    );
    assert_eq!(cli(&mut sim, "m3", "SET foo 1"), "OK");
    assert_eq!(
        cli(&mut sim, "m1", "MSET a 1 b 2"),
        "(error) CROSSSLOT Keys in request don't hash to the same slot"
    );
    assert_eq!(
        cli(&mut sim, "m1", "MSET {u}a 1 {u}b 2"),
        "(error) MOVED 11826 10.0.0.3:6379"
    );
    assert_eq!(cli(&mut sim, "m1", "PING"), "PONG");
    // A replica redirects reads to its master unless READONLY.
    sim.run_until(9000).expect("runs");
    assert_eq!(
        cli(&mut sim, "r3", "GET foo"),
        "(error) MOVED 12182 10.0.0.3:6379"
    );
    assert_eq!(cli(&mut sim, "r3", "READONLY"), "OK");
    assert_eq!(cli(&mut sim, "r3", "GET foo"), "\"1\"");
    assert_eq!(
        cli(&mut sim, "r3", "SET foo 2"),
        "(error) MOVED 12182 10.0.0.3:6379"
    );
    assert_eq!(
        cli(&mut sim, "m3", "CLUSTER COUNTKEYSINSLOT 12182"),
        "(integer) 1"
    );
    assert_eq!(
        cli(&mut sim, "m3", "CLUSTER GETKEYSINSLOT 12182 5"),
        "1) \"foo\""
    );
    assert_eq!(
        cli(&mut sim, "m3", "CLUSTER COUNTKEYSINSLOT 99999"),
        "(error) ERR Invalid slot"
    );
    assert_eq!(
        cli(&mut sim, "m3", "CLUSTER GETKEYSINSLOT 1 -1"),
        "(error) ERR Invalid slot or number of keys"
    );
    assert_eq!(
        cli(&mut sim, "m3", "CLUSTER FOO"),
        "(error) ERR unknown subcommand 'FOO'. Try CLUSTER HELP."
    );
}

#[test]
fn transactions_are_flagged_or_discarded() {
    let mut sim = six();
    assert_eq!(cli(&mut sim, "m1", "MULTI"), "OK");
    assert_eq!(
        cli(&mut sim, "m1", "SET foo 1"),
        "(error) MOVED 12182 10.0.0.3:6379"
    );
    assert_eq!(
        cli(&mut sim, "m1", "EXEC"),
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
}

#[test]
fn cluster_nodes_info_and_slots_shapes() {
    let mut sim = six();
    let nodes = cli(&mut sim, "m1", "CLUSTER NODES");
    let lines: Vec<&str> = nodes.lines().collect();
    assert_eq!(lines.len(), 6);
    let me: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!(me[0].len(), 40);
    assert_eq!(me[1], "10.0.0.1:6379@16379");
    assert_eq!(me[2], "myself,master");
    assert_eq!(
        (me[3], me[4], me[6], me[7], me[8]),
        ("-", "0", "1", "connected", "0-5460")
    );
    let r1: Vec<&str> = lines[3].split(' ').collect();
    assert_eq!((r1[2], r1[3], r1[6]), ("slave", me[0], "1"));
    let info = cli(&mut sim, "m1", "CLUSTER INFO");
    assert!(
        info.starts_with("cluster_state:ok\ncluster_slots_assigned:16384\n"),
        "{info}"
    );
    assert!(info.contains(
        "cluster_known_nodes:6\ncluster_size:3\ncluster_current_epoch:3\ncluster_my_epoch:1\n"
    ));
    let slots = cli(&mut sim, "m1", "CLUSTER SLOTS");
    assert!(slots.starts_with("1) 1) (integer) 0\n   2) (integer) 5460\n   3) 1) \"10.0.0.1\"\n      2) (integer) 6379\n"), "{slots}");
    assert!(slots.contains("      4) (empty array)"));
    assert_eq!(cli(&mut sim, "m2", "CLUSTER MYID").len(), 42);
}

#[test]
fn uncovered_slots_put_the_cluster_down() {
    let src = SIX.replace(
        "node_timeout_ms = 5000",
        "node_timeout_ms = 5000\n[[cluster.slots]]\nnode = \"m1\"\nranges = [[0, 100]]",
    );
    let s = scenario::parse(&src).expect("uncovered slots are allowed");
    let mut sim = build(&s, None);
    sim.run_until(1000).expect("runs");
    assert_eq!(
        cli(&mut sim, "m1", "SET foo 1"),
        "(error) CLUSTERDOWN Hash slot not served"
    );
    let served = (0..)
        .map(|i| format!("k{i}"))
        .find(|k| super::key_slot(k.as_bytes()) <= 100);
    let line = format!("GET {}", served.expect("a key in slots 0-100"));
    assert_eq!(
        cli(&mut sim, "m1", &line),
        "(error) CLUSTERDOWN The cluster is down"
    );
    assert!(cli(&mut sim, "m1", "CLUSTER INFO").starts_with("cluster_state:fail\n"));
}

#[test]
fn bad_cluster_tables_are_clear_errors() {
    let with = |extra: &str| {
        let src = SIX.replace(
            "node_timeout_ms = 5000",
            &format!("node_timeout_ms = 5000\n{extra}"),
        );
        scenario::parse(&src).map(|_| ()).map_err(|e| e.to_string())
    };
    let e = with("[[cluster.slots]]\nnode = \"m1\"\nranges = [[0, 100]]\n[[cluster.slots]]\nnode = \"m2\"\nranges = [[50, 200]]").unwrap_err();
    assert!(
        e.contains("[[cluster.slots]] #2: slot 50 is given to both 'm1' and 'm2'"),
        "{e}"
    );
    let e = with("[[cluster.slots]]\nnode = \"zz\"\nranges = [[0, 1]]").unwrap_err();
    assert!(
        e.contains("unknown master 'zz' in `node` (masters: m1, m2, m3)"),
        "{e}"
    );
    let e = with("[[cluster.slots]]\nnode = \"r1\"\nranges = [[0, 1]]").unwrap_err();
    assert!(e.contains("unknown master 'r1'"), "{e}");
    let e = with("[[cluster.slots]]\nnode = \"m1\"\nranges = [[10, 20000]]").unwrap_err();
    assert!(e.contains("bad range [10, 20000]"), "{e}");
    let e = with("bogus = 1").unwrap_err();
    assert!(e.contains("unknown field `bogus`"), "{e}");
    let no_cluster = SIX.replace("[cluster]\nnode_timeout_ms = 5000\n", "");
    let client = "[[node]]\nname = \"app\"\nkind = \"client\"\nrouting = \"cluster\"\n";
    let e = scenario::parse(&format!("{no_cluster}{client}"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("routing \"cluster\" needs a [cluster] table"),
        "{e}"
    );
    let fixed = "[[node]]\nname = \"app\"\nkind = \"client\"\ntarget = \"m1\"\ncluster_workload = { kind = \"spread\" }\n";
    let e = scenario::parse(&format!("{SIX}{fixed}"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`cluster_workload` needs routing = \"cluster\""),
        "{e}"
    );
    let chained = SIX.replace("replicaof = \"m3\"", "replicaof = \"r1\"");
    let e = scenario::parse(&chained).unwrap_err().to_string();
    assert!(
        e.contains("node 'r3' replicates 'r1', which is not a cluster master"),
        "{e}"
    );
}

#[test]
fn a_slot_moves_with_setslot_and_migrate() {
    let mut sim = six();
    let id = |sim: &mut Sim, n: &str| cli(sim, n, "CLUSTER MYID").trim_matches('"').to_string();
    let (m1, m3) = (id(&mut sim, "m1"), id(&mut sim, "m3"));
    assert_eq!(cli(&mut sim, "m3", "SET foo 1"), "OK");
    assert_eq!(
        cli(
            &mut sim,
            "m1",
            &format!("CLUSTER SETSLOT 12182 IMPORTING {m3}")
        ),
        "OK"
    );
    assert_eq!(
        cli(
            &mut sim,
            "m3",
            &format!("CLUSTER SETSLOT 12182 MIGRATING {m1}")
        ),
        "OK"
    );
    assert_eq!(
        cli(&mut sim, "m3", "GET {foo}x"),
        "(error) ASK 12182 10.0.0.1:6379"
    );
    let t = match sim.console(
        sim.node_id("m3").expect("m3"),
        "MIGRATE 10.0.0.1 6379 \"\" 0 5000 KEYS foo",
    ) {
        ConsoleOutcome::Pending(t) => t,
        other => panic!("{other:?}"),
    };
    sim.run_until(3100).expect("runs");
    assert_eq!(sim.console_reply(t), Some("OK"));
    assert_eq!(
        cli(&mut sim, "m3", "GET foo"),
        "(error) ASK 12182 10.0.0.1:6379"
    );
    assert_eq!(
        cli(&mut sim, "m1", "GET foo"),
        "(error) MOVED 12182 10.0.0.3:6379"
    );
    assert_eq!(cli(&mut sim, "m1", "ASKING"), "OK");
    assert_eq!(cli(&mut sim, "m1", "GET foo"), "\"1\"");
    assert_eq!(
        cli(&mut sim, "m1", &format!("CLUSTER SETSLOT 12182 NODE {m1}")),
        "OK"
    );
    assert_eq!(
        cli(&mut sim, "m3", &format!("CLUSTER SETSLOT 12182 NODE {m1}")),
        "OK"
    );
    assert_eq!(
        cli(&mut sim, "m3", "GET foo"),
        "(error) MOVED 12182 10.0.0.1:6379"
    );
    sim.run_until(12_000).expect("runs");
    assert_eq!(
        cli(&mut sim, "m2", "GET foo"),
        "(error) MOVED 12182 10.0.0.1:6379"
    );
    assert_eq!(cli(&mut sim, "r1", "READONLY"), "OK");
    assert_eq!(cli(&mut sim, "r1", "GET foo"), "\"1\"");
}

#[test]
fn cluster_settings_are_config_parameters() {
    let mut sim = six();
    assert_eq!(
        cli(&mut sim, "m1", "CONFIG GET cluster-node-timeout"),
        "1) \"cluster-node-timeout\"\n2) \"5000\""
    );
    assert_eq!(
        cli(&mut sim, "m1", "CONFIG SET cluster-enabled no"),
        "(error) ERR CONFIG SET failed (possibly related to argument 'cluster-enabled') - can't set immutable config"
    );
    assert_eq!(
        cli(&mut sim, "m1", "CONFIG SET cluster-node-timeout abc"),
        "(error) ERR CONFIG SET failed (possibly related to argument 'cluster-node-timeout') - argument couldn't be parsed into an integer"
    );
    assert_eq!(
        cli(&mut sim, "m1", "CONFIG SET cluster-node-timeout 1000"),
        "OK"
    );
    assert_eq!(
        cli(&mut sim, "m1", "CONFIG GET cluster-slave-validity-factor"),
        "1) \"cluster-slave-validity-factor\"\n2) \"10\""
    );
}

/// `ranges_of` (runs of one owner) and `compute_ok` (masters serving a
/// slot) against the plain per-slot scans they replaced, on random tables.
#[test]
fn slot_ranges_and_cluster_state_match_a_plain_scan() {
    use super::{ClusterState, FAIL, NONE, PFAIL};
    let sim = six();
    let m1 = sim.node_id("m1").unwrap();
    let Some(crate::node::NodeState::Redis(r)) = sim.node(m1).map(|n| &n.state) else {
        panic!("m1 is a server")
    };
    let mut st: ClusterState = (**r.cluster.as_ref().unwrap()).clone();
    let naive_ranges = |st: &ClusterState, i: usize| {
        let mut out: Vec<(u16, u16)> = Vec::new();
        for s in 0..super::SLOTS {
            let o = st.slots.get(s);
            if o as usize != i || o == NONE {
                continue;
            }
            match out.last_mut() {
                Some(r) if r.1 + 1 == s => r.1 = s,
                _ => out.push((s, s)),
            }
        }
        out
    };
    let naive_ok = |st: &ClusterState| {
        let failed = |o: u16| o == NONE || st.nodes[o as usize].flags & FAIL != 0;
        if st.spec.require_full_coverage && (0..super::SLOTS).any(|s| failed(st.slots.get(s))) {
            return false;
        }
        let masters: Vec<usize> = (0..st.nodes.len())
            .filter(|&i| st.is_master(i) && (0..super::SLOTS).any(|s| st.slots.get(s) == i as u16))
            .collect();
        let up = masters
            .iter()
            .filter(|&&i| st.nodes[i].flags & (PFAIL | FAIL) == 0)
            .count();
        up > masters.len() / 2
    };
    let mut rng = crate::rng::Rng::new(7);
    let n = st.nodes.len() as u64;
    for round in 0..60 {
        for _ in 0..rng.below(300) {
            let s = rng.below(16384) as u16;
            let owner = if rng.below(8) == 0 {
                NONE
            } else {
                rng.below(n) as u16
            };
            st.slots.set(s, owner);
        }
        let i = rng.below(n) as usize;
        st.nodes[i].flags ^= [0, PFAIL, FAIL][rng.below(3) as usize];
        st.spec.require_full_coverage = rng.below(2) == 0;
        for i in 0..st.nodes.len() {
            assert_eq!(
                st.ranges_of(i),
                naive_ranges(&st, i),
                "round {round}, node {i}"
            );
        }
        assert_eq!(st.compute_ok(), naive_ok(&st), "round {round}");
    }
}
