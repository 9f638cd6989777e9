//! CONFIG SET/GET parsing, bounds and application (`redis/conf`).

use super::*;

fn get(c: &RedisConf, name: &str) -> String {
    c.entries()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap()
}

/// Each line checked against redis-server 7.0.15 by hand; the fidelity
/// layer (`tests/src/fidelity/config.rs`) checks them all side by side.
#[test]
fn values_are_parsed_bounded_and_applied_as_config_c_does() {
    let mut c = RedisConf::default();
    let err = |c: &mut RedisConf, k: &str, v: &str| c.config_set(k, v).unwrap_err();
    assert_eq!(
        err(&mut c, "repl-backlog-size", "0"),
        "CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"
    );
    assert!(err(&mut c, "repl-backlog-size", "99999999999gb").ends_with("inclusive"));
    assert!(err(&mut c, "repl-backlog-size", "1.5mb").ends_with("memory value"));
    c.config_set("repl-backlog-size", "100").unwrap();
    assert_eq!(get(&c, "repl-backlog-size"), "16384");
    c.config_set("hz", "0").unwrap();
    assert_eq!(get(&c, "hz"), "1");
    c.config_set("hz", "1000").unwrap();
    assert_eq!(get(&c, "hz"), "500");
    assert!(err(&mut c, "repl-timeout", "+5").ends_with("parsed into an integer"));
    assert!(err(&mut c, "repl-timeout", "1k").ends_with("parsed into an integer"));
    assert_eq!(
        err(&mut c, "SLAVE-READ-ONLY", "1"),
        "CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must be 'yes' or 'no'"
    );
    c.config_set("repl-backlog-ttl", "2147483648").unwrap();
    c.config_set(
        "client-output-buffer-limit",
        "normal 1mb 2mb 3 replica 1 2 3 replica 4 5 6",
    )
    .unwrap();
    assert_eq!(
        get(&c, "client-output-buffer-limit"),
        "normal 1048576 2097152 3 slave 4 5 6 pubsub 33554432 8388608 60"
    );
    c.config_set("client-output-buffer-limit", "").unwrap();
    for bad in [
        "replica 1mb  1 1",
        "replica 1 1 -1",
        "replica 1 1 1.5",
        "master 1 1 1",
    ] {
        assert!(
            c.config_set("client-output-buffer-limit", bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn config_set_validates_and_get_prints_bytes() {
    let mut c = RedisConf::default();
    assert!(c.config_set("repl-backlog-size", "2mb").is_ok());
    assert_eq!(get(&c, "repl-backlog-size"), "2097152");
    assert_eq!(
        c.config_set("repl-timeout", "abc").unwrap_err(),
        "CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"
    );
    assert!(c
        .config_set("nope", "1")
        .unwrap_err()
        .starts_with("Unknown option"));
    assert!(c
        .config_set("client-output-buffer-limit", "replica 1mb 512kb 10")
        .is_ok());
    assert_eq!(c.client_output_buffer_limit_replica.hard_bytes, 1 << 20);
    assert_eq!(c.client_output_buffer_limit_replica.soft_bytes, 512 * 1024);
}
