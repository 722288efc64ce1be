//! The object of a write checked against the URL and decoded as a real server's codec does:
//! apiVersion and kind (missing ones taken from the URL), the Go type of built-in kinds or the
//! schema of custom resources (type errors, unknown fields under `fieldValidation`), and the
//! namespace. Errors take the shape of the request's path: a create or update body, the result
//! of a patch, or a server-side apply configuration.

use serde_json::{Value, json};

use super::{Api, Target, WriteOptions};
use crate::decode::{self, TypeError, UnknownField};
use crate::error::{ApiError, FieldError};
use crate::meta::{meta_mut, meta_str};
use crate::registry::ResourceType;

/// How the object reached the server.
#[derive(Clone, Copy)]
pub(super) enum Via<'a> {
    /// The body of a create or update.
    Body,
    /// The result of a JSON or merge patch (`None`), or of a strategic merge patch (the
    /// patch, which upstream prints in errors instead of the result).
    Patch(Option<&'a Value>),
    /// A server-side apply configuration.
    Apply,
}

/// A group, version and kind.
#[derive(Debug, Clone, PartialEq)]
struct Gvk {
    group: String,
    version: String,
    kind: String,
}

impl Gvk {
    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// The body's group, version and kind, with what it lacks taken from the URL (upstream's
/// `gvkWithDefaults`).
fn body_gvk(obj: &Value, rt: &ResourceType) -> Gvk {
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let api_version = text("apiVersion");
    let (mut group, mut version) = match api_version.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api_version),
    };
    if version.is_empty() && (group.is_empty() || group == rt.group) {
        group = rt.group.clone();
        version = rt.version.clone();
    }
    let kind = match text("kind") {
        k if k.is_empty() => rt.kind.clone(),
        k => k,
    };
    Gvk {
        group,
        version,
        kind,
    }
}

/// The Go package of a group's internal types, as conversion errors name them.
fn internal_package(group: &str) -> &str {
    match group {
        "" | "events.k8s.io" => "core",
        g => g.split('.').next().unwrap_or(g),
    }
}

/// Whether kube-apiserver's scheme knows a group version (served or not), which decides
/// between "API version does not match" and "no kind is registered".
fn registered(group: &str, version: &str) -> bool {
    let versions: &[&str] = match group {
        "" => &["v1"],
        "apps" => &["v1", "v1beta1", "v1beta2"],
        "autoscaling" => &["v1", "v2", "v2beta1", "v2beta2"],
        "batch" | "discovery.k8s.io" | "events.k8s.io" | "networking.k8s.io" | "policy" => {
            &["v1", "v1beta1"]
        }
        "coordination.k8s.io" => &["v1", "v1beta1", "v1alpha2"],
        "rbac.authorization.k8s.io" | "scheduling.k8s.io" | "storage.k8s.io" => {
            &["v1", "v1beta1", "v1alpha1"]
        }
        "apiextensions.k8s.io" => &["v1", "v1beta1"],
        _ => &[],
    };
    versions.contains(&version)
}

/// The field validation directive; absent means `Warn`, as upstream.
fn directive(opts: &WriteOptions) -> &str {
    match opts.field_validation.as_deref() {
        None | Some("") => "Warn",
        Some(d) => d,
    }
}

/// The strict decoding errors of a body: those of its text (duplicate fields), then its
/// unknown fields.
fn strict_errors(opts: &WriteOptions, via: Via, unknown: &[UnknownField]) -> Vec<String> {
    let text = match via {
        Via::Body | Via::Patch(_) => opts.strict_errors.clone(),
        Via::Apply => Vec::new(),
    };
    text.into_iter()
        .chain(
            unknown
                .iter()
                .map(|u| format!("unknown field \"{}\"", u.path)),
        )
        .collect()
}

/// The warnings of strict errors: go-yaml's list of errors gives one warning per line, as
/// upstream's `parseYAMLWarnings` splits them.
fn warnings_of(errors: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for e in errors {
        match e.strip_prefix("yaml: unmarshal errors:\n") {
            Some(rest) => out.extend(rest.split('\n').map(|l| l.trim().to_string())),
            None => out.push(e),
        }
    }
    out
}

/// Go's `%+v` of a decoded JSON value (`map[a:1 b:[x y]]`), as patch errors print patches.
fn go_plus_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_plus_v).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_plus_v(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        other => other.to_string(),
    }
}

/// An error of a request's object, shaped by how it came.
struct Failure<'a> {
    t: &'a Target,
    body: &'a Gvk,
    via: Via<'a>,
}

