use super::*;

fn imp(text: &str) -> Imported {
    import_conf(text).unwrap()
}

fn settings(i: &Imported) -> Vec<(&str, &str)> {
    i.settings
        .iter()
        .map(|s| (s.name.as_str(), s.value.as_str()))
        .collect()
}

fn reasons(i: &Imported) -> Vec<(usize, &str, &Reason)> {
    i.skipped
        .iter()
        .map(|s| (s.line, s.directive.as_str(), &s.reason))
        .collect()
}

#[test]
fn redis_conf_settings_aliases_and_last_wins() {
    let i = imp("# a comment\nport 6380\nHZ 20\r\nslaveof 10.0.0.1 6379\nmin-slaves-to-write 1\nhz 30\nmaxmemory 1gb\nclient-output-buffer-limit replica 1mb 1mb 0\nclient-output-buffer-limit pubsub 0 0 0\n\tcluster-node-timeout 5000\n");
    assert_eq!(i.format, Format::RedisConf);
    assert_eq!(
        settings(&i),
        [
            ("min-replicas-to-write", "1"),
            ("hz", "30"),
            (
                "client-output-buffer-limit",
                "replica 1mb 1mb 0 pubsub 0 0 0"
            ),
        ]
    );
    assert_eq!(i.settings[2].lines, [8, 9]);
    assert_eq!(
        i.replicaof,
        Some(ReplicaOf {
            to: Some(("10.0.0.1".into(), 6379)),
            lines: vec![4]
        })
    );
    assert_eq!(
        reasons(&i),
        [
            (2, "port", &Reason::Address),
            (3, "hz", &Reason::Overridden { line: 6 }),
            (7, "maxmemory", &Reason::NotModelled),
            (10, "cluster-node-timeout", &Reason::Cluster),
        ]
    );
}

#[test]
fn bad_values_carry_config_sets_error_and_bad_lines_redis_own() {
    let i = imp("repl-timeout 0\nrepl-timeout 1 2\nrepl-backlog-size \"1mb\nreplicaof 1.2.3.4 99999\nmin-slaves-to-write x\ncluster-enabled maybe\nreplicaof no one\n");
    assert_eq!(
        reasons(&i),
        [
            (1, "repl-timeout", &Reason::Invalid("CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive".into())),
            (2, "repl-timeout", &Reason::Unreadable("wrong number of arguments".into())),
            (3, "repl-backlog-size", &Reason::Unreadable("Unbalanced quotes in configuration line".into())),
            (4, "replicaof", &Reason::Invalid("Invalid master port".into())),
            (5, "min-slaves-to-write", &Reason::Invalid("CONFIG SET failed (possibly related to argument 'min-slaves-to-write') - argument couldn't be parsed into an integer".into())),
            (6, "cluster-enabled", &Reason::Invalid("CONFIG SET failed (possibly related to argument 'cluster-enabled') - argument must be 'yes' or 'no'".into())),
        ]
    );
    assert_eq!(
        i.replicaof,
        Some(ReplicaOf {
            to: None,
            lines: vec![7]
        })
    );
}

#[test]
fn sentinel_conf_monitor_timings_and_state() {
    let i = imp("port 26379\nprotected-mode no\nsentinel myid abc\nsentinel monitor mymaster 10.0.0.1 6379 2\nsentinel down-after-milliseconds mymaster 5000\nsentinel parallel-syncs mymaster 3\nsentinel config-epoch mymaster 1\nsentinel known-replica mymaster 10.0.0.2 6379\nsentinel monitor other 10.0.0.3 6379 2\nsentinel failover-timeout other 100\nsentinel failover-timeout nope 100\nsentinel auth-pass mymaster x\nsentinel bogus\nsentinel monitor mymaster 1.1.1.1 1 0\ndir /tmp\n");
    assert_eq!(i.format, Format::SentinelConf);
    assert_eq!(i.kind(), crate::scenario::format::Kind::Sentinel);
    assert_eq!(settings(&i), [("protected-mode", "no")]);
    let m = i.monitor.clone().unwrap();
    assert_eq!(
        (
            m.name.as_str(),
            m.host.as_str(),
            m.port,
            m.quorum,
            m.down_after_ms,
            m.failover_timeout_ms,
            m.parallel_syncs
        ),
        ("mymaster", "10.0.0.1", 6379, 2, 5000, 180_000, 3)
    );
    assert_eq!(m.lines, [4, 5, 6]);
    let inv = |s: &str| Reason::Invalid(s.into());
    assert_eq!(
        reasons(&i),
        [
            (1, "port", &Reason::Address),
            (3, "sentinel myid", &Reason::State),
            (7, "sentinel config-epoch", &Reason::State),
            (8, "sentinel known-replica", &Reason::State),
            (9, "sentinel monitor", &Reason::ExtraMonitor),
            (10, "sentinel failover-timeout", &Reason::ExtraMonitor),
            (
                11,
                "sentinel failover-timeout",
                &inv("No such master with specified name.")
            ),
            (12, "sentinel auth-pass", &Reason::NotModelled),
            (
                13,
                "sentinel bogus",
                &inv("Unrecognized sentinel configuration statement.")
            ),
            (14, "sentinel monitor", &inv("Quorum must be 1 or greater.")),
            (15, "dir", &Reason::NotModelled),
        ]
    );
}

