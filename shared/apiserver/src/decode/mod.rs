//! What decoding a request body into a built-in kind's Go type does to it, done on JSON
//! values: fields the type lacks are dropped (and reported for `fieldValidation=Strict|Warn`),
//! and a value of the wrong JSON type, a bad quantity, base64 or time fails with Go's words.
//! The schemas are the ones `/openapi/v3` serves, generated from k8s-openapi.

mod schemas;
mod values;
mod walk;

use serde_json::Value;

pub use walk::{TypeError, UnknownField};

use crate::schema::Shape;

/// The unknown fields decoding dropped, or the error that stopped it.
pub type Decoded = Result<Vec<UnknownField>, TypeError>;

/// The most strict errors a real server reports for one request.
const MAX_UNKNOWN: usize = 100;

fn finish(w: walk::Walker) -> Decoded {
    match w.error {
        Some(e) => Err(e),
        None => {
            let mut unknown = w.unknown;
            unknown.truncate(MAX_UNKNOWN);
            Ok(unknown)
        }
    }
}

/// Decodes `obj` as the built-in kind `group/version/kind`: unknown fields and the nulls of
/// struct fields are removed from it. `shape` (the kind's apply shape) names list items in
/// typed paths. `None` when the server has no Go type for the kind.
pub fn builtin(
    group: &str,
    version: &str,
    kind: &str,
    obj: &mut Value,
    shape: &Shape,
) -> Option<Decoded> {
    let ks = schemas::kind_schema(group, version, kind)?;
    let mut w = walk::Walker::new(&ks);
    w.object(obj, shape);
    Some(finish(w))
}

/// Whether the server has a Go type for a built-in kind.
pub fn known(group: &str, version: &str, kind: &str) -> bool {
    schemas::kind_schema(group, version, kind).is_some()
}

/// Decodes the `metadata` of a custom resource as the apiextensions server does (a strict
/// decode of ObjectMeta on its own): unknown fields are removed and reported as
/// `metadata.<field>`; type errors name fields relative to ObjectMeta.
pub fn custom_resource_meta(obj: &mut Value) -> Decoded {
    let Some(ks) = schemas::kind_schema("", "v1", "ConfigMap") else {
        return Ok(Vec::new());
    };
    let Some(meta) = obj.get_mut("metadata") else {
        return Ok(Vec::new());
    };
    let mut w = walk::Walker::new(&ks);
    w.object_meta(meta);
    finish(w)
}

#[cfg(test)]
mod tests;
