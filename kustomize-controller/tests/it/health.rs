//! Health: spec.wait and spec.healthChecks with kstatus, and the Healthy condition.

use fluxion_api::conditions::HEALTHY;
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

#[tokio::test]
async fn wait_marks_healthy() {
    let env = Env::start("health").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks("app", "repo", json!({"wait": true})).await;
    let ks = env.wait_applied("app", "main@sha1:1").await;
    let status = ks.status.expect("status");
    assert!(cond::is_true(&status.conditions, HEALTHY));
    assert!(cond::message(&status.conditions, HEALTHY).starts_with("Health check passed in "));
    env.wait_event("app", "Health check passed in").await;

    env.create_ks(
        "checks",
        "repo",
        json!({"healthChecks": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "a", "namespace": "health"}]}),
    )
    .await;
    let ks = env.wait_applied("checks", "main@sha1:1").await;
    assert!(cond::is_true(
        &ks.status.expect("status").conditions,
        HEALTHY
    ));
}
