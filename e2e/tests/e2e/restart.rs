//! Restarting the controllers keeps their state: the artifact is reused, the inventory kept,
//! and the next commit is applied by the new processes.

use crate::scenario::{Scenario, config_map};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn controllers_restart_keeps_state() {
    let mut s = Scenario::start("restart").await;
    let ns = s.namespace.clone();
    let first = s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "1"))],
        "first",
    );
    s.sync("app", "./deploy", &[]);
    s.wait_config_value("a", "v", "1").await;
    let before = s.fluxion_result(&["export", "kustomization", "app"]);

    s.controllers.restart();
    let out = s.fluxion(&["reconcile", "kustomization", "app", "--with-source"]);
    assert!(
        out.contains(&format!("✔ fetched revision main@sha1:{first}")),
        "{out}"
    );
    assert!(
        out.contains(&format!("✔ applied revision main@sha1:{first}")),
        "{out}"
    );
    let spec = |export: &str| {
        export
            .split_once("\nspec:\n")
            .map(|(_, spec)| spec.to_string())
    };
    let after = s.fluxion_result(&["export", "kustomization", "app"]).1;
    assert_eq!(spec(&after), spec(&before.1), "spec untouched");
    let (ok, tree, _) = s.fluxion_result(&["tree", "kustomization", "app"]);
    assert!(ok && tree.contains(&format!("ConfigMap/{ns}/a")), "{tree}");

    let second = s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "2"))],
        "second",
    );
    let out = s.fluxion(&["reconcile", "kustomization", "app", "--with-source"]);
    assert!(
        out.contains(&format!("✔ applied revision main@sha1:{second}")),
        "{out}"
    );
    s.wait_config_value("a", "v", "2").await;
}
