//! Table-driven tests of the order of merged list items, with and without `$setElementOrder`.

use super::tests::run;
use serde_json::json;

#[test]
fn merged_list_order() {
    let names = |names: &[&str]| json!({"items": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
    run(vec![
        // Without $setElementOrder new items come first, as on a real server.
        (
            "new item goes first",
            names(&["a", "b"]),
            names(&["c"]),
            names(&["c", "a", "b"]),
        ),
        (
            "new items keep the patch order",
            names(&["a", "b"]),
            names(&["d", "c"]),
            names(&["d", "c", "a", "b"]),
        ),
        (
            "existing items take the patch order",
            names(&["a", "b", "c"]),
            names(&["c", "a", "b"]),
            names(&["c", "a", "b"]),
        ),
        (
            "server-only items stay in place",
            names(&["a", "b", "c"]),
            names(&["c", "a"]),
            names(&["b", "c", "a"]),
        ),
        (
            "new and existing mixed",
            names(&["a", "b"]),
            names(&["b", "z"]),
            names(&["a", "b", "z"]),
        ),
        (
            "empty patch list",
            names(&["a", "b"]),
            json!({"items": []}),
            names(&["a", "b"]),
        ),
    ]);
}

#[test]
fn merged_set_order() {
    run(vec![
        (
            "set: union, each value once",
            json!({"ints": [1, 2]}),
            json!({"ints": [2, 3]}),
            json!({"ints": [1, 2, 3]}),
        ),
        (
            "set: new values first",
            json!({"tags": ["a", "b"]}),
            json!({"tags": ["c"]}),
            json!({"tags": ["c", "a", "b"]}),
        ),
        (
            "set: patch order",
            json!({"ints": [1, 2, 3]}),
            json!({"ints": [3, 1]}),
            json!({"ints": [2, 3, 1]}),
        ),
        (
            "set: into an empty list",
            json!({"ints": []}),
            json!({"ints": [2, 1, 2]}),
            json!({"ints": [2, 1]}),
        ),
    ]);
}

#[test]
fn set_element_order_scalars() {
    run(vec![
        (
            "a new item where the order puts it, server-only item kept",
            json!({"ints": [1, 4, 2]}),
            json!({"$setElementOrder/ints": [3, 1, 2], "ints": [3]}),
            json!({"ints": [3, 1, 4, 2]}),
        ),
        (
            "a new item at the end",
            json!({"ints": [1, 2, 4]}),
            json!({"$setElementOrder/ints": [1, 2, 3], "ints": [3]}),
            json!({"ints": [1, 2, 3, 4]}),
        ),
        (
            "reorder and delete a scalar",
            json!({"ints": [1, 2, 3]}),
            json!({"$setElementOrder/ints": [2, 1], "$deleteFromPrimitiveList/ints": [3]}),
            json!({"ints": [2, 1]}),
        ),
    ]);
}

#[test]
fn set_element_order_keyed() {
    let names = |names: &[&str]| names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>();
    let listed = |names_: &[&str]| json!({"items": names(names_)});
    run(vec![
        (
            "keyed: new items among existing ones",
            json!({"items": [{"name": "a", "o": 1}, {"name": "b"}]}),
            json!({"$setElementOrder/items": names(&["a", "d", "b", "c"]), "items": [{"name": "d"}, {"name": "c"}]}),
            json!({"items": [{"name": "a", "o": 1}, {"name": "d"}, {"name": "b"}, {"name": "c"}]}),
        ),
        (
            "keyed: order only",
            listed(&["a", "c", "d", "b"]),
            json!({"$setElementOrder/items": names(&["d", "b", "c", "a"])}),
            listed(&["d", "b", "c", "a"]),
        ),
        (
            "keyed: server-only items stay between",
            listed(&["a", "b", "s", "c", "d"]),
            json!({"$setElementOrder/items": names(&["b", "a", "d", "c"])}),
            listed(&["b", "a", "s", "d", "c"]),
        ),
        (
            "keyed: several server-only items",
            listed(&["a", "b", "s1", "s2", "c"]),
            json!({"$setElementOrder/items": names(&["c", "b", "a"])}),
            listed(&["s1", "s2", "c", "b", "a"]),
        ),
        (
            "keyed: duplicates gather where the first is",
            json!({"items": [{"name": "a"}, {"name": "b", "v": 1}, {"name": "c"}, {"name": "b", "v": 2}]}),
            json!({"$setElementOrder/items": names(&["b", "c", "a", "b"])}),
            json!({"items": [{"name": "b", "v": 1}, {"name": "b", "v": 2}, {"name": "c"}, {"name": "a"}]}),
        ),
        (
            "keyed: with a deletion",
            listed(&["a", "b", "c"]),
            json!({"$setElementOrder/items": names(&["c", "a"]), "items": [{"name": "b", "$patch": "delete"}]}),
            listed(&["c", "a"]),
        ),
        (
            "a list that was not there",
            json!({}),
            json!({"$setElementOrder/items": names(&["b", "a"]), "items": names(&["a", "b"]).into_iter().rev().collect::<Vec<_>>()}),
            listed(&["b", "a"]),
        ),
        (
            "neither list nor patch",
            json!({}),
            json!({"$setElementOrder/items": names(&["a"])}),
            json!({}),
        ),
    ]);
}
