//! Runs `helm template` (the real helm v4) and our `fluxion-helm template` with the same
//! arguments in the same directory, and compares stdout byte for byte on success, or the
//! `Error: ...` text on failure (helm's informational log lines are not compared).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One differential run: a name, and the arguments after `template`.
pub struct Run {
    pub name: String,
    pub args: Vec<String>,
}

/// Builds a run from a whitespace-separated argument string.
pub fn run(name: &str, args: &str) -> Run {
    Run {
        name: name.to_string(),
        args: args.split_whitespace().map(str::to_string).collect(),
    }
}

/// A run whose arguments are given one by one (for arguments with spaces).
pub fn run_args(name: &str, args: &[&str]) -> Run {
    Run {
        name: name.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory every run executes in: the committed charts.
pub fn charts_dir() -> PathBuf {
    crate_dir().join("testdata/charts")
}

/// The helm binary, installed by `scripts/install-helm`. Missing helm fails the test.
pub fn helm() -> &'static Path {
    fluxion_testkit::tools::helm().expect("helm from scripts/install-helm")
}

fn ours() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_fluxion-helm"))
}

/// What a command printed: stdout on success, the `Error: ` text on failure.
fn outcome(out: &Output) -> Result<String, String> {
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    match stderr.find("Error: ") {
        Some(i) => Err(stderr[i..].to_string()),
        None => Err(format!("no error text; stderr={stderr:?}")),
    }
}

fn exec(bin: &Path, run: &Run, cwd: &Path) -> Result<String, String> {
    let out = Command::new(bin)
        .arg("template")
        .args(&run.args)
        .current_dir(cwd)
        .env("HELM_CACHE_HOME", cwd.join(".helm-cache"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    outcome(&out)
}

/// The first differing line of two outcomes, with its line number.
fn first_difference(a: &Result<String, String>, b: &Result<String, String>) -> String {
    let text = |r: &Result<String, String>| match r {
        Ok(s) => format!("ok:\n{s}"),
        Err(e) => format!("error:\n{e}"),
    };
    let (ta, tb) = (text(a), text(b));
    let (la, lb): (Vec<&str>, Vec<&str>) = (ta.lines().collect(), tb.lines().collect());
    let n = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    format!(
        "  line {}:\n  helm: {:?}\n  ours: {:?}",
        n + 1,
        la.get(n).unwrap_or(&"<end>"),
        lb.get(n).unwrap_or(&"<end>")
    )
}

/// Runs every case through both binaries (four at a time) and fails listing each mismatch.
pub fn check_all(group: &str, runs: &[Run], cwd: &Path) {
    let helm = helm();
    let next = AtomicUsize::new(0);
    let mut failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut bad = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(r) = runs.get(i) else { return bad };
                        let theirs = exec(helm, r, cwd);
                        let mine = exec(ours(), r, cwd);
                        if theirs != mine {
                            bad.push(format!(
                                "run {} (template {}):\n{}",
                                r.name,
                                r.args.join(" "),
                                first_difference(&theirs, &mine)
                            ));
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    failures.sort();
    eprintln!(
        "{group}: {}/{} runs match helm",
        runs.len() - failures.len(),
        runs.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} {group} runs differ from helm:\n{}",
        failures.len(),
        runs.len(),
        failures.join("\n")
    );
}

/// Asserts helm succeeded for a run (so a run that should render does not pass by both
/// failing the same way).
pub fn assert_renders(run: &Run, cwd: &Path) {
    let out = exec(helm(), run, cwd);
    assert!(out.is_ok(), "helm failed on {}: {out:?}", run.name);
}