impl Failure<'_> {
    /// A decode error: 400 for bodies, 422 for patches, 500 for apply configurations.
    fn decode(&self, obj: &Value, why: &str, typed: Option<String>) -> ApiError {
        match self.via {
            Via::Body => ApiError::bad_request(format!(
                "{} in version \"{}\" cannot be handled as a {}: {why}",
                self.body.kind, self.body.version, self.t.rt.kind
            )),
            Via::Patch(smp) => {
                let shown = match smp {
                    Some(p) => go_plus_v(p),
                    None => {
                        let mut out = String::new();
                        crate::fieldmanager::write_go_json(obj, &mut out);
                        out
                    }
                };
                ApiError::invalid(
                    "",
                    "",
                    "",
                    vec![FieldError::invalid("patch", &json!(shown), why)],
                )
            }
            Via::Apply => ApiError::unknown(
                500,
                format!(
                    "failed to create typed patch object ({}/{}; {}/{}, Kind={}): {}",
                    meta_str(obj, "namespace"),
                    meta_str(obj, "name"),
                    self.body.group,
                    self.body.version,
                    self.body.kind,
                    typed.unwrap_or_else(|| why.to_string())
                ),
            ),
        }
    }

    fn type_error(&self, obj: &Value, e: &TypeError) -> ApiError {
        let typed = format!("{}: expected {}, got {}", e.typed_path, e.expected, e.got);
        self.decode(obj, &e.message, Some(typed))
    }

    /// Unknown fields: an error under Strict (and always for apply), warnings under Warn.
    fn unknown(
        &self,
        obj: &Value,
        unknown: &[UnknownField],
        opts: &WriteOptions,
        warnings: &mut Vec<String>,
    ) -> Result<(), ApiError> {
        if let Via::Apply = self.via
            && !unknown.is_empty()
        {
            let lines: Vec<String> = unknown
                .iter()
                .map(|u| format!("{}: field not declared in schema", u.typed_path))
                .collect();
            let typed = match lines.as_slice() {
                [one] => one.clone(),
                many => format!("errors:\n  {}", many.join("\n  ")),
            };
            return Err(self.decode(obj, "", Some(typed)));
        }
        let errors = strict_errors(opts, self.via, unknown);
        if errors.is_empty() {
            return Ok(());
        }
        match directive(opts) {
            "Strict" => {
                let why = format!("strict decoding error: {}", errors.join(", "));
                Err(self.decode(obj, &why, None))
            }
            "Warn" => {
                warnings.extend(warnings_of(errors));
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

impl Api {
    /// Checks and decodes the object of a write to `t` (see the module documentation), filling
    /// in apiVersion, kind and namespace; warnings of `fieldValidation=Warn` go to `warnings`.
    pub(super) fn check_body(
        &self,
        t: &Target,
        obj: &mut Value,
        opts: &WriteOptions,
        via: Via,
        warnings: &mut Vec<String>,
    ) -> Result<(), ApiError> {
        let rt = &t.rt;
        if super::events::is_events_view(rt)
            && obj.get("apiVersion").and_then(Value::as_str) == Some("v1")
        {
            // Already converted to the stored core form by an earlier check.
            return Ok(());
        }
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the body of the request was not a JSON or YAML object",
            ));
        }
        let body = body_gvk(obj, rt);
        if let Via::Apply = via {
            apply_gvk(&body, rt)?;
        }
        let fail = Failure {
            t,
            body: &body,
            via,
        };
        // An apply configuration is only checked: its nulls mean something to apply.
        let mut copy;
        let target = if let Via::Apply = via {
            copy = obj.clone();
            &mut copy
        } else {
            &mut *obj
        };
        let unknown = if rt.crd.is_some() {
            self.decode_custom(t, &body, target, &fail)?
        } else {
            decode_builtin(t, &body, target, &fail)?
        };
        fail.unknown(obj, &unknown, opts, warnings)?;
        if let Some(map) = obj.as_object_mut() {
            map.insert("apiVersion".into(), json!(body.api_version()));
            map.insert("kind".into(), json!(body.kind));
        }
        check_namespace(t, obj)?;
        if super::events::is_events_view(rt) {
            super::events::to_core(obj);
        }
        Ok(())
    }

    /// A custom resource: its group and version must be the URL's (or another version the
    /// CRD serves), its kind the URL's; metadata decodes strictly, the rest is pruned.
    fn decode_custom(
        &self,
        t: &Target,
        body: &Gvk,
        obj: &mut Value,
        fail: &Failure,
    ) -> Result<Vec<UnknownField>, ApiError> {
        let rt = &t.rt;
        if body.group != rt.group {
            let why = format!(
                "{}/{}, Kind={} is unstructured and is not suitable for converting to \"{}\"",
                body.group,
                body.version,
                body.kind,
                rt.api_version()
            );
            return Err(fail.decode(obj, &why, None));
        }
        if body.version != rt.version {
            if self
                .registry
                .lookup(&body.group, &body.version, &rt.resource)
                .is_none()
            {
                let why = format!(
                    "request to convert CR from an invalid group/version: {}",
                    body.api_version()
                );
                return Err(fail.decode(obj, &why, None));
            }
            return Err(version_mismatch(body, rt));
        }
        if body.kind != rt.kind {
            let name = meta_str(obj, "name").to_string();
            let e = FieldError::invalid("kind", &json!(body.kind), &format!("must be {}", rt.kind));
            return Err(ApiError::invalid(&rt.group, &rt.kind, &name, vec![e]));
        }
        let mut unknown =
            decode::custom_resource_meta(obj).map_err(|e| fail.type_error(obj, &e))?;
        if let Some(schema) = rt.crd.as_ref().and_then(|c| c.schema.as_ref()) {
            unknown.extend(
                crate::crd::prune(obj, schema)
                    .into_iter()
                    .map(|path| UnknownField {
                        typed_path: format!(".{path}"),
                        path,
                    }),
            );
        }
        Ok(unknown)
    }
}

