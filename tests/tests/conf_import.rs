//! The config importer (`scenario::import`, issue 16) against what it must
//! read back: the lab's own export of every node of every lesson and of the
//! sandbox presets (`NodeSpec::conf_file`), through the text edit too; and
//! text captured from real Redis 7.0.15: Debian's redis.conf, `CONFIG GET *`
//! in both redis-cli forms, `INFO replication` of a master and a replica.

use std::path::PathBuf;

use replilab_core::node::NodeSpec;
use replilab_core::redis::RedisConf;
use replilab_core::scenario::import::{apply, import_conf, Format, Imported, Reason};
use replilab_core::scenario::sandbox::Topo;
use replilab_core::scenario::{self, build};
use replilab_core::sim::Sim;

fn lesson_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("static/lessons exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conf")
        .join(name);
    std::fs::read_to_string(p).expect("fixture")
}

/// Every directive line is accounted for: in a setting, replicaof, the
/// monitor, or skipped.
fn accounted(text: &str, imp: &Imported) {
    let mut seen: Vec<usize> = imp.settings.iter().flat_map(|s| s.lines.clone()).collect();
    seen.extend(imp.replicaof.iter().flat_map(|r| r.lines.clone()));
    seen.extend(imp.monitor.iter().flat_map(|m| m.lines.clone()));
    seen.extend(imp.skipped.iter().map(|s| s.line));
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if !t.is_empty()
            && !t.starts_with('#')
            && !matches!(imp.format, Format::ConfigGet | Format::ConfigGetRaw)
        {
            assert!(seen.contains(&(i + 1)), "line {} '{t}' dropped", i + 1);
        }
    }
}

/// The export of one node, imported, gives the node's settings back.
fn round_trip(sim: &Sim, what: &str) -> usize {
    let mut n = 0;
    for node in sim.nodes() {
        let Some((file, lines)) = node.spec.conf_file(node.port) else {
            continue;
        };
        let text = lines.join("\n") + "\n";
        let imp = import_conf(&text).unwrap_or_else(|e| panic!("{what} {}: {e}", node.name));
        accounted(&text, &imp);
        let ctx = format!("{what} {} ({file}):\n{text}", node.name);
        match &node.spec {
            NodeSpec::Redis(spec) => {
                assert_eq!(imp.format, Format::RedisConf, "{ctx}");
                let mut conf = RedisConf::for_profile(spec.profile);
                for s in &imp.settings {
                    conf.config_set(&s.name, &s.value).unwrap();
                }
                assert_eq!(conf, spec.conf, "{ctx}");
                assert_eq!(imp.replicaof.and_then(|r| r.to), spec.replicaof, "{ctx}");
                assert!(
                    imp.skipped.iter().all(|s| s.reason == Reason::Address),
                    "{ctx}{:?}",
                    imp.skipped
                );
            }
            NodeSpec::Sentinel(spec) => {
                assert_eq!(imp.format, Format::SentinelConf, "{ctx}");
                let m = imp.monitor.as_ref().expect("a monitor");
                let want = &spec.monitors[0];
                assert_eq!(
                    (
                        &m.name,
                        &m.host,
                        m.port,
                        m.quorum,
                        m.down_after_ms,
                        m.failover_timeout_ms,
                        m.parallel_syncs
                    ),
                    (
                        &want.name,
                        &want.host,
                        want.port,
                        want.quorum,
                        want.down_after_ms,
                        want.failover_timeout_ms,
                        want.parallel_syncs
                    ),
                    "{ctx}"
                );
                let pm = imp
                    .settings
                    .iter()
                    .find(|s| s.name == "protected-mode")
                    .unwrap();
                assert_eq!(pm.value == "yes", spec.protected_mode, "{ctx}");
                for s in &imp.skipped {
                    assert!(
                        matches!(s.reason, Reason::Address | Reason::State),
                        "{ctx}{s}"
                    );
                }
            }
            NodeSpec::Client(_) => unreachable!("clients have no file"),
        }
        n += 1;
    }
    n
}

