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

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

#[tokio::test]
async fn new_revision_cancels_a_wait_in_progress() {
    let env = Env::start("health-cancel").await;
    // No kubelet rolls the Deployment out: the wait would last the whole 5m timeout.
    env.publish("repo", "main@sha1:1", &[("web.yaml", DEPLOYMENT)])
        .await;
    env.create_ks("app", "repo", json!({"wait": true, "timeout": "5m"}))
        .await;
    env.wait_ks("app", "health check running", |ks| {
        ks.status.as_ref().is_some_and(|s| {
            cond::message(&s.conditions, "Reconciling")
                == "Running health checks for revision main@sha1:1 with a timeout of 5m0s"
                && cond::is_unknown(&s.conditions, HEALTHY)
                && s.last_attempted_revision.as_deref() == Some("main@sha1:1")
        })
    })
    .await;
    env.publish(
        "repo",
        "main@sha1:2",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    let ks = env.wait_applied("app", "main@sha1:2").await;
    assert!(cond::is_true(
        &ks.status.expect("status").conditions,
        HEALTHY
    ));
}
