//! Real `redis-sentinel` 7.0 processes for the fidelity suite's Sentinel
//! checks, and the two helpers that watch them: a `PSUBSCRIBE *` listener
//! per Sentinel (events with their arrival time) and a writer thread that
//! writes `w:<n>` every 100 ms to one fixed address, recording what was
//! acknowledged.
//!
//! Each Sentinel gets its own scratch directory with a writable
//! `sentinel.conf` and a log file (the log holds the events emitted before
//! anyone could subscribe: `+monitor` and the first discoveries). `Drop`
//! kills by PID; every wait is bounded.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use redis::ConnectionLike;

use super::cli;
use super::real::free_port;
use super::side::connect;

pub const REDIS_SENTINEL: &str = "/usr/bin/redis-sentinel";

/// One running `redis-sentinel` monitoring `mymaster` on 127.0.0.1.
pub struct RealSentinel {
    pub name: String,
    pub port: u16,
    child: Option<Child>,
    dir: PathBuf,
}

impl RealSentinel {
    pub fn start(
        name: &str,
        master_port: u16,
        down_after_ms: u64,
        failover_timeout_ms: u64,
    ) -> Result<RealSentinel, String> {
        Self::start_with(name, |port| {
            format!(
                "port {port}\nprotected-mode no\n\
                 sentinel monitor mymaster 127.0.0.1 {master_port} 2\n\
                 sentinel down-after-milliseconds mymaster {down_after_ms}\n\
                 sentinel failover-timeout mymaster {failover_timeout_ms}\n"
            )
        })
    }

