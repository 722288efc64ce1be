//! The difference between two versions of an object as three field sets (added, modified,
//! removed), walking both through their shape as upstream's `TypedValue.Compare` does.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::path::{Path, PathElement};
use super::set::FieldSet;
use super::typed::{Node, ShapeError, item_elements, node};
use crate::schema::{ListKind, Shape};

/// What changed from an old object to a new one. No path is in more than one set.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

impl Comparison {
    /// The comparison without the given fields and everything below them.
    pub(crate) fn excluding(self, fields: &FieldSet) -> Comparison {
        Comparison {
            added: self.added.recursive_difference(fields),
            modified: self.modified.recursive_difference(fields),
            removed: self.removed.recursive_difference(fields),
        }
    }

    /// Fields that are new or have a new value.
    pub(crate) fn changed(&self) -> FieldSet {
        self.modified.union(&self.added)
    }
}

/// Compares `old` (absent for a create) with `new`.
pub(crate) fn compare(
    old: Option<&Value>,
    new: Option<&Value>,
    shape: &Shape,
) -> Result<Comparison, ShapeError> {
    let mut out = Comparison::default();
    walk(old, new, shape, &mut Vec::new(), &mut out)?;
    Ok(out)
}

fn walk(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    shape: &Shape,
    path: &mut Path,
    out: &mut Comparison,
) -> Result<(), ShapeError> {
    let lk = lhs.map(|v| node(shape, v));
    let rk = rhs.map(|v| node(shape, v));
    let leaf = match (lk, rk) {
        (Some(l), Some(r)) if !l.same_kind(&r) => {
            // The type changed: both readings contribute, as upstream handles both atoms.
            let a = handle(l, lhs, rhs, shape, path, out)?;
            let b = handle(r, lhs, rhs, shape, path, out)?;
            a || b
        }
        (_, Some(k)) | (Some(k), None) => handle(k, lhs, rhs, shape, path, out)?,
        (None, None) => return Ok(()),
    };
    if !leaf {
        if lhs.is_none() {
            out.added.insert(path);
        } else if rhs.is_none() {
            out.removed.insert(path);
        }
    }
    Ok(())
}

/// Handles one reading of the node; true when it was treated as a leaf.
fn handle(
    kind: Node<'_>,
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    shape: &Shape,
    path: &mut Path,
    out: &mut Comparison,
) -> Result<bool, ShapeError> {
    match kind {
        Node::Leaf => {
            leaf(lhs, rhs, path, out);
            Ok(true)
        }
        Node::Object(_) => {
            let lm = lhs.and_then(Value::as_object);
            let rm = rhs.and_then(Value::as_object);
            if lm.is_none_or(Map::is_empty) && rm.is_none_or(Map::is_empty) {
                leaf(lhs, rhs, path, out);
                return Ok(true);
            }
            let mut keys: Vec<&String> = lm.into_iter().flat_map(|m| m.keys()).collect();
            keys.extend(rm.into_iter().flat_map(|m| m.keys()));
            keys.sort();
            keys.dedup();
            for k in keys {
                path.push(PathElement::Field(k.clone()));
                let (l, r) = (lm.and_then(|m| m.get(k)), rm.and_then(|m| m.get(k)));
                walk(l, r, shape.field(k), path, out)?;
                path.pop();
            }
            Ok(false)
        }
        Node::List(_, kind) => {
            let la = lhs.and_then(Value::as_array).map(Vec::as_slice);
            let ra = rhs.and_then(Value::as_array).map(Vec::as_slice);
            if la.is_none_or(<[Value]>::is_empty) && ra.is_none_or(<[Value]>::is_empty) {
                leaf(lhs, rhs, path, out);
                return Ok(true);
            }
            let lmap = index_items(kind, la.unwrap_or_default(), path)?;
            let rmap = index_items(kind, ra.unwrap_or_default(), path)?;
            let mut pes: Vec<&PathElement> = lmap.keys().chain(rmap.keys()).collect();
            pes.sort();
            pes.dedup();
            for pe in pes {
                path.push(pe.clone());
                let (l, r) = (lmap.get(pe).copied(), rmap.get(pe).copied());
                walk(l, r, shape.items(), path, out)?;
                path.pop();
            }
            Ok(false)
        }
    }
}

