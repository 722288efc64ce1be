//! The merge of an applied configuration into a live object through its shape: objects key by
//! key, keyed lists by key and sets by value (in upstream's item order), the rest replaced.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::path::{Path, PathElement};
use super::typed::{Node, ShapeError, item_elements, node};
use crate::schema::{ListKind, Shape};

/// `config` merged over `live`. An explicit `null` in the configuration removes the field
/// (what a real server stores once the typed object is decoded). `None` when nothing is left.
pub(crate) fn merge(
    live: Option<&Value>,
    config: Option<&Value>,
    shape: &Shape,
) -> Result<Option<Value>, ShapeError> {
    merge_at(live, config, shape, &mut Vec::new())
}

fn merge_at(
    lhs: Option<&Value>,
    rhs: Option<&Value>,
    shape: &Shape,
    path: &mut Path,
) -> Result<Option<Value>, ShapeError> {
    let Some(rhs) = rhs else {
        return Ok(lhs.cloned());
    };
    if rhs.is_null() {
        return Ok(None);
    }
    let rk = node(shape, rhs);
    // A value of another kind is replaced, not merged.
    let lhs = lhs.filter(|l| node(shape, l).same_kind(&rk));
    match rk {
        Node::Leaf => Ok(Some(rhs.clone())),
        Node::Object(rm) => {
            let lm = lhs.and_then(Value::as_object);
            if lm.is_none_or(Map::is_empty) && rm.is_empty() {
                return Ok(Some(rhs.clone()));
            }
            merge_objects(lm, rm, shape, path)
        }
        Node::List(ra, kind) => {
            let la = lhs
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if la.is_empty() && ra.is_empty() {
                return Ok(Some(rhs.clone()));
            }
            merge_lists(la, ra, kind, shape.items(), path)
        }
    }
}

