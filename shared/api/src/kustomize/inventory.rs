//! The Kustomization inventory (`status.inventory`): what was applied, as entries
//! `{id: "<namespace>_<name>_<group>_<kind>", v: "<version>"}`, and the id's parse and format.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// The objects a Kustomization applied successfully.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct ResourceInventory {
    /// One entry per applied object.
    #[serde(deserialize_with = "null_as_empty")]
    pub entries: Vec<ResourceRef>,
}

/// Go writes a nil slice as `null`; read it as empty.
fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ResourceRef>, D::Error> {
    Ok(Option::<Vec<ResourceRef>>::deserialize(d)?.unwrap_or_default())
}

/// An applied object: its id and the API version (without group) it was applied with.
#[derive(
    Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, JsonSchema,
)]
pub struct ResourceRef {
    /// The object's id, `<namespace>_<name>_<group>_<kind>`.
    pub id: String,
    /// The version of the object's API, e.g. `v1`.
    pub v: String,
}

impl ResourceRef {
    /// The entry of an object applied with the given version.
    pub fn new(id: &ObjectId, version: &str) -> Self {
        Self {
            id: id.to_string(),
            v: version.to_string(),
        }
    }

    /// The parsed [`ResourceRef::id`].
    pub fn object_id(&self) -> Result<ObjectId, ObjectIdError> {
        self.id.parse()
    }

    /// `group/version` for a named group, `version` alone for the core group.
    pub fn api_version(&self) -> Result<String, ObjectIdError> {
        let id = self.object_id()?;
        Ok(if id.group.is_empty() {
            self.v.clone()
        } else {
            format!("{}/{}", id.group, self.v)
        })
    }
}

impl ResourceInventory {
    /// Whether an object with this id is in the inventory.
    pub fn contains(&self, id: &ObjectId) -> bool {
        let id = id.to_string();
        self.entries.iter().any(|e| e.id == id)
    }

    /// The entries of this inventory that `newer` no longer has: what pruning deletes.
    pub fn diff<'a>(&'a self, newer: &ResourceInventory) -> Vec<&'a ResourceRef> {
        let keep: std::collections::HashSet<&str> =
            newer.entries.iter().map(|e| e.id.as_str()).collect();
        self.entries
            .iter()
            .filter(|e| !keep.contains(e.id.as_str()))
            .collect()
    }
}

/// The identity of an applied object as Flux's inventory records it (cli-utils `ObjMetadata`).
/// Cluster-scoped objects have an empty namespace, core objects an empty group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId {
    pub namespace: String,
    pub name: String,
    pub group: String,
    pub kind: String,
}

/// The RBAC kinds whose names may hold `:`, written as `__` in an id.
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
const RBAC_KINDS: [&str; 4] = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

impl ObjectId {
    pub fn new(namespace: &str, name: &str, group: &str, kind: &str) -> Self {
        Self {
            namespace: namespace.to_string(),
            name: name.to_string(),
            group: group.to_string(),
            kind: kind.to_string(),
        }
    }

    fn is_rbac(&self) -> bool {
        self.group == RBAC_GROUP && RBAC_KINDS.contains(&self.kind.as_str())
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.is_rbac() {
            self.name.replace(':', "__")
        } else {
            self.name.clone()
        };
        write!(
            f,
            "{}_{}_{}_{}",
            self.namespace, name, self.group, self.kind
        )
    }
}

/// An inventory id that is not `<namespace>_<name>_<group>_<kind>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid inventory id {id:?}: {problem}")]
pub struct ObjectIdError {
    pub id: String,
    pub problem: &'static str,
}

impl std::str::FromStr for ObjectId {
    type Err = ObjectIdError;

