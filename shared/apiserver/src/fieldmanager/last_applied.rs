//! The move from client-side to server-side apply with kubectl: fields whose value still
//! matches `kubectl.kubernetes.io/last-applied-configuration` do not conflict, and the
//! annotation is kept in sync by `kubectl apply --server-side`.

use serde_json::{Map, Value};

use super::compare::compare;
use super::error::Conflict;
use super::path::write_go_json;
use super::typed::field_set;
use super::writer::without_managed_fields;
use crate::schema::Shape;

/// The only manager for which upstream honours the annotation.
pub(crate) const KUBECTL: &str = "kubectl";

/// The annotation client-side apply writes.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn annotation(object: &Value) -> Option<&str> {
    object
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED_ANNOTATION))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The conflicts left once those on fields the last client-side apply set, with the value the
/// live object still has, are allowed; `None` when the annotation is absent or unusable.
pub(crate) fn remaining_conflicts(
    conflicts: &[Conflict],
    live: &Value,
    config: &Value,
    shape: &Shape,
) -> Option<Vec<Conflict>> {
    let last: Value = serde_json::from_str(annotation(live)?).ok()?;
    if last.get("apiVersion") != config.get("apiVersion") {
        return None;
    }
    let set = field_set(&last, shape).ok()?;
    let cmp = compare(Some(&last), Some(&without_managed_fields(live)), shape).ok()?;
    let allowed = set
        .difference(&cmp.modified)
        .difference(&cmp.added)
        .difference(&cmp.removed);
    Some(
        conflicts
            .iter()
            .filter(|c| !allowed.contains(&c.path))
            .cloned()
            .collect(),
    )
}

/// Rewrites the annotation to the applied configuration when the live object had one.
pub(crate) fn sync_annotation(object: &mut Value, live: &Value, config: &Value) {
    if annotation(live).is_none() {
        return;
    }
    let mut applied = config.clone();
    if let Some(meta) = applied.get_mut("metadata").and_then(Value::as_object_mut) {
        let now_empty = match meta.get_mut("annotations").and_then(Value::as_object_mut) {
            Some(a) => {
                a.remove(LAST_APPLIED_ANNOTATION);
                a.is_empty()
            }
            None => false,
        };
        if now_empty {
            meta.remove("annotations");
        }
    }
    let mut text = String::new();
    write_go_json(&applied, &mut text);
    text.push('\n');
    let Some(obj) = object.as_object_mut() else {
        return;
    };
    let meta = obj
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(a) = annotations.as_object_mut() {
        a.insert(LAST_APPLIED_ANNOTATION.to_string(), Value::String(text));
    }
}