/// Items by element; of duplicates, the first stands for all.
fn index_items<'v>(
    kind: &ListKind,
    items: &'v [Value],
    path: &Path,
) -> Result<BTreeMap<PathElement, &'v Value>, ShapeError> {
    let pes = item_elements(kind, items, path)?;
    let mut map = BTreeMap::new();
    for (pe, item) in pes.into_iter().zip(items) {
        map.entry(pe).or_insert(item);
    }
    Ok(map)
}

fn leaf(lhs: Option<&Value>, rhs: Option<&Value>, path: &Path, out: &mut Comparison) {
    match (lhs, rhs) {
        (None, Some(_)) => out.added.insert(path),
        (Some(_), None) => out.removed.insert(path),
        (Some(l), Some(r)) if l != r => out.modified.insert(path),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn shape() -> Shape {
        Shape::fields([
            (
                "spec",
                Shape::fields([
                    ("replicas", Shape::Scalar),
                    (
                        "ports",
                        Shape::keyed_list(
                            &["port"],
                            Shape::fields([("port", Shape::Scalar), ("name", Shape::Scalar)]),
                        ),
                    ),
                ]),
            ),
            ("labels", Shape::Map(Box::new(Shape::Scalar))),
        ])
    }

    #[test]
    fn reports_added_modified_and_removed() {
        let old =
            json!({"spec": {"replicas": 1, "ports": [{"port": 80, "name": "http"}, {"port": 81}]}});
        let new = json!({"spec": {"replicas": 2, "ports": [{"port": 80, "name": "web"}]}, "labels": {"a": "b"}});
        let c = compare(Some(&old), Some(&new), &shape()).unwrap();
        assert_eq!(
            c.added.to_fields_v1_string(),
            r#"{"f:labels":{".":{},"f:a":{}}}"#
        );
        assert_eq!(
            c.modified.to_fields_v1_string(),
            r#"{"f:spec":{"f:ports":{"k:{\"port\":80}":{"f:name":{}}},"f:replicas":{}}}"#
        );
        assert_eq!(
            c.removed.to_fields_v1_string(),
            r#"{"f:spec":{"f:ports":{"k:{\"port\":81}":{".":{},"f:port":{}}}}}"#
        );
    }

    #[test]
    fn create_adds_every_node_and_equal_objects_differ_in_nothing() {
        let new = json!({"spec": {"replicas": 1}});
        let c = compare(None, Some(&new), &shape()).unwrap();
        assert_eq!(
            c.added.to_fields_v1_string(),
            r#"{"f:spec":{".":{},"f:replicas":{}}}"#
        );
        let same = compare(Some(&new), Some(&new), &shape()).unwrap();
        assert_eq!(same, Comparison::default());
    }

    #[test]
    fn type_changes_are_modifications() {
        let old = json!({"spec": {"x": "flat"}});
        let new = json!({"spec": {"x": {"deep": 1}}});
        let c = compare(Some(&old), Some(&new), &shape()).unwrap();
        assert_eq!(c.modified.to_fields_v1_string(), r#"{"f:spec":{"f:x":{}}}"#);
        assert_eq!(
            c.added.to_fields_v1_string(),
            r#"{"f:spec":{"f:x":{"f:deep":{}}}}"#
        );
    }

    #[test]
    fn excluding_drops_subtrees() {
        let old = json!({"status": {"a": 1}, "spec": {"replicas": 1}});
        let new = json!({"status": {"a": 2}, "spec": {"replicas": 2}});
        let reset = FieldSet::from_paths([vec![PathElement::field("status")]]);
        let c = compare(Some(&old), Some(&new), &shape())
            .unwrap()
            .excluding(&reset);
        assert_eq!(
            c.changed().to_fields_v1_string(),
            r#"{"f:spec":{"f:replicas":{}}}"#
        );
    }
}
