//! A value read through its [`Shape`]: which nodes are leaves, objects or mergeable lists, how a
//! list item is named, the set of fields a value sets, and the removal of a set of fields.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::path::{Path, PathElement, path_string};
use super::set::FieldSet;
use crate::schema::{ListKind, Shape};

/// A value that does not fit its shape (a keyed list item without keys, duplicate items...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ShapeError {
    /// Where, in upstream's human form (`.spec.containers`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ShapeError {
    pub(crate) fn at(path: &[PathElement], message: impl Into<String>) -> ShapeError {
        ShapeError {
            path: path_string(path),
            message: message.into(),
        }
    }
}

/// How a node merges and is tracked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Node<'a> {
    /// Scalars, atomic lists and maps, and values whose type does not fit the shape.
    Leaf,
    /// An object merged key by key.
    Object(&'a Map<String, Value>),
    /// A set or a keyed list, merged item by item.
    List(&'a [Value], &'a ListKind),
}

impl Node<'_> {
    /// Whether two nodes are of the same kind (upstream's "same atom").
    pub(crate) fn same_kind(&self, other: &Node<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// How `value` is treated at a place of shape `shape`.
pub(crate) fn node<'a>(shape: &'a Shape, value: &'a Value) -> Node<'a> {
    match (shape, value) {
        (Shape::Struct(_) | Shape::Map(_) | Shape::Unknown, Value::Object(m)) => Node::Object(m),
        (Shape::List { kind, .. }, Value::Array(items)) if *kind != ListKind::Atomic => {
            Node::List(items, kind)
        }
        _ => Node::Leaf,
    }
}

/// Whether `name` is a declared field of a struct shape. Undeclared keys (map entries, fields
/// of objects of unknown shape) are owned as a whole, as upstream's `FindField` decides.
pub(crate) fn declared(shape: &Shape, name: &str) -> bool {
    matches!(shape, Shape::Struct(fields) if fields.contains_key(name))
}

/// The element naming a list item: its keys for a keyed list, its value for a set.
pub(crate) fn item_element(
    kind: &ListKind,
    item: &Value,
    path: &[PathElement],
) -> Result<PathElement, ShapeError> {
    match kind {
        ListKind::Map(keys) => {
            let Value::Object(fields) = item else {
                let what = if item.is_null() {
                    "associative list with keys may not have a null element"
                } else {
                    "associative list with keys may not have non-map elements"
                };
                return Err(ShapeError::at(path, what));
            };
            let mut found = Vec::new();
            for k in keys {
                match fields.get(k) {
                    Some(v) => found.push((k.clone(), v.clone())),
                    // The only key default of the built-in schemas: ports' protocol.
                    None if k == "protocol" => found.push((k.clone(), Value::from("TCP"))),
                    None => {}
                }
            }
            if found.is_empty() {
                let message = format!(
                    "associative list with keys has an element that omits all key fields {keys:?} \
                     (and doesn't have default values for any key fields)"
                );
                return Err(ShapeError::at(path, message));
            }
            Ok(PathElement::key(found))
        }
        _ => match item {
            Value::Object(_) => Err(ShapeError::at(
                path,
                "associative list without keys has an element that's a map type",
            )),
            Value::Array(_) => Err(ShapeError::at(
                path,
                "not supported: associative list with lists as elements",
            )),
            Value::Null => Err(ShapeError::at(
                path,
                "associative list without keys has an element that's an explicit null",
            )),
            v => Ok(PathElement::Value(v.clone())),
        },
    }
}

/// The elements of a list's items, in order.
pub(crate) fn item_elements(
    kind: &ListKind,
    items: &[Value],
    path: &[PathElement],
) -> Result<Vec<PathElement>, ShapeError> {
    items.iter().map(|i| item_element(kind, i, path)).collect()
}

/// The set of fields `value` sets, as upstream's `ToFieldSet`: leaves, atomic values, list
/// items, and objects that are map entries, unknown fields, empty or null.
pub fn field_set(value: &Value, shape: &Shape) -> Result<FieldSet, ShapeError> {
    let mut set = FieldSet::new();
    walk_fields(value, shape, &mut Vec::new(), &mut set)?;
    Ok(set)
}

fn walk_fields(
    value: &Value,
    shape: &Shape,
    path: &mut Path,
    set: &mut FieldSet,
) -> Result<(), ShapeError> {
    match node(shape, value) {
        Node::Leaf => set.insert(path),
        Node::Object(map) => {
            for (k, v) in map {
                path.push(PathElement::Field(k.clone()));
                walk_fields(v, shape.field(k), path, set)?;
                let empty = v.is_null() || v.as_object().is_some_and(Map::is_empty);
                if empty || !declared(shape, k) {
                    set.insert(path);
                }
                path.pop();
            }
        }
        Node::List(items, kind) => {
            let pes = item_elements(kind, items, path)?;
            let mut counts: BTreeMap<&PathElement, usize> = BTreeMap::new();
            for pe in &pes {
                *counts.entry(pe).or_default() += 1;
            }
            for (pe, item) in pes.iter().zip(items) {
                path.push(pe.clone());
                if counts.get(pe).copied().unwrap_or(0) == 1 {
                    walk_fields(item, shape.items(), path, set)?;
                }
                set.insert(path);
                path.pop();
            }
        }
    }
    Ok(())
}

/// The set with every declared struct field that has owned children also made a member, as
/// upstream's `EnsureNamedFieldsAreMembers` (so that pruning can remove whole structs).
pub(crate) fn with_named_fields(set: &FieldSet, shape: &Shape) -> FieldSet {
    let mut members: std::collections::BTreeSet<PathElement> = set.members().cloned().collect();
    let mut children = BTreeMap::new();
    for (pe, child) in set.children() {
        let child_shape = match pe {
            PathElement::Field(name) => {
                if declared(shape, name) {
                    members.insert(pe.clone());
                }
                shape.field(name)
            }
            _ => shape.items(),
        };
        children.insert(pe.clone(), with_named_fields(child, child_shape));
    }
    FieldSet::from_parts(members, children)
}

/// `value` without the fields in `set` (members go with everything below them). `None` when
/// nothing is left of an object or list that had content.
pub(crate) fn remove_fields(value: &Value, set: &FieldSet, shape: &Shape) -> Option<Value> {
    match node(shape, value) {
        Node::Leaf => Some(value.clone()),
        Node::Object(map) if !map.is_empty() => {
            let mut out = Map::new();
            for (k, v) in map {
                let pe = PathElement::Field(k.clone());
                if set.has_member(&pe) {
                    continue;
                }
                let kept = match set.child(&pe) {
                    Some(sub) => remove_fields(v, sub, shape.field(k)),
                    None => Some(v.clone()),
                };
                if let Some(kept) = kept {
                    out.insert(k.clone(), kept);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Node::List(items, kind) if !items.is_empty() => {
            let mut out = Vec::new();
            for item in items {
                let Ok(pe) = item_element(kind, item, &[]) else {
                    out.push(item.clone());
                    continue;
                };
                if set.has_member(&pe) {
                    continue;
                }
                let kept = match set.child(&pe) {
                    Some(sub) => remove_fields(item, sub, shape.items()),
                    None => Some(item.clone()),
                };
                out.extend(kept);
            }
            (!out.is_empty()).then_some(Value::Array(out))
        }
        _ => Some(value.clone()),
    }
}

/// The shape of ObjectMeta, the part of every object's shape the server always knows.
pub fn object_meta_shape() -> Shape {
    let scalar = |n: &'static str| (n, Shape::Scalar);
    let owner = Shape::fields([
        scalar("apiVersion"),
        scalar("kind"),
        scalar("name"),
        scalar("uid"),
        scalar("controller"),
        scalar("blockOwnerDeletion"),
    ]);
    Shape::fields([
        scalar("name"),
        scalar("generateName"),
        scalar("namespace"),
        scalar("selfLink"),
        scalar("uid"),
        scalar("resourceVersion"),
        scalar("generation"),
        scalar("creationTimestamp"),
        scalar("deletionTimestamp"),
        scalar("deletionGracePeriodSeconds"),
        ("labels", Shape::Map(Box::new(Shape::Scalar))),
        ("annotations", Shape::Map(Box::new(Shape::Scalar))),
        ("ownerReferences", Shape::keyed_list(&["uid"], owner)),
        ("finalizers", Shape::set()),
        ("managedFields", Shape::Atomic),
    ])
}

/// The object's shape with `apiVersion`, `kind` and `metadata` declared when the given shape
/// leaves `metadata` unknown (whether the two scalars are declared makes no difference).
pub(crate) fn root_shape(shape: &Shape) -> Cow<'_, Shape> {
    let mut fields = match shape {
        Shape::Struct(fields) => {
            if fields.get("metadata").is_some_and(|s| *s != Shape::Unknown) {
                return Cow::Borrowed(shape);
            }
            fields.clone()
        }
        Shape::Unknown => BTreeMap::new(),
        _ => return Cow::Borrowed(shape),
    };
    for name in ["apiVersion", "kind"] {
        let slot = fields.entry(name.to_string()).or_default();
        if *slot == Shape::Unknown {
            *slot = Shape::Scalar;
        }
    }
    let meta = fields.entry("metadata".to_string()).or_default();
    if *meta == Shape::Unknown {
        *meta = object_meta_shape();
    }
    Cow::Owned(Shape::Struct(fields))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn containers() -> Shape {
        Shape::fields([(
            "spec",
            Shape::fields([
                (
                    "containers",
                    Shape::keyed_list(
                        &["name"],
                        Shape::fields([
                            ("name", Shape::Scalar),
                            ("image", Shape::Scalar),
                            (
                                "args",
                                Shape::List {
                                    kind: ListKind::Atomic,
                                    items: Box::new(Shape::Scalar),
                                },
                            ),
                        ]),
                    ),
                ),
                ("tags", Shape::set()),
                ("selector", Shape::Map(Box::new(Shape::Scalar))),
            ]),
        )])
    }

    #[test]
    fn field_sets_per_shape() {
        let shape = containers();
        let cases = [
            (
                json!({"spec": {"containers": [{"name": "app", "image": "nginx"}]}}),
                r#"{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}}"#,
            ),
            (
                json!({"spec": {"tags": ["b", "a"]}}),
                r#"{"f:spec":{"f:tags":{"v:\"a\"":{},"v:\"b\"":{}}}}"#,
            ),
            (
                json!({"spec": {"containers": [{"name": "a", "args": ["x"]}]}}),
                r#"{"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:args":{},"f:name":{}}}}}"#,
            ),
            (
                json!({"spec": {"selector": {"app": "x"}}}),
                r#"{"f:spec":{"f:selector":{"f:app":{}}}}"#,
            ),
            (
                json!({"spec": {"extra": {"deep": 1}}}),
                r#"{"f:spec":{"f:extra":{".":{},"f:deep":{}}}}"#,
            ),
            (json!({"spec": {}}), r#"{"f:spec":{}}"#),
            (json!({"spec": {"containers": []}}), "{}"),
        ];
        for (value, want) in cases {
            assert_eq!(
                field_set(&value, &shape).unwrap().to_fields_v1_string(),
                want,
                "{value}"
            );
        }
    }

    #[test]
    fn duplicate_items_are_owned_whole_and_bad_items_fail() {
        let shape = containers();
        let dup = json!({"spec": {"tags": ["a", "a"]}});
        assert_eq!(
            field_set(&dup, &shape).unwrap().to_fields_v1_string(),
            r#"{"f:spec":{"f:tags":{"v:\"a\"":{}}}}"#
        );
        let no_key = json!({"spec": {"containers": [{"image": "x"}]}});
        let err = field_set(&no_key, &shape).unwrap_err();
        assert_eq!(err.path, ".spec.containers");
        assert!(err.message.contains("omits all key fields"), "{err}");
        let map_in_set = json!({"spec": {"tags": [{"a": 1}]}});
        assert!(field_set(&map_in_set, &shape).is_err());
    }

    #[test]
    fn protocol_key_defaults_to_tcp() {
        let kind = ListKind::Map(vec!["containerPort".into(), "protocol".into()]);
        let pe = item_element(&kind, &json!({"containerPort": 80}), &[]).unwrap();
        assert_eq!(pe.encode(), r#"k:{"containerPort":80,"protocol":"TCP"}"#);
    }

    #[test]
    fn removes_members_with_their_subtrees() {
        let shape = containers();
        let value = json!({"spec": {
            "containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}],
            "tags": ["p", "q"],
            "selector": {"k": "v"}
        }});
        let remove = FieldSet::from_fields_v1(&json!({"f:spec": {
            "f:containers": {"k:{\"name\":\"a\"}": {}, "k:{\"name\":\"b\"}": {"f:image": {}}},
            "f:tags": {"v:\"q\"": {}},
            "f:selector": {"f:k": {}}
        }}))
        .unwrap();
        let got = remove_fields(&value, &remove, &shape).unwrap();
        assert_eq!(
            got,
            json!({"spec": {"containers": [{"name": "b"}], "tags": ["p"]}})
        );
    }

    #[test]
    fn named_fields_become_members() {
        let shape = containers();
        let set = FieldSet::from_fields_v1(
            &json!({"f:spec": {"f:selector": {"f:k": {}}, "f:extra": {"f:x": {}}}}),
        )
        .unwrap();
        let named = with_named_fields(&set, &shape);
        assert_eq!(
            named.to_fields_v1_string(),
            r#"{"f:spec":{".":{},"f:extra":{"f:x":{}},"f:selector":{".":{},"f:k":{}}}}"#
        );
    }

    #[test]
    fn root_shape_declares_metadata() {
        let root = root_shape(&Shape::Unknown);
        assert!(declared(&root, "metadata"));
        assert!(declared(root.field("metadata"), "labels"));
        assert!(!declared(&root, "spec"));
        let full = root_shape(&root);
        assert!(matches!(full, Cow::Borrowed(_)));
    }
}
