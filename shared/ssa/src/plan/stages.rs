//! Apply stages and ordering: definitions first, then `*Class` kinds, then the rest; within a
//! stage Flux's reconcile order of kinds (`ReconcileOrder`), then group, kind, namespace, name.

use std::cmp::Ordering;

use kube::api::DynamicObject;

use crate::objmeta::ObjMetadata;
use crate::unstructured::{is_class_definition, is_cluster_definition};

/// Kinds applied first, in this order.
const FIRST: [&str; 23] = [
    "CustomResourceDefinition",
    "Namespace",
    "ClusterClass",
    "RuntimeClass",
    "PriorityClass",
    "StorageClass",
    "VolumeSnapshotClass",
    "IngressClass",
    "GatewayClass",
    "ResourceQuota",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Service",
    "LimitRange",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds applied last, in this order (webhooks, so they cannot block the rest).
const LAST: [&str; 2] = [
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn kind_index(kind: &str) -> i64 {
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i as i64 - FIRST.len() as i64;
    }
    LAST.iter()
        .position(|k| *k == kind)
        .map_or(0, |i| i as i64 + 1)
}

/// Flux's order of two object identities.
pub fn compare(a: &ObjMetadata, b: &ObjMetadata) -> Ordering {
    if a.group != b.group || a.kind != b.kind {
        return kind_index(&a.kind)
            .cmp(&kind_index(&b.kind))
            .then_with(|| a.group.cmp(&b.group))
            .then_with(|| a.kind.cmp(&b.kind));
    }
    a.namespace
        .cmp(&b.namespace)
        .then_with(|| a.name.cmp(&b.name))
}

/// Sorts objects in Flux's apply order (stable for equal identities).
pub fn sort_objects(objs: &mut [DynamicObject]) {
    objs.sort_by_cached_key(|o| {
        let m = ObjMetadata::from_object(o);
        (kind_index(&m.kind), m.group, m.kind, m.namespace, m.name)
    });
}

/// The three stages of a staged apply.
#[derive(Debug, Default)]
pub struct Stages {
    /// CRDs, Namespaces, ClusterRoles: applied, then waited for.
    pub definitions: Vec<DynamicObject>,
    /// Every kind ending in `Class`.
    pub classes: Vec<DynamicObject>,
    /// Everything else.
    pub resources: Vec<DynamicObject>,
}

/// Splits objects into the stages of [`crate::ResourceManager::apply_all_staged`].
pub fn partition(objs: &[DynamicObject]) -> Stages {
    let mut s = Stages::default();
    for o in objs {
        if is_cluster_definition(o) {
            s.definitions.push(o.clone());
        } else if is_class_definition(o) {
            s.classes.push(o.clone());
        } else {
            s.resources.push(o.clone());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(api: &str, kind: &str, ns: &str, name: &str) -> DynamicObject {
        let mut v = json!({"apiVersion": api, "kind": kind, "metadata": {"name": name}});
        if !ns.is_empty() {
            v["metadata"]["namespace"] = json!(ns);
        }
        serde_json::from_value(v).expect("object")
    }

    fn names(objs: &[DynamicObject]) -> Vec<String> {
        objs.iter()
            .map(|o| ObjMetadata::from_object(o).to_string())
            .collect()
    }

    #[test]
    fn partitions_in_flux_stages() {
        let objs = [
            obj("apps/v1", "Deployment", "a", "web"),
            obj("storage.k8s.io/v1", "StorageClass", "", "fast"),
            obj("v1", "Namespace", "", "a"),
            obj(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "",
                "x.example.com",
            ),
            obj("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader"),
            obj("networking.k8s.io/v1", "IngressClass", "", "nginx"),
            obj("example.com/v1", "X", "a", "x"),
        ];
        let s = partition(&objs);
        assert_eq!(
            names(&s.definitions),
            [
                "Namespace/a",
                "CustomResourceDefinition/x.example.com",
                "ClusterRole/reader"
            ]
        );
        assert_eq!(
            names(&s.classes),
            ["StorageClass/fast", "IngressClass/nginx"]
        );
        assert_eq!(names(&s.resources), ["Deployment/a/web", "X/a/x"]);
    }

    #[test]
    fn sorts_in_reconcile_order() {
        let mut objs = vec![
            obj(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "",
                "v",
            ),
            obj("example.com/v1", "Widget", "a", "w"),
            obj("apps/v1", "Deployment", "b", "web"),
            obj("apps/v1", "Deployment", "a", "web"),
            obj("v1", "Service", "a", "web"),
            obj("v1", "Namespace", "", "a"),
            obj(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "",
                "w.example.com",
            ),
            obj("batch/v1", "Job", "a", "j"),
        ];
        sort_objects(&mut objs);
        assert_eq!(
            names(&objs),
            [
                "CustomResourceDefinition/w.example.com",
                "Namespace/a",
                "Service/a/web",
                "Deployment/a/web",
                "Deployment/b/web",
                "Job/a/j",
                "Widget/a/w",
                "ValidatingWebhookConfiguration/v",
            ]
        );
        let a = ObjMetadata::new("", "Service", "a", "x");
        let b = ObjMetadata::new("apps", "Deployment", "a", "x");
        assert_eq!(compare(&a, &b), Ordering::Less);
    }
}
