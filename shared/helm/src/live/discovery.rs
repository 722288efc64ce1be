//! API discovery as client-go does it for Helm: a kind's resource in a group version (the
//! REST mapping lookup and Build use), and `.Capabilities` from the server (`/version` and
//! every group version and kind it serves, Helm's `GetVersionSet`).

use std::collections::BTreeSet;

use super::LiveError;
use super::client::{ApiError, Cluster};
use crate::engine::capabilities::{Capabilities, KubeVersion};

/// apimachinery's `schema.GroupVersionKind`, parsed as `FromAPIVersionAndKind` does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupVersionKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl GroupVersionKind {
    /// An apiVersion with more than one `/` does not parse; Go keeps only the kind then.
    pub fn parse(api_version: &str, kind: &str) -> GroupVersionKind {
        let (group, version) = match api_version.split_once('/') {
            None => ("", api_version),
            Some((g, v)) if !v.contains('/') => (g, v),
            Some(_) => ("", ""),
        };
        GroupVersionKind {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }

    /// `GroupVersion.String()`: `v1`, `apps/v1`.
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The discovery path of the group version (client-go's `ServerResourcesForGroupVersion`).
    pub fn discovery_path(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.group_version())
        } else {
            format!("/apis/{}", self.group_version())
        }
    }
}

impl std::fmt::Display for GroupVersionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}, Kind={}", self.group, self.version, self.kind)
    }
}

/// Where a kind is served. Helm's lookup keeps an empty mapping for a kind its group does
/// not list (and then requests the group root, as Go does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub group: String,
    pub version: String,
    pub resource: String,
    pub namespaced: bool,
}

/// One entry of an APIResourceList.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResource {
    pub name: String,
    pub kind: String,
    pub namespaced: bool,
}

/// The resources of an APIResourceList body.
pub fn parse_resources(body: &serde_json::Value) -> Vec<ApiResource> {
    let s = |r: &serde_json::Value, k: &str| {
        r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string()
    };
    body.get("resources")
        .and_then(|r| r.as_array())
        .map(|items| {
            items
                .iter()
                .map(|r| ApiResource {
                    name: s(r, "name"),
                    kind: s(r, "kind"),
                    namespaced: r
                        .get("namespaced")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The group version's resources; client-go tolerates a 404 for core `v1` only.
pub fn server_resources(
    cluster: &Cluster,
    gvk: &GroupVersionKind,
) -> Result<Vec<ApiResource>, ApiError> {
    match cluster.get(&gvk.discovery_path()) {
        Ok(body) => Ok(parse_resources(&body)),
        Err(e) if e.is_not_found() && gvk.group_version() == "v1" => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The first resource (not a subresource) serving the kind, as Helm's `getAPIResourceForGVK`.
pub fn find_mapping(resources: &[ApiResource], gvk: &GroupVersionKind) -> Option<Mapping> {
    resources
        .iter()
        .find(|r| r.kind == gvk.kind && !r.name.contains('/'))
        .map(|r| Mapping {
            group: gvk.group.clone(),
            version: gvk.version.clone(),
            resource: r.name.clone(),
            namespaced: r.namespaced,
        })
}

/// `.Capabilities` of `--dry-run=server`: the server's version (its GitVersion, not
/// normalized, as Helm fills it) and every group version and `group/version/Kind` it serves.
pub fn server_capabilities(cluster: &Cluster) -> Result<Capabilities, LiveError> {
    let version = cluster.get("/version").map_err(|e| {
        LiveError(format!(
            "could not get server version from Kubernetes: {}",
            e.message
        ))
    })?;
    let field = |k: &str| {
        version
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let mut caps = Capabilities {
        kube_version: KubeVersion {
            version: field("gitVersion"),
            normalized: String::new(),
            major: field("major"),
            minor: field("minor"),
        },
        ..Capabilities::default()
    };
    let set = version_set(cluster);
    if !set.is_empty() {
        caps.api_versions = set.into_iter().collect();
    }
    Ok(caps)
}

/// Helm's `GetVersionSet`; a group version that fails discovery is left out, as client-go's
/// partial result is.
fn version_set(cluster: &Cluster) -> BTreeSet<String> {
    let mut gvs: Vec<String> = Vec::new();
    if let Ok(core) = cluster.get("/api") {
        for v in core
            .get("versions")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(v) = v.as_str() {
                gvs.push(v.to_string());
            }
        }
    }
    if let Ok(groups) = cluster.get("/apis") {
        for g in groups
            .get("groups")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            for v in g
                .get("versions")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(gv) = v.get("groupVersion").and_then(|v| v.as_str()) {
                    gvs.push(gv.to_string());
                }
            }
        }
    }
    let mut set = BTreeSet::new();
    for gv in gvs {
        let gvk = GroupVersionKind::parse(&gv, "");
        if let Ok(resources) = server_resources(cluster, &gvk) {
            set.extend(resources.iter().map(|r| format!("{gv}/{}", r.kind)));
        }
        set.insert(gv);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_versions_as_apimachinery() {
        let cases = [
            ("v1", "", "v1", "/api/v1", "/v1, Kind=K"),
            ("apps/v1", "apps", "v1", "/apis/apps/v1", "apps/v1, Kind=K"),
            ("a/b/c", "", "", "/api/", "/, Kind=K"),
            ("", "", "", "/api/", "/, Kind=K"),
        ];
        for (input, group, version, path, shown) in cases {
            let gvk = GroupVersionKind::parse(input, "K");
            assert_eq!(
                (gvk.group.as_str(), gvk.version.as_str()),
                (group, version),
                "{input}"
            );
            assert_eq!(gvk.discovery_path(), path, "{input}");
            assert_eq!(gvk.to_string(), shown, "{input}");
        }
    }

    #[test]
    fn finds_the_resource_not_a_subresource() {
        let body = serde_json::json!({"resources": [
            {"name": "pods/status", "kind": "Pod", "namespaced": true},
            {"name": "pods", "kind": "Pod", "namespaced": true},
            {"name": "nodes", "kind": "Node", "namespaced": false},
        ]});
        let resources = parse_resources(&body);
        let gvk = |k: &str| GroupVersionKind::parse("v1", k);
        let pod = find_mapping(&resources, &gvk("Pod")).map(|m| (m.resource, m.namespaced));
        assert_eq!(pod, Some(("pods".to_string(), true)));
        let node = find_mapping(&resources, &gvk("Node")).map(|m| (m.resource, m.namespaced));
        assert_eq!(node, Some(("nodes".to_string(), false)));
        assert_eq!(find_mapping(&resources, &gvk("Frob")), None);
    }
}
