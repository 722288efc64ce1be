//! Waiting for health: statuses written by the test (no pods run here), Flux's timeout
//! message, fail-fast, cancellation, and waiting for termination.

use std::time::Duration;

use fluxion_ssa::{ApplyOptions, CancellationToken, ObjMetadata, WaitError, WaitOptions};
use kube::api::{Patch, PatchParams};
use serde_json::json;

use crate::support::Env;

const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: NS
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
"#;

fn quick(timeout_ms: u64) -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(100),
        timeout: Duration::from_millis(timeout_ms),
        fail_fast: false,
    }
}

/// Applies the `web` Deployment (no status yet) and gives its metadata.
async fn apply_deployment(env: &Env) -> ObjMetadata {
    let objs = env.objects(DEPLOY);
    env.manager
        .apply_all(&objs, &ApplyOptions::default())
        .await
        .expect("apply");
    ObjMetadata::from_object(&objs[0])
}

async fn set_status(env: &Env, status: serde_json::Value) {
    let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
        kube::Api::namespaced(env.client.clone(), &env.ns);
    api.patch_status(
        "web",
        &PatchParams::default(),
        &Patch::Merge(&json!({ "status": status })),
    )
    .await
    .expect("status");
}

fn ready_status() -> serde_json::Value {
    json!({
        "observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1,
        "availableReplicas": 1,
        "conditions": [
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "ok"},
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "ok"}
        ]
    })
}

#[tokio::test]
async fn waits_until_the_deployment_is_ready() {
    let env = Env::new("wait-ready").await;
    let set = [apply_deployment(&env).await];

    let err = env
        .manager
        .wait_for_set(&set, &quick(300), &CancellationToken::new())
        .await
        .expect_err("not ready");
    assert_eq!(
        err.to_string(),
        "timeout waiting for: [Deployment/wait-ready/web status: 'InProgress']"
    );

    let status = env.manager.status_of(&set[0]).await.expect("status");
    assert_eq!(status.message, "replicas: 0/1");
    set_status(&env, ready_status()).await;
    env.manager
        .wait_for_set(&set, &quick(5000), &CancellationToken::new())
        .await
        .expect("ready");
}

#[tokio::test]
async fn becomes_ready_while_waiting() {
    let env = Env::new("wait-later").await;
    let set = [apply_deployment(&env).await];
    let (opts, cancel) = (quick(10_000), CancellationToken::new());
    let wait = env.manager.wait_for_set(&set, &opts, &cancel);
    let writer = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        set_status(&env, ready_status()).await;
    };
    let (res, ()) = tokio::join!(wait, writer);
    res.expect("ready once the status says so");
}

#[tokio::test]
async fn fails_fast_and_reports_missing_objects() {
    let env = Env::new("wait-failed").await;
    let deployment = apply_deployment(&env).await;
    set_status(
        &env,
        json!({"observedGeneration": 1, "conditions": [
            {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "too slow"}
        ]}),
    )
    .await;
    let set = [
        deployment,
        ObjMetadata::new("", "ConfigMap", &env.ns, "absent"),
    ];
    let opts = WaitOptions {
        fail_fast: true,
        ..quick(10_000)
    };
    let err = env
        .manager
        .wait_for_set(&set, &opts, &CancellationToken::new())
        .await
        .expect_err("failed");
    assert_eq!(
        err.to_string(),
        "failed early due to stalled resources: [Deployment/wait-failed/web status: 'Failed': Progress deadline exceeded]"
    );
    let err = env
        .manager
        .wait_for_set(&set[1..], &quick(200), &CancellationToken::new())
        .await
        .expect_err("absent");
    assert_eq!(
        err.to_string(),
        "timeout waiting for: [ConfigMap/wait-failed/absent status: 'NotFound']"
    );
}

#[tokio::test]
async fn cancellation_stops_the_wait_at_once() {
    let env = Env::new("wait-cancel").await;
    let set = [apply_deployment(&env).await];
    let cancel = CancellationToken::new();
    let opts = WaitOptions {
        interval: Duration::from_secs(5),
        timeout: Duration::from_secs(300),
        fail_fast: false,
    };
    let started = tokio::time::Instant::now();
    let canceller = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    };
    let (res, ()) = tokio::join!(env.manager.wait_for_set(&set, &opts, &cancel), canceller);
    assert!(matches!(res, Err(WaitError::Cancelled)), "{res:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn waits_for_termination_through_finalizers() {
    let env = Env::new("wait-gone").await;
    let objs = env.objects(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: NS\n  finalizers:\n  - example.com/hold\n",
    );
    let cs = env
        .manager
        .apply_all(&objs, &ApplyOptions::default())
        .await
        .expect("apply");
    env.manager
        .delete_all(&objs, &Default::default())
        .await
        .expect("delete");
    let err = env
        .manager
        .wait_for_termination(&cs, &quick(300), &CancellationToken::new())
        .await
        .expect_err("held by a finalizer");
    assert_eq!(
        err.to_string(),
        "ConfigMap/wait-gone/held termination timeout"
    );

    let cms: kube::Api<k8s_openapi::api::core::v1::ConfigMap> =
        kube::Api::namespaced(env.client.clone(), &env.ns);
    cms.patch(
        "held",
        &PatchParams::default(),
        &Patch::Merge(&json!({"metadata": {"finalizers": null}})),
    )
    .await
    .expect("release");
    env.manager
        .wait_for_termination(&cs, &quick(5000), &CancellationToken::new())
        .await
        .expect("gone");
}
