//! Commands that need no cluster: create --export, envsubst, kustomize build, version --client.

use std::process::Command;

use crate::harness::{repo_root, run};

#[tokio::test]
async fn create_export_prints_what_flux_generates() {
    let out = run(
        &[
            "create",
            "source",
            "git",
            "podinfo",
            "--url=https://github.com/stefanprodan/podinfo",
            "--branch=master",
            "--export",
        ],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: master\n  url: https://github.com/stefanprodan/podinfo\n"
    );
    let out = run(
        &[
            "create",
            "kustomization",
            "podinfo",
            "--source=podinfo",
            "--path=./kustomize",
            "--prune=true",
            "--interval=5m",
            "--export",
        ],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m0s\n  path: ./kustomize\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: podinfo\n"
    );
    let out = run(
        &[
            "create",
            "source",
            "oci",
            "app",
            "--url=oci://ghcr.io/org/app",
            "--tag-semver=1.x",
            "-n",
            "apps",
            "--label=team=a",
            "--export",
        ],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stdout.contains("kind: OCIRepository\nmetadata:\n  labels:\n    team: a\n  name: app\n  namespace: apps\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("  ref:\n    semver: 1.x\n"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn create_refuses_bad_input_with_flux_messages() {
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "create",
                "source",
                "git",
                "x",
                "--url=https://h/r",
                "--export",
            ],
            "a Git ref is required",
        ),
        (
            &[
                "create",
                "source",
                "git",
                "x",
                "--url=ftp://h/r",
                "--branch=main",
                "--export",
            ],
            "git URL scheme 'ftp' not supported",
        ),
        (
            &["create", "ks", "x", "--source=HelmChart/y", "--export"],
            "source kind 'HelmChart' is not supported",
        ),
    ];
    for (args, message) in cases {
        let out = run(args, None).await;
        assert!(!out.ok, "{args:?} succeeded");
        assert_eq!(out.code, Some(1));
        assert!(
            out.stderr.contains(&format!("✗ {message}")),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[tokio::test]
async fn envsubst_substitutes_and_strict_fails() {
    let input = "name: ${APP_NAME}\nreplicas: ${REPLICAS:=2}\nkeep: $$literal\n";
    let out = run(&["envsubst"], Some((input, &[("APP_NAME", "podinfo")]))).await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout, "name: podinfo\nreplicas: 2\nkeep: $literal\n");
    let out = run(
        &["envsubst", "--strict"],
        Some(("a: ${FLUXION_TEST_UNSET_VAR}\n", &[])),
    )
    .await;
    assert!(!out.ok);
    assert!(
        out.stderr.contains("FLUXION_TEST_UNSET_VAR"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn kustomize_build_matches_kubectl() {
    let dir = repo_root().join("examples/apps/local");
    let out = run(&["kustomize", "build", &dir.display().to_string()], None).await;
    assert!(out.ok, "{}", out.stderr);
    let kubectl = Command::new("kubectl")
        .arg("kustomize")
        .arg(&dir)
        .output()
        .expect("kubectl is required");
    assert!(kubectl.status.success());
    assert_eq!(out.stdout, String::from_utf8_lossy(&kubectl.stdout));
    let missing = run(&["kustomize", "build", "/nonexistent-fluxion-dir"], None).await;
    assert!(!missing.ok);
    assert!(missing.stderr.starts_with("✗ "), "{}", missing.stderr);
}

#[tokio::test]
async fn version_client_and_install_export() {
    let out = run(&["version", "--client"], None).await;
    assert_eq!(
        out.stdout,
        format!("fluxion: v{}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run(&["install", "--export"], None).await;
    assert!(out.ok, "{}", out.stderr);
    let kubectl = Command::new("kubectl")
        .arg("kustomize")
        .arg(repo_root().join("manifests"))
        .output()
        .expect("kubectl is required");
    assert_eq!(
        out.stdout,
        format!("---\n{}", String::from_utf8_lossy(&kubectl.stdout))
    );
}

/// The helm binary from `scripts/install-helm` (which installs it when missing).
fn helm() -> &'static std::path::Path {
    fluxion_testkit::tools::helm().expect("helm from scripts/install-helm")
}

#[tokio::test]
async fn helm_template_matches_helm() {
    let chart = repo_root().join("shared/helm/testdata/charts/webapp");
    let chart = chart.display().to_string();
    let helm = helm();
    let cases: [&[&str]; 3] = [
        &["template", "web", &chart],
        &[
            "template",
            "web",
            &chart,
            "-n",
            "prod",
            "--set",
            "replicaCount=3",
        ],
        &[
            "template",
            "web",
            &chart,
            "--show-only",
            "templates/service.yaml",
        ],
    ];
    for args in cases {
        let mut ours_args = vec!["helm"];
        ours_args.extend_from_slice(args);
        let ours = run(&ours_args, None).await;
        let theirs = Command::new(helm).args(args).output().expect("helm");
        assert!(theirs.status.success(), "helm {args:?}");
        assert!(ours.ok, "{args:?}: {}", ours.stderr);
        assert_eq!(
            ours.stdout,
            String::from_utf8_lossy(&theirs.stdout),
            "{args:?}"
        );
    }
    let missing = run(&["helm", "template", "web", "/nonexistent-chart"], None).await;
    assert!(!missing.ok);
    assert!(
        missing
            .stderr
            .contains("path \"/nonexistent-chart\" not found"),
        "{}",
        missing.stderr
    );
}

/// `build kustomization --dry-run` renders the example apps as kustomize-controller would:
/// substituted, owner-labelled, every object of `kubectl kustomize` present.
#[tokio::test]
async fn build_kustomization_dry_run() {
    let root = repo_root();
    let path = root.join("examples/apps/local").display().to_string();
    let file = root
        .join("examples/clusters/local/apps.yaml")
        .display()
        .to_string();
    let out = run(
        &[
            "build",
            "kustomization",
            "apps",
            "--path",
            &path,
            "--kustomization-file",
            &file,
            "--dry-run",
        ],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout.contains("PODINFO_UI_MESSAGE: Hello from local"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("PODINFO_LOG_LEVEL: info"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("${"),
        "every variable substituted: {}",
        out.stdout
    );
    let kubectl = Command::new("kubectl")
        .arg("kustomize")
        .arg(&path)
        .output()
        .expect("kubectl");
    let expected = String::from_utf8_lossy(&kubectl.stdout)
        .matches("\nkind: ")
        .count();
    assert_eq!(
        out.stdout.matches("---\n").count(),
        expected,
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout
            .matches("kustomize.toolkit.fluxcd.io/name: apps")
            .count(),
        expected
    );

    let refused = run(
        &[
            "build",
            "kustomization",
            "apps",
            "--path",
            &path,
            "--dry-run",
        ],
        None,
    )
    .await;
    assert!(
        !refused.ok
            && refused
                .stderr
                .contains("dry-run mode requires a kustomization file"),
        "{}",
        refused.stderr
    );
}
