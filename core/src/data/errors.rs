//! Redis 7.0's exact error and status texts, in one place.
//!
//! Every text here was checked against redis-server 7.0.15 (RESP bytes read
//! with a raw client). Texts built from arguments follow Redis's printf
//! formats, including `%.128s` truncation, stopping at a NUL byte, and
//! `\r`/`\n` replaced by spaces (`sdsmapchars` in `commandCheckExistence`).

use super::reply::Reply;

pub const SYNTAX: &str = "ERR syntax error";
pub const NOT_INT: &str = "ERR value is not an integer or out of range";
pub const OVERFLOW: &str = "ERR increment or decrement would overflow";
pub const DECR_OVERFLOW: &str = "ERR decrement would overflow";
pub const READONLY: &str = "READONLY You can't write against a read only replica.";
pub const NOREPLICAS: &str = "NOREPLICAS Not enough good replicas to write.";
pub const MASTERDOWN: &str =
    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
pub const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";
pub const EXEC_WITHOUT_MULTI: &str = "ERR EXEC without MULTI";
pub const DISCARD_WITHOUT_MULTI: &str = "ERR DISCARD without MULTI";
pub const MULTI_NESTED: &str = "ERR MULTI calls can not be nested";
pub const NOT_ALLOWED_IN_MULTI: &str = "ERR Command not allowed inside a transaction";
pub const WATCH_IN_MULTI: &str = "ERR WATCH inside MULTI is not allowed";
pub const DB_INDEX_OUT_OF_RANGE: &str = "ERR DB index is out of range";
pub const INVALID_CURSOR: &str = "ERR invalid cursor";
pub const EXPIRE_NX_INCOMPATIBLE: &str =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
pub const EXPIRE_GT_LT_INCOMPATIBLE: &str =
    "ERR GT and LT options at the same time are not compatible";
pub const STRING_TOO_LONG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
pub const WAIT_ON_REPLICA: &str = "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.";
pub const TIMEOUT_NEGATIVE: &str = "ERR timeout is negative";
pub const INVALID_MASTER_PORT: &str = "ERR Invalid master port";
pub const NOMASTERLINK: &str = "NOMASTERLINK Can't SYNC while not connected with my master";
pub const LOADING: &str = "LOADING Redis is loading the dataset in memory";
/// Status (not an error) for `REPLICAOF` to the current master.
pub const ALREADY_CONNECTED: &str = "OK Already connected to specified master";

/// Maximum string length (`proto-max-bulk-len`, 512 MB).
pub const PROTO_MAX_BULK_LEN: usize = 512 * 1024 * 1024;

/// C `%.Ns` of a binary argument: stop at NUL, keep at most `max` bytes.
pub(crate) fn c_str(a: &[u8], max: usize) -> &[u8] {
    let end = a.iter().position(|&b| b == 0).unwrap_or(a.len());
    &a[..end.min(max)]
}

fn sanitize(mut s: String) -> String {
    if s.contains(['\r', '\n']) {
        s = s.replace(['\r', '\n'], " ");
    }
    s
}

/// `ERR wrong number of arguments for 'get' command` (`fullname` is lowercase,
/// `config|get` for a subcommand).
pub fn wrong_args(fullname: &str) -> String {
    format!("ERR wrong number of arguments for '{fullname}' command")
}

/// `ERR invalid expire time in 'set' command`.
pub fn invalid_expire(cmd: &str) -> String {
    format!("ERR invalid expire time in '{cmd}' command")
}

/// `ERR Unsupported option FOO` (EXPIRE family).
pub fn unsupported_option(opt: &[u8]) -> String {
    sanitize(format!(
        "ERR Unsupported option {}",
        String::from_utf8_lossy(c_str(opt, usize::MAX))
    ))
}

/// `ERR unknown subcommand 'FOO'. Try CONFIG HELP.` for a container command.
pub fn unknown_subcommand(container: &[u8], sub: &[u8]) -> Reply {
    let cmd = String::from_utf8_lossy(c_str(container, usize::MAX)).to_ascii_uppercase();
    Reply::Error(sanitize(format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        String::from_utf8_lossy(c_str(sub, 128)),
        cmd
    )))
}

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' ` exactly as
/// Redis 7.0 builds it (note the trailing space after each argument).
pub fn unknown_command(argv: &[Vec<u8>]) -> Reply {
    let mut args: Vec<u8> = Vec::new();
    for a in argv.iter().skip(1) {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push(b'\'');
        args.extend_from_slice(c_str(a, room));
        args.extend_from_slice(b"' ");
    }
    let name = argv.first().map(|a| c_str(a, 128)).unwrap_or(b"");
    Reply::Error(sanitize(format!(
        "ERR unknown command '{}', with args beginning with: {}",
        String::from_utf8_lossy(name),
        String::from_utf8_lossy(&args)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&[u8]]) -> Vec<Vec<u8>> {
        args.iter().map(|a| a.to_vec()).collect()
    }

    // Captured from redis-server 7.0.15.
    #[test]
    fn unknown_command_text_matches_redis_7_0() {
        assert_eq!(
            unknown_command(&v(&[b"foo", b"a", b"b"])),
            Reply::Error("ERR unknown command 'foo', with args beginning with: 'a' 'b' ".into())
        );
        assert_eq!(
            unknown_command(&v(&[b"FOO"])),
            Reply::Error("ERR unknown command 'FOO', with args beginning with: ".into())
        );
        let long = vec![b'x'; 200];
        let got = unknown_command(&v(&[b"f\x00oo", b"a\x00b", b"c\r\nd", &long]));
        let want = format!(
            "ERR unknown command 'f', with args beginning with: 'a' 'c  d' '{}' ",
            "x".repeat(117)
        );
        assert_eq!(got, Reply::Error(want));
    }

    #[test]
    fn unknown_subcommand_text_matches_redis_7_0() {
        assert_eq!(
            unknown_subcommand(b"config", b"foo"),
            Reply::Error("ERR unknown subcommand 'foo'. Try CONFIG HELP.".into())
        );
        assert_eq!(
            unknown_subcommand(b"CONFIG", b"g\r\net"),
            Reply::Error("ERR unknown subcommand 'g  et'. Try CONFIG HELP.".into())
        );
    }

    #[test]
    fn formatted_errors_match_redis_7_0() {
        assert_eq!(
            wrong_args("config|get"),
            "ERR wrong number of arguments for 'config|get' command"
        );
        assert_eq!(
            invalid_expire("setex"),
            "ERR invalid expire time in 'setex' command"
        );
        assert_eq!(unsupported_option(b"FOO"), "ERR Unsupported option FOO");
    }
}
