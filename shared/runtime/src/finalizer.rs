//! Adding and removing finalizers.fluxcd.io.
//!
//! Both writes are JSON merge patches of `metadata.finalizers` that also carry the
//! `metadata.resourceVersion` the object was read at. A merge patch replaces the whole list,
//! so on its own it would drop a finalizer another controller added since our read; with the
//! resourceVersion in the body the API server only applies it to that exact version and
//! answers 409 Conflict otherwise (the optimistic lock Flux gets from controller-runtime's
//! `MergeFromWithOptimisticLock`). A conflict is an ordinary retry: the next run starts from
//! the fresh object. A JSON patch with a `test` op would be as safe, but a failed test comes
//! back as 422 Invalid, indistinguishable from a malformed patch; 409 is unambiguous.

use std::fmt::Debug;

use fluxion_api::meta::FINALIZER;
use kube::Resource;
use kube::api::{Api, Patch, PatchParams};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::PatchError;

/// Whether the object carries `finalizers.fluxcd.io`.
pub fn has_finalizer<K: Resource>(obj: &K) -> bool {
    obj.meta()
        .finalizers
        .as_ref()
        .is_some_and(|f| f.iter().any(|f| f == FINALIZER))
}

/// The merge patch adding `finalizers.fluxcd.io` (after the existing ones), or `None` when it
/// is already there.
pub fn add_patch<K: Resource>(obj: &K) -> Result<Option<Value>, PatchError> {
    if has_finalizer(obj) {
        return Ok(None);
    }
    let mut finalizers = obj.meta().finalizers.clone().unwrap_or_default();
    finalizers.push(FINALIZER.to_owned());
    locked_patch(obj, Value::from(finalizers)).map(Some)
}

/// The merge patch removing `finalizers.fluxcd.io` (keeping any others, in order), or `None`
/// when it is not there. The last finalizer removed leaves no list at all.
pub fn remove_patch<K: Resource>(obj: &K) -> Result<Option<Value>, PatchError> {
    if !has_finalizer(obj) {
        return Ok(None);
    }
    let rest: Vec<String> = obj
        .meta()
        .finalizers
        .iter()
        .flatten()
        .filter(|f| *f != FINALIZER)
        .cloned()
        .collect();
    let list = if rest.is_empty() {
        Value::Null
    } else {
        Value::from(rest)
    };
    locked_patch(obj, list).map(Some)
}

fn locked_patch<K: Resource>(obj: &K, finalizers: Value) -> Result<Value, PatchError> {
    let version = obj
        .meta()
        .resource_version
        .as_deref()
        .ok_or(PatchError::MissingResourceVersion)?;
    Ok(json!({
        "metadata": {
            "finalizers": finalizers,
            "resourceVersion": version,
        }
    }))
}

/// Adds `finalizers.fluxcd.io`; returns the updated object, or `None` when it was already set.
pub async fn add_finalizer<K>(api: &Api<K>, obj: &K) -> Result<Option<K>, PatchError>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    match add_patch(obj)? {
        Some(patch) => send(api, obj, &patch).await.map(Some),
        None => Ok(None),
    }
}

/// Removes `finalizers.fluxcd.io`; returns the updated object, or `None` when it was not set.
/// Once the last finalizer is gone the API server may delete the object at once, so a
/// not-found answer ([`PatchError::is_not_found`]) means success to a caller cleaning up.
pub async fn remove_finalizer<K>(api: &Api<K>, obj: &K) -> Result<Option<K>, PatchError>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    match remove_patch(obj)? {
        Some(patch) => send(api, obj, &patch).await.map(Some),
        None => Ok(None),
    }
}

async fn send<K>(api: &Api<K>, obj: &K, patch: &Value) -> Result<K, PatchError>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    let name = obj.meta().name.as_deref().ok_or(PatchError::MissingName)?;
    api.patch(name, &PatchParams::default(), &Patch::Merge(patch))
        .await
        .map_err(|source| PatchError::Api {
            what: "finalizers",
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::test_object::demo;

    #[test]
    fn has_finalizer_table() {
        let cases: [(&[&str], bool); 4] = [
            (&[], false),
            (&["other.io/x"], false),
            (&[FINALIZER], true),
            (&["other.io/x", FINALIZER], true),
        ];
        for (finalizers, want) in cases {
            assert_eq!(
                has_finalizer(&demo(&[], finalizers)),
                want,
                "{finalizers:?}"
            );
        }
    }

    #[test]
    fn add_patch_table() {
        let cases: [(&[&str], Option<Value>); 3] = [
            (
                &[],
                Some(json!({"metadata": {"finalizers": [FINALIZER], "resourceVersion": "41"}})),
            ),
            (
                &["other.io/x"],
                Some(json!({"metadata": {
                    "finalizers": ["other.io/x", FINALIZER], "resourceVersion": "41"}})),
            ),
            (&["other.io/x", FINALIZER], None),
        ];
        for (finalizers, want) in cases {
            let got = add_patch(&demo(&[], finalizers)).expect("patch");
            assert_eq!(got, want, "{finalizers:?}");
        }
    }

    #[test]
    fn remove_patch_table() {
        let cases: [(&[&str], Option<Value>); 4] = [
            (&[], None),
            (&["other.io/x"], None),
            (
                &[FINALIZER],
                Some(json!({"metadata": {"finalizers": null, "resourceVersion": "41"}})),
            ),
            (
                &["a.io/x", FINALIZER, "b.io/y"],
                Some(json!({"metadata": {
                    "finalizers": ["a.io/x", "b.io/y"], "resourceVersion": "41"}})),
            ),
        ];
        for (finalizers, want) in cases {
            let got = remove_patch(&demo(&[], finalizers)).expect("patch");
            assert_eq!(got, want, "{finalizers:?}");
        }
    }

    #[test]
    fn patches_require_a_resource_version() {
        let mut obj = demo(&[], &[FINALIZER]);
        obj.metadata.resource_version = None;
        assert!(matches!(
            remove_patch(&obj),
            Err(PatchError::MissingResourceVersion)
        ));
        obj.metadata.finalizers = None;
        assert!(matches!(
            add_patch(&obj),
            Err(PatchError::MissingResourceVersion)
        ));
    }

    /// RFC 7386 JSON merge patch, as the API server applies it.
    fn merge(target: &mut Value, patch: &Value) {
        match (target, patch) {
            (Value::Object(t), Value::Object(p)) => {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
            (t, p) => *t = p.clone(),
        }
    }

    #[test]
    fn add_then_remove_round_trips_other_finalizers() {
        let obj = demo(&[], &["other.io/x"]);
        let mut doc = serde_json::to_value(&obj).expect("json");
        merge(&mut doc, &add_patch(&obj).expect("add").expect("patch"));
        let added: crate::status::test_object::Demo = serde_json::from_value(doc).expect("obj");
        assert!(has_finalizer(&added));
        let mut doc = serde_json::to_value(&added).expect("json");
        merge(&mut doc, &remove_patch(&added).expect("rm").expect("patch"));
        let removed: crate::status::test_object::Demo = serde_json::from_value(doc).expect("obj");
        assert_eq!(
            removed.metadata.finalizers,
            Some(vec!["other.io/x".to_string()])
        );
        assert_eq!(removed.metadata.resource_version.as_deref(), Some("41"));
    }
}
