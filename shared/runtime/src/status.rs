//! One status write per reconcile by server-side apply, skipped when only timestamps change.
//!
//! The run computes the whole new status as a value; [`needs_write`] compares it with the
//! status the object was read with, and [`patch_status`] applies it on the status subresource
//! under the controller's status field manager (`gotk-<controller>`, as Flux). Applying the
//! whole status means fields this manager no longer sets (a deleted condition) are removed.

use std::fmt::Debug;

use fluxion_api::meta::FluxObject;
use kube::api::{Api, Patch, PatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::error::PatchError;

#[cfg(test)]
pub(crate) mod test_object;

/// Status fields that only ever record *when* something happened. A change of these alone is
/// not worth a write: conditions' `lastTransitionTime` and an artifact's `lastUpdateTime`.
/// Request fields such as `lastHandledReconcileAt` hold timestamps too, but they are how the
/// CLI learns its request was handled, so they always count.
pub const TIMESTAMP_FIELDS: &[&str] = &["lastTransitionTime", "lastUpdateTime"];

/// The status field manager of a controller: `gotk-<controller>`, e.g.
/// `gotk-kustomize-controller`.
pub fn field_manager(controller: &str) -> String {
    format!("gotk-{controller}")
}

/// Whether `new` differs from `old` in anything but [`TIMESTAMP_FIELDS`]. A missing old status
/// counts as an empty one. Unserializable statuses are written (the write reports the error).
pub fn needs_write<S: Serialize>(old: Option<&S>, new: &S) -> bool {
    needs_write_ignoring(old, new, TIMESTAMP_FIELDS)
}

/// [`needs_write`] with a caller-chosen list of ignored field names (at any depth).
pub fn needs_write_ignoring<S: Serialize>(old: Option<&S>, new: &S, ignored: &[&str]) -> bool {
    let normalize = |s: &S| serde_json::to_value(s).map(|v| strip(v, ignored));
    let old = match old {
        Some(old) => normalize(old),
        None => Ok(Value::Object(Map::new())),
    };
    match (old, normalize(new)) {
        (Ok(old), Ok(new)) => old != new,
        _ => true,
    }
}

/// Drops ignored keys, nulls, and empty objects and arrays, so `[]`, `null` and an absent field
/// compare equal, as they mean the same to the API server.
fn strip(value: Value, ignored: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !ignored.contains(&k.as_str()))
                .map(|(k, v)| (k, strip(v, ignored)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| strip(v, ignored)).collect()),
        other => other,
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The server-side apply body for the status subresource:
/// `{apiVersion, kind, metadata: {name, namespace}, status}`.
pub fn status_apply_body<K: FluxObject>(obj: &K, status: &K::Status) -> Result<Value, PatchError> {
    let meta = obj.meta();
    let name = meta.name.as_deref().ok_or(PatchError::MissingName)?;
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::from(name));
    if let Some(ns) = &meta.namespace {
        metadata.insert("namespace".into(), Value::from(ns.as_str()));
    }
    let status = serde_json::to_value(status).map_err(|source| PatchError::Encode {
        what: "status",
        source,
    })?;
    Ok(json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "metadata": metadata,
        "status": status,
    }))
}

