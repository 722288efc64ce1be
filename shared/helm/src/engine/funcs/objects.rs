//! A [`Lookup`] over a fixed set of objects: offline rendering that still answers `lookup`
//! from objects the caller knows (a GitOps repository's own manifests, a test's fixtures).

use super::Lookup;

/// Objects (as JSON) that `lookup` can find by apiVersion, kind, namespace and name.
#[derive(Debug, Clone, Default)]
pub struct StaticObjects {
    objects: Vec<serde_json::Value>,
}

impl StaticObjects {
    pub fn new(objects: Vec<serde_json::Value>) -> Self {
        Self { objects }
    }

    fn matches(o: &serde_json::Value, api_version: &str, kind: &str, namespace: &str) -> bool {
        let field = |path: &[&str]| {
            path.iter()
                .try_fold(o, |v, k| v.get(k))
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        field(&["apiVersion"]) == api_version
            && field(&["kind"]) == kind
            && (namespace.is_empty() || field(&["metadata", "namespace"]) == namespace)
    }
}

impl Lookup for StaticObjects {
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<serde_json::Value>, String> {
        let mut found = self
            .objects
            .iter()
            .filter(|o| Self::matches(o, api_version, kind, namespace));
        if !name.is_empty() {
            let named =
                found.find(|o| o.pointer("/metadata/name").and_then(|n| n.as_str()) == Some(name));
            return Ok(named.cloned());
        }
        let items: Vec<serde_json::Value> = found.cloned().collect();
        Ok(Some(serde_json::json!({
            "apiVersion": api_version,
            "kind": format!("{kind}List"),
            "metadata": {"resourceVersion": ""},
            "items": items,
        })))
    }
}
