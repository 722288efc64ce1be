//! `ObjMetadata`: an object's identity (group, kind, namespace, name), its Flux subject text
//! and its conversion to and from the Kustomization inventory id.

use std::fmt;

use fluxion_api::kustomize::inventory::{ObjectId, ObjectIdError, ResourceRef};
use kube::api::DynamicObject;

/// The identity of an object, as cli-utils' `ObjMetadata`. Core objects have an empty
/// group, cluster-scoped objects an empty namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjMetadata {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjMetadata {
    pub fn new(group: &str, kind: &str, namespace: &str, name: &str) -> Self {
        Self {
            group: group.to_string(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The identity of a decoded object; the group comes from its `apiVersion`.
    pub fn from_object(obj: &DynamicObject) -> Self {
        let (api_version, kind) = obj
            .types
            .as_ref()
            .map(|t| (t.api_version.as_str(), t.kind.as_str()))
            .unwrap_or(("", ""));
        Self {
            group: group_of(api_version).to_string(),
            kind: kind.to_string(),
            namespace: obj.metadata.namespace.clone().unwrap_or_default(),
            name: obj.metadata.name.clone().unwrap_or_default(),
        }
    }

    /// The inventory id of this object.
    pub fn to_object_id(&self) -> ObjectId {
        ObjectId::new(&self.namespace, &self.name, &self.group, &self.kind)
    }

    /// The inventory entry of this object applied at `version` (without group).
    pub fn to_resource_ref(&self, version: &str) -> ResourceRef {
        ResourceRef::new(&self.to_object_id(), version)
    }

    /// The identity recorded by an inventory entry.
    pub fn from_resource_ref(r: &ResourceRef) -> Result<Self, ObjectIdError> {
        Ok(Self::from(r.object_id()?))
    }
}

impl From<ObjectId> for ObjMetadata {
    fn from(id: ObjectId) -> Self {
        Self {
            group: id.group,
            kind: id.kind,
            namespace: id.namespace,
            name: id.name,
        }
    }
}

impl From<&ObjMetadata> for ObjectId {
    fn from(m: &ObjMetadata) -> Self {
        m.to_object_id()
    }
}

/// Flux's subject: `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.
impl fmt::Display for ObjMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// The group of an `apiVersion`: empty for the core `v1`.
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

/// The version of an `apiVersion`.
pub fn version_of(api_version: &str) -> &str {
    api_version
        .rsplit_once('/')
        .map(|(_, v)| v)
        .unwrap_or(api_version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_like_flux() {
        let cases = [
            (
                ObjMetadata::new("apps", "Deployment", "default", "podinfo"),
                "Deployment/default/podinfo",
            ),
            (
                ObjMetadata::new("", "Namespace", "", "apps"),
                "Namespace/apps",
            ),
            (
                ObjMetadata::new(
                    "rbac.authorization.k8s.io",
                    "ClusterRole",
                    "",
                    "system:flux",
                ),
                "ClusterRole/system:flux",
            ),
        ];
        for (m, want) in cases {
            assert_eq!(m.to_string(), want);
        }
    }

    #[test]
    fn inventory_round_trip() {
        let m = ObjMetadata::new("rbac.authorization.k8s.io", "Role", "ns", "a:b");
        let r = m.to_resource_ref("v1");
        assert_eq!(r.id, "ns_a__b_rbac.authorization.k8s.io_Role");
        assert_eq!(ObjMetadata::from_resource_ref(&r), Ok(m));
    }

    #[test]
    fn api_version_parts() {
        assert_eq!(group_of("apps/v1"), "apps");
        assert_eq!(group_of("v1"), "");
        assert_eq!(version_of("apps/v1"), "v1");
        assert_eq!(version_of("v1"), "v1");
    }

    #[test]
    fn from_dynamic_object() {
        let obj: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "prod"}
        }))
        .expect("object");
        assert_eq!(
            ObjMetadata::from_object(&obj).to_string(),
            "Deployment/prod/web"
        );
        assert_eq!(ObjMetadata::from_object(&obj).group, "apps");
    }
}
