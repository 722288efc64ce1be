//! dependsOn: a Kustomization waits (DependencyNotReady, requeued after --requeue-dependency)
//! until its dependency is Ready at the same source revision, then applies.

use fluxion_api::conditions::DEPENDENCY_NOT_READY_REASON;
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

#[tokio::test]
async fn waits_for_its_dependency() {
    let env = Env::start("deps").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("infra/cm.yaml", &config_map("infra", &[("k", "v")])),
            ("apps/cm.yaml", &config_map("app", &[("k", "v")])),
        ],
    )
    .await;
    env.create_ks(
        "apps",
        "repo",
        json!({"path": "apps", "dependsOn": [{"name": "infra"}]}),
    )
    .await;
    let ks = env.wait_failed("apps", DEPENDENCY_NOT_READY_REASON).await;
    let status = ks.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, "Ready"),
        "dependency 'deps/infra' not found: not found"
    );
    env.wait_event(
        "apps",
        "Dependencies do not meet ready condition, retrying in 1s",
    )
    .await;
    assert!(
        env.config_maps()
            .get_opt("app")
            .await
            .expect("get")
            .is_none()
    );

    env.create_ks("infra", "repo", json!({"path": "infra"}))
        .await;
    env.wait_applied("infra", "main@sha1:1").await;
    // Requeued after --requeue-dependency, the dependent now applies.
    env.wait_applied("apps", "main@sha1:1").await;
    assert!(
        env.config_maps()
            .get_opt("app")
            .await
            .expect("get")
            .is_some()
    );
}

#[tokio::test]
async fn ready_expressions_are_refused_clearly() {
    let env = Env::start("deps-cel").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks(
        "apps",
        "repo",
        json!({"dependsOn": [{"name": "infra", "readyExpr": "dep.status.conditions.all(c, c.status == 'True')"}]}),
    )
    .await;
    let ks = env.wait_failed("apps", "ReconciliationFailed").await;
    let status = ks.status.expect("status");
    assert!(cond::message(&status.conditions, "Ready").contains("readyExpr"));
    assert!(cond::is_true(&status.conditions, "Stalled"));
}