fn merge_objects(
    lm: Option<&Map<String, Value>>,
    rm: &Map<String, Value>,
    shape: &Shape,
    path: &mut Path,
) -> Result<Option<Value>, ShapeError> {
    let mut out = Map::new();
    let live_keys = lm.into_iter().flat_map(|m| m.keys());
    let new_keys = rm.keys().filter(|k| lm.is_none_or(|m| !m.contains_key(*k)));
    for k in live_keys.chain(new_keys) {
        path.push(PathElement::Field(k.clone()));
        let merged = merge_at(lm.and_then(|m| m.get(k)), rm.get(k), shape.field(k), path)?;
        path.pop();
        if let Some(v) = merged {
            out.insert(k.clone(), v);
        }
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// Where an output item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The live item at this index, absent from the configuration.
    Live(usize),
    /// The configuration's item at this index, merged with its live counterpart if any.
    Config(usize),
}

/// The order of the merged items, as upstream's algorithm gives it: items both lists share
/// follow the configuration's order, live-only items stay near the shared items they follow,
/// new items come where the configuration puts them.
fn item_order(lhs: &[PathElement], rhs: &[PathElement]) -> Vec<Slot> {
    let in_rhs: BTreeSet<&PathElement> = rhs.iter().collect();
    let in_lhs: BTreeSet<&PathElement> = lhs.iter().collect();
    let mut shared = rhs.iter().filter(|pe| in_lhs.contains(pe));
    let mut next_shared = shared.next();
    let mut done: BTreeSet<&PathElement> = BTreeSet::new();
    let mut out = Vec::new();
    let (mut li, mut ri) = (0, 0);
    while li < lhs.len() || ri < rhs.len() {
        if li < lhs.len() && ri < rhs.len() {
            if lhs[li] == rhs[ri] {
                done.insert(&rhs[ri]);
                out.push(Slot::Config(ri));
                (li, ri) = (li + 1, ri + 1);
                next_shared = shared.next();
                continue;
            }
            if in_rhs.contains(&lhs[li]) && next_shared.is_some_and(|n| *n != lhs[li]) {
                // Shared, but not the one the configuration wants next.
                li += 1;
                continue;
            }
        }
        let mut progressed = false;
        if li < lhs.len() {
            if !in_rhs.contains(&lhs[li]) {
                out.push(Slot::Live(li));
                li += 1;
                continue;
            }
            if done.contains(&lhs[li]) {
                li += 1;
                progressed = true;
            }
        }
        if ri < rhs.len() {
            done.insert(&rhs[ri]);
            out.push(Slot::Config(ri));
            if next_shared == Some(&rhs[ri]) {
                next_shared = shared.next();
            }
            ri += 1;
        } else if !progressed {
            li += 1;
        }
    }
    out
}

/// Merges a set or keyed list item by item, in [`item_order`].
fn merge_lists(
    la: &[Value],
    ra: &[Value],
    kind: &ListKind,
    items_shape: &Shape,
    path: &mut Path,
) -> Result<Option<Value>, ShapeError> {
    let rhs_pes = item_elements(kind, ra, path)?;
    let lhs_pes = item_elements(kind, la, path)?;
    let mut seen = BTreeSet::new();
    if let Some(dup) = rhs_pes.iter().find(|pe| !seen.insert(*pe)) {
        let message = format!("duplicate entries for key {dup}");
        return Err(ShapeError::at(path, message));
    }
    let mut live: BTreeMap<&PathElement, &Value> = BTreeMap::new();
    for (pe, item) in lhs_pes.iter().zip(la) {
        live.entry(pe).or_insert(item);
    }
    let mut out = Vec::new();
    for slot in item_order(&lhs_pes, &rhs_pes) {
        let (pe, l, r) = match slot {
            Slot::Live(i) => (&lhs_pes[i], Some(&la[i]), None),
            Slot::Config(i) => (&rhs_pes[i], live.get(&rhs_pes[i]).copied(), Some(&ra[i])),
        };
        path.push(pe.clone());
        let merged = merge_at(l, r, items_shape, path);
        path.pop();
        out.extend(merged?);
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn shape() -> Shape {
        Shape::fields([(
            "spec",
            Shape::fields([
                (
                    "containers",
                    Shape::keyed_list(
                        &["name"],
                        Shape::fields([("name", Shape::Scalar), ("image", Shape::Scalar)]),
                    ),
                ),
                ("tags", Shape::set()),
                (
                    "args",
                    Shape::List {
                        kind: ListKind::Atomic,
                        items: Box::new(Shape::Scalar),
                    },
                ),
                ("labels", Shape::Map(Box::new(Shape::Scalar))),
                ("frozen", Shape::Atomic),
            ]),
        )])
    }

    fn names(v: &Value) -> Vec<String> {
        v["spec"]["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn merges_per_shape() {
        let cases = [
            // Keyed items merge by key, fields inside merge.
            (
                json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b"}]}}),
                json!({"spec": {"containers": [{"name": "a", "image": "y"}]}}),
                json!({"spec": {"containers": [{"name": "a", "image": "y"}, {"name": "b"}]}}),
            ),
            // Sets merge by value.
            (
                json!({"spec": {"tags": ["a", "b"]}}),
                json!({"spec": {"tags": ["c", "a"]}}),
                json!({"spec": {"tags": ["c", "a", "b"]}}),
            ),
            // Atomic lists and maps are replaced.
            (
                json!({"spec": {"args": ["1", "2"], "frozen": {"a": 1, "b": 2}}}),
                json!({"spec": {"args": ["3"], "frozen": {"c": 3}}}),
                json!({"spec": {"args": ["3"], "frozen": {"c": 3}}}),
            ),
            // Maps merge key by key; null removes.
            (
                json!({"spec": {"labels": {"a": "1", "b": "2"}}}),
                json!({"spec": {"labels": {"a": "9", "b": null, "c": "3"}}}),
                json!({"spec": {"labels": {"a": "9", "c": "3"}}}),
            ),
            // A value of another type replaces.
            (
                json!({"spec": {"x": {"deep": 1}}}),
                json!({"spec": {"x": "flat"}}),
                json!({"spec": {"x": "flat"}}),
            ),
            // Empty objects stay empty objects.
            (
                json!({}),
                json!({"spec": {"labels": {}}}),
                json!({"spec": {"labels": {}}}),
            ),
        ];
        for (live, config, want) in cases {
            let got = merge(Some(&live), Some(&config), &shape())
                .unwrap()
                .unwrap();
            assert_eq!(got, want, "{live} + {config}");
        }
    }

    #[test]
    fn item_order_follows_upstream() {
        let list = |ns: &[&str]| json!({"spec": {"containers": ns.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()}});
        let cases: [(&[&str], &[&str], &[&str]); 4] = [
            (&["a", "b", "c"], &["c", "a"], &["b", "c", "a"]),
            (&["a", "b"], &["b", "x"], &["a", "b", "x"]),
            (
                &["a", "live", "b"],
                &["a", "new", "b"],
                &["a", "live", "new", "b"],
            ),
            (&[], &["z", "y"], &["z", "y"]),
        ];
        for (live, config, want) in cases {
            let got = merge(Some(&list(live)), Some(&list(config)), &shape())
                .unwrap()
                .unwrap();
            assert_eq!(names(&got), want.to_vec(), "{live:?} + {config:?}");
        }
    }

    #[test]
    fn item_order_slots() {
        let pes = |ns: &[&str]| -> Vec<PathElement> {
            ns.iter().map(|n| PathElement::Value(json!(n))).collect()
        };
        let order = item_order(&pes(&["a", "b", "c"]), &pes(&["c", "a"]));
        assert_eq!(order, [Slot::Live(1), Slot::Config(0), Slot::Config(1)]);
        assert_eq!(item_order(&pes(&["a"]), &[]), [Slot::Live(0)]);
    }

    #[test]
    fn duplicate_configuration_items_fail() {
        let config = json!({"spec": {"containers": [{"name": "a"}, {"name": "a"}]}});
        let err = merge(None, Some(&config), &shape()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#".spec.containers: duplicate entries for key [name="a"]"#
        );
    }
}
