//! The repository's install manifests (`manifests/`, what `kubectl apply -k manifests/` and
//! `fluxion install` apply) build, and fluxion-kustomize renders them byte-identically to
//! `kubectl kustomize`; so does the example tree under `examples/`. kubectl missing is a
//! failure, never a skip.

use std::path::Path;
use std::process::Command;

use fluxion_kustomize::{BuildOptions, DiskFs, build};

#[test]
fn install_manifests_build_like_kubectl() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(repo.join("manifests"))
        .output()
        .expect("kubectl is required for these tests");
    assert!(
        out.status.success(),
        "kubectl kustomize manifests/ failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = String::from_utf8(out.stdout).expect("utf-8");

    let fsys = DiskFs::new(&repo).expect("repository root");
    let ours = build(&fsys, "manifests", &BuildOptions::default()).expect("fluxion build");
    assert_eq!(ours, theirs);

    let kinds: Vec<&str> = ours
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    let crds = kinds.iter().filter(|k| **k == "CustomResourceDefinition");
    assert_eq!(crds.count(), 14, "every Flux CRD is installed");
    for kind in [
        "Namespace",
        "Deployment",
        "Service",
        "ServiceAccount",
        "ClusterRole",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from manifests/");
    }
    for deployment in ["name: source-controller", "name: kustomize-controller"] {
        assert!(ours.contains(deployment), "{deployment} missing");
    }
    assert!(ours.contains("namespace: flux-system"));
}

/// The example GitOps tree `fluxion up` syncs builds the same with both tools, at every path
/// its Kustomizations point at.
#[test]
fn example_tree_builds_like_kubectl() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fsys = DiskFs::new(&repo).expect("repository root");
    for dir in [
        "examples/clusters/local",
        "examples/infrastructure",
        "examples/apps/local",
    ] {
        let out = Command::new("kubectl")
            .arg("kustomize")
            .arg(repo.join(dir))
            .output()
            .expect("kubectl is required for these tests");
        assert!(out.status.success(), "kubectl kustomize {dir} failed");
        let theirs = String::from_utf8(out.stdout).expect("utf-8");
        let ours = build(&fsys, dir, &BuildOptions::default()).expect("fluxion build");
        assert_eq!(ours, theirs, "{dir}");
        assert!(ours.contains("kind:"), "{dir} renders objects");
    }
}