/// An apply configuration names the URL's version and kind.
fn apply_gvk(body: &Gvk, rt: &ResourceType) -> Result<(), ApiError> {
    if body.group != rt.group || body.version != rt.version {
        return Err(ApiError::bad_request(format!(
            "Incorrect version specified in apply patch. Specified patch version: {}, expected: {}",
            body.api_version(),
            rt.api_version()
        )));
    }
    if body.kind != rt.kind {
        return Err(ApiError::bad_request(format!(
            "{k} in version \"{}\" cannot be handled as a {}: the kind in the data ({k}) does not match the expected kind ({})",
            rt.version,
            rt.kind,
            rt.kind,
            k = body.kind
        )));
    }
    Ok(())
}

/// "the API version in the data (..) does not match the expected API version (..)".
fn version_mismatch(body: &Gvk, rt: &ResourceType) -> ApiError {
    ApiError::bad_request(format!(
        "the API version in the data ({}) does not match the expected API version ({})",
        body.api_version(),
        rt.api_version()
    ))
}

/// A built-in kind: decoded as the body's kind says (a kind the server does not know, or one
/// that does not convert to the URL's, fails as upstream's codec does).
fn decode_builtin(
    t: &Target,
    body: &Gvk,
    obj: &mut Value,
    fail: &Failure,
) -> Result<Vec<UnknownField>, ApiError> {
    let rt = &t.rt;
    let same_kind =
        body.kind == rt.kind && internal_package(&body.group) == internal_package(&rt.group);
    let same = same_kind && body.group == rt.group && body.version == rt.version;
    if !same && !decode::known(&body.group, &body.version, &body.kind) {
        if same_kind && registered(&body.group, &body.version) {
            return Err(version_mismatch(body, rt));
        }
        let why = format!(
            "no kind \"{}\" is registered for version \"{}\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
            body.kind,
            body.api_version()
        );
        return Err(fail.decode(obj, &why, None));
    }
    // Only apply's errors name list items by their keys, which takes the kind's shape.
    let shape = match fail.via {
        Via::Apply => crate::managed::shape_for(rt, true),
        _ => crate::schema::Shape::Unknown,
    };
    let unknown = match decode::builtin(&body.group, &body.version, &body.kind, obj, &shape) {
        Some(Ok(unknown)) => unknown,
        Some(Err(e)) => return Err(fail.type_error(obj, &e)),
        None => Vec::new(),
    };
    if same {
        return Ok(unknown);
    }
    if same_kind {
        return Err(version_mismatch(body, rt));
    }
    let why = format!(
        "converting ({}.{}) to ({}.{}): unknown conversion",
        body.version,
        body.kind,
        internal_package(&rt.group),
        rt.kind
    );
    Err(fail.decode(obj, &why, None))
}

/// The object's namespace must be the URL's (it is set when missing); cluster-scoped objects
/// have none.
fn check_namespace(t: &Target, obj: &mut Value) -> Result<(), ApiError> {
    let meta = meta_mut(obj);
    if !t.rt.namespaced {
        meta.remove("namespace");
        return Ok(());
    }
    let url_ns = t.namespace.as_deref().unwrap_or("");
    match meta.get("namespace").and_then(Value::as_str) {
        Some(ns) if !ns.is_empty() && ns != url_ns => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {
            meta.insert("namespace".into(), json!(url_ns));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_plus_v_prints_maps_like_fmt() {
        let v = json!({"spec": {"replicaz": 2, "list": ["a", 1], "n": null}});
        assert_eq!(
            go_plus_v(&v),
            "map[spec:map[list:[a 1] n:<nil> replicaz:2]]"
        );
    }

    #[test]
    fn defaults_the_body_gvk_from_the_url() {
        let rt = crate::registry::Registry::with_builtins()
            .lookup("apps", "v1", "deployments")
            .expect("deployments");
        let g = body_gvk(&json!({}), &rt);
        assert_eq!(
            (g.group.as_str(), g.version.as_str(), g.kind.as_str()),
            ("apps", "v1", "Deployment")
        );
        let g = body_gvk(&json!({"apiVersion": "v1", "kind": "Secret"}), &rt);
        assert_eq!(g.api_version(), "v1");
        assert_eq!(internal_package("rbac.authorization.k8s.io"), "rbac");
    }
}
