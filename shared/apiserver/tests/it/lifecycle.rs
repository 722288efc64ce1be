//! Deletion: namespaces (Terminating, contents removed, creates refused), propagation to
//! dependents by ownerReferences, preconditions and the answers of delete.

use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams, Preconditions};
use serde_json::json;

use crate::support::{eventually, server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_deletion_lifecycle() {
    let s = server().await;
    let client = s.client().expect("client");
    let nss: Api<Namespace> = Api::all(client.clone());
    let doomed = s.ns("doomed");
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": doomed}})).expect("ns");
    let made = nss.create(&PostParams::default(), &ns).await.expect("ns");
    assert_eq!(made.status.and_then(|s| s.phase).as_deref(), Some("Active"));
    assert_eq!(
        made.spec.and_then(|s| s.finalizers),
        Some(vec!["kubernetes".to_string()])
    );
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), &doomed);
    let plain: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "plain"}})).expect("cm");
    cms.create(&PostParams::default(), &plain)
        .await
        .expect("plain");
    let held: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "held", "finalizers": ["x.io/y"]}}))
            .expect("cm");
    cms.create(&PostParams::default(), &held)
        .await
        .expect("held");
    let answer = nss
        .delete(&doomed, &DeleteParams::default())
        .await
        .expect("delete");
    let terminating = answer.left().expect("namespaces answer with the object");
    assert_eq!(
        terminating.status.and_then(|s| s.phase).as_deref(),
        Some("Terminating")
    );
    // A real cluster's namespace controller empties the namespace a moment later.
    eventually("the namespace's contents are deleted", || async {
        cms.get_opt("plain").await.expect("get").is_none()
    })
    .await;
    let refused = cms
        .create(&PostParams::default(), &plain)
        .await
        .expect_err("terminating");
    assert!(
        matches!(refused, kube::Error::Api(ref s) if s.code == 403 && s.message.contains("because it is being terminated")),
        "{refused:?}"
    );
    assert!(
        nss.get_opt(&doomed).await.expect("get").is_some(),
        "held by the finalized object"
    );
    cms.patch(
        "held",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await
    .expect("release");
    eventually("the namespace is removed once empty", || async {
        nss.get_opt(&doomed).await.expect("get").is_none()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: tries to delete the cluster's default namespace"
)]
async fn default_namespace_is_protected() {
    let s = server().await;
    let nss: Api<Namespace> = Api::all(s.client().expect("client"));
    let err = nss
        .delete("default", &DeleteParams::default())
        .await
        .expect_err("protected");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403 && s.message.contains("may not be deleted")),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dependents_follow_their_owner() {
    let s = server().await;
    let ns = s.namespace("owners").await;
    let cms: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &ns);
    let owner = cms
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": "owner"}})).expect("cm"),
        )
        .await
        .expect("owner");
    let uid = owner.metadata.uid.clone().expect("uid");
    let owned = |name: &str| -> ConfigMap {
        serde_json::from_value(json!({"metadata": {"name": name, "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": uid}]}})).expect("cm")
    };
    cms.create(&PostParams::default(), &owned("child"))
        .await
        .expect("child");
    let status = cms
        .delete("owner", &DeleteParams::default())
        .await
        .expect("delete")
        .right()
        .expect("Status");
    assert_eq!(
        status.status,
        Some(kube::core::response::StatusSummary::Success)
    );
    assert_eq!(
        status.details.as_ref().map(|d| d.kind.as_str()),
        Some("configmaps")
    );
    // A real cluster's garbage collector deletes dependents a moment later.
    eventually("background propagation deletes the child", || async {
        cms.get_opt("child").await.expect("get").is_none()
    })
    .await;
    let owner = cms
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": "owner2"}})).expect("cm"),
        )
        .await
        .expect("owner2");
    let uid = owner.metadata.uid.clone().expect("uid");
    let orphan: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "orphan", "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner2", "uid": uid}]}})).expect("cm");
    cms.create(&PostParams::default(), &orphan)
        .await
        .expect("orphan");
    cms.delete("owner2", &DeleteParams::orphan())
        .await
        .expect("orphaning delete");
    eventually("the orphan loses its owner reference", || async {
        let kept = cms.get("orphan").await.expect("orphan kept");
        kept.metadata
            .owner_references
            .unwrap_or_default()
            .is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_preconditions() {
    let s = server().await;
    let ns = s.namespace("preconditions").await;
    let cms: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &ns);
    cms.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "p"}})).expect("cm"),
    )
    .await
    .expect("p");
    let dp = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some("nope".into()),
            resource_version: None,
        }),
        ..Default::default()
    };
    let err = cms.delete("p", &dp).await.expect_err("uid precondition");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 409 && s.message.contains("Precondition failed: UID in precondition: nope")),
        "{err:?}"
    );
    let dry = DeleteParams {
        dry_run: true,
        ..Default::default()
    };
    cms.delete("p", &dry).await.expect("dry delete");
    assert!(cms.get_opt("p").await.expect("get").is_some());
    let err = cms
        .delete("missing", &DeleteParams::default())
        .await
        .expect_err("missing");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 404 && s.message == r#"configmaps "missing" not found"#),
        "{err:?}"
    );
    cms.delete_collection(&DeleteParams::default(), &Default::default())
        .await
        .expect("deletecollection");
    let left: Vec<String> = cms
        .list(&Default::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        // A real cluster's controller puts its CA bundle back at once.
        .filter(|n| n != "kube-root-ca.crt")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
