//! The merge shape of a custom resource, read from its CRD's structural `openAPIV3Schema` and
//! the `x-kubernetes-*` extensions that steer server-side apply.
//!
//! Custom resources take JSON patch, merge patch and server-side apply, never strategic merge
//! patch: a real server answers a strategic merge patch of a custom resource with 415
//! Unsupported Media Type. Refusing it is the HTTP layer's job; the shapes built here are for
//! apply.

use serde_json::Value;

use super::{ListKind, Shape, object_meta_shape};

/// The shape a structural schema describes:
/// `properties` → [`Shape::Struct`], `additionalProperties` → [`Shape::Map`],
/// `items` → [`Shape::List`] merged as `x-kubernetes-list-type` says (`map` keyed by
/// `x-kubernetes-list-map-keys`, `set`, or `atomic`, the default), `x-kubernetes-map-type:
/// atomic` → [`Shape::Atomic`], `x-kubernetes-preserve-unknown-fields` without properties →
/// [`Shape::Unknown`], `x-kubernetes-int-or-string` and scalar types → [`Shape::Scalar`].
pub fn shape_from_openapi(schema: &Value) -> Shape {
    if flag(schema, "x-kubernetes-int-or-string") {
        return Shape::Scalar;
    }
    let kind = schema.get("type").and_then(Value::as_str);
    match kind {
        Some("string" | "integer" | "number" | "boolean") => Shape::Scalar,
        Some("array") => list(schema),
        Some("object") => object(schema),
        // A typeless schema: only an extension or a shape-giving member can tell.
        _ if schema.get("items").is_some() => list(schema),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            object(schema)
        }
        _ => Shape::Unknown,
    }
}

/// The shape of a whole custom resource: its schema, with `apiVersion`, `kind` and the
/// apply view of ObjectMeta (finalizers a set, ownerReferences keyed by uid, ...) put in, since a
/// CRD's schema says little or nothing about `metadata`.
pub fn custom_resource_shape(schema: &Value) -> Shape {
    let mut fields = match shape_from_openapi(schema) {
        Shape::Struct(fields) => fields,
        _ => Default::default(),
    };
    fields.insert("apiVersion".to_string(), Shape::Scalar);
    fields.insert("kind".to_string(), Shape::Scalar);
    fields.insert("metadata".to_string(), object_meta_shape(true));
    Shape::Struct(fields)
}

fn object(schema: &Value) -> Shape {
    if schema.get("x-kubernetes-map-type").and_then(Value::as_str) == Some("atomic") {
        return Shape::Atomic;
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        return Shape::Struct(
            properties
                .iter()
                .map(|(name, sub)| (name.clone(), shape_from_openapi(sub)))
                .collect(),
        );
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(true)) => Shape::Map(Box::new(Shape::Unknown)),
        Some(values @ Value::Object(_)) => Shape::Map(Box::new(shape_from_openapi(values))),
        _ => Shape::Unknown,
    }
}

fn list(schema: &Value) -> Shape {
    let items = schema
        .get("items")
        .map(shape_from_openapi)
        .unwrap_or_default();
    let kind = match schema.get("x-kubernetes-list-type").and_then(Value::as_str) {
        Some("set") => ListKind::Set,
        Some("map") => {
            let keys = crate::meta::strings_at(schema, "/x-kubernetes-list-map-keys");
            // A map list without keys is no valid CRD; treating it as atomic loses nothing.
            if keys.is_empty() {
                ListKind::Atomic
            } else {
                ListKind::Map(keys)
            }
        }
        _ => ListKind::Atomic,
    };
    Shape::List {
        kind,
        items: Box::new(items),
    }
}

fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list_of(kind: ListKind, items: Shape) -> Shape {
        Shape::List {
            kind,
            items: Box::new(items),
        }
    }

    fn check<const N: usize>(cases: [(Value, Shape); N]) {
        for (schema, want) in cases {
            assert_eq!(shape_from_openapi(&schema), want, "{schema}");
        }
    }

    #[test]
    fn scalars() {
        check([
            (json!({"type": "string"}), Shape::Scalar),
            (json!({"type": "integer", "format": "int64"}), Shape::Scalar),
            (json!({"type": "number"}), Shape::Scalar),
            (json!({"type": "boolean"}), Shape::Scalar),
            (
                json!({"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]}),
                Shape::Scalar,
            ),
        ]);
    }

    #[test]
    fn objects() {
        check([
            (
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
                Shape::Unknown,
            ),
            (
                json!({"x-kubernetes-preserve-unknown-fields": true}),
                Shape::Unknown,
            ),
            (json!({"type": "object"}), Shape::Unknown),
            (
                json!({"properties": {"a": {"type": "string"}}}),
                Shape::fields([("a", Shape::Scalar)]),
            ),
            (json!({}), Shape::Unknown),
            (
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
                Shape::Map(Box::new(Shape::Scalar)),
            ),
            (
                json!({"type": "object", "additionalProperties": true}),
                Shape::Map(Box::new(Shape::Unknown)),
            ),
            (
                json!({"type": "object", "x-kubernetes-map-type": "atomic", "properties": {"a": {"type": "string"}}}),
                Shape::Atomic,
            ),
            (
                json!({"type": "object", "x-kubernetes-map-type": "granular", "properties": {"a": {"type": "string"}}}),
                Shape::fields([("a", Shape::Scalar)]),
            ),
            (
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}}),
                Shape::fields([("a", Shape::Scalar)]),
            ),
        ]);
    }

    #[test]
    fn lists() {
        let map_keys = |keys: &[&str]| ListKind::Map(keys.iter().map(|k| k.to_string()).collect());
        check([
            (
                json!({"items": {"type": "string"}}),
                list_of(ListKind::Atomic, Shape::Scalar),
            ),
            (
                json!({"type": "array", "items": {"type": "string"}}),
                list_of(ListKind::Atomic, Shape::Scalar),
            ),
            (
                json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"}),
                list_of(ListKind::Atomic, Shape::Scalar),
            ),
            (
                json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"}),
                Shape::set(),
            ),
            (
                json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
                       "items": {"type": "object", "properties": {"port": {"type": "integer"}, "protocol": {"type": "string"}}}}),
                list_of(
                    map_keys(&["port", "protocol"]),
                    Shape::fields([("port", Shape::Scalar), ("protocol", Shape::Scalar)]),
                ),
            ),
            (
                json!({"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object"}}),
                list_of(ListKind::Atomic, Shape::Unknown),
            ),
            (
                json!({"type": "array"}),
                list_of(ListKind::Atomic, Shape::Unknown),
            ),
        ]);
    }

    #[test]
    fn a_flux_like_custom_resource() {
        let schema = json!({
            "type": "object",
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {"type": "object", "properties": {
                    "interval": {"type": "string"},
                    "dependsOn": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
                    "postBuild": {"type": "object", "properties": {
                        "substitute": {"type": "object", "additionalProperties": {"type": "string"}}
                    }},
                    "patches": {"type": "array", "items": {"type": "object", "properties": {
                        "patch": {"type": "string"},
                        "target": {"type": "object", "properties": {"kind": {"type": "string"}}}
                    }}},
                    "values": {"x-kubernetes-preserve-unknown-fields": true}
                }},
                "status": {"type": "object", "properties": {
                    "conditions": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
                                   "items": {"type": "object", "properties": {"type": {"type": "string"}}}}
                }}
            }
        });
        let shape = custom_resource_shape(&schema);
        let spec = shape.field("spec");
        let cases = [
            (spec.field("dependsOn").list_kind(), ListKind::Atomic),
            (spec.field("patches").list_kind(), ListKind::Atomic),
            (
                shape.field("status").field("conditions").list_kind(),
                ListKind::Map(vec!["type".into()]),
            ),
            (
                shape.field("metadata").field("finalizers").list_kind(),
                ListKind::Set,
            ),
            (
                shape.field("metadata").field("ownerReferences").list_kind(),
                ListKind::Map(vec!["uid".into()]),
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        assert_eq!(
            spec.field("postBuild").field("substitute"),
            &Shape::Map(Box::new(Shape::Scalar))
        );
        assert_eq!(spec.field("values"), &Shape::Unknown);
        assert_eq!(shape.field("metadata"), &object_meta_shape(true));
        assert_eq!(
            custom_resource_shape(&json!({"x-kubernetes-preserve-unknown-fields": true}))
                .field("kind"),
            &Shape::Scalar
        );
    }
}