/// Writes `new` as the object's status by server-side apply (forced, under `field_manager`),
/// unless [`needs_write`] says nothing but timestamps changed. Returns the updated object, or
/// `None` when the write was skipped.
pub async fn patch_status<K>(
    api: &Api<K>,
    obj: &K,
    new: &K::Status,
    field_manager: &str,
) -> Result<Option<K>, PatchError>
where
    K: FluxObject + DeserializeOwned + Debug,
{
    if !needs_write(obj.flux_status(), new) {
        return Ok(None);
    }
    let body = status_apply_body(obj, new)?;
    let name = obj.meta().name.as_deref().ok_or(PatchError::MissingName)?;
    let params = PatchParams::apply(field_manager).force();
    api.patch_status(name, &params, &Patch::Apply(&body))
        .await
        .map(Some)
        .map_err(|source| PatchError::Api {
            what: "status",
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::test_object::{DemoStatus, demo};
    use super::*;
    use crate::conditions::{self as cond};
    use fluxion_api::conditions::{READY, SUCCEEDED_REASON};
    use fluxion_api::meta::{Artifact, Time};
    use k8s_openapi::jiff::Timestamp;

    fn at(secs: i64) -> Time {
        Time(Timestamp::from_second(secs).expect("valid"))
    }

    fn ready(generation: i64, t: i64, message: &str) -> DemoStatus {
        let mut s = DemoStatus {
            observed_generation: Some(generation),
            ..Default::default()
        };
        cond::mark_true(
            &mut s.conditions,
            READY,
            SUCCEEDED_REASON,
            message,
            generation,
            &at(t),
        );
        s
    }

    fn artifact(digest: &str, t: i64) -> Artifact {
        Artifact {
            digest: digest.into(),
            last_update_time: at(t),
            metadata: None,
            path: "gitrepository/ns/app/x.tar.gz".into(),
            revision: "main@sha1:abc".into(),
            size: Some(1),
            url: "http://source/x.tar.gz".into(),
        }
    }

    #[test]
    fn needs_write_table() {
        let base = ready(1, 10, "ok");
        let with_artifact = |d: &str, t| DemoStatus {
            artifact: Some(artifact(d, t)),
            ..base.clone()
        };
        let handled = |v: &str| DemoStatus {
            last_handled_reconcile_at: Some(v.into()),
            ..base.clone()
        };
        let cases: Vec<(&str, Option<DemoStatus>, DemoStatus, bool)> = vec![
            ("identical", Some(base.clone()), base.clone(), false),
            (
                "condition time only",
                Some(base.clone()),
                ready(1, 99, "ok"),
                false,
            ),
            ("generation", Some(base.clone()), ready(2, 10, "ok"), true),
            ("message", Some(base.clone()), ready(1, 10, "changed"), true),
            (
                "artifact time only",
                Some(with_artifact("sha256:a", 1)),
                with_artifact("sha256:a", 2),
                false,
            ),
            (
                "artifact digest",
                Some(with_artifact("sha256:a", 1)),
                with_artifact("sha256:b", 1),
                true,
            ),
            ("request handled", Some(handled("t1")), handled("t2"), true),
            ("no old status", None, base.clone(), true),
            (
                "no old status, empty new",
                None,
                DemoStatus::default(),
                false,
            ),
            (
                "condition removed",
                Some(base.clone()),
                DemoStatus {
                    conditions: vec![],
                    ..base.clone()
                },
                true,
            ),
        ];
        for (name, old, new, want) in cases {
            assert_eq!(needs_write(old.as_ref(), &new), want, "{name}");
        }
    }

    #[test]
    fn strip_normalizes_nested_values() {
        let v = json!({
            "a": null, "b": [], "c": {}, "d": {"lastTransitionTime": "x"},
            "e": [{"lastTransitionTime": "x", "type": "Ready"}, {}], "f": 0, "g": ""
        });
        assert_eq!(
            strip(v, TIMESTAMP_FIELDS),
            json!({"e": [{"type": "Ready"}, {}], "f": 0, "g": ""})
        );
    }

    #[test]
    fn custom_ignore_list() {
        let a = DemoStatus {
            last_handled_reconcile_at: Some("t1".into()),
            ..Default::default()
        };
        let b = DemoStatus {
            last_handled_reconcile_at: Some("t2".into()),
            ..Default::default()
        };
        assert!(!needs_write_ignoring(
            Some(&a),
            &b,
            &["lastHandledReconcileAt"]
        ));
        assert!(needs_write_ignoring(Some(&a), &b, &[]));
    }

    #[test]
    fn apply_body_has_identity_and_status_only() {
        let mut obj = demo(&[("a", "b")], &["finalizers.fluxcd.io"]);
        obj.status = Some(ready(1, 10, "old"));
        let new = ready(2, 10, "ok");
        let body = status_apply_body(&obj, &new).expect("body");
        assert_eq!(
            body,
            json!({
                "apiVersion": "demo.toolkit.fluxcd.io/v1",
                "kind": "Demo",
                "metadata": {"name": "app", "namespace": "flux-system"},
                "status": {
                    "conditions": [{
                        "type": "Ready", "status": "True", "reason": "Succeeded",
                        "message": "ok", "observedGeneration": 2,
                        "lastTransitionTime": "1970-01-01T00:00:10Z"
                    }],
                    "observedGeneration": 2
                }
            })
        );
    }

    #[test]
    fn apply_body_needs_a_name() {
        let mut obj = demo(&[], &[]);
        obj.metadata.name = None;
        assert!(matches!(
            status_apply_body(&obj, &DemoStatus::default()),
            Err(PatchError::MissingName)
        ));
        obj.metadata.name = Some("cluster-wide".into());
        obj.metadata.namespace = None;
        let body = status_apply_body(&obj, &DemoStatus::default()).expect("body");
        assert_eq!(body["metadata"], json!({"name": "cluster-wide"}));
    }

    #[test]
    fn field_manager_names() {
        assert_eq!(
            field_manager("kustomize-controller"),
            "gotk-kustomize-controller"
        );
        assert_eq!(field_manager("source-controller"), "gotk-source-controller");
    }
}
