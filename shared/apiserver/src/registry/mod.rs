//! The registry of resource types the server serves: the built-in kinds and the kinds CRDs
//! add, looked up by group/version/resource for requests and by group/kind for discovery.

mod builtin;
pub mod crd;
pub mod services;

use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};

use serde_json::Value;

/// The verbs of a resource that supports everything.
pub const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// What a CRD says about one served version of its kind.
#[derive(Debug, Clone, Default)]
pub struct CrdVersion {
    /// The CRD's name (`plural.group`).
    pub crd_name: String,
    /// `schema.openAPIV3Schema`, if any.
    pub schema: Option<Value>,
    /// `additionalPrinterColumns`.
    pub printer_columns: Vec<Value>,
    pub storage: bool,
    /// The schema's `x-kubernetes-validations`, compiled when the CRD was stored.
    pub rules: Option<std::sync::Arc<crate::crd::cel::Rules>>,
}

/// One resource at one version, as discovery lists it and requests address it.
#[derive(Debug, Clone)]
pub struct ResourceType {
    pub group: String,
    /// The group objects are stored under (events.k8s.io Events share core Events' storage).
    pub storage_group: String,
    pub version: String,
    /// The plural name used in paths.
    pub resource: String,
    pub singular: String,
    pub kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub verbs: Vec<String>,
    /// Served subresources, like `status` and `scale`.
    pub subresources: Vec<String>,
    /// Whether spec changes bump `metadata.generation`.
    pub generation: bool,
    /// Whether a PUT of a missing object creates it.
    pub create_on_update: bool,
    /// Set for kinds served from a CRD.
    pub crd: Option<CrdVersion>,
}

impl ResourceType {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn has_status(&self) -> bool {
        self.subresources.iter().any(|s| s == "status")
    }

    pub fn allows(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    /// The kind of lists of this resource.
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }
}

/// All served resource types; CRD kinds come and go at run time.
#[derive(Default)]
pub struct Registry {
    types: RwLock<Vec<Arc<ResourceType>>>,
}

impl Registry {
    /// A registry of the built-in kinds.
    pub fn with_builtins() -> Self {
        Registry {
            types: RwLock::new(builtin::types().into_iter().map(Arc::new).collect()),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<ResourceType>>> {
        self.types.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The type served at `group/version/resource`.
    pub fn lookup(&self, group: &str, version: &str, resource: &str) -> Option<Arc<ResourceType>> {
        self.read()
            .iter()
            .find(|t| t.group == group && t.version == version && t.resource == resource)
            .cloned()
    }

    /// The types of one group (every version), in registration order.
    pub fn by_group_resource(&self, group: &str, resource: &str) -> Vec<Arc<ResourceType>> {
        self.read()
            .iter()
            .filter(|t| t.group == group && t.resource == resource)
            .cloned()
            .collect()
    }

    /// Every type, in registration order (built-ins first).
    pub fn all(&self) -> Vec<Arc<ResourceType>> {
        self.read().clone()
    }

    /// The groups served, in order of first registration, with their versions in preference
    /// order (the first is preferred).
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for t in self.read().iter() {
            match out.iter_mut().find(|(g, _)| *g == t.group) {
                Some((_, versions)) => {
                    if !versions.contains(&t.version) {
                        versions.push(t.version.clone());
                    }
                }
                None => out.push((t.group.clone(), vec![t.version.clone()])),
            }
        }
        for (_, versions) in out.iter_mut() {
            sort_versions(versions);
        }
        out
    }

    /// Replaces the kinds of the CRD `crd_name` by `types`.
    pub fn set_crd(&self, crd_name: &str, types: Vec<ResourceType>) {
        let mut all = self.types.write().unwrap_or_else(|p| p.into_inner());
        all.retain(|t| t.crd.as_ref().is_none_or(|c| c.crd_name != crd_name));
        all.extend(types.into_iter().map(Arc::new));
    }

    /// Removes the kinds of the CRD `crd_name`.
    pub fn remove_crd(&self, crd_name: &str) {
        self.set_crd(crd_name, Vec::new());
    }

    /// Names (plural, singular, short) already used in a group by other CRDs or built-ins.
    pub fn names_in_group(&self, group: &str, except_crd: &str) -> BTreeSet<String> {
        self.read()
            .iter()
            .filter(|t| t.group == group)
            .filter(|t| t.crd.as_ref().is_none_or(|c| c.crd_name != except_crd))
            .flat_map(|t| [t.resource.clone(), t.kind.to_lowercase()])
            .collect()
    }
}

/// Orders versions as Kubernetes does: GA before beta before alpha, higher numbers first,
/// anything else last alphabetically.
pub fn sort_versions(versions: &mut [String]) {
    versions.sort_by_key(|v| version_priority(v));
}

fn version_priority(v: &str) -> (u8, std::cmp::Reverse<u64>, std::cmp::Reverse<u64>, String) {
    use std::cmp::Reverse;
    let parse = |s: &str| -> Option<(u64, u8, u64)> {
        let rest = s.strip_prefix('v')?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: u64 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((major, 0, 0));
        }
        let (level, n) = if let Some(n) = tail.strip_prefix("beta") {
            (1, n)
        } else if let Some(n) = tail.strip_prefix("alpha") {
            (2, n)
        } else {
            return None;
        };
        Some((major, level, n.parse().ok()?))
    };
    match parse(v) {
        Some((major, level, minor)) => (level, Reverse(major), Reverse(minor), String::new()),
        None => (3, Reverse(0), Reverse(0), v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_like_kubernetes() {
        let mut v: Vec<String> = [
            "v1beta1", "v1alpha1", "foo", "v2", "v1", "v2beta2", "v1beta2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        sort_versions(&mut v);
        assert_eq!(
            v,
            [
                "v2", "v1", "v2beta2", "v1beta2", "v1beta1", "v1alpha1", "foo"
            ]
        );
    }

    #[test]
    fn builtins_are_found() {
        let r = Registry::with_builtins();
        let d = r.lookup("apps", "v1", "deployments").expect("deployments");
        assert_eq!(d.kind, "Deployment");
        assert!(d.generation && d.has_status() && d.namespaced);
        assert!(!r.lookup("", "v1", "namespaces").expect("ns").namespaced);
        assert_eq!(r.groups()[0].0, "");
    }
}
