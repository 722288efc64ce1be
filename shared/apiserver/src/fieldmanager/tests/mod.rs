//! Behaviour tests of apply and update through the public API, with small hand-made shapes.
#![allow(clippy::unwrap_used)]

mod apply;
mod ownership;
mod update;

use serde_json::{Value, json};

use crate::schema::{ListKind, Shape};

pub(super) const T0: &str = "2024-01-01T00:00:00Z";
pub(super) const T1: &str = "2024-01-01T00:01:00Z";
pub(super) const T2: &str = "2024-01-01T00:02:00Z";

/// A ConfigMap-like type: `data` is a map of strings.
pub(super) fn cm_shape() -> Shape {
    Shape::fields([("data", Shape::Map(Box::new(Shape::Scalar)))])
}

/// A ConfigMap with the given data, as stored (with a uid) or as applied.
pub(super) fn cm(data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "x", "namespace": "default"}, "data": data})
}

/// A Deployment-like type with keyed lists, a set, an atomic list and a status.
pub(super) fn deploy_shape() -> Shape {
    let port = Shape::fields([
        ("containerPort", Shape::Scalar),
        ("protocol", Shape::Scalar),
    ]);
    let container = Shape::fields([
        ("name", Shape::Scalar),
        ("image", Shape::Scalar),
        (
            "args",
            Shape::List {
                kind: ListKind::Atomic,
                items: Box::new(Shape::Scalar),
            },
        ),
        (
            "ports",
            Shape::keyed_list(&["containerPort", "protocol"], port),
        ),
    ]);
    Shape::fields([
        (
            "spec",
            Shape::fields([
                ("replicas", Shape::Scalar),
                ("paused", Shape::Scalar),
                ("containers", Shape::keyed_list(&["name"], container)),
                ("tags", Shape::set()),
            ]),
        ),
        (
            "status",
            Shape::fields([("ready", Shape::Scalar), ("phase", Shape::Scalar)]),
        ),
    ])
}

/// A Deployment-like object with the given spec.
pub(super) fn deploy(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "d", "namespace": "default"}, "spec": spec})
}

/// The managedFields entries of an object.
pub(super) fn entries(obj: &Value) -> Vec<Value> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `manager/operation` of every entry, in order.
pub(super) fn owners(obj: &Value) -> Vec<String> {
    entries(obj)
        .iter()
        .map(|e| {
            let sub = e["subresource"]
                .as_str()
                .map(|s| format!("/{s}"))
                .unwrap_or_default();
            format!(
                "{}/{}{sub}",
                e["manager"].as_str().unwrap(),
                e["operation"].as_str().unwrap()
            )
        })
        .collect()
}

/// The FieldsV1 text of the entry of `manager` (the only one of that name).
pub(super) fn fields_of(obj: &Value, manager: &str) -> String {
    let entry = entries(obj)
        .into_iter()
        .find(|e| e["manager"] == manager)
        .unwrap_or_else(|| panic!("no entry for {manager} in {obj}"));
    crate::fieldmanager::FieldSet::from_fields_v1(&entry["fieldsV1"])
        .unwrap()
        .to_fields_v1_string()
}

/// The time of the entry of `manager`.
pub(super) fn time_of(obj: &Value, manager: &str) -> Option<String> {
    entries(obj)
        .into_iter()
        .find(|e| e["manager"] == manager)
        .and_then(|e| e["time"].as_str().map(str::to_string))
}

/// Gives the object a uid, as storage does on create.
pub(super) fn stored(mut obj: Value) -> Value {
    obj["metadata"]["uid"] = json!("0000-uid");
    obj["metadata"]["creationTimestamp"] = json!(T0);
    obj
}
