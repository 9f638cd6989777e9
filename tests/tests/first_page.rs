//! The behaviour the first page shows: a write travels from the master to
//! each replica after that replica's latency, and every offset grows by the
//! exact RESP bytes of the replication stream.

use replilab_core::demo;
use replilab_core::profile::Profile;
use replilab_core::redis::ReplicaState;
use replilab_harness::dsl::{field_of, Lab};

fn synced_demo() -> Lab {
    let mut lab = Lab {
        sim: demo::master_and_two_replicas(1, Profile::V7_0),
    };
    // 7.0 defaults: diskless sync after repl-diskless-sync-delay 5 s.
    for _ in 0..200 {
        lab.run_ms(100);
        let up = ["r1", "r2"].iter().all(|r| {
            lab.redis(r)
                .master
                .as_ref()
                .is_some_and(|m| m.is_connected())
        });
        // After a diskless sync the master streams only once it has the replica's first ACK.
        let m = lab.redis("m");
        let acked = m.replicas.len() == 2
            && m.replicas.values().all(|r| {
                r.ack_offset == m.ids.master_repl_offset
                    && r.state
                        == ReplicaState::Online {
                            waiting_first_ack: false,
                        }
            });
        if up && acked {
            return lab;
        }
    }
    panic!("replicas did not come online within 20 s");
}

#[test]
fn replicas_come_online_after_the_diskless_delay() {
    let mut lab = Lab {
        sim: demo::master_and_two_replicas(1, Profile::V7_0),
    };
    lab.at_s(4);
    assert_eq!(lab.info("r1", "master_link_status"), "down");
    lab.at_s(9);
    assert_eq!(lab.info("r1", "master_link_status"), "up");
    assert_eq!(lab.info("r2", "master_link_status"), "up");
    assert_eq!(lab.info_all("m", "sync_full"), "2");
    assert_eq!(
        lab.info_all("m", "sync_partial_err"),
        "0",
        "PSYNC ? -1 is not a failed partial sync"
    );
}

#[test]
fn set_reaches_each_replica_after_its_latency() {
    let mut lab = synced_demo();
    let t0 = lab.sim.now_ms();
    assert_eq!(lab.cmd("m", "SET k v"), "OK");
    lab.at_ms(t0 + 39);
    assert_eq!(lab.cmd("r1", "GET k"), "(nil)", "r1 is 40 ms away");
    lab.at_ms(t0 + 40);
    assert_eq!(lab.cmd("r1", "GET k"), "\"v\"");
    lab.at_ms(t0 + 119);
    assert_eq!(lab.cmd("r2", "GET k"), "(nil)", "r2 is 120 ms away");
    lab.at_ms(t0 + 120);
    assert_eq!(lab.cmd("r2", "GET k"), "\"v\"");
}

#[test]
fn offsets_grow_by_the_resp_length_of_the_stream() {
    let mut lab = synced_demo();
    let before = lab.offset("m");
    lab.cmd("m", "SET k v");
    // The first write after the sync carries SELECT 0 (23 bytes) before SET k v (27 bytes).
    assert_eq!(lab.offset("m") - before, 23 + 27);
    let before = lab.offset("m");
    lab.cmd("m", "SET k2 v2");
    assert_eq!(lab.offset("m") - before, 29);
    lab.run_ms(200);
    for r in ["r1", "r2"] {
        let info = lab.cmd(r, "INFO replication");
        assert_eq!(
            field_of(&info, "slave_repl_offset").unwrap(),
            lab.offset("m").to_string()
        );
        assert_eq!(
            field_of(&info, "master_repl_offset").unwrap(),
            lab.offset("m").to_string()
        );
    }
}

#[test]
fn writes_that_change_nothing_are_not_propagated() {
    let mut lab = synced_demo();
    lab.cmd("m", "SET k v");
    let before = lab.offset("m");
    assert_eq!(lab.cmd("m", "DEL nosuchkey"), "(integer) 0");
    assert_eq!(lab.cmd("m", "SET k x NX"), "(nil)");
    assert_eq!(lab.cmd("m", "GET k"), "\"v\"");
    assert_eq!(lab.offset("m"), before);
}

#[test]
fn replicas_refuse_writes_with_the_readonly_error() {
    let mut lab = synced_demo();
    assert_eq!(
        lab.cmd("r1", "SET k v"),
        "(error) READONLY You can't write against a read only replica."
    );
    assert_eq!(lab.cmd("r1", "GET k"), "(nil)");
}