    /// Parses as cli-utils does: namespace up to the first `_`, kind after the last, group
    /// before that; the rest is the name, where `__` stands for `:`.
    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let err = |problem| ObjectIdError {
            id: id.to_string(),
            problem,
        };
        let (namespace, rest) = id.split_once('_').ok_or_else(|| err("too few fields"))?;
        let (rest, kind) = rest.rsplit_once('_').ok_or_else(|| err("too few fields"))?;
        let (name, group) = rest.rsplit_once('_').ok_or_else(|| err("too few fields"))?;
        let name = name.replace("__", ":");
        if name.contains('_') {
            return Err(err("too many fields"));
        }
        let (name, kind) = (name.trim(), kind.trim());
        if name.is_empty() {
            return Err(err("empty name"));
        }
        if kind.is_empty() {
            return Err(err("empty kind"));
        }
        Ok(Self::new(namespace.trim(), name, group.trim(), kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_ids_like_flux() {
        let cases = [
            (
                ObjectId::new("default", "podinfo", "apps", "Deployment"),
                "default_podinfo_apps_Deployment",
            ),
            (
                ObjectId::new("", "apps", "", "Namespace"),
                "_apps__Namespace",
            ),
            (
                ObjectId::new("default", "podinfo", "", "Service"),
                "default_podinfo__Service",
            ),
            (
                ObjectId::new(
                    "",
                    "system:flux",
                    "rbac.authorization.k8s.io",
                    "ClusterRole",
                ),
                "_system__flux_rbac.authorization.k8s.io_ClusterRole",
            ),
            (
                ObjectId::new(
                    "",
                    "crontabs.stable.example.com",
                    "apiextensions.k8s.io",
                    "CustomResourceDefinition",
                ),
                "_crontabs.stable.example.com_apiextensions.k8s.io_CustomResourceDefinition",
            ),
        ];
        for (id, want) in cases {
            assert_eq!(id.to_string(), want);
            assert_eq!(want.parse::<ObjectId>(), Ok(id), "{want}");
        }
    }

    #[test]
    fn parses_colons_in_any_kind() {
        let id: ObjectId =
            "kube-system_kubeadm__nodes-kubeadm-config_rbac.authorization.k8s.io_Role"
                .parse()
                .expect("id");
        assert_eq!(id.name, "kubeadm:nodes-kubeadm-config");
        assert_eq!(id.namespace, "kube-system");
    }

    #[test]
    fn refuses_bad_ids() {
        for bad in [
            "",
            "noseparator",
            "a_b",
            "ns_a_b_c_group_Kind",
            "ns__group_Kind",
            "ns_name_group_",
        ] {
            assert!(bad.parse::<ObjectId>().is_err(), "{bad} should fail");
        }
        let e = "a_b".parse::<ObjectId>().expect_err("too few fields");
        assert!(e.to_string().contains("\"a_b\""));
    }

    #[test]
    fn entries_give_api_versions() {
        let apps = ResourceRef::new(
            &ObjectId::new("default", "podinfo", "apps", "Deployment"),
            "v1",
        );
        assert_eq!(apps.id, "default_podinfo_apps_Deployment");
        assert_eq!(apps.api_version(), Ok("apps/v1".to_string()));
        let core = ResourceRef {
            id: "default_podinfo__Service".into(),
            v: "v1".into(),
        };
        assert_eq!(core.api_version(), Ok("v1".to_string()));
        assert_eq!(core.object_id().expect("id").kind, "Service");
    }

    #[test]
    fn diff_lists_what_to_prune() {
        let yaml = r#"
entries:
- id: default_podinfo_apps_Deployment
  v: v1
- id: default_podinfo__Service
  v: v1
- id: _podinfo__Namespace
  v: v1
"#;
        let old: ResourceInventory = serde_saphyr::from_str(yaml).expect("parse");
        let new = ResourceInventory {
            entries: old.entries[..2].to_vec(),
        };
        let gone: Vec<&str> = old.diff(&new).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(gone, ["_podinfo__Namespace"]);
        assert!(old.contains(&ObjectId::new("", "podinfo", "", "Namespace")));
        assert!(!new.contains(&ObjectId::new("", "podinfo", "", "Namespace")));
        let empty: ResourceInventory = serde_saphyr::from_str("entries: null").expect("parse null");
        assert!(empty.entries.is_empty());
    }
}