#[test]
fn every_lessons_export_imports_back_and_edits_into_the_same_deployment() {
    let mut nodes = 0;
    for f in lesson_files() {
        let src = std::fs::read_to_string(&f).unwrap();
        let s = scenario::parse(&src).unwrap();
        let sim = build::build(&s, None);
        nodes += round_trip(&sim, &f.display().to_string());
        // Through the text: each node's import written into the lesson
        // builds the same node.
        for node in sim.nodes() {
            let Some((_, lines)) = node.spec.conf_file(node.port) else {
                continue;
            };
            let imp = import_conf(&(lines.join("\n") + "\n")).unwrap();
            let edited = apply(&src, &node.name, &imp)
                .unwrap_or_else(|e| panic!("{} {}: {e}", f.display(), node.name));
            let again = build::build(&scenario::parse(&edited).unwrap(), None);
            let spec = &again
                .nodes()
                .iter()
                .find(|x| x.name == node.name)
                .unwrap()
                .spec;
            match (spec, &node.spec) {
                (NodeSpec::Redis(a), NodeSpec::Redis(b)) => {
                    assert_eq!(
                        (&a.conf, &a.replicaof),
                        (&b.conf, &b.replicaof),
                        "{}",
                        node.name
                    )
                }
                (NodeSpec::Sentinel(a), NodeSpec::Sentinel(b)) => {
                    assert_eq!(a.monitors, b.monitors, "{}", node.name);
                    assert_eq!(a.protected_mode, b.protected_mode, "{}", node.name);
                }
                _ => panic!("{}: kind changed", node.name),
            }
        }
    }
    assert!(nodes > 60, "{nodes} nodes");
}

#[test]
fn sandbox_presets_round_trip_also_after_a_failover_rewrote_the_sentinels() {
    for topo in [Topo::default(), Topo::seed001()] {
        let mut sim = topo.build(1);
        round_trip(&sim, &topo.encode());
        let crash: replilab_core::action::Action = "crash m".parse().unwrap();
        sim.schedule(5_000, &crash, None).unwrap();
        sim.run_until(120_000).unwrap();
        round_trip(&sim, &topo.encode());
        if topo.sentinels > 0 {
            let s1 = sim.nodes().iter().find(|n| n.name == "s1").unwrap();
            let (_, lines) = s1.spec.conf_file(s1.port).unwrap();
            let text = lines.join("\n");
            assert!(
                text.contains("known-replica") && !text.contains("10.0.0.1 6379 2"),
                "{text}"
            );
        }
    }
}

#[test]
fn debians_redis_7_0_conf_imports_what_the_lab_models_and_names_the_rest() {
    let text = fixture("redis-7.0.conf");
    let imp = import_conf(&text).unwrap();
    assert_eq!(imp.format, Format::RedisConf);
    accounted(&text, &imp);
    let got: Vec<(&str, &str)> = imp
        .settings
        .iter()
        .map(|s| (s.name.as_str(), s.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("protected-mode", "yes"),
            ("replica-serve-stale-data", "yes"),
            ("replica-read-only", "yes"),
            ("repl-diskless-sync", "yes"),
            ("repl-diskless-sync-delay", "5"),
            ("repl-diskless-sync-max-replicas", "0"),
            ("replica-priority", "100"),
            ("replica-lazy-flush", "no"),
            (
                "client-output-buffer-limit",
                "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60"
            ),
            ("hz", "10"),
        ]
    );
    assert_eq!(imp.replicaof, None);
    let not_modelled: Vec<&str> = imp
        .skipped
        .iter()
        .filter(|s| s.reason == Reason::NotModelled)
        .map(|s| s.directive.as_str())
        .collect();
    assert_eq!(
        not_modelled.join(" "),
        "bind tcp-backlog timeout tcp-keepalive daemonize pidfile loglevel logfile databases \
         always-show-logo set-proc-title proc-title-template stop-writes-on-bgsave-error \
         rdbcompression rdbchecksum dbfilename rdb-del-sync-files dir repl-diskless-load \
         repl-disable-tcp-nodelay acllog-max-len lazyfree-lazy-eviction lazyfree-lazy-expire \
         lazyfree-lazy-server-del lazyfree-lazy-user-del lazyfree-lazy-user-flush oom-score-adj \
         oom-score-adj-values disable-thp appendonly appendfilename appenddirname appendfsync \
         no-appendfsync-on-rewrite auto-aof-rewrite-percentage auto-aof-rewrite-min-size \
         aof-load-truncated aof-use-rdb-preamble aof-timestamp-enabled slowlog-log-slower-than \
         slowlog-max-len latency-monitor-threshold notify-keyspace-events hash-max-listpack-entries \
         hash-max-listpack-value list-max-listpack-size list-compress-depth set-max-intset-entries \
         zset-max-listpack-entries zset-max-listpack-value hll-sparse-max-bytes \
         stream-node-max-bytes stream-node-max-entries activerehashing dynamic-hz \
         aof-rewrite-incremental-fsync rdb-save-incremental-fsync jemalloc-bg-thread"
    );
    let other: Vec<String> = imp
        .skipped
        .iter()
        .filter(|s| s.reason != Reason::NotModelled)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        other,
        ["line 138: port: the lab gives each node its address"]
    );
}

