//! Bad input from the repository: broken YAML makes the Kustomization Ready=False with the
//! reason and a message naming the problem, the objects already applied stay, and the next
//! good commit recovers.

use crate::scenario::{PATIENCE, Scenario, config_map};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_yaml_fails_then_a_fix_recovers() {
    let s = Scenario::start("broken").await;
    let ns = s.namespace.clone();
    s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "1"))],
        "good",
    );
    s.sync("app", "./deploy", &[]);
    s.wait_config_value("a", "v", "1").await;

    s.push(
        &[(
            "deploy/a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n",
        )],
        "broken",
    );
    let (ok, _, err) = s.fluxion_result(&["reconcile", "kustomization", "app", "--with-source"]);
    assert!(!ok, "a broken build must fail the reconcile: {err}");
    let (status, reason, message) = fluxion_e2e::eventually(PATIENCE, "Ready=False", || async {
        s.ready("app")
            .await
            .filter(|(status, _, _)| status == "False")
    })
    .await;
    assert_eq!(status, "False");
    assert_eq!(reason, "BuildFailed", "{message}");
    assert!(
        message.contains("a.yaml") || message.contains("yaml"),
        "{message}"
    );
    assert_eq!(
        s.config_value("a", "v").await.as_deref(),
        Some("1"),
        "last good state kept"
    );

    let fixed = s.push(
        &[("deploy/a.yaml", &config_map("a", &ns, "v", "3"))],
        "fixed",
    );
    let out = s.fluxion(&["reconcile", "kustomization", "app", "--with-source"]);
    assert!(
        out.contains(&format!("✔ applied revision main@sha1:{fixed}")),
        "{out}"
    );
    s.wait_config_value("a", "v", "3").await;
    let (status, reason, _) = s.ready("app").await.expect("ready");
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("True", "ReconciliationSucceeded")
    );
}
