//! Table-driven tests of RFC 6902 JSON patch: the RFC's examples and the API server's quirks.

use super::*;
use serde_json::json;

fn oks<const N: usize>(cases: [(Value, Value, Value); N]) {
    for (doc, patch, want) in cases {
        match json_patch(&doc, &patch) {
            Ok(got) => assert_eq!(got, want, "{patch}"),
            Err(e) => panic!("{patch}: {e}"),
        }
    }
}

fn errs<const N: usize>(cases: [(Value, PatchError); N]) {
    let doc = json!({"a": {"b": [1, 2]}, "s": "x"});
    for (patch, want) in cases {
        assert_eq!(json_patch(&doc, &patch), Err(want), "{patch}");
    }
}

fn not_found(index: usize, op: &str, path: &str) -> PatchError {
    PatchError::PathNotFound {
        index,
        op: op.into(),
        path: path.into(),
    }
}

#[test]
fn rfc6902_operations() {
    oks([
        // A.1 add an object member
        (
            json!({"foo": "bar"}),
            json!([{"op": "add", "path": "/baz", "value": "qux"}]),
            json!({"foo": "bar", "baz": "qux"}),
        ),
        // A.2 add an array element
        (
            json!({"foo": ["bar", "baz"]}),
            json!([{"op": "add", "path": "/foo/1", "value": "qux"}]),
            json!({"foo": ["bar", "qux", "baz"]}),
        ),
        // A.3 remove an object member
        (
            json!({"baz": "qux", "foo": "bar"}),
            json!([{"op": "remove", "path": "/baz"}]),
            json!({"foo": "bar"}),
        ),
        // A.4 remove an array element
        (
            json!({"foo": ["bar", "qux", "baz"]}),
            json!([{"op": "remove", "path": "/foo/1"}]),
            json!({"foo": ["bar", "baz"]}),
        ),
        // A.5 replace a value
        (
            json!({"baz": "qux", "foo": "bar"}),
            json!([{"op": "replace", "path": "/baz", "value": "boo"}]),
            json!({"baz": "boo", "foo": "bar"}),
        ),
        // A.6 move a value
        (
            json!({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}),
            json!([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]),
            json!({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
        ),
        // A.7 move an array element
        (
            json!({"foo": ["all", "grass", "cows", "eat"]}),
            json!([{"op": "move", "from": "/foo/1", "path": "/foo/3"}]),
            json!({"foo": ["all", "cows", "eat", "grass"]}),
        ),
        // A.8 test passes
        (
            json!({"baz": "qux", "foo": ["a", 2, "c"]}),
            json!([{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}]),
            json!({"baz": "qux", "foo": ["a", 2, "c"]}),
        ),
        // A.10 add a nested member object
        (
            json!({"foo": "bar"}),
            json!([{"op": "add", "path": "/child", "value": {"grandchild": {}}}]),
            json!({"foo": "bar", "child": {"grandchild": {}}}),
        ),
        // A.14 escape ordering
        (
            json!({"/": 9, "~1": 10}),
            json!([{"op": "test", "path": "/~01", "value": 10}]),
            json!({"/": 9, "~1": 10}),
        ),
        // A.16 add an array value
        (
            json!({"foo": ["bar"]}),
            json!([{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]),
            json!({"foo": ["bar", ["abc", "def"]]}),
        ),
    ]);
}

#[test]
fn copy_root_escapes_and_equality() {
    oks([
        // copy, then replace the copy: the source stays
        (
            json!({"a": {"b": 1}}),
            json!([{"op": "copy", "from": "/a", "path": "/c"}, {"op": "replace", "path": "/c/b", "value": 2}]),
            json!({"a": {"b": 1}, "c": {"b": 2}}),
        ),
        // add over an existing member replaces it
        (
            json!({"a": 1}),
            json!([{"op": "add", "path": "/a", "value": 2}]),
            json!({"a": 2}),
        ),
        // the root
        (
            json!({"a": 1}),
            json!([{"op": "replace", "path": "", "value": {"b": 2}}]),
            json!({"b": 2}),
        ),
        // escaped label keys, as kubectl sends them
        (
            json!({"metadata": {"labels": {"app.kubernetes.io/name": "x"}}}),
            json!([{"op": "remove", "path": "/metadata/labels/app.kubernetes.io~1name"}]),
            json!({"metadata": {"labels": {}}}),
        ),
        // moving onto itself changes nothing
        (
            json!({"a": [1, 2]}),
            json!([{"op": "move", "from": "/a", "path": "/a"}]),
            json!({"a": [1, 2]}),
        ),
        // numbers compare by value
        (
            json!({"a": 1}),
            json!([{"op": "test", "path": "/a", "value": 1.0}]),
            json!({"a": 1}),
        ),
        // an empty patch
        (json!({"a": 1}), json!([]), json!({"a": 1})),
    ]);
}

#[test]
fn server_library_leniencies() {
    oks([
        // negative indices count from the end
        (
            json!({"a": [1, 2, 3]}),
            json!([{"op": "remove", "path": "/a/-1"}]),
            json!({"a": [1, 2]}),
        ),
        (
            json!({"a": [1, 2, 3]}),
            json!([{"op": "replace", "path": "/a/-3", "value": 0}]),
            json!({"a": [0, 2, 3]}),
        ),
        (
            json!({"a": [1, 2]}),
            json!([{"op": "add", "path": "/a/-1", "value": 9}]),
            json!({"a": [1, 9, 2]}),
        ),
        // a missing value is null
        (
            json!({}),
            json!([{"op": "add", "path": "/a"}]),
            json!({"a": null}),
        ),
        // testing an absent member against null passes
        (
            json!({}),
            json!([{"op": "test", "path": "/a", "value": null}]),
            json!({}),
        ),
        // add at index == len appends
        (
            json!({"a": [1]}),
            json!([{"op": "add", "path": "/a/1", "value": 2}]),
            json!({"a": [1, 2]}),
        ),
    ]);
}

#[test]
fn malformed_operations_fail() {
    errs([
        (json!({"op": "add"}), PatchError::NotAnArray),
        (json!([1]), PatchError::NotAnArray),
        (
            json!([{"op": "frobnicate", "path": "/a"}]),
            PatchError::UnknownOperation {
                index: 0,
                op: "frobnicate".into(),
            },
        ),
        (
            json!([{"path": "/a"}]),
            PatchError::UnknownOperation {
                index: 0,
                op: "".into(),
            },
        ),
        (
            json!([{"op": "add", "value": 1}]),
            PatchError::MalformedOperation {
                index: 0,
                reason: "missing \"path\"".into(),
            },
        ),
        (
            json!([{"op": "move", "path": "/x"}]),
            PatchError::MalformedOperation {
                index: 0,
                reason: "missing \"from\"".into(),
            },
        ),
    ]);
}

#[test]
fn invalid_pointers_fail() {
    errs([
        // pointers
        (
            json!([{"op": "add", "path": "a", "value": 1}]),
            PatchError::InvalidPointer {
                index: 0,
                path: "a".into(),
            },
        ),
        (
            json!([{"op": "add", "path": "/a/~2", "value": 1}]),
            PatchError::InvalidPointer {
                index: 0,
                path: "/a/~2".into(),
            },
        ),
    ]);
}

#[test]
fn missing_locations_fail() {
    errs([
        // missing locations
        (
            json!([{"op": "add", "path": "/x/y", "value": 1}]),
            not_found(0, "add", "/x/y"),
        ),
        (
            json!([{"op": "add", "path": "/s/y", "value": 1}]),
            not_found(0, "add", "/s/y"),
        ),
        (
            json!([{"op": "remove", "path": "/a/c"}]),
            not_found(0, "remove", "/a/c"),
        ),
        (
            json!([{"op": "remove", "path": ""}]),
            not_found(0, "remove", ""),
        ),
        (
            json!([{"op": "replace", "path": "/a/c", "value": 1}]),
            not_found(0, "replace", "/a/c"),
        ),
        (
            json!([{"op": "test", "path": "/s", "value": "x"}, {"op": "copy", "from": "/nope", "path": "/c"}]),
            not_found(1, "copy", "/nope"),
        ),
        (
            json!([{"op": "move", "from": "/nope", "path": "/c"}]),
            not_found(0, "move", "/nope"),
        ),
    ]);
}

#[test]
fn invalid_indices_fail() {
    errs([
        // array indices
        (
            json!([{"op": "add", "path": "/a/b/3", "value": 1}]),
            PatchError::InvalidIndex {
                index: 0,
                path: "/a/b/3".into(),
            },
        ),
        (
            json!([{"op": "remove", "path": "/a/b/2"}]),
            PatchError::InvalidIndex {
                index: 0,
                path: "/a/b/2".into(),
            },
        ),
        (
            json!([{"op": "remove", "path": "/a/b/01"}]),
            PatchError::InvalidIndex {
                index: 0,
                path: "/a/b/01".into(),
            },
        ),
        (
            json!([{"op": "remove", "path": "/a/b/-3"}]),
            PatchError::InvalidIndex {
                index: 0,
                path: "/a/b/-3".into(),
            },
        ),
        (
            json!([{"op": "replace", "path": "/a/b/-", "value": 1}]),
            PatchError::InvalidIndex {
                index: 0,
                path: "/a/b/-".into(),
            },
        ),
    ]);
}

#[test]
fn failed_tests_and_moves() {
    errs([
        // failed tests and moves
        (
            json!([{"op": "test", "path": "/s", "value": "y"}]),
            PatchError::TestFailed {
                index: 0,
                path: "/s".into(),
            },
        ),
        (
            json!([{"op": "test", "path": "/a/c", "value": 1}]),
            PatchError::TestFailed {
                index: 0,
                path: "/a/c".into(),
            },
        ),
        (
            json!([{"op": "move", "from": "/a", "path": "/a/b/0"}]),
            PatchError::MoveIntoChild {
                index: 0,
                from: "/a".into(),
                path: "/a/b/0".into(),
            },
        ),
    ]);
}

#[test]
fn a_failure_leaves_no_partial_result_and_limits_hold() {
    let doc = json!({"a": 1});
    let patch =
        json!([{"op": "add", "path": "/b", "value": 2}, {"op": "test", "path": "/a", "value": 2}]);
    assert!(matches!(
        json_patch(&doc, &patch),
        Err(PatchError::TestFailed { index: 1, .. })
    ));
    assert_eq!(doc, json!({"a": 1}));

    let many: Vec<Value> = (0..=MAX_JSON_PATCH_OPERATIONS)
        .map(|_| json!({"op": "test", "path": "/a", "value": 1}))
        .collect();
    let err = json_patch(&doc, &Value::Array(many)).expect_err("too many operations");
    assert_eq!(err.status_code(), 413);
}