    /// A Sentinel started from the sentinel.conf `conf(port)` returns, plus
    /// the lines that keep it on 127.0.0.1 with its log and files in its
    /// scratch directory.
    pub fn start_with(
        name: &str,
        conf: impl FnOnce(u16) -> String,
    ) -> Result<RealSentinel, String> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!(
            "replilab-fidelity-{}-{name}-{port}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
        let conf = format!(
            "{}bind 127.0.0.1\ndaemonize no\nlogfile \"{log}\"\ndir \"{dir}\"\n",
            conf(port),
            log = dir.join("sentinel.log").display(),
            dir = dir.display(),
        );
        let path = dir.join("sentinel.conf");
        std::fs::write(&path, conf).map_err(|e| format!("write {}: {e}", path.display()))?;
        let child = Command::new(REDIS_SENTINEL)
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("spawn {REDIS_SENTINEL}: {e}"))?;
        let mut s = RealSentinel {
            name: name.into(),
            port,
            child: Some(child),
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(s);
            }
            if let Some(Ok(Some(st))) = s.child.as_mut().map(|c| c.try_wait()) {
                return Err(format!(
                    "{name}: redis-sentinel exited at start ({st}):\n{}",
                    s.log()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!("{name}: redis-sentinel did not listen on {port}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("sentinel.log")).unwrap_or_default()
    }

    /// The sentinel.conf as the Sentinel last rewrote it.
    pub fn conf_file(&self) -> String {
        std::fs::read_to_string(self.dir.join("sentinel.conf")).unwrap_or_default()
    }

    /// The events in the log so far (`+type payload`), in order.
    /// A line: `1234:X 24 Sep 2025 20:34:00.123 # +monitor master mymaster ...`.
    pub fn log_events(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter_map(|l| {
                let msg = l.splitn(7, ' ').nth(6)?;
                (msg.starts_with('+') || msg.starts_with('-')).then(|| msg.to_string())
            })
            .collect()
    }

    /// SIGKILL by PID, reaped.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for RealSentinel {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Reads one RESP reply made of simple values or one flat array, as strings.
fn read_resp(r: &mut impl BufRead) -> std::io::Result<Vec<String>> {
    fn line(r: &mut impl BufRead) -> std::io::Result<String> {
        let mut s = String::new();
        if r.read_line(&mut s)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(s.trim_end_matches(['\r', '\n']).to_string())
    }
    fn item(r: &mut impl BufRead, head: &str) -> std::io::Result<String> {
        match head.split_at(head.len().min(1)) {
            ("$", n) => {
                let n: usize = n.parse().unwrap_or(0);
                let mut buf = vec![0; n + 2];
                r.read_exact(&mut buf)?;
                buf.truncate(n);
                Ok(String::from_utf8_lossy(&buf).into_owned())
            }
            (_, rest) => Ok(rest.to_string()),
        }
    }
    let head = line(r)?;
    if let Some(n) = head.strip_prefix('*') {
        let n: usize = n.parse().unwrap_or(0);
        (0..n)
            .map(|_| {
                let h = line(r)?;
                item(r, &h)
            })
            .collect()
    } else {
        Ok(vec![item(r, &head)?])
    }
}

/// `PSUBSCRIBE *` on one Sentinel: every event with the instant it arrived.
pub struct Subscriber {
    stream: TcpStream,
    rx: Receiver<(Instant, String)>,
    pub got: Vec<(Instant, String)>,
}

impl Subscriber {
    pub fn start(port: u16) -> Result<Subscriber, String> {
        let addr = ("127.0.0.1", port);
        let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {port}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        stream
            .write_all(b"PSUBSCRIBE *\r\n")
            .map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        let first = read_resp(&mut reader).map_err(|e| format!("PSUBSCRIBE: {e}"))?;
        if first.first().map(String::as_str) != Some("psubscribe") {
            return Err(format!("PSUBSCRIBE answered {first:?}"));
        }
        // No timeout from here: the thread ends when the socket closes
        // (the Sentinel is killed, or `Drop` shuts the socket down).
        let _ = stream.set_read_timeout(None);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            while let Ok(v) = read_resp(&mut reader) {
                if v.len() == 4 && v[0] == "pmessage" {
                    let text = format!("{} {}", v[2], v[3]);
                    if tx.send((Instant::now(), text)).is_err() {
                        break;
                    }
                }
            }
        });
        Ok(Subscriber {
            stream,
            rx,
            got: Vec::new(),
        })
    }

    /// Everything received so far.
    pub fn events(&mut self) -> &[(Instant, String)] {
        self.got.extend(self.rx.try_iter());
        &self.got
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// A command typed at redis-cli on `port`, on a fresh connection.
pub fn real_cmd(port: u16, line: &str) -> String {
    let Some(args) = cli::split_args(line) else {
        return "Invalid argument(s)".into();
    };
    let mut conn = match connect(port) {
        Ok(c) => c,
        Err(e) => return format!("<connect failed: {e}>"),
    };
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut c = redis::Cmd::new();
    for a in &args {
        c.arg(&a[..]);
    }
    match conn.req_command(&c) {
        Ok(v) => cli::format_reply(&v, cli::prints_raw(&args)),
        Err(e) => match (e.code(), e.detail()) {
            (Some(code), Some(d)) => format!("(error) {code} {d}"),
            (Some(code), None) => format!("(error) {code}"),
            _ => format!("<client error: {e}>"),
        },
    }
}

/// What the writer saw.
#[derive(Clone, Debug, Default)]
pub struct WriterStats {
    pub acked: Vec<u64>,
    pub sent: u64,
    pub noreplicas: u64,
    pub readonly: u64,
    pub other_errors: u64,
    /// No reply within the 1 s timeout (the connection is then dropped).
    pub timeouts: u64,
}

/// `SET w:<n> <n>` every `period_ms` to 127.0.0.1:`port`, 1 s timeout per
/// request, reconnecting after a timeout or a broken connection: the lab's
/// fixed-address client (`Routing::Fixed`, timeout 1000 ms).
pub struct Writer {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<WriterStats>>,
}

impl Writer {
    pub fn start(port: u16, period_ms: u64) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut st = WriterStats::default();
            let mut conn: Option<redis::Connection> = None;
            let mut next = Instant::now();
            let mut n = 0u64;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
                next = (next + Duration::from_millis(period_ms)).max(Instant::now());
                if conn.is_none() {
                    conn = connect(port).ok().filter(|c| {
                        c.set_read_timeout(Some(Duration::from_secs(1))).is_ok()
                            && c.set_write_timeout(Some(Duration::from_secs(1))).is_ok()
                    });
                }
                let Some(c) = conn.as_mut() else {
                    continue;
                };
                n += 1;
                st.sent += 1;
                let mut cmd = redis::cmd("SET");
                cmd.arg(format!("w:{n}")).arg(n);
                // An error reply may come back as Ok(Value::ServerError).
                let code = match c.req_command(&cmd) {
                    Ok(redis::Value::Okay) => {
                        st.acked.push(n);
                        continue;
                    }
                    Ok(redis::Value::ServerError(e)) => Some(e.code().to_string()),
                    Ok(_) => Some(String::new()),
                    Err(e) => e.code().map(str::to_string),
                };
                match code.as_deref() {
                    Some("NOREPLICAS") => st.noreplicas += 1,
                    Some("READONLY") => st.readonly += 1,
                    Some(_) => st.other_errors += 1,
                    None => {
                        st.timeouts += 1;
                        conn = None;
                    }
                }
            }
            st
        });
        Writer {
            stop,
            handle: Some(handle),
        }
    }

    pub fn finish(mut self) -> WriterStats {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// How many of `keys` exist on 127.0.0.1:`port` (EXISTS in batches).
pub fn count_existing(port: u16, keys: &[String]) -> Result<u64, String> {
    let mut conn = connect(port)?;
    let mut total = 0u64;
    for chunk in keys.chunks(500) {
        let mut c = redis::cmd("EXISTS");
        for k in chunk {
            c.arg(k);
        }
        let v = conn.req_command(&c).map_err(|e| e.to_string())?;
        match v {
            redis::Value::Int(n) => total += n as u64,
            other => return Err(format!("EXISTS answered {other:?}")),
        }
    }
    Ok(total)
}
