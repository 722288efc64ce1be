//! Apply, inventory, prune and drift correction of plain manifests.

use fluxion_api::kustomize::{NAME_LABEL, NAMESPACE_LABEL};
use kube::api::{Patch, PatchParams};
use serde_json::json;

use crate::harness::{Env, config_map};

#[tokio::test]
async fn applies_prunes_and_reports_the_change_set() {
    let env = Env::start("apply-basic").await;
    let (a, b) = (
        config_map("a", &[("k", "1")]),
        config_map("b", &[("k", "1")]),
    );
    env.publish(
        "repo",
        "main@sha1:1",
        &[("deploy/a.yaml", &a), ("deploy/b.yaml", &b)],
    )
    .await;
    env.create_ks("app", "repo", json!({"path": "./deploy"}))
        .await;
    let ks = env.wait_applied("app", "main@sha1:1").await;
    let status = ks.status.expect("status");
    let ids: Vec<&str> = status
        .inventory
        .as_ref()
        .expect("inventory")
        .entries
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["apply-basic_a__ConfigMap", "apply-basic_b__ConfigMap"]
    );
    assert_eq!(
        status.last_attempted_revision.as_deref(),
        Some("main@sha1:1")
    );
    assert_eq!(status.history.len(), 1);
    assert_eq!(
        status.history[0].last_reconciled_status,
        "ReconciliationSucceeded"
    );
    assert_eq!(status.history[0].metadata["revision"], "main@sha1:1");
    assert!(status.history[0].digest.starts_with("sha256:"));
    let ready = status
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready")
        .expect("Ready");
    assert_eq!(ready.reason, "ReconciliationSucceeded");
    assert_eq!(ready.message, "Applied revision: main@sha1:1");

    let cm = env.config_maps().get("a").await.expect("a");
    let labels = cm.metadata.labels.clone().unwrap_or_default();
    assert_eq!(labels[NAME_LABEL], "app");
    assert_eq!(labels[NAMESPACE_LABEL], "apply-basic");
    let managers: Vec<String> = cm
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(
        managers.contains(&"kustomize-controller".to_string()),
        "{managers:?}"
    );
    let event = env
        .wait_event("app", "ConfigMap/apply-basic/a created")
        .await;
    assert!(
        event
            .message
            .unwrap_or_default()
            .contains("ConfigMap/apply-basic/b created")
    );

    // A new revision drops b and changes a: b is pruned, a configured.
    let a2 = config_map("a", &[("k", "2")]);
    env.publish("repo", "main@sha1:2", &[("deploy/a.yaml", &a2)])
        .await;
    let ks = env.wait_applied("app", "main@sha1:2").await;
    let inventory = ks.status.and_then(|s| s.inventory).expect("inventory");
    assert_eq!(inventory.entries.len(), 1);
    env.wait_config_map("b", "pruned", |cm| cm.is_none()).await;
    env.wait_config_map("a", "updated", |cm| {
        cm.and_then(|c| c.data.as_ref())
            .is_some_and(|d| d["k"] == "2")
    })
    .await;
    env.wait_event("app", "ConfigMap/apply-basic/a configured")
        .await;
    env.wait_event("app", "ConfigMap/apply-basic/b deleted")
        .await;
}

#[tokio::test]
async fn corrects_drift_and_keeps_prune_disabled_objects() {
    let env = Env::start("apply-drift").await;
    let keep = format!(
        "{}  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n"
    );
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("a.yaml", &config_map("a", &[("k", "1")])),
            ("keep.yaml", &keep),
        ],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    env.wait_applied("app", "main@sha1:1").await;

    // Someone edits the object in the cluster; the next run puts it back.
    let drift = json!({"data": {"k": "changed"}});
    env.config_maps()
        .patch("a", &PatchParams::default(), &Patch::Merge(&drift))
        .await
        .expect("drift");
    env.patch_ks(
        "app",
        json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "now-1"}}}),
    )
    .await;
    env.wait_config_map("a", "drift corrected", |cm| {
        cm.and_then(|c| c.data.as_ref())
            .is_some_and(|d| d["k"] == "1")
    })
    .await;
    env.wait_ks("app", "request handled", |ks| {
        ks.status
            .as_ref()
            .is_some_and(|s| s.last_handled_reconcile_at.as_deref() == Some("now-1"))
    })
    .await;

    // keep is dropped from the source but marked prune: disabled.
    env.publish(
        "repo",
        "main@sha1:2",
        &[("a.yaml", &config_map("a", &[("k", "1")]))],
    )
    .await;
    env.wait_applied("app", "main@sha1:2").await;
    let kept = env.config_maps().get_opt("keep").await.expect("get");
    assert!(kept.is_some(), "prune: disabled object was deleted");
}

#[tokio::test]
async fn ignored_objects_are_neither_applied_nor_pruned() {
    let env = Env::start("apply-ignore").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("a.yaml", &config_map("a", &[("k", "1")])),
            ("b.yaml", &config_map("b", &[("k", "1")])),
        ],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    env.wait_applied("app", "main@sha1:1").await;
    // b is now marked ssa: Ignore in the source, and a changes.
    let b_ignored = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Ignore\ndata:\n  k: \"2\"\n";
    env.publish(
        "repo",
        "main@sha1:2",
        &[
            ("a.yaml", &config_map("a", &[("k", "2")])),
            ("b.yaml", b_ignored),
        ],
    )
    .await;
    let ks = env.wait_applied("app", "main@sha1:2").await;
    let ids: Vec<String> = ks
        .status
        .and_then(|s| s.inventory)
        .expect("inventory")
        .entries
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, ["apply-ignore_a__ConfigMap"]);
    let b = env
        .config_maps()
        .get_opt("b")
        .await
        .expect("get")
        .expect("b kept");
    assert_eq!(b.data.expect("data")["k"], "1");
}

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"#;

#[tokio::test]
async fn applies_a_crd_before_its_objects() {
    let env = Env::start("apply-crd").await;
    let widget =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n";
    env.publish(
        "repo",
        "main@sha1:1",
        &[("crd.yaml", CRD), ("widget.yaml", widget)],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    let ks = env.wait_applied("app", "main@sha1:1").await;
    let ids: Vec<String> = ks
        .status
        .and_then(|s| s.inventory)
        .expect("inventory")
        .entries
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        ids,
        [
            "_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition",
            "apply-crd_w_example.com_Widget"
        ]
    );
}

#[tokio::test]
async fn its_own_status_write_does_not_start_another_run() {
    let env = Env::start("apply-quiet").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("a.yaml", &config_map("a", &[("k", "1")]))],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    env.wait_applied("app", "main@sha1:1").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let ks = env.kustomizations().get("app").await.expect("get");
    let history = ks.status.expect("status").history;
    assert_eq!(history.len(), 1);
    assert_eq!(
        history[0].total_reconciliations, 1,
        "runs after the first: {history:?}"
    );
}
