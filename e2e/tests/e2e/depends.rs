//! dependsOn: `apps` waits for `infra` to be Ready before it applies, then both settle.

use crate::scenario::{Scenario, config_map};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depends_on_chain() {
    let s = Scenario::start("depends").await;
    let ns = s.namespace.clone();
    s.push(
        &[
            (
                "infra/settings.yaml",
                &config_map("settings", &ns, "tier", "base"),
            ),
            ("apps/app.yaml", &config_map("app", &ns, "tier", "app")),
        ],
        "first",
    );
    // apps first: it must wait for infra, which does not exist yet.
    let (ok, _, _) = s.fluxion_result(&[
        "create",
        "source",
        "git",
        "fleet",
        &format!("--url={}", s.git.url("fleet")),
        "--branch=main",
    ]);
    assert!(ok);
    let (ok, _, err) = s.fluxion_result(&[
        "create",
        "kustomization",
        "apps",
        "--source=fleet",
        "--path=./apps",
        "--prune",
        "--depends-on=infra",
        "--timeout=5s",
    ]);
    assert!(!ok, "apps cannot be ready before infra: {err}");
    let (status, reason, _) = s.ready("apps").await.expect("apps status");
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("False", "DependencyNotReady")
    );
    assert!(
        !s.config_exists("app").await,
        "nothing applied before the dependency is ready"
    );

    s.sync("infra", "./infra", &[]);
    s.wait_config_value("settings", "tier", "base").await;
    s.wait_config_value("app", "tier", "app").await;
    fluxion_e2e::eventually(crate::scenario::PATIENCE, "apps Ready", || async {
        s.ready("apps").await.filter(|(st, _, _)| st == "True")
    })
    .await;
}
