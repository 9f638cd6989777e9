//! Cluster checks: `CLUSTER KEYSLOT` for many keys on a real
//! `redis-server --cluster-enabled yes`, then a real 3-master cluster on
//! loopback (ADDSLOTSRANGE + MEET) against the lab's: redirection errors,
//! CLUSTER SLOTS / NODES / INFO shapes. Addresses and node ids are
//! replaced by node names before comparing.

use std::time::{Duration, Instant};

use replilab_core::data::quote_arg;
use replilab_core::scenario;
use replilab_core::sim::{ConsoleOutcome, Sim};

use super::real::{redis_cli, RealServer};
use super::runner::{pair_rows, panic_text, Obs, Row};

/// Keys whose slots are compared: the facts-sheet vectors, hash-tag edge
/// cases, binary-safe and long keys, and a run of ordinary ones.
pub fn keys() -> Vec<Vec<u8>> {
    let mut k: Vec<Vec<u8>> = [
        "foo",
        "bar",
        "hello",
        "",
        "{}",
        "{}{}",
        "foo{}{bar}",
        "foo{{bar}}zap",
        "foo{bar}{zap}",
        "{user1000}.following",
        "{user1000}.followers",
        "user1000",
        "{foo}bar",
        "a{b}c",
        "{a}{b}",
        "}{",
        "{{}}",
        "{ }",
        "{",
        "}",
        "x{y",
        "x}y{z}",
        "{user:1}:cart",
        "{user:1}:orders",
        "键{标签}",
        "商品:1001",
        "copy1:hot",
        "copy2:hot",
        "stock:{sku42}",
        "lock:{sku42}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    // Binary-safe (no NUL: redis-cli takes its arguments from argv).
    k.push(vec![1, 255, 2, 254]);
    k.push(b"bin{\x01\x02}tag".to_vec());
    k.push(b"\r\n{\t}".to_vec());
    k.push(vec![b'x'; 1000]);
    k.push([b"{".as_slice(), &[b'y'; 500], b"}tail"].concat());
    for i in 0..30 {
        k.push(format!("key:{i}").into_bytes());
    }
    k
}

const LAB: &str = r#"
format = "replilab/1"
id = "fidelity-cluster"
title = { en = "c", zh = "c" }
duration_s = 60
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
"#;

trait ClusterSide {
    /// redis-cli's output on node `i`, addresses and ids replaced by names.
    fn cli(&mut self, i: usize, args: &[&[u8]]) -> String;
    /// Node `i`'s real id (for SETSLOT arguments).
    fn id(&mut self, i: usize) -> String;
}

struct LabCluster {
    sim: Sim,
    names: Vec<(String, String)>,
}

impl LabCluster {
    fn start() -> Result<LabCluster, String> {
        let s = scenario::parse(LAB).map_err(|e| e.to_string())?;
        let mut sim = scenario::build::build(&s, None);
        sim.run_until(2000).map_err(|e| format!("{e:?}"))?;
        let mut lab = LabCluster {
            sim,
            names: Vec::new(),
        };
        for i in 0..3 {
            let id = lab.raw(i, "CLUSTER MYID").trim_matches('"').to_string();
            lab.names.push((id, format!("<id{}>", i + 1)));
            lab.names.push((
                format!("10.0.0.{}:6379@16379", i + 1),
                format!("m{}", i + 1),
            ));
            lab.names
                .push((format!("10.0.0.{}:6379", i + 1), format!("m{}", i + 1)));
            lab.names
                .push((format!("\"10.0.0.{}\"", i + 1), "<ip>".into()));
        }
        lab.names
            .push(("(integer) 6379".into(), "(integer) <port>".into()));
        Ok(lab)
    }

    fn raw(&mut self, i: usize, line: &str) -> String {
        let id = self.sim.node_id(&format!("m{}", i + 1)).expect("node");
        match self.sim.console(id, line) {
            ConsoleOutcome::Reply(r) => r,
            ConsoleOutcome::Pending(t) => format!("<pending {t}>"),
        }
    }
}

fn rename(mut s: String, names: &[(String, String)]) -> String {
    for (from, to) in names {
        s = s.replace(from.as_str(), to);
    }
    s
}

impl ClusterSide for LabCluster {
    fn cli(&mut self, i: usize, args: &[&[u8]]) -> String {
        let line: Vec<String> = args.iter().map(|a| quote_arg(a)).collect();
        let out = self.raw(i, &line.join(" "));
        rename(out, &self.names)
    }
    fn id(&mut self, i: usize) -> String {
        self.raw(i, "CLUSTER MYID").trim_matches('"').to_string()
    }
}

struct RealCluster {
    servers: Vec<RealServer>,
    names: Vec<(String, String)>,
}

impl RealCluster {
    fn start(nodes: usize) -> Result<RealCluster, String> {
        let conf = |k: &str, v: &str| (k.to_string(), v.to_string());
        let mut servers = Vec::new();
        for i in 0..nodes {
            servers.push(RealServer::start(
                &format!("cluster-m{}", i + 1),
                &[
                    conf("cluster-enabled", "yes"),
                    conf("cluster-config-file", "nodes.conf"),
                    conf("cluster-node-timeout", "5000"),
                ],
            )?);
        }
        let mut c = RealCluster {
            servers,
            names: Vec::new(),
        };
        for i in 0..nodes {
            let port = c.servers[i].port;
            let id = c
                .raw(i, &[b"CLUSTER", b"MYID"])?
                .trim_matches('"')
                .to_string();
            c.names.push((id, format!("<id{}>", i + 1)));
            c.names.push((
                format!("127.0.0.1:{port}@{}", u32::from(port) + 10000),
                format!("m{}", i + 1),
            ));
            c.names
                .push((format!("127.0.0.1:{port}"), format!("m{}", i + 1)));
            c.names
                .push((format!("(integer) {port}"), "(integer) <port>".into()));
        }
        c.names.push(("\"127.0.0.1\"".into(), "<ip>".into()));
        Ok(c)
    }

    fn raw(&self, i: usize, args: &[&[u8]]) -> Result<String, String> {
        let v: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        redis_cli(self.servers[i].port, &v)
    }

    /// ADDSLOTSRANGE as `redis-cli --cluster create` splits, MEET, and wait for ok.
    fn form(&mut self) -> Result<(), String> {
        let ranges = [("0", "5460"), ("5461", "10922"), ("10923", "16383")];
        for (i, (a, b)) in ranges.iter().enumerate() {
            self.raw(
                i,
                &[b"CLUSTER", b"ADDSLOTSRANGE", a.as_bytes(), b.as_bytes()],
            )?;
        }
        let p0 = self.servers[0].port.to_string();
        for i in 1..3 {
            self.raw(i, &[b"CLUSTER", b"MEET", b"127.0.0.1", p0.as_bytes()])?;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let ok = (0..3).all(|i| {
                // Formed: ok, 3 known nodes, and every bus link up.
                self.raw(i, &[b"CLUSTER", b"INFO"]).is_ok_and(|s| {
                    s.contains("cluster_state:ok") && s.contains("cluster_known_nodes:3")
                }) && self
                    .raw(i, &[b"CLUSTER", b"NODES"])
                    .is_ok_and(|s| !s.contains("disconnected"))
            });
            if ok {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the real cluster did not reach cluster_state:ok within 30 s".into())
    }
}

impl ClusterSide for RealCluster {
    fn cli(&mut self, i: usize, args: &[&[u8]]) -> String {
        let out = self.raw(i, args).unwrap_or_else(|e| format!("<{e}>"));
        rename(out, &self.names)
    }
    fn id(&mut self, i: usize) -> String {
        let out = self.raw(i, &[b"CLUSTER", b"MYID"]).unwrap_or_default();
        out.trim_matches('"').to_string()
    }
}

fn show(key: &[u8]) -> String {
    let q = quote_arg(key);
    if q.len() > 40 {
        format!("{}…({} bytes)", &q[..20], key.len())
    } else {
        q
    }
}

fn keyslots(side: &mut dyn ClusterSide) -> Vec<Obs> {
    keys()
        .iter()
        .map(|k| {
            Obs::exact(
                format!("keyslot {}", show(k)),
                side.cli(0, &[b"CLUSTER", b"KEYSLOT", k]),
            )
        })
        .collect()
}

/// The node of `CLUSTER NODES` lines, without the volatile columns
/// (ping/pong times, config epochs).
fn nodes_shape(text: &str) -> String {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let keep: Vec<&str> = f
                .iter()
                .enumerate()
                .filter(|(i, _)| !(4..=6).contains(i))
                .map(|(_, s)| *s)
                .collect();
            keep.join(" ")
        })
        .collect();
    lines.sort();
    lines.join(" | ")
}

fn three(side: &mut dyn ClusterSide) -> Vec<Obs> {
    let mut o = Vec::new();
    let mut row = |name: &str, text: String| o.push(Obs::exact(name, text));
    let info = side.cli(0, &[b"CLUSTER", b"INFO"]);
    row(
        "info head",
        info.lines().take(7).collect::<Vec<_>>().join(" "),
    );
    row("nodes", nodes_shape(&side.cli(1, &[b"CLUSTER", b"NODES"])));
    row("slots", side.cli(2, &[b"CLUSTER", b"SLOTS"]));
    row("set foo on m1", side.cli(0, &[b"SET", b"foo", b"1"]));
    row("set foo on m3", side.cli(2, &[b"SET", b"foo", b"1"]));
    row("get foo on m2", side.cli(1, &[b"GET", b"foo"]));
    row(
        "mset cross-slot",
        side.cli(0, &[b"MSET", b"a", b"1", b"b", b"2"]),
    );
    row(
        "mset same tag",
        side.cli(0, &[b"MSET", b"{u}a", b"1", b"{u}b", b"2"]),
    );
    row("no keys", side.cli(0, &[b"DBSIZE"]));
    row("select 0", side.cli(0, &[b"SELECT", b"0"]));
    row(
        "bad slot",
        side.cli(0, &[b"CLUSTER", b"COUNTKEYSINSLOT", b"99999"]),
    );
    row(
        "bad count",
        side.cli(0, &[b"CLUSTER", b"GETKEYSINSLOT", b"1", b"-1"]),
    );
    row("unknown subcommand", side.cli(0, &[b"CLUSTER", b"FOO"]));
    row("keyslot arity", side.cli(0, &[b"CLUSTER", b"KEYSLOT"]));
    row(
        "config get",
        side.cli(0, &[b"CONFIG", b"GET", b"cluster-node-timeout"]),
    );
    row(
        "config set immutable",
        side.cli(0, &[b"CONFIG", b"SET", b"cluster-enabled", b"no"]),
    );
    row(
        "setslot bad action",
        side.cli(0, &[b"CLUSTER", b"SETSLOT", b"1", b"FOO"]),
    );
    row(
        "setslot not owner",
        side.cli(0, &[b"CLUSTER", b"SETSLOT", b"12182", b"MIGRATING", b"x"]),
    );
    row(
        "countkeysinslot",
        side.cli(2, &[b"CLUSTER", b"COUNTKEYSINSLOT", b"12182"]),
    );
    row(
        "getkeysinslot",
        side.cli(2, &[b"CLUSTER", b"GETKEYSINSLOT", b"12182", b"10"]),
    );
    // Slot 12182 (foo) migrates from m3 to m1: ASK for missing keys, TRYAGAIN.
    let (m1_real, m3_real) = (side.id(0), side.id(2));
    row("myid", side.cli(0, &[b"CLUSTER", b"MYID"]));
    row(
        "setslot migrating",
        side.cli(
            2,
            &[
                b"CLUSTER",
                b"SETSLOT",
                b"12182",
                b"MIGRATING",
                m1_real.as_bytes(),
            ],
        ),
    );
    row(
        "setslot importing",
        side.cli(
            0,
            &[
                b"CLUSTER",
                b"SETSLOT",
                b"12182",
                b"IMPORTING",
                m3_real.as_bytes(),
            ],
        ),
    );
    row(
        "get present key while migrating",
        side.cli(2, &[b"GET", b"foo"]),
    );
    row(
        "get missing key while migrating",
        side.cli(2, &[b"GET", b"{foo}x"]),
    );
    row(
        "importing without asking",
        side.cli(0, &[b"GET", b"{foo}x"]),
    );
    row(
        "mget partly missing",
        side.cli(2, &[b"MGET", b"foo", b"{foo}x"]),
    );
    o
}

fn guarded<S: ClusterSide>(
    start: impl FnOnce() -> Result<S, String>,
    script: fn(&mut dyn ClusterSide) -> Vec<Obs>,
) -> Result<Vec<Obs>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut side = start()?;
        Ok(script(&mut side))
    }))
    .unwrap_or_else(|p| Err(format!("<panicked: {}>", panic_text(p))))
}

pub fn run_cluster_checks() -> Vec<Row> {
    let mut rows = Vec::new();
    let t = Instant::now();
    let lab = guarded(LabCluster::start, keyslots);
    let real = guarded(|| RealCluster::start(1), keyslots);
    rows.extend(pair_rows("cluster keyslot", lab, real));
    let lab = guarded(LabCluster::start, three);
    let real = guarded(
        || {
            let mut c = RealCluster::start(3)?;
            c.form()?;
            Ok(c)
        },
        three,
    );
    rows.extend(pair_rows("cluster 3 masters", lab, real));
    rows.extend(super::cluster_failover::run_cluster_failover_check());
    println!(
        "check {:<20} {:>3} rows in {:.1}s",
        "cluster",
        rows.len(),
        t.elapsed().as_secs_f64()
    );
    rows
}
