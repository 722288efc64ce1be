//! Helm's `lookup` against a live cluster (`pkg/engine/lookup_func.go`): discovery maps the
//! kind to its resource, then one GET of the object or the list. Not found is an empty map;
//! a group version the server does not serve is an error; a kind its group does not list
//! keeps Go's empty mapping (so the request goes to the API root, as helm's does).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value as Json;

use super::client::{ApiError, Cluster};
use super::discovery::{ApiResource, GroupVersionKind, Mapping, find_mapping, server_resources};
use crate::engine::funcs::Lookup;

/// A [`Lookup`] over a live cluster; discovery answers are kept for the render.
pub struct ClusterLookup {
    cluster: Arc<Cluster>,
    discovered: Mutex<HashMap<String, Result<Vec<ApiResource>, ApiError>>>,
}

impl std::fmt::Debug for ClusterLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterLookup")
            .field("cluster", &self.cluster)
            .finish()
    }
}

impl ClusterLookup {
    pub fn new(cluster: Arc<Cluster>) -> Self {
        Self {
            cluster,
            discovered: Mutex::new(HashMap::new()),
        }
    }

    fn resources(&self, gvk: &GroupVersionKind) -> Result<Vec<ApiResource>, ApiError> {
        let key = gvk.group_version();
        if let Ok(cache) = self.discovered.lock()
            && let Some(found) = cache.get(&key)
        {
            return found.clone();
        }
        let found = server_resources(&self.cluster, gvk);
        if let Ok(mut cache) = self.discovered.lock() {
            cache.insert(key, found.clone());
        }
        found
    }
}

/// client-go's dynamic client path: `/api/v1` or `/apis/g/v`, the namespace when the
/// resource is namespaced and one is given, the resource, the name; empty parts dropped.
pub fn resource_path(m: &Mapping, namespace: &str, name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if m.group.is_empty() {
        parts.push("api");
    } else {
        parts.extend(["apis", m.group.as_str()]);
    }
    parts.push(&m.version);
    if m.namespaced && !namespace.is_empty() {
        parts.extend(["namespaces", namespace]);
    }
    parts.extend([m.resource.as_str(), name]);
    let kept: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    format!("/{}", kept.join("/"))
}

/// A list as client-go's `UnstructuredList.UnstructuredContent()` gives it: the body with
/// `items` always present, each item given the list's apiVersion and kind when it has none.
pub fn list_content(body: Json) -> Json {
    let Json::Object(mut map) = body else {
        return body;
    };
    let api_version = map
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let kind = map.get("kind").and_then(|v| v.as_str()).unwrap_or("");
    let item_kind = kind.strip_suffix("List").unwrap_or(kind).to_string();
    let items = match map.remove("items") {
        Some(Json::Array(items)) => items,
        _ => Vec::new(),
    };
    let items = items
        .into_iter()
        .map(|mut item| {
            if let Json::Object(o) = &mut item {
                let has = |k: &str| {
                    o.get(k)
                        .and_then(|v| v.as_str())
                        .is_some_and(|s| !s.is_empty())
                };
                if !has("kind") && !has("apiVersion") {
                    o.insert("kind".into(), Json::from(item_kind.clone()));
                    o.insert("apiVersion".into(), Json::from(api_version.clone()));
                }
            }
            item
        })
        .collect();
    map.insert("items".into(), Json::Array(items));
    Json::Object(map)
}

impl Lookup for ClusterLookup {
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Json>, String> {
        let gvk = GroupVersionKind::parse(api_version, kind);
        let resources = self.resources(&gvk).map_err(|e| {
            format!(
                "unable to get apiresource from unstructured: {gvk}: {}",
                e.message
            )
        })?;
        let mapping = find_mapping(&resources, &gvk).unwrap_or_default();
        match self.cluster.get(&resource_path(&mapping, namespace, name)) {
            Ok(body) if name.is_empty() => Ok(Some(list_content(body))),
            Ok(body) => Ok(Some(body)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(group: &str, version: &str, resource: &str, namespaced: bool) -> Mapping {
        Mapping {
            group: group.into(),
            version: version.into(),
            resource: resource.into(),
            namespaced,
        }
    }

    #[test]
    fn builds_paths_as_the_dynamic_client() {
        let cases = [
            (
                mapping("", "v1", "configmaps", true),
                "team",
                "a",
                "/api/v1/namespaces/team/configmaps/a",
            ),
            (
                mapping("", "v1", "configmaps", true),
                "",
                "",
                "/api/v1/configmaps",
            ),
            (
                mapping("", "v1", "namespaces", false),
                "x",
                "team",
                "/api/v1/namespaces/team",
            ),
            (
                mapping("apps", "v1", "deployments", true),
                "ns",
                "",
                "/apis/apps/v1/namespaces/ns/deployments",
            ),
            (Mapping::default(), "ns", "", "/api"),
            (Mapping::default(), "ns", "a", "/api/a"),
        ];
        for (m, ns, name, want) in cases {
            assert_eq!(resource_path(&m, ns, name), want);
        }
    }

    #[test]
    fn lists_gain_items_and_item_kinds() {
        let body = serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMapList", "metadata": {"resourceVersion": "3"},
            "items": [{"metadata": {"name": "a"}}, {"apiVersion": "x/v1", "kind": "K"}],
        });
        let got = list_content(body);
        assert_eq!(got["items"][0]["kind"], "ConfigMap");
        assert_eq!(got["items"][0]["apiVersion"], "v1");
        assert_eq!(got["items"][1]["kind"], "K");
        let bare = list_content(serde_json::json!({"kind": "APIVersions", "versions": ["v1"]}));
        assert_eq!(bare["items"], serde_json::json!([]));
        assert_eq!(bare["versions"], serde_json::json!(["v1"]));
    }
}
