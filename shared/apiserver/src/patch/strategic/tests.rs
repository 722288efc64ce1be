//! Table-driven tests of strategic merge patch: maps, keyed lists, sets, every directive, and
//! the order of merged list items.

use super::*;
use serde_json::json;

/// A test type like upstream's: `items` merge by `name` (and nest), `ports` by
/// `port`+`protocol`, `ints` and `tags` are sets, `atomic` replaces, `labels` is a map.
pub(super) fn shape() -> Shape {
    let leaf = Shape::fields([("ints", Shape::set())]);
    let item = Shape::fields([
        ("items", Shape::keyed_list(&["name"], leaf)),
        ("ints", Shape::set()),
        ("atomic", Shape::Unknown),
    ]);
    Shape::fields([
        ("items", Shape::keyed_list(&["name"], item)),
        (
            "ports",
            Shape::keyed_list(&["port", "protocol"], Shape::Unknown),
        ),
        ("ints", Shape::set()),
        ("tags", Shape::set()),
        ("labels", Shape::Map(Box::new(Shape::Scalar))),
        ("frozen", Shape::Atomic),
    ])
}

pub(super) fn run(cases: Vec<(&str, Value, Value, Value)>) {
    let shape = shape();
    for (name, doc, patch, want) in cases {
        match strategic_merge_patch(&doc, &patch, &shape) {
            Ok(got) => assert_eq!(got, want, "{name}"),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

fn fails(cases: Vec<(&str, Value, Value, &str)>) {
    let shape = shape();
    for (name, doc, patch, want) in cases {
        match strategic_merge_patch(&doc, &patch, &shape) {
            Ok(got) => panic!("{name}: expected an error, got {got}"),
            Err(e) => assert_eq!(
                format!("{e:?}").split([' ', '{']).next(),
                Some(want),
                "{name}: {e}"
            ),
        }
    }
}

#[test]
fn maps_and_scalars() {
    run(vec![
        (
            "null deletes",
            json!({"a": 1, "b": 2}),
            json!({"a": null}),
            json!({"b": 2}),
        ),
        (
            "null of an absent field",
            json!({"b": 2}),
            json!({"a": null}),
            json!({"b": 2}),
        ),
        (
            "nested merge",
            json!({"m": {"x": 1, "y": 2}}),
            json!({"m": {"y": 3, "z": 4}}),
            json!({"m": {"x": 1, "y": 3, "z": 4}}),
        ),
        (
            "scalar replaces",
            json!({"a": "x"}),
            json!({"a": 5}),
            json!({"a": 5}),
        ),
        (
            "type change replaces",
            json!({"a": {"x": 1}}),
            json!({"a": [1]}),
            json!({"a": [1]}),
        ),
        (
            "map labels",
            json!({"labels": {"a": "1", "b": "2"}}),
            json!({"labels": {"a": null, "c": "3"}}),
            json!({"labels": {"b": "2", "c": "3"}}),
        ),
        ("empty patch", json!({"a": 1}), json!({}), json!({"a": 1})),
        (
            "atomic object replaces",
            json!({"frozen": {"a": 1, "b": 2}}),
            json!({"frozen": {"a": 3}}),
            json!({"frozen": {"a": 3}}),
        ),
    ]);
}

#[test]
fn new_values_come_out_clean() {
    run(vec![
        (
            "new values come out clean",
            json!({}),
            json!({"m": {"a": null, "b": {"c": null, "d": 1}}, "items": [{"name": "x", "gone": null}]}),
            json!({"m": {"b": {"d": 1}}, "items": [{"name": "x"}]}),
        ),
        (
            "unknown lists replace",
            json!({"other": [1, 2, 3]}),
            json!({"other": [4]}),
            json!({"other": [4]}),
        ),
    ]);
}

#[test]
fn keyed_lists() {
    run(vec![
        (
            "merge into the item with the same key",
            json!({"items": [{"name": "a", "x": 1}, {"name": "b", "x": 2}]}),
            json!({"items": [{"name": "b", "y": 3}]}),
            json!({"items": [{"name": "a", "x": 1}, {"name": "b", "x": 2, "y": 3}]}),
        ),
        (
            "null in an item deletes its field",
            json!({"items": [{"name": "a", "x": 1, "y": 2}]}),
            json!({"items": [{"name": "a", "x": null}]}),
            json!({"items": [{"name": "a", "y": 2}]}),
        ),
        (
            "nested keyed list",
            json!({"items": [{"name": "a", "items": [{"name": "n1", "v": 1}, {"name": "n2"}]}]}),
            json!({"items": [{"name": "a", "items": [{"name": "n2", "v": 2}]}]}),
            json!({"items": [{"name": "a", "items": [{"name": "n1", "v": 1}, {"name": "n2", "v": 2}]}]}),
        ),
    ]);
}

#[test]
fn keyed_lists_nested_and_multi_key() {
    run(vec![
        (
            "numeric keys compare by value",
            json!({"ports": [{"port": 80, "protocol": "TCP", "n": 1}]}),
            json!({"ports": [{"port": 80.0, "protocol": "TCP", "x": 2}]}),
            json!({"ports": [{"port": 80.0, "protocol": "TCP", "n": 1, "x": 2}]}),
        ),
        (
            "$patch: delete on an item's object field",
            json!({"items": [{"name": "a", "m": {"k": 1}, "x": 1}]}),
            json!({"items": [{"name": "a", "m": {"$patch": "delete"}}]}),
            json!({"items": [{"name": "a", "m": {}, "x": 1}]}),
        ),
        (
            "several keys: same port, other protocol is another item",
            json!({"ports": [{"port": 53, "protocol": "TCP", "n": "dns-tcp"}]}),
            json!({"ports": [{"port": 53, "protocol": "UDP", "n": "dns-udp"}, {"port": 53, "protocol": "TCP", "x": 1}]}),
            json!({"ports": [{"port": 53, "protocol": "UDP", "n": "dns-udp"}, {"port": 53, "protocol": "TCP", "n": "dns-tcp", "x": 1}]}),
        ),
        (
            "a list that was not there",
            json!({}),
            json!({"items": [{"name": "b"}, {"name": "a"}]}),
            json!({"items": [{"name": "b"}, {"name": "a"}]}),
        ),
        (
            "an item field that is a set",
            json!({"items": [{"name": "a", "ints": [1, 2]}]}),
            json!({"items": [{"name": "a", "ints": [3]}]}),
            json!({"items": [{"name": "a", "ints": [3, 1, 2]}]}),
        ),
        (
            "an item field that is atomic",
            json!({"items": [{"name": "a", "atomic": [1, 2]}]}),
            json!({"items": [{"name": "a", "atomic": [3]}]}),
            json!({"items": [{"name": "a", "atomic": [3]}]}),
        ),
        (
            "atomic lists replace, directive items drop out",
            json!({"other": [{"name": "a"}]}),
            json!({"other": [{"$patch": "replace"}, {"name": "b", "x": null}]}),
            json!({"other": [{"name": "b"}]}),
        ),
    ]);
}

#[test]
fn list_directives() {
    let names = |names: &[&str]| json!({"items": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
    run(vec![
        (
            "$patch: delete removes the item",
            json!({"items": [{"name": "a"}, {"name": "b", "x": 1}]}),
            json!({"items": [{"name": "b", "$patch": "delete"}]}),
            names(&["a"]),
        ),
        (
            "$patch: delete removes every duplicate",
            json!({"items": [{"name": "a"}, {"name": "a", "x": 1}, {"name": "b"}]}),
            json!({"items": [{"name": "a", "$patch": "delete"}]}),
            names(&["b"]),
        ),
        (
            "$patch: delete of a missing item",
            names(&["a"]),
            json!({"items": [{"name": "z", "$patch": "delete"}]}),
            names(&["a"]),
        ),
        (
            "delete one, add another",
            names(&["a", "b"]),
            json!({"items": [{"name": "c"}, {"name": "a", "$patch": "delete"}]}),
            names(&["c", "b"]),
        ),
        (
            "$patch: replace alone empties the list",
            names(&["a", "b"]),
            json!({"items": [{"$patch": "replace"}]}),
            json!({"items": []}),
        ),
        (
            "$patch: replace keeps only the patch items",
            json!({"items": [{"name": "a", "x": 1}, {"name": "b"}]}),
            json!({"items": [{"name": "c", "gone": null}, {"$patch": "replace"}, {"name": "a"}]}),
            names(&["c", "a"]),
        ),
        (
            "$patch: merge on an item is the default",
            json!({"items": [{"name": "a", "x": 1}]}),
            json!({"items": [{"name": "a", "y": 2, "$patch": "merge"}]}),
            json!({"items": [{"name": "a", "x": 1, "y": 2}]}),
        ),
    ]);
}

#[test]
fn delete_from_primitive_list() {
    run(vec![
        (
            "$deleteFromPrimitiveList",
            json!({"ints": [1, 2, 3, 2], "tags": ["a"]}),
            json!({"$deleteFromPrimitiveList/ints": [2, 9]}),
            json!({"ints": [1, 3], "tags": ["a"]}),
        ),
        (
            "$deleteFromPrimitiveList with additions",
            json!({"tags": ["a", "b"]}),
            json!({"tags": ["c"], "$deleteFromPrimitiveList/tags": ["a"]}),
            json!({"tags": ["c", "b"]}),
        ),
        (
            "$deleteFromPrimitiveList of a list that is not there adds nothing",
            json!({}),
            json!({"$deleteFromPrimitiveList/tags": ["a"]}),
            json!({}),
        ),
        (
            "$deleteFromPrimitiveList on an atomic list",
            json!({"other": ["a", "b"]}),
            json!({"$deleteFromPrimitiveList/other": ["b"]}),
            json!({"other": ["a"]}),
        ),
    ]);
}

#[test]
fn object_directives() {
    run(vec![
        (
            "$patch: delete leaves an empty object",
            json!({"m": {"a": 1}, "k": 1}),
            json!({"m": {"$patch": "delete"}}),
            json!({"m": {}, "k": 1}),
        ),
        (
            "$patch: delete of an absent object",
            json!({"k": 1}),
            json!({"m": {"$patch": "delete"}}),
            json!({"k": 1}),
        ),
        (
            "$patch: replace",
            json!({"m": {"a": 1, "b": 2}}),
            json!({"m": {"$patch": "replace", "c": 3, "d": null}}),
            json!({"m": {"c": 3}}),
        ),
        (
            "$patch: replace of an absent object sets it",
            json!({}),
            json!({"m": {"$patch": "replace", "c": 3}}),
            json!({"m": {"c": 3}}),
        ),
    ]);
}

#[test]
fn patch_directive_on_the_whole_object() {
    run(vec![
        (
            "$patch: replace of the whole object",
            json!({"a": 1}),
            json!({"$patch": "replace", "b": 2}),
            json!({"b": 2}),
        ),
        (
            "$patch: delete of the whole object",
            json!({"a": 1}),
            json!({"$patch": "delete"}),
            json!({}),
        ),
        (
            "$patch: merge",
            json!({"m": {"a": 1}}),
            json!({"m": {"$patch": "merge", "b": 2}}),
            json!({"m": {"a": 1, "b": 2}}),
        ),
        (
            "$patch: replace on an item of a keyed list",
            json!({"items": [{"name": "a", "x": 1, "y": 2}]}),
            json!({"items": [{"name": "a", "m": {"$patch": "replace", "z": 1}}]}),
            json!({"items": [{"name": "a", "x": 1, "y": 2, "m": {"z": 1}}]}),
        ),
    ]);
}

#[test]
fn retain_keys() {
    run(vec![
        (
            "$retainKeys drops unlisted fields",
            json!({"m": {"type": "A", "a": {"x": 1}, "keep": 1}}),
            json!({"m": {"$retainKeys": ["type", "b", "keep"], "type": "B", "b": {"y": 2}}}),
            json!({"m": {"type": "B", "b": {"y": 2}, "keep": 1}}),
        ),
        (
            "$retainKeys allows nulls of unlisted fields",
            json!({"m": {"a": 1, "b": 2}}),
            json!({"m": {"$retainKeys": ["b"], "a": null}}),
            json!({"m": {"b": 2}}),
        ),
        (
            "$retainKeys in a keyed list item",
            json!({"items": [{"name": "v", "emptyDir": {}, "x": 1}]}),
            json!({"items": [{"name": "v", "$retainKeys": ["name", "secret"], "secret": {"s": "n"}}]}),
            json!({"items": [{"name": "v", "secret": {"s": "n"}}]}),
        ),
    ]);
}

#[test]
fn malformed_patches_fail() {
    fails(vec![
        ("patch is no object", json!({}), json!([1]), "NotAnObject"),
        ("doc is no object", json!([1]), json!({}), "NotAnObject"),
        (
            "unknown directive",
            json!({}),
            json!({"m": {"$foo": 1}}),
            "UnknownDirective",
        ),
        (
            "unknown $patch",
            json!({"m": {}}),
            json!({"m": {"$patch": "frob"}}),
            "BadPatchType",
        ),
        (
            "unknown $patch in a list",
            json!({"items": [{"name": "a"}]}),
            json!({"items": [{"name": "a", "$patch": "frob"}]}),
            "BadPatchType",
        ),
        (
            "unknown $patch in a new list",
            json!({}),
            json!({"other": [{"$patch": 1}]}),
            "BadPatchType",
        ),
    ]);
}

#[test]
fn malformed_list_directives_fail() {
    fails(vec![
        (
            "$retainKeys not a list",
            json!({}),
            json!({"$retainKeys": "a"}),
            "BadRetainKeys",
        ),
        (
            "$retainKeys missing a set field",
            json!({}),
            json!({"$retainKeys": ["a"], "b": 1}),
            "BadRetainKeys",
        ),
        (
            "$setElementOrder without field",
            json!({}),
            json!({"$setElementOrder": [1]}),
            "BadSetElementOrder",
        ),
        (
            "$setElementOrder not a list",
            json!({"ints": [1]}),
            json!({"$setElementOrder/ints": 1}),
            "BadSetElementOrder",
        ),
        (
            "$setElementOrder missing a patch item",
            json!({"ints": [1]}),
            json!({"$setElementOrder/ints": [1], "ints": [2]}),
            "BadSetElementOrder",
        ),
        (
            "$setElementOrder in another order",
            json!({}),
            json!({"$setElementOrder/items": [{"name": "a"}, {"name": "b"}], "items": [{"name": "b"}, {"name": "a"}]}),
            "BadSetElementOrder",
        ),
        (
            "$deleteFromPrimitiveList not a list",
            json!({"ints": [1]}),
            json!({"$deleteFromPrimitiveList/ints": 1}),
            "BadPrimitiveList",
        ),
        (
            "$deleteFromPrimitiveList without field",
            json!({}),
            json!({"$deleteFromPrimitiveList/": [1]}),
            "BadPrimitiveList",
        ),
    ]);
}

#[test]
fn malformed_lists_fail() {
    fails(vec![
        (
            "item without merge key",
            json!({"items": [{"name": "a"}]}),
            json!({"items": [{"x": 1}]}),
            "MissingMergeKey",
        ),
        (
            "delete without merge key",
            json!({"items": [{"name": "a"}]}),
            json!({"items": [{"$patch": "delete"}]}),
            "MissingMergeKey",
        ),
        (
            "mixed item types",
            json!({"ints": [1]}),
            json!({"ints": ["a"]}),
            "BadListItems",
        ),
        (
            "list of lists",
            json!({"ints": [[1]]}),
            json!({"ints": [[2]]}),
            "BadListItems",
        ),
        (
            "scalars in a keyed list",
            json!({"items": ["a"]}),
            json!({"items": ["b"]}),
            "BadListItems",
        ),
        (
            "objects in a set",
            json!({"tags": [{"a": 1}]}),
            json!({"tags": [{"b": 1}]}),
            "BadListItems",
        ),
    ]);
}

#[test]
fn error_paths_name_the_field() {
    let doc = json!({"items": [{"name": "a", "items": [{"name": "n"}]}]});
    let patch = json!({"items": [{"name": "a", "items": [{"v": 1}]}]});
    let err = strategic_merge_patch(&doc, &patch, &shape()).expect_err("missing merge key");
    assert_eq!(
        err,
        PatchError::MissingMergeKey {
            path: "items[0].items[0]".into(),
            key: "name".into()
        }
    );
    assert_eq!(err.status_code(), 422);
    let err = strategic_merge_patch(&json!({}), &json!({"$x": 1}), &shape())
        .expect_err("unknown directive");
    assert_eq!(
        err,
        PatchError::UnknownDirective {
            path: "<root>".into(),
            key: "$x".into()
        }
    );
}