#[test]
fn config_get_of_a_real_replica_in_both_redis_cli_forms() {
    let tty = import_conf(&fixture("config-get-replica.txt")).unwrap();
    let raw = import_conf(&fixture("config-get-replica-raw.txt")).unwrap();
    assert_eq!(tty.format, Format::ConfigGet);
    assert_eq!(raw.format, Format::ConfigGetRaw);
    let names = |i: &Imported| {
        i.settings
            .iter()
            .map(|s| (s.name.clone(), s.value.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&tty), names(&raw));
    assert_eq!(
        tty.replicaof.as_ref().map(|r| r.to.clone()),
        Some(Some(("127.0.0.1".into(), 6399)))
    );
    assert_eq!(
        raw.replicaof.as_ref().map(|r| r.to.clone()),
        Some(Some(("127.0.0.1".into(), 6399)))
    );
    // Every parameter the node's config table holds comes back (no
    // cluster ones: those are the scenario's [cluster]).
    let mut got: Vec<String> = tty.settings.iter().map(|s| s.name.clone()).collect();
    got.sort();
    let mut want: Vec<String> = RedisConf::params().map(|(n, _, _)| n.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    let mut conf = RedisConf::default();
    for s in &tty.settings {
        conf.config_set(&s.name, &s.value).unwrap();
    }
    assert!(conf.protected_mode, "redis-server's default");
    assert_eq!(conf.repl_backlog_size, 1 << 20);
    // 192 pairs: each alias is listed as one, each cluster setting as one,
    // the rest as not modelled; nothing invalid.
    let count = |r: fn(&Reason) -> bool| tty.skipped.iter().filter(|s| r(&s.reason)).count();
    assert_eq!(count(|r| matches!(r, Reason::Alias { .. })), 8);
    assert_eq!(count(|r| *r == Reason::Cluster), 6);
    assert_eq!(
        count(|r| matches!(
            r,
            Reason::Invalid(_) | Reason::Unreadable(_) | Reason::Unexpected | Reason::NoValue
        )),
        0
    );
    assert_eq!(
        tty.settings.len() + 1 + tty.skipped.len(),
        192,
        "settings, replicaof, skipped"
    );
    let master = import_conf(&fixture("config-get-master.txt")).unwrap();
    assert_eq!(master.replicaof.map(|r| r.to), Some(None));
}

#[test]
fn info_replication_of_a_real_replica_and_master() {
    let r = import_conf(&fixture("info-replication-replica.txt")).unwrap();
    assert_eq!(r.format, Format::InfoReplication);
    assert_eq!(
        r.replicaof.as_ref().unwrap().to,
        Some(("127.0.0.1".into(), 6399))
    );
    assert!(r.settings.is_empty());
    assert!(r.skipped.iter().all(|s| s.reason == Reason::State));
    assert_eq!(r.skipped.len(), 21 - 3);
    let m = import_conf(&fixture("info-replication-master.txt")).unwrap();
    assert_eq!(m.replicaof.unwrap().to, None);
    assert!(m
        .skipped
        .iter()
        .any(|s| s.directive == "slave0" && s.reason == Reason::State));
}
