//! `replilab import FILE [--node NAME --into SCENARIO.toml]`: what a pasted
//! redis.conf, sentinel.conf, CONFIG GET or INFO replication output imports
//! (`scenario::import`), and every line it does not, with why. With
//! `--into`, the scenario's text with that node edited (the report then
//! goes to standard error, so the scenario can be redirected to a file).

use std::fmt::Write;

use replilab_core::scenario::import::{apply, import_conf, Imported};

/// What the command prints: (standard output, standard error).
pub fn run(args: &[String]) -> Result<(String, String), String> {
    let file = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .ok_or("import needs a FILE")?;
    let opt = |name: &str| -> Result<Option<&String>, String> {
        match args.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) => args
                .get(i + 1)
                .map(Some)
                .ok_or(format!("{name} needs a value")),
        }
    };
    let (node, into) = (opt("--node")?, opt("--into")?);
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let imp = import_conf(&String::from_utf8_lossy(&bytes)).map_err(|e| format!("{file}: {e}"))?;
    let summary = summary(file, &imp);
    match (node, into) {
        (None, None) => Ok((summary, String::new())),
        (Some(node), Some(into)) => {
            let text = std::fs::read_to_string(into).map_err(|e| format!("{into}: {e}"))?;
            let edited = apply(&text, node, &imp).map_err(|e| format!("{into}: {e}"))?;
            Ok((edited, summary))
        }
        _ => Err("--node and --into go together".into()),
    }
}

fn lines(l: &[usize]) -> String {
    let l: Vec<String> = l.iter().map(usize::to_string).collect();
    format!(
        "line{} {}",
        if l.len() > 1 { "s" } else { "" },
        l.join(", ")
    )
}

/// The import as text: settings, replicaof, monitor, then what was skipped.
pub fn summary(file: &str, imp: &Imported) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{file}: {}", imp.format);
    let _ = writeln!(out, "settings ({}):", imp.settings.len());
    for s in &imp.settings {
        let _ = writeln!(out, "  {} = {}  ({})", s.name, s.value, lines(&s.lines));
    }
    if let Some(r) = &imp.replicaof {
        let to =
            r.to.as_ref()
                .map_or("no one (a master)".to_string(), |(h, p)| format!("{h} {p}"));
        let _ = writeln!(out, "replicaof: {to}  ({})", lines(&r.lines));
    }
    if let Some(m) = &imp.monitor {
        let _ = writeln!(
            out,
            "monitor: {} at {}:{}, quorum {}, down-after {} ms, failover-timeout {} ms, parallel-syncs {}  ({})",
            m.name, m.host, m.port, m.quorum, m.down_after_ms, m.failover_timeout_ms, m.parallel_syncs, lines(&m.lines)
        );
    }
    let _ = writeln!(out, "not imported ({}):", imp.skipped.len());
    for s in &imp.skipped {
        let _ = writeln!(out, "  {s}");
    }
    out
}

/// A deployment to write imports into: three servers and a Sentinel.
pub const FUZZ_SCENARIO: &str = "format = \"replilab/1\"\nid = \"fuzz\"\nduration_s = 10\ntitle = { en = \"a\", zh = \"b\" }\n\n[[node]]\nname = \"m\"\nkind = \"redis\"\nconfig = { hz = \"20\" }\n\n[[node]]\nname = \"r1\"\nkind = \"redis\"\nreplicaof = \"m\"\n\n[[node]]\nname = \"r2\"\nkind = \"redis\" # a comment\nreplicaof = \"r1\"\n\n[[node]]\nname = \"s1\"\nkind = \"sentinel\"\nmonitor = { master = \"m\", quorum = 1 }\n";

/// What the fuzzers check of any text (panics if it does not hold): the
/// import either refuses the text with a cap's error or accounts for every
/// directive line; written into `FUZZ_SCENARIO` at `node`, the result
/// either loads or is an error.
pub fn check_any_text(text: &str, node: &str) {
    use replilab_core::scenario::import::{Format, ImportError, MAX_BYTES, MAX_LINES};
    let imp = match import_conf(text) {
        Err(ImportError::TooLong { bytes }) => return assert!(bytes > MAX_BYTES),
        Err(ImportError::TooManyLines { lines }) => return assert!(lines > MAX_LINES),
        Err(ImportError::Empty) => return,
        Ok(imp) => imp,
    };
    let n = text.split('\n').count();
    let mut seen: Vec<usize> = imp.settings.iter().flat_map(|s| s.lines.clone()).collect();
    seen.extend(imp.replicaof.iter().flat_map(|r| r.lines.clone()));
    seen.extend(imp.monitor.iter().flat_map(|m| m.lines.clone()));
    seen.extend(imp.skipped.iter().map(|s| s.line));
    assert!(
        seen.iter().all(|&l| l >= 1 && l <= n),
        "{seen:?} of {n} lines"
    );
    if matches!(imp.format, Format::RedisConf | Format::SentinelConf) {
        for (i, l) in text.split('\n').enumerate() {
            let t = l.trim_matches([' ', '\t', '\r', '\n']);
            let blank = replilab_core::data::split_args(t).is_ok_and(|a| a.is_empty());
            assert!(
                t.is_empty() || t.starts_with('#') || blank || seen.contains(&(i + 1)),
                "line {} dropped: {t:?}",
                i + 1
            );
        }
    }
    let _ = summary("fuzz", &imp);
    if let Ok(out) = apply(FUZZ_SCENARIO, node, &imp) {
        replilab_core::scenario::parse(&out).expect("an applied import loads");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_settings_and_every_skipped_line() {
        let imp =
            import_conf("port 7000\nhz 20\nreplicaof 10.0.0.1 6379\nmaxmemory 1gb\n").unwrap();
        assert_eq!(
            summary("x.conf", &imp),
            "x.conf: redis.conf\nsettings (1):\n  hz = 20  (line 2)\nreplicaof: 10.0.0.1 6379  (line 3)\nnot imported (2):\n  line 1: port: the lab gives each node its address\n  line 4: maxmemory: not modelled by the lab\n"
        );
    }

    #[test]
    fn into_needs_node_and_files_must_exist() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(run(&a(&[])).is_err());
        assert!(run(&a(&["/nonexistent.conf"]))
            .unwrap_err()
            .contains("/nonexistent.conf"));
        let conf = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conf/redis-7.0.conf");
        assert_eq!(
            run(&a(&[conf, "--into", "x.toml"])).unwrap_err(),
            "--node and --into go together"
        );
        let lesson = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../static/lessons/01-first-full-sync.toml"
        );
        let (out, report) = run(&a(&[conf, "--node", "r1", "--into", lesson])).unwrap();
        assert!(out.contains("\"hz\" = \"10\""), "{out}");
        assert!(report.contains("line 138: port"), "{report}");
    }
}
