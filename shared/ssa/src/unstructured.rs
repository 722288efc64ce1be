//! Helpers over untyped objects (`DynamicObject` and their JSON form): kind predicates as
//! Flux's `utils/is.go`, metadata selectors, owner labels, and objects from inventory entries.

use std::collections::BTreeMap;

use fluxion_api::kustomize::inventory::{ObjectIdError, ResourceRef};
use kube::api::{DynamicObject, TypeMeta};
use kube::core::ObjectMeta;

use crate::objmeta::ObjMetadata;
use crate::options::Owner;

/// `apiVersion` of an object, empty when unset.
pub fn api_version(obj: &DynamicObject) -> &str {
    obj.types
        .as_ref()
        .map(|t| t.api_version.as_str())
        .unwrap_or("")
}

/// `kind` of an object, empty when unset.
pub fn kind(obj: &DynamicObject) -> &str {
    obj.types.as_ref().map(|t| t.kind.as_str()).unwrap_or("")
}

/// A CustomResourceDefinition of `apiextensions.k8s.io`.
pub fn is_crd(obj: &DynamicObject) -> bool {
    kind(obj).eq_ignore_ascii_case("CustomResourceDefinition")
        && api_version(obj).starts_with("apiextensions.k8s.io/")
}

/// A core Namespace.
pub fn is_namespace(obj: &DynamicObject) -> bool {
    kind(obj).eq_ignore_ascii_case("Namespace") && api_version(obj) == "v1"
}

/// An RBAC ClusterRole.
pub fn is_cluster_role(obj: &DynamicObject) -> bool {
    kind(obj).eq_ignore_ascii_case("ClusterRole")
        && api_version(obj).starts_with("rbac.authorization.k8s.io/")
}

/// What the first apply stage holds: CRDs, Namespaces and ClusterRoles.
pub fn is_cluster_definition(obj: &DynamicObject) -> bool {
    is_crd(obj) || is_namespace(obj) || is_cluster_role(obj)
}

/// StorageClass, IngressClass, GatewayClass, ...: the second apply stage.
pub fn is_class_definition(obj: &DynamicObject) -> bool {
    kind(obj).ends_with("Class")
}

/// A core Secret.
pub fn is_secret(obj: &DynamicObject) -> bool {
    kind(obj).eq_ignore_ascii_case("Secret") && api_version(obj) == "v1"
}

/// Whether the object has the fields every Kubernetes object needs; the problem otherwise.
pub fn check_kubernetes_object(obj: &DynamicObject) -> Result<(), String> {
    let mut missing = Vec::new();
    if api_version(obj).is_empty() {
        missing.push("apiVersion");
    }
    if kind(obj).is_empty() {
        missing.push("kind");
    }
    if obj.metadata.name.as_deref().unwrap_or("").is_empty() {
        missing.push("metadata.name");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing {}", missing.join(", ")))
    }
}

/// Whether any `key: value` of `selector` is a label or annotation of `meta` (values compared
/// case-insensitively, as Flux's `AnyInMetadata`).
pub fn any_in_metadata(meta: &ObjectMeta, selector: &BTreeMap<String, String>) -> bool {
    let matches = |map: &Option<BTreeMap<String, String>>, k: &str, v: &str| {
        map.as_ref()
            .and_then(|m| m.get(k))
            .is_some_and(|have| !have.is_empty() && have.eq_ignore_ascii_case(v))
    };
    selector
        .iter()
        .any(|(k, v)| matches(&meta.labels, k, v) || matches(&meta.annotations, k, v))
}

/// Whether every `key: value` of `selector` is a label of `meta` (a label selector's
/// matchLabels; empty matches everything).
pub fn labels_match(meta: &ObjectMeta, selector: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| {
        meta.labels
            .as_ref()
            .and_then(|l| l.get(k))
            .is_some_and(|have| have == v)
    })
}

/// Sets the owner labels (`<group>/name`, `<group>/namespace`) on every object.
pub fn set_owner_labels(objs: &mut [DynamicObject], owner: &Owner, name: &str, namespace: &str) {
    let labels = owner.labels(name, namespace);
    for obj in objs {
        obj.metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .extend(labels.clone());
    }
}

/// An object holding only the identity an inventory entry records: enough to delete it or
/// wait for it.
pub fn from_resource_ref(r: &ResourceRef) -> Result<DynamicObject, ObjectIdError> {
    let meta = ObjMetadata::from_resource_ref(r)?;
    Ok(from_objmetadata(&meta, &r.api_version()?))
}

/// An object with this identity and `apiVersion` and nothing else.
pub fn from_objmetadata(meta: &ObjMetadata, api_version: &str) -> DynamicObject {
    DynamicObject {
        types: Some(TypeMeta {
            api_version: api_version.to_string(),
            kind: meta.kind.clone(),
        }),
        metadata: ObjectMeta {
            name: Some(meta.name.clone()),
            namespace: (!meta.namespace.is_empty()).then(|| meta.namespace.clone()),
            ..ObjectMeta::default()
        },
        data: serde_json::Value::Object(serde_json::Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: serde_json::Value) -> DynamicObject {
        serde_json::from_value(v).expect("object")
    }

    #[test]
    fn kind_predicates() {
        let cases = [
            (
                json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a"}}),
                true,
                false,
            ),
            (
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}),
                true,
                false,
            ),
            (
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "a"}}),
                true,
                false,
            ),
            (
                json!({"apiVersion": "example.com/v1", "kind": "Namespace", "metadata": {"name": "a"}}),
                false,
                false,
            ),
            (
                json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "a"}}),
                false,
                true,
            ),
            (
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}),
                false,
                false,
            ),
        ];
        for (v, def, class) in cases {
            let o = obj(v.clone());
            assert_eq!(is_cluster_definition(&o), def, "{v}");
            assert_eq!(is_class_definition(&o), class, "{v}");
        }
    }

    #[test]
    fn selectors() {
        let o = obj(
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
                "name": "a",
                "labels": {"owner": "x"},
                "annotations": {"kustomize.toolkit.fluxcd.io/ssa": "ignore"}
            }}),
        );
        let sel = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
        assert!(any_in_metadata(
            &o.metadata,
            &sel("kustomize.toolkit.fluxcd.io/ssa", "Ignore")
        ));
        assert!(any_in_metadata(&o.metadata, &sel("owner", "X")));
        assert!(!any_in_metadata(&o.metadata, &sel("owner", "y")));
        assert!(!any_in_metadata(&o.metadata, &BTreeMap::new()));
        assert!(labels_match(&o.metadata, &sel("owner", "x")));
        assert!(!labels_match(&o.metadata, &sel("owner", "X")));
        assert!(labels_match(&o.metadata, &BTreeMap::new()));
    }

    #[test]
    fn checks_required_fields() {
        let o = obj(json!({"apiVersion": "v1", "kind": "", "metadata": {}}));
        assert_eq!(
            check_kubernetes_object(&o),
            Err("missing kind, metadata.name".to_string())
        );
    }

    #[test]
    fn objects_from_inventory() {
        let r = ResourceRef {
            id: "apps_web_apps_Deployment".into(),
            v: "v1".into(),
        };
        let o = from_resource_ref(&r).expect("ref");
        assert_eq!(api_version(&o), "apps/v1");
        assert_eq!(o.metadata.namespace.as_deref(), Some("apps"));
        let r = ResourceRef {
            id: "_apps__Namespace".into(),
            v: "v1".into(),
        };
        let o = from_resource_ref(&r).expect("ref");
        assert_eq!(api_version(&o), "v1");
        assert_eq!(o.metadata.namespace, None);
    }
}
