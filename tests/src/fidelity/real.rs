//! Real `redis-server` 7.0 processes for the fidelity suite.
//!
//! Each server is a child process on 127.0.0.1, on a port picked free by
//! binding port 0, with an explicit config on its command line (no
//! persistence, no protected mode, no daemon) and its own scratch directory
//! (a replica writes the RDB it receives there even with `save ""`).
//! `Drop` kills the process by its PID and reaps it, so a failing or
//! panicking check never leaves a server behind; every wait is bounded.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const REDIS_SERVER: &str = "/usr/bin/redis-server";
pub const REDIS_CLI: &str = "/usr/bin/redis-cli";

/// How long a server may take to accept connections after it starts.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// One running `redis-server`.
pub struct RealServer {
    pub name: String,
    pub port: u16,
    child: Option<Child>,
    dir: PathBuf,
    stopped: bool,
}

/// A port nobody listens on right now (the kernel's choice for port 0).
pub fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind 127.0.0.1:0: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("local_addr: {e}"))
}

impl RealServer {
    /// Starts `redis-server` with the base config plus `conf` (name, value)
    /// pairs, e.g. `("repl-diskless-sync-delay", "0")`, and waits (bounded)
    /// until it accepts connections.
    pub fn start(name: &str, conf: &[(String, String)]) -> Result<RealServer, String> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!(
            "replilab-fidelity-{}-{}-{port}",
            std::process::id(),
            name
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
        let mut cmd = Command::new(REDIS_SERVER);
        cmd.arg("--port")
            .arg(port.to_string())
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--protected-mode", "no"])
            .args(["--daemonize", "no"])
            // DEBUG SLEEP / SET-ACTIVE-EXPIRE (7.0 refuses DEBUG by default).
            .args(["--enable-debug-command", "yes"])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(dir.join("redis.log"));
        for (k, v) in conf {
            cmd.arg(format!("--{k}"));
            // `--replicaof "127.0.0.1 6379"` must reach redis as two words.
            for word in v.split(' ') {
                cmd.arg(word);
            }
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = cmd
            .spawn()
            .map_err(|e| format!("spawn {REDIS_SERVER}: {e}"))?;
        let mut server = RealServer {
            name: name.to_string(),
            port,
            child: Some(child),
            dir,
            stopped: false,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(server);
            }
            if let Some(c) = server.child.as_mut() {
                if let Ok(Some(status)) = c.try_wait() {
                    return Err(format!(
                        "{name}: redis-server exited at start ({status}); log:\n{}",
                        server.log_tail()
                    ));
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{name}: redis-server did not listen on {port} within {START_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// Sends a signal (by name: STOP, CONT) to this process by its PID.
    fn signal(&self, sig: &str) -> Result<(), String> {
        let pid = self.pid().ok_or("the process is gone")?;
        let status = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status()
            .map_err(|e| format!("kill -{sig} {pid}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("kill -{sig} {pid}: {status}"))
        }
    }

    /// SIGSTOP: the process stalls; its kernel still buffers input.
    /// (DEBUG SLEEP is the other way to stall a real server; SIGSTOP is used
    /// because it needs no client connection to a busy server.)
    pub fn stop(&mut self) -> Result<(), String> {
        self.signal("STOP")?;
        self.stopped = true;
        Ok(())
    }

    /// SIGCONT after `stop`.
    pub fn cont(&mut self) -> Result<(), String> {
        self.signal("CONT")?;
        self.stopped = false;
        Ok(())
    }

    /// Kills the process (SIGKILL by PID) and reaps it: a crash.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// The whole log of the server.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default()
    }

    /// The last lines of the server's log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A child process reading the output of `redis-cli MONITOR` on one server,
/// line by line, on a thread; killed by PID on drop.
pub struct Monitor {
    child: Option<Child>,
    rx: std::sync::mpsc::Receiver<String>,
}

impl Monitor {
    pub fn start(port: u16) -> Result<Monitor, String> {
        use std::io::BufRead;
        let mut child = Command::new(REDIS_CLI)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "MONITOR"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("spawn {REDIS_CLI} MONITOR: {e}"))?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut m = Monitor {
            child: Some(child),
            rx,
        };
        // redis-cli prints OK once MONITOR is on.
        match m.rx.recv_timeout(Duration::from_secs(5)) {
            Ok(l) if l == "OK" => Ok(m),
            Ok(l) => {
                m.kill();
                Err(format!("MONITOR answered {l:?}"))
            }
            Err(e) => {
                m.kill();
                Err(format!("MONITOR did not start: {e}"))
            }
        }
    }

    /// Lines received so far (does not wait).
    pub fn drain(&mut self) -> Vec<String> {
        self.rx.try_iter().collect()
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `/usr/bin/redis-cli --no-raw` with `args` against `port` and returns
/// what it prints (trailing newline removed): redis-cli's own formatting,
/// used to calibrate `cli::format_reply`.
pub fn redis_cli(port: u16, args: &[Vec<u8>]) -> Result<String, String> {
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = Command::new(REDIS_CLI);
    cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "--no-raw"]);
    for a in args {
        cmd.arg(std::ffi::OsStr::from_bytes(a));
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn {REDIS_CLI}: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("redis-cli did not finish within 10 s".into());
            }
        }
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("redis-cli output: {e}"))?;
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    if s.ends_with('\n') {
        s.pop();
    }
    Ok(s)
}
