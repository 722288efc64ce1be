//! The source side: missing sources and artifacts, cross-namespace refusal, dependencies.

use fluxion_api::conditions::{ACCESS_DENIED_REASON, ARTIFACT_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

#[tokio::test]
async fn missing_source_then_artifact() {
    let env = Env::start("source-missing").await;
    env.create_ks("app", "repo", json!({})).await;
    let ks = env.wait_failed("app", ARTIFACT_FAILED_REASON).await;
    let status = ks.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, "Ready"),
        "Source 'GitRepository/repo' not found"
    );
}

#[tokio::test]
async fn cross_namespace_source_refused() {
    let env = Env::start_with(
        "source-cross",
        Default::default(),
        &["--no-cross-namespace-refs=true"],
    )
    .await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks(
        "app",
        "repo",
        json!({"sourceRef": {"kind": "GitRepository", "name": "repo", "namespace": "flux-system"}}),
    )
    .await;
    let ks = env.wait_failed("app", ACCESS_DENIED_REASON).await;
    let status = ks.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, "Ready"),
        "can't access 'GitRepository/flux-system/repo', cross-namespace references have been blocked"
    );
    assert!(cond::is_true(&status.conditions, "Stalled"));
}
