//! patch: JSON patch, merge patch, strategic merge patch (built-in kinds only; 415 for custom
//! resources, as upstream) and server-side apply with field managers, conflicts and force.

use serde_json::{Value, json};

use super::body::Via;
use super::{Api, Outcome, Target, WriteOptions};
use crate::error::ApiError;
use crate::fieldmanager::{self, ApplyError, Writer, reset_fields};
use crate::managed::{manager, shape_for};
use crate::meta::{self, meta_str};
use crate::patch::{self, PatchError};
use crate::store::object_rv;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Json,
    Merge,
    Strategic,
    Apply,
}

const PATCH_TYPES: &[&str] = &[
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/apply-patch+yaml",
];

/// The patch type of a media type; 415 listing the accepted ones (no strategic merge patch
/// for custom resources, as upstream).
fn patch_kind(t: &Target, media: &str) -> Result<Kind, ApiError> {
    let crd = t.rt.crd.is_some();
    Ok(match media {
        "application/json-patch+json" => Kind::Json,
        "application/merge-patch+json" => Kind::Merge,
        "application/strategic-merge-patch+json" if !crd => Kind::Strategic,
        "application/apply-patch+yaml" => Kind::Apply,
        _ => {
            let mut accepted = PATCH_TYPES.to_vec();
            if !crd {
                accepted.insert(2, "application/strategic-merge-patch+json");
            }
            return Err(ApiError::unsupported_media_type(&accepted));
        }
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// The patch document, or the 400 upstream gives for it: the words differ by patch type and
/// by whether the strict decoder (fieldValidation Strict or Warn, the default) reads it first.
/// The patch and the strict errors of its text (duplicate fields, and fields JSON patch
/// operations do not have), which `fieldValidation` reports with the result's unknown fields.
fn decode_patch(
    kind: Kind,
    body: &[u8],
    opts: &WriteOptions,
) -> Result<(Value, Vec<String>), ApiError> {
    if kind == Kind::Apply {
        return crate::http::parse_yaml(body)
            .map(|v| (v, Vec::new()))
            .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {}", e.message)));
    }
    let strict = opts.field_validation.as_deref() != Some("Ignore");
    let (go_type, ok): (&str, fn(&Value) -> bool) = match (kind, strict) {
        (Kind::Json, true) => ("[]handlers.jsonPatchOp", Value::is_array),
        (Kind::Json, false) => ("jsonpatch.Patch", Value::is_array),
        _ => ("map[string]interface {}", |v| v.is_object() || v.is_null()),
    };
    let prefix = if strict && kind != Kind::Strategic {
        "error decoding patch: "
    } else {
        ""
    };
    let duplicates = crate::http::scan_json(body).map_err(|e| {
        ApiError::bad_request(match kind {
            Kind::Merge if !strict => "Invalid JSON Patch".to_string(),
            _ => format!("{prefix}{e}"),
        })
    })?;
    let v: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("{prefix}{e}")))?;
    if !ok(&v) {
        return Err(ApiError::bad_request(format!(
            "{prefix}json: cannot unmarshal {} into Go value of type {go_type}",
            json_kind(&v)
        )));
    }
    let mut strict_errors: Vec<String> = duplicates
        .iter()
        .map(|p| format!("duplicate field \"{p}\""))
        .collect();
    if kind == Kind::Json {
        strict_errors.extend(unknown_op_fields(&v));
        for e in &mut strict_errors {
            *e = format!("json patch {e}");
        }
    }
    Ok((v, strict_errors))
}

/// Keys of JSON patch operations that are none of `op`, `path`, `from`, `value`.
fn unknown_op_fields(patch: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (i, op) in patch.as_array().into_iter().flatten().enumerate() {
        for k in op.as_object().into_iter().flat_map(|m| m.keys()) {
            if !matches!(k.as_str(), "op" | "path" | "from" | "value") {
                out.push(format!("unknown field \"[{i}].{k}\""));
            }
        }
    }
    out
}

/// 415 unless `media` is a patch type the target takes (checked before anything else).
pub fn check_patch_type(t: &Target, media: &str) -> Result<(), ApiError> {
    patch_kind(t, media).map(|_| ())
}

fn patch_error(e: PatchError) -> ApiError {
    let code = e.status_code();
    let reason = match code {
        400 => "BadRequest",
        413 => "RequestEntityTooLarge",
        _ => "Invalid",
    };
    ApiError::new(code, reason, e.to_string())
}

fn apply_error(e: ApplyError) -> ApiError {
    ApiError {
        code: e.code(),
        reason: e.reason(),
        message: e.to_string(),
        details: e.to_status().get("details").cloned(),
    }
}

impl Api {
    /// patch: the patched object (201 when an apply creates it).
    pub fn patch(
        &self,
        t: &Target,
        media: &str,
        body: &[u8],
        force: bool,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let kind = patch_kind(t, media)?;
        let (patch, strict_errors) = decode_patch(kind, body, opts)?;
        let opts = &WriteOptions {
            strict_errors,
            ..opts.clone()
        };
        if kind == Kind::Apply {
            return self.apply(t, patch, force, opts);
        }
        if force {
            return Err(ApiError::bad_request(
                "force may not be specified for non-apply patch",
            ));
        }
        self.patch_loop(t, kind, &patch, opts)
    }

    fn patch_loop(
        &self,
        t: &Target,
        kind: Kind,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let name = t.name().to_string();
        loop {
            let old = self
                .store
                .get(&t.key(&name))
                .ok_or_else(|| t.not_found(&name))?;
            let current = self.present(&t.rt, &old);
            let patched = match kind {
                Kind::Json => patch::json_patch(&current, patch),
                Kind::Merge => Ok(patch::merge_patch(&current, patch)),
                _ => patch::strategic_merge_patch(&current, patch, &shape_for(&t.rt, false)),
            }
            .map_err(patch_error)?;
            let mut patched = patched;
            let mut warnings = Vec::new();
            let via = Via::Patch((kind == Kind::Strategic).then_some(patch));
            self.check_body(t, &mut patched, opts, via, &mut warnings)?;
            let requested = meta_str(&patched, "resourceVersion").to_string();
            if !requested.is_empty() && requested != object_rv(&old).to_string() {
                return Err(ApiError::modified(&t.rt.group, &t.rt.resource, &name));
            }
            if meta_str(&patched, "name") != name {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({}) does not match the name on the URL ({name})",
                    meta_str(&patched, "name")
                )));
            }
            let new = self.merge_update(t, &old, patched);
            match self.commit_update(t, &old, new, opts) {
                Err(e) if e.reason == "Conflict" && requested.is_empty() => continue,
                other => return other.map(|o| o.warned(warnings)),
            }
        }
    }

    /// Server-side apply: creates or merges `config` under the request's field manager.
    fn apply(
        &self,
        t: &Target,
        config: Value,
        force: bool,
        opts: &WriteOptions,
    ) -> Result<Outcome, ApiError> {
        let config = self.checked_config(t, config, opts)?;
        let name = t.name().to_string();
        let shape = shape_for(&t.rt, true);
        let reset = reset_fields(t.subresource.as_deref(), t.rt.has_status());
        let manager = manager(opts);
        let applied_opts = WriteOptions {
            applied: true,
            ..opts.clone()
        };
        loop {
            let now = meta::now();
            let writer = Writer {
                manager: &manager,
                subresource: t.subresource.as_deref(),
                now: &now,
                reset: &reset,
            };
            let Some(old) = self.store.get(&t.key(&name)) else {
                if t.subresource.is_some() {
                    return Err(t.not_found(&name));
                }
                let created = fieldmanager::apply_with(None, &config, force, &shape, &writer)
                    .map_err(apply_error)?;
                match self.create(t, created, &applied_opts) {
                    Err(e) if e.reason == "AlreadyExists" => continue,
                    other => return other,
                }
            };
            let requested = meta_str(&config, "resourceVersion");
            if !requested.is_empty() && requested != object_rv(&old).to_string() {
                return Err(ApiError::modified(&t.rt.group, &t.rt.resource, &name));
            }
            let live = if super::events::is_events_view(&t.rt) {
                (*old).clone()
            } else {
                self.present(&t.rt, &old)
            };
            let applied = fieldmanager::apply_with(Some(&live), &config, force, &shape, &writer)
                .map_err(apply_error)?;
            let new = self.merge_update(t, &old, applied);
            match self.commit_update(t, &old, new, &applied_opts) {
                Err(e) if e.reason == "Conflict" => continue,
                other => return other,
            }
        }
    }
}

impl Api {
    /// An apply request's configuration, checked against the URL (apiVersion, kind, name) and
    /// the type (unknown fields and wrong types fail, as upstream's typed conversion does).
    fn checked_config(
        &self,
        t: &Target,
        config: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let mut config = config;
        if opts.field_manager.as_deref().unwrap_or("").is_empty() {
            return Err(ApiError::bad_request(
                "PATCH /apply requests require a fieldManager",
            ));
        }
        if !config.is_object() {
            return Err(ApiError::bad_request(
                "the body of an apply request must be an object",
            ));
        }
        for field in ["apiVersion", "kind"] {
            if config
                .get(field)
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
            {
                return Err(ApiError::bad_request(format!(
                    "{field} must be set in an apply request"
                )));
            }
        }
        self.check_body(t, &mut config, opts, Via::Apply, &mut Vec::new())?;
        let name = t.name();
        match meta_str(&config, "name") {
            "" => {
                meta::meta_mut(&mut config).insert("name".into(), json!(name));
            }
            n if n != name => {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({n}) does not match the name on the URL ({name})"
                )));
            }
            _ => {}
        }
        Ok(config)
    }
}