#[test]
fn config_get_both_forms_and_info() {
    let tty = "1) \"repl-timeout\"\n2) \"30\"\n3) \"maxmemory\"\n4) \"0\"\n5) \"slaveof\"\n6) \"\"\n7) \"replicaof\"\n8) \"\"\n9) \"hz\"\n";
    let i = imp(tty);
    assert_eq!(i.format, Format::ConfigGet);
    assert_eq!(settings(&i), [("repl-timeout", "30")]);
    assert_eq!(i.replicaof.as_ref().map(|r| &r.to), Some(&None));
    assert_eq!(
        reasons(&i),
        [
            (3, "maxmemory", &Reason::NotModelled),
            (
                7,
                "replicaof",
                &Reason::Alias {
                    name: "slaveof".into()
                }
            ),
            (9, "hz", &Reason::NoValue),
        ]
    );
    let raw = imp("repl-timeout\n30\nrequirepass\n\nreplicaof\n10.0.0.1 6379\n");
    assert_eq!(raw.format, Format::ConfigGetRaw);
    assert_eq!(settings(&raw), [("repl-timeout", "30")]);
    assert_eq!(raw.replicaof.unwrap().to, Some(("10.0.0.1".into(), 6379)));
    let info = imp("# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n");
    assert_eq!(info.format, Format::InfoReplication);
    assert_eq!(
        info.replicaof,
        Some(ReplicaOf {
            to: Some(("10.0.0.1".into(), 6379)),
            lines: vec![2, 3, 4]
        })
    );
    assert_eq!(reasons(&info), [(5, "master_link_status", &Reason::State)]);
}

#[test]
fn caps_and_empty_are_refused() {
    assert_eq!(import_conf("# only\n\n"), Err(ImportError::Empty));
    let long = "hz 10\n".repeat(MAX_BYTES / 6 + 1);
    assert!(matches!(
        import_conf(&long),
        Err(ImportError::TooLong { .. })
    ));
    let many = "\n".repeat(MAX_LINES);
    assert_eq!(
        import_conf(&many),
        Err(ImportError::TooManyLines {
            lines: MAX_LINES + 1
        })
    );
}

const SCENARIO: &str = "format = \"replilab/1\"\nid = \"x\"\nduration_s = 10\ntitle = { en = \"a\", zh = \"b\" }\n\n# the master\n[[node]]\nname = \"m\"   # keep me\nkind = \"redis\"\n\n[[node]]\nname = \"r1\"\nkind = \"redis\"\nreplicaof = \"m\"\nconfig = { hz = \"20\" }\n\n[[node]]\nname = \"s1\"\nkind = \"sentinel\"\nmonitor = { master = \"m\", quorum = 1 }\n";

#[test]
fn apply_replaces_inserts_and_removes_in_place() {
    let i = imp("hz 50\nrepl-backlog-size 1mb\n");
    let out = apply(SCENARIO, "r1", &i).unwrap();
    assert_eq!(
        out,
        SCENARIO.replace(
            "replicaof = \"m\"\nconfig = { hz = \"20\" }",
            "config = { \"hz\" = \"50\", \"repl-backlog-size\" = \"1mb\" }"
        )
    );
    let i = imp("replicaof 10.0.0.2 6379\n");
    let out = apply(SCENARIO, "m", &i).unwrap();
    assert!(
        out.contains("name = \"m\"   # keep me\nreplicaof = \"r1\"\nkind"),
        "{out}"
    );
    let i = imp("sentinel monitor mymaster 10.0.0.2 6379 2\nsentinel down-after-milliseconds mymaster 5000\n");
    let out = apply(SCENARIO, "s1", &i).unwrap();
    assert!(out.contains("monitor = { master = \"r1\", name = \"mymaster\", quorum = 2, down_after_ms = 5000, failover_timeout_ms = 180000, parallel_syncs = 1 }"), "{out}");
}

#[test]
fn apply_reports_what_it_cannot_do() {
    let i = imp("replicaof 127.0.0.1 6399\n");
    assert_eq!(
        apply(SCENARIO, "r1", &i),
        Err(ApplyError::NoNodeAt {
            host: "127.0.0.1".into(),
            port: 6399
        })
    );
    assert_eq!(
        apply(SCENARIO, "zz", &i),
        Err(ApplyError::NoSuchNode("zz".into()))
    );
    assert!(matches!(
        apply(SCENARIO, "s1", &i),
        Err(ApplyError::WrongKind { .. })
    ));
    assert!(matches!(apply("nope", "m", &i), Err(ApplyError::Load(_))));
    let dotted = SCENARIO.replace("config = { hz = \"20\" }", "config.hz = \"20\"");
    assert_eq!(
        apply(&dotted, "r1", &imp("hz 50\n")),
        Err(ApplyError::Layout {
            key: "config".into()
        })
    );
}

#[test]
fn apply_in_an_inline_node_table() {
    let src = "format = \"replilab/1\"\nid = \"x\"\nduration_s = 10\ntitle = { en = \"a\", zh = \"b\" }\nnode = [{ name = \"m\", kind = \"redis\" }, { name = \"r1\", replicaof = \"m\", kind = \"redis\" }]\n";
    let out = apply(src, "r1", &imp("hz 50\n")).unwrap();
    assert!(
        out.contains("{ name = \"r1\", config = { \"hz\" = \"50\" }, kind = \"redis\" }"),
        "{out}"
    );
}
