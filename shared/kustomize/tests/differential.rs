//! Differential tests: every case under testdata/cases is built by `kubectl kustomize`
//! (kustomize v5.5) and by fluxion-kustomize, and the outputs must be byte-identical.
//!
//! A case is a directory holding a kustomization tree. Marker files change how it runs:
//! - `expect-error`: both must fail;
//! - `build-dir`: the directory to build, relative to the case (default: the case);
//! - `flux`: our build runs with Flux's options (generated kustomization, no load
//!   restriction); kubectl builds a copy where that kustomization was written out.
//!
//! kubectl missing is a failure, never a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use fluxion_kustomize::{BuildOptions, DiskFs, build, kustomization};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases")
}

struct Outcome {
    ok: bool,
    text: String,
}

fn kubectl(dir: &Path, flux: bool) -> Outcome {
    let mut cmd = Command::new("kubectl");
    cmd.arg("kustomize").arg(dir);
    if flux {
        cmd.args(["--load-restrictor", "LoadRestrictionsNone"]);
    }
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("kubectl is required for these tests (apt-get install kubectl): {e}")
    });
    let text = if out.status.success() {
        out.stdout
    } else {
        out.stderr
    };
    Outcome {
        ok: out.status.success(),
        text: String::from_utf8_lossy(&text).into_owned(),
    }
}

fn ours(root: &Path, dir: &str, flux: bool) -> Outcome {
    let opts = if flux {
        BuildOptions::flux()
    } else {
        BuildOptions::default()
    };
    let result = DiskFs::new(root)
        .map_err(|e| e.to_string())
        .and_then(|fsys| build(&fsys, dir, &opts).map_err(|e| e.to_string()));
    match result {
        Ok(text) => Outcome { ok: true, text },
        Err(text) => Outcome { ok: false, text },
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Writes the kustomization Flux would generate into a copy of the case, for kubectl.
fn flux_copy(case: &Path, dir: &str) -> Result<tempfile::TempDir, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_tree(case, tmp.path());
    let fsys = DiskFs::new(tmp.path()).map_err(|e| e.to_string())?;
    if kustomization::find_file(&fsys, dir)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(tmp);
    }
    let k = kustomization::generate_for_dir(&fsys, dir).map_err(|e| e.to_string())?;
    let mut text = String::from("resources:\n");
    for r in &k.resources {
        text.push_str(&format!("- {r}\n"));
    }
    let kdir = tmp.path().join(dir.trim_start_matches('/'));
    std::fs::write(kdir.join("kustomization.yaml"), text).map_err(|e| e.to_string())?;
    Ok(tmp)
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  kubectl: {x:?}\n  ours:    {y:?}", i + 1);
        }
    }
    format!(
        "lengths differ: kubectl {} lines, ours {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

/// Runs one case; `Err` says how it differs.
fn run_case(case: &Path) -> Result<(), String> {
    let expect_error = case.join("expect-error").exists();
    let flux = case.join("flux").exists();
    let rel = std::fs::read_to_string(case.join("build-dir"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| ".".into());
    let dir = format!("/{}", rel.trim_start_matches("./").trim_start_matches('.'));
    let _copy;
    let theirs = if flux {
        match flux_copy(case, &dir) {
            Ok(tmp) => {
                let out = kubectl(&tmp.path().join(rel.as_str()), true);
                _copy = tmp;
                out
            }
            Err(e) => Outcome { ok: false, text: e },
        }
    } else {
        kubectl(&case.join(rel.as_str()), false)
    };
    let mine = ours(case, &dir, flux);
    match (expect_error, theirs.ok, mine.ok) {
        (true, false, false) => Ok(()),
        (true, true, _) => Err(format!(
            "kubectl succeeded but the case expects an error:\n{}",
            theirs.text
        )),
        (true, false, true) => Err(format!(
            "kubectl failed ({}) but ours succeeded",
            theirs.text.trim()
        )),
        (false, false, _) => Err(format!("kubectl failed: {}", theirs.text.trim())),
        (false, true, false) => Err(format!("ours failed: {}", mine.text)),
        (false, true, true) if theirs.text == mine.text => Ok(()),
        (false, true, true) => Err(first_difference(&theirs.text, &mine.text)),
    }
}

#[test]
fn kubectl_kustomize_and_ours_agree() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("testdata/cases exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases");
    let only = std::env::var("CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        ran += 1;
        if let Err(why) = run_case(case) {
            failures.push(format!("{name}: {why}"));
        }
    }
    println!(
        "differential cases: {} passed, {} failed",
        ran - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} cases differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
