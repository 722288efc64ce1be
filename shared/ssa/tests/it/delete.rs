//! Prune: only objects still labelled with their owner are deleted, never one marked
//! `prune: disabled`; objects already gone count as deleted.

use fluxion_ssa::options::DeleteOptions;
use fluxion_ssa::{Action, ApplyOptions, Owner, SsaError, unstructured};

use crate::support::Env;

const OWNED: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: owned
  namespace: NS
  labels:
    kustomize.toolkit.fluxcd.io/name: app
    kustomize.toolkit.fluxcd.io/namespace: flux-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: moved
  namespace: NS
  labels:
    kustomize.toolkit.fluxcd.io/name: other
    kustomize.toolkit.fluxcd.io/namespace: flux-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  namespace: NS
  labels:
    kustomize.toolkit.fluxcd.io/name: app
    kustomize.toolkit.fluxcd.io/namespace: flux-system
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
---
apiVersion: v1
kind: Service
metadata:
  name: owned
  namespace: NS
  labels:
    kustomize.toolkit.fluxcd.io/name: app
    kustomize.toolkit.fluxcd.io/namespace: flux-system
spec:
  ports:
  - port: 80
    protocol: TCP
"#;

#[tokio::test]
async fn prune_honours_owner_labels_and_prune_disabled() {
    let env = Env::new("prune").await;
    let objs = env.objects(OWNED);
    let opts = ApplyOptions::flux("kustomize-controller", false);
    env.manager.apply_all(&objs, &opts).await.expect("apply");

    // The inventory of the owner, as kustomize-controller keeps it, plus an object long gone.
    let mut inventory: Vec<_> = objs
        .iter()
        .map(|o| {
            let m = fluxion_ssa::ObjMetadata::from_object(o);
            unstructured::from_resource_ref(&m.to_resource_ref("v1")).expect("ref")
        })
        .collect();
    inventory.push(unstructured::from_objmetadata(
        &fluxion_ssa::ObjMetadata::new("", "Secret", &env.ns, "gone"),
        "v1",
    ));
    let del = DeleteOptions::flux_prune(&Owner::kustomize_controller(), "app", "flux-system");
    let cs = env
        .manager
        .delete_all(&inventory, &del)
        .await
        .expect("prune");
    let ns = &env.ns;
    let map = cs.to_map();
    assert_eq!(map[&format!("ConfigMap/{ns}/owned")], Action::Deleted);
    assert_eq!(map[&format!("ConfigMap/{ns}/moved")], Action::Skipped);
    assert_eq!(map[&format!("ConfigMap/{ns}/kept")], Action::Skipped);
    assert_eq!(map[&format!("Service/{ns}/owned")], Action::Deleted);
    assert_eq!(map[&format!("Secret/{ns}/gone")], Action::Deleted);
    // Reverse apply order: the Service goes before the ConfigMaps.
    assert_eq!(cs.entries[0].subject, format!("Service/{ns}/owned"));

    assert!(env.get("v1", "ConfigMap", ns, "owned").await.is_none());
    assert!(env.get("v1", "Service", ns, "owned").await.is_none());
    assert!(env.get("v1", "ConfigMap", ns, "moved").await.is_some());
    assert!(env.get("v1", "ConfigMap", ns, "kept").await.is_some());
}

#[tokio::test]
async fn delete_reports_unknown_kinds_as_gone_and_refusals_as_errors() {
    let env = Env::new("delete-errors").await;
    let crd_gone = unstructured::from_objmetadata(
        &fluxion_ssa::ObjMetadata::new("example.com", "Widget", &env.ns, "w"),
        "example.com/v1",
    );
    let no_ns = unstructured::from_objmetadata(
        &fluxion_ssa::ObjMetadata::new("", "ConfigMap", "", "c"),
        "v1",
    );
    let err = env
        .manager
        .delete_all(&[crd_gone, no_ns], &DeleteOptions::default())
        .await
        .expect_err("a namespaced object without namespace");
    let SsaError::DeleteFailed { change_set, errors } = &err else {
        panic!("unexpected error {err}");
    };
    assert!(
        errors.contains("ConfigMap/c namespace not specified"),
        "{errors}"
    );
    let map = change_set.to_map();
    assert_eq!(map[&format!("Widget/{}/w", env.ns)], Action::Deleted);
    assert_eq!(map["ConfigMap/c"], Action::Unknown);
}
