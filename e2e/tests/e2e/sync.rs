//! The everyday loop: a pushed commit is applied, a changed file updates its object, a
//! removed file is pruned, a change made in the cluster is put back, suspend holds changes
//! back until resume.

use crate::scenario::{PATIENCE, Scenario, config_map};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_apply_prune_and_correct_drift() {
    let s = Scenario::start("sync").await;
    let ns = s.namespace.clone();
    s.push(
        &[
            ("deploy/a.yaml", &config_map("a", &ns, "color", "blue")),
            ("deploy/b.yaml", &config_map("b", &ns, "size", "small")),
        ],
        "first",
    );
    s.sync("app", "./deploy", &[]);
    s.wait_config_value("a", "color", "blue").await;
    s.wait_config_value("b", "size", "small").await;

    // A new commit, picked up at once by reconciling with the source.
    let second = s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "color", "green"))],
        "green",
    );
    let out = s.fluxion(&["reconcile", "kustomization", "app", "--with-source"]);
    assert!(
        out.contains(&format!("✔ applied revision main@sha1:{second}")),
        "{out}"
    );
    s.wait_config_value("a", "color", "green").await;

    // A removed file is pruned.
    let third = s.remove(&["deploy/b.yaml"], "drop b");
    s.fluxion(&["reconcile", "kustomization", "app", "--with-source"]);
    fluxion_e2e::eventually(PATIENCE, "b pruned", || async {
        (!s.config_exists("b").await).then_some(())
    })
    .await;
    assert_eq!(s.configmaps().await, ["a"]);

    // A change made in the cluster is corrected on the next run.
    s.cluster.kubectl(&[
        "-n",
        &ns,
        "patch",
        "configmap",
        "a",
        "--type=merge",
        "-p",
        r#"{"data":{"color":"red"}}"#,
    ]);
    assert_eq!(s.config_value("a", "color").await.as_deref(), Some("red"));
    s.fluxion(&["reconcile", "kustomization", "app"]);
    s.wait_config_value("a", "color", "green").await;

    // diff: nothing to change for the applied tree; a local edit shows as drift (exit 1).
    let local = s.tree.path().join("deploy").display().to_string();
    let (ok, out, err) = s.fluxion_result(&["diff", "kustomization", "app", "--path", &local]);
    assert!(ok, "no change expected: {out}{err}");
    std::fs::write(
        s.tree.path().join("deploy/a.yaml"),
        config_map("a", &ns, "color", "purple"),
    )
    .expect("edit");
    let (ok, out, err) = s.fluxion_result(&["diff", "kustomization", "app", "--path", &local]);
    assert!(!ok, "a change must exit non-zero: {err}");
    assert!(
        out.contains(&format!("► ConfigMap/{ns}/a drifted")),
        "{out}"
    );
    assert!(
        out.contains("data.color\n  ± value change\n    - green\n    + purple"),
        "{out}"
    );
    std::fs::write(
        s.tree.path().join("deploy/a.yaml"),
        config_map("a", &ns, "color", "green"),
    )
    .expect("restore");

    // The tree of what was applied, and the trace of an object back to its source.
    let (ok, tree, err) = s.fluxion_result(&["tree", "kustomization", "app"]);
    assert!(ok, "{err}");
    assert_eq!(
        tree,
        format!("Kustomization/{ns}/app\n└── ConfigMap/{ns}/a\n")
    );
    let (ok, trace, err) =
        s.fluxion_result(&["trace", "a", "--kind=ConfigMap", "--api-version=v1"]);
    assert!(ok, "{err}");
    assert!(trace.contains("Kustomization:   app"), "{trace}");
    assert!(
        trace.contains(&format!("Revision:        main@sha1:{third}")),
        "{trace}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_holds_changes_until_resume() {
    let s = Scenario::start("suspend").await;
    let ns = s.namespace.clone();
    s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "1"))],
        "first",
    );
    s.sync("app", "./deploy", &[]);
    s.wait_config_value("a", "v", "1").await;

    s.fluxion(&["suspend", "kustomization", "app"]);
    s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "2"))],
        "second",
    );
    s.fluxion(&["reconcile", "source", "git", "fleet"]);
    let (ok, _, err) = s.fluxion_result(&["reconcile", "kustomization", "app"]);
    assert!(!ok && err.contains("resource is suspended"), "{err}");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        s.config_value("a", "v").await.as_deref(),
        Some("1"),
        "suspended: not applied"
    );

    let out = s.fluxion(&["resume", "kustomization", "app"]);
    assert!(out.contains("✔ applied revision main@sha1:"), "{out}");
    s.wait_config_value("a", "v", "2").await;
}
