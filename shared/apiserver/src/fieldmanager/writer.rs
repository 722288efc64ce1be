//! Who writes and through which endpoint: the manager name (defaulted from the user agent as
//! upstream does), the subresource, the time, and the fields that endpoint's strategy resets.

use serde_json::{Map, Value};

use super::path::{Path, PathElement};
use super::set::FieldSet;

/// A write to track: by whom, through which subresource, when, and which fields the endpoint
/// resets (upstream's `GetResetFields`: they are never owned and never conflict).
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// The field manager; empty becomes `unknown`, as upstream.
    pub manager: &'a str,
    /// `Some("status")` for writes through the status subresource.
    pub subresource: Option<&'a str>,
    /// The time of the write, RFC 3339.
    pub now: &'a str,
    /// Fields the endpoint's strategy resets.
    pub reset: &'a FieldSet,
}

impl Writer<'_> {
    pub(crate) fn manager_name(&self) -> &str {
        if self.manager.is_empty() {
            "unknown"
        } else {
            self.manager
        }
    }

    pub(crate) fn subresource_name(&self) -> &str {
        self.subresource.unwrap_or_default()
    }
}

/// The fields upstream's strategies reset for custom resources and most built-in kinds: the
/// main resource resets `status` when the kind has a status subresource; the status
/// subresource resets `spec`.
pub fn reset_fields(subresource: Option<&str>, has_status_subresource: bool) -> FieldSet {
    let field = |n: &str| vec![PathElement::field(n)];
    match subresource {
        Some("status") => FieldSet::from_paths([field("spec")]),
        Some(_) => FieldSet::new(),
        None if has_status_subresource => FieldSet::from_paths([field("status")]),
        None => FieldSet::new(),
    }
}

/// The longest field manager name the apiserver accepts.
pub const FIELD_MANAGER_MAX_LENGTH: usize = 128;

/// The manager name upstream derives from a User-Agent when a request names none: the part
/// before the first `/`, without unprintable characters, at most 128 bytes
/// (`kubectl/v1.33.0 (linux/amd64) kubernetes/abc` gives `kubectl`).
pub fn default_manager(user_agent: &str) -> String {
    let prefix = user_agent.split('/').next().unwrap_or_default();
    let mut out = String::new();
    for c in prefix.chars().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > FIELD_MANAGER_MAX_LENGTH {
            break;
        }
        out.push(c);
    }
    out
}

/// The `fieldManager` query parameter when given, otherwise [`default_manager`].
pub fn manager_or_user_agent(field_manager: Option<&str>, user_agent: &str) -> String {
    match field_manager {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => default_manager(user_agent),
    }
}

/// Fields never tracked: type and server-set metadata (upstream's stripMeta).
pub(crate) fn strip_meta(fields: &FieldSet) -> FieldSet {
    let meta = |n: &str| -> Path { vec![PathElement::field("metadata"), PathElement::field(n)] };
    let strip = FieldSet::from_paths([
        vec![PathElement::field("apiVersion")],
        vec![PathElement::field("kind")],
        vec![PathElement::field("metadata")],
        meta("name"),
        meta("namespace"),
        meta("creationTimestamp"),
        meta("selfLink"),
        meta("uid"),
        meta("clusterName"),
        meta("generation"),
        meta("managedFields"),
        meta("resourceVersion"),
    ]);
    fields.difference(&strip)
}

/// The object without `metadata.managedFields`.
pub(crate) fn without_managed_fields(object: &Value) -> Value {
    let mut out = object.clone();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    out
}

/// An empty object of the same type: only `apiVersion` and `kind`.
pub(crate) fn empty_like(object: &Value) -> Value {
    let mut out = Map::new();
    for k in ["apiVersion", "kind"] {
        if let Some(v) = object.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    Value::Object(out)
}

/// The apiVersion entries record: the written object's, else the old one's.
pub(crate) fn api_version<'a>(new: &'a Value, old: Option<&'a Value>) -> &'a str {
    [Some(new), old]
        .into_iter()
        .flatten()
        .find_map(|o| o.get("apiVersion").and_then(Value::as_str))
        .filter(|v| !v.is_empty())
        .unwrap_or("v1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn manager_names_from_user_agents() {
        let long = "x".repeat(200);
        let cases = [
            ("kubectl/v1.33.0 (linux/amd64) kubernetes/abcdef", "kubectl"),
            ("kube-rs/1.1.0", "kube-rs"),
            ("helm/v3.15.0", "helm"),
            (
                "kustomize-controller/v1.5.0 (linux/amd64)",
                "kustomize-controller",
            ),
            ("curl", "curl"),
            ("tab\there/1", "tabhere"),
            ("", ""),
            (long.as_str(), &long[..128]),
        ];
        for (agent, want) in cases {
            assert_eq!(default_manager(agent), want, "{agent}");
        }
        assert_eq!(
            manager_or_user_agent(Some("kubectl-edit"), "kubectl/v1"),
            "kubectl-edit"
        );
        assert_eq!(manager_or_user_agent(Some(""), "kubectl/v1"), "kubectl");
        assert_eq!(manager_or_user_agent(None, "kube-rs/1"), "kube-rs");
    }

    #[test]
    fn reset_fields_per_endpoint() {
        let show = |s: FieldSet| s.to_fields_v1_string();
        assert_eq!(show(reset_fields(None, true)), r#"{"f:status":{}}"#);
        assert_eq!(show(reset_fields(None, false)), "{}");
        assert_eq!(show(reset_fields(Some("status"), true)), r#"{"f:spec":{}}"#);
        assert_eq!(show(reset_fields(Some("scale"), true)), "{}");
    }

    #[test]
    fn strips_type_and_server_metadata() {
        let set = FieldSet::from_fields_v1(&json!({
            "f:apiVersion": {}, "f:kind": {},
            "f:metadata": {".": {}, "f:name": {}, "f:uid": {}, "f:labels": {"f:a": {}}}
        }))
        .unwrap_or_default();
        assert_eq!(
            strip_meta(&set).to_fields_v1_string(),
            r#"{"f:metadata":{"f:labels":{"f:a":{}}}}"#
        );
    }

    #[test]
    fn object_helpers() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "x", "managedFields": []}});
        assert_eq!(
            without_managed_fields(&obj)["metadata"],
            json!({"name": "x"})
        );
        assert_eq!(
            empty_like(&obj),
            json!({"apiVersion": "apps/v1", "kind": "Deployment"})
        );
        assert_eq!(api_version(&json!({}), Some(&obj)), "apps/v1");
        assert_eq!(api_version(&json!({}), None), "v1");
    }
}
