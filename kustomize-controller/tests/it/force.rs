//! spec.force: changing an immutable field fails the apply (Ready=False naming the object and
//! the API's reason, the live object untouched) until `force` is set; then the object is
//! deleted and created again with the new content.

use fluxion_api::conditions::READY;
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

fn immutable(value: &str) -> String {
    format!("{}immutable: true\n", config_map("locked", &[("k", value)]))
}

#[tokio::test]
async fn force_recreates_an_object_whose_immutable_field_changed() {
    let env = Env::start("force").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("deploy/cm.yaml", &immutable("1"))],
    )
    .await;
    env.create_ks("app", "repo", json!({"path": "./deploy"}))
        .await;
    env.wait_applied("app", "main@sha1:1").await;
    let first = env.config_maps().get("locked").await.expect("applied");

    env.publish(
        "repo",
        "main@sha1:2",
        &[("deploy/cm.yaml", &immutable("2"))],
    )
    .await;
    let failed = env.wait_failed("app", "ReconciliationFailed").await;
    let message = cond::message(&failed.status.expect("status").conditions, READY).to_string();
    assert!(message.contains("ConfigMap/force/locked"), "{message}");
    assert!(message.contains("immutable"), "{message}");
    let kept = env.config_maps().get("locked").await.expect("still there");
    assert_eq!(kept.data.expect("data")["k"], "1", "nothing half-applied");

    env.patch_ks("app", json!({"spec": {"force": true}})).await;
    env.wait_applied("app", "main@sha1:2").await;
    let second = env.config_maps().get("locked").await.expect("recreated");
    assert_eq!(second.data.expect("data")["k"], "2");
    assert_ne!(
        second.metadata.uid, first.metadata.uid,
        "deleted and created again"
    );
}
