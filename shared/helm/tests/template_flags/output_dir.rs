//! `--output-dir`: helm and fluxion-helm each write into their own directory; the printed
//! `wrote` lines (directory prefix replaced) and the written trees must be identical.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::harness::{charts_dir, helm};

/// Every file under `root`, by relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string();
                out.insert(rel, std::fs::read(&path).expect("read written file"));
            }
        }
    }
    out
}

/// Runs one tool `times` times into `dir` (a second run shows Helm's append quirks);
/// returns the normalised stdout of the last run, or its error.
fn render(
    bin: &Path,
    args: &[&str],
    dir: &Path,
    suffix: &str,
    times: usize,
) -> Result<String, String> {
    let mut last = Err(String::new());
    for _ in 0..times {
        let out = Command::new(bin)
            .arg("template")
            .args(args)
            .arg("--output-dir")
            .arg(format!("{}{suffix}", dir.display()))
            .current_dir(charts_dir())
            .output()
            .expect("run template");
        let stdout =
            String::from_utf8_lossy(&out.stdout).replace(&dir.display().to_string(), "DIR");
        last = if out.status.success() {
            Ok(stdout)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Err(stderr[stderr.find("Error: ").unwrap_or(0)..].to_string())
        };
    }
    last
}

fn check(args: &[&str], suffix: &str, times: usize) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (hdir, odir) = (tmp.path().join("helm"), tmp.path().join("ours"));
    let theirs = render(helm(), args, &hdir, suffix, times);
    let ours = render(
        Path::new(env!("CARGO_BIN_EXE_fluxion-helm")),
        args,
        &odir,
        suffix,
        times,
    );
    assert_eq!(ours, theirs, "stdout of {args:?}");
    let (ht, ot) = (tree(&hdir), tree(&odir));
    assert_eq!(
        ot.keys().collect::<Vec<_>>(),
        ht.keys().collect::<Vec<_>>(),
        "files written for {args:?}"
    );
    for (name, bytes) in &ht {
        assert!(ot.get(name) == Some(bytes), "{name} differs for {args:?}");
    }
    if theirs.is_ok() {
        assert!(!ht.is_empty(), "helm wrote nothing for {args:?}");
    }
}

#[test]
fn output_dir_layout_matches_helm() {
    check(&["rel", "webapp"], "", 1);
    check(&["rel", "webapp", "--set", "ingress.enabled=true"], "/", 1);
    check(&["rel", "operator", "--include-crds"], "", 1);
    check(
        &["rel", "operator", "--include-crds", "--release-name"],
        "",
        1,
    );
    check(&["rel", "operator", "--skip-tests", "--no-hooks"], "", 1);
    check(&["rel", "platform", "--release-name"], "/./", 1);
    check(&["rel", "webapp", "-s", "templates/service.yaml"], "", 1);
}

#[test]
fn output_dir_second_run_appends_hooks_as_helm() {
    check(&["rel", "operator"], "", 2);
    check(&["rel", "webapp", "--release-name"], "", 2);
}
