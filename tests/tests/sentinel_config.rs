//! Sentinel configuration mistakes the seeds warn about, and Sentinel's
//! console commands.

use replilab_core::sentinel::{MonitorSpec, SentinelSpec};
use replilab_core::sim::Fault;
use replilab_harness::dsl::Lab;

fn lab_with(seed: u64, quorum: u32, sentinels: usize, protected_mode: bool) -> Lab {
    let m = MonitorSpec {
        quorum,
        down_after_ms: 5_000,
        failover_timeout_ms: 30_000,
        ..MonitorSpec::default()
    };
    let spec = SentinelSpec {
        monitors: vec![m],
        protected_mode,
        ..SentinelSpec::default()
    };
    Lab::with_sentinel_spec(
        seed,
        2,
        sentinels,
        |s| s.conf.repl_diskless_sync_delay = 0,
        spec,
    )
}

/// Seed 002: `protected-mode yes` on Sentinels on different hosts: each
/// refuses the others' connections, so no votes can be gathered and no
/// failover happens (they still see each other's hellos through the master).
#[test]
fn protected_mode_between_sentinels_prevents_failover() {
    let mut lab = lab_with(51, 2, 3, true);
    lab.at_s(20);
    // The Sentinels know of each other (hellos travel through the master),
    // but every PING between them is refused: CKQUORUM shows the problem.
    assert_eq!(
        lab.cmd("s1", "INFO")
            .lines()
            .find(|l| l.starts_with("master0"))
            .unwrap(),
        "master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=3"
    );
    assert_eq!(
        lab.cmd("s1", "SENTINEL ckquorum mymaster"),
        "(error) NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover"
    );
    lab.pause("m", 30_000);
    lab.run_ms(40_000);
    let events = lab.sentinel_events().join("\n");
    assert!(events.contains("+sdown master mymaster"), "{events}");
    assert!(
        !events.contains("+odown"),
        "no Sentinel hears the others agree:\n{events}"
    );
    assert!(!events.contains("+switch-master"));
    assert!(!lab
        .trace_lines("DENIED Redis is running in protected mode")
        .is_empty());
}

/// The same deployment with protected-mode no fails over.
#[test]
fn without_protected_mode_the_same_stall_fails_over() {
    let mut lab = lab_with(51, 2, 3, false);
    lab.at_s(20);
    lab.pause("m", 30_000);
    lab.run_ms(40_000);
    assert!(lab
        .sentinel_events()
        .iter()
        .any(|e| e.contains("+switch-master")));
}

/// sentinel 00-base (facts §12.26): a quorum larger than the number of
/// Sentinels never reaches ODOWN; ckquorum says so.
#[test]
fn a_quorum_larger_than_the_sentinels_never_fails_over() {
    let mut lab = lab_with(53, 4, 3, false);
    lab.at_s(20);
    assert_eq!(
        lab.cmd("s1", "SENTINEL ckquorum mymaster"),
        "(error) NOQUORUM 3 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master"
    );
    lab.pause("m", 30_000);
    lab.run_ms(40_000);
    let events = lab.sentinel_events().join("\n");
    assert!(
        events.contains("+sdown master mymaster") && !events.contains("+odown"),
        "{events}"
    );
}

/// sentinel 06-ckquorum (facts §12.27): with two of three Sentinels down, quorum
/// 1 is reachable but a majority is not.
#[test]
fn ckquorum_reports_a_missing_majority() {
    let mut lab = lab_with(55, 1, 3, false);
    lab.at_s(20);
    let (s2, s3) = (lab.id("s2"), lab.id("s3"));
    lab.fault(Fault::Crash { node: s2 })
        .fault(Fault::Crash { node: s3 });
    lab.run_ms(10_000);
    assert_eq!(
        lab.cmd("s1", "SENTINEL ckquorum mymaster"),
        "(error) NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover"
    );
}

/// sentinel 05-manual (facts §12.29): SENTINEL FAILOVER works, and again while running → INPROG.
#[test]
fn a_manual_failover_runs_and_a_second_one_is_refused() {
    let mut lab = lab_with(57, 2, 3, false);
    lab.at_s(20);
    assert_eq!(lab.cmd("s1", "SENTINEL FAILOVER mymaster"), "OK");
    assert_eq!(
        lab.cmd("s1", "SENTINEL FAILOVER mymaster"),
        "(error) INPROG Failover already in progress"
    );
    lab.run_ms(20_000);
    let addr = lab.cmd("s2", "SENTINEL get-master-addr-by-name mymaster");
    assert_ne!(
        addr, "1) \"10.0.0.1\"\n2) \"6379\"",
        "all Sentinels learned the new master"
    );
    assert_eq!(
        lab.cmd("s1", "SENTINEL get-master-addr-by-name nosuch"),
        "(nil)"
    );
}

/// Sentinel commands print as redis-cli prints them.
#[test]
fn sentinel_console_commands_answer_like_redis_sentinel() {
    let mut lab = lab_with(59, 2, 3, false);
    lab.at_s(20);
    assert_eq!(lab.cmd("s1", "PING"), "PONG");
    assert_eq!(
        lab.cmd("s1", "SENTINEL get-master-addr-by-name mymaster"),
        "1) \"10.0.0.1\"\n2) \"6379\""
    );
    let master = lab.cmd("s1", "SENTINEL master mymaster");
    assert!(
        master.starts_with(" 1) \"name\"\n 2) \"mymaster\"\n 3) \"ip\"\n 4) \"10.0.0.1\""),
        "{master}"
    );
    assert!(master.contains("\"num-slaves\"\n") && master.contains("\"num-other-sentinels\"\n"));
    let replicas = lab.cmd("s1", "SENTINEL replicas mymaster");
    assert_eq!(replicas.matches("\"name\"").count(), 2);
    let info = lab.cmd("s1", "INFO");
    assert!(
        info.contains("master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=3"),
        "{info}"
    );
    assert_eq!(
        lab.cmd("s1", "SENTINEL nosuch"),
        "(error) ERR Unknown sentinel subcommand 'nosuch'"
    );
}
