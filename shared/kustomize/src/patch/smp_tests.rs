//! Table tests of strategic merge patch.

use super::merge;
use crate::yaml::{node_to_yaml, parse_first};

fn run(dest: &str, patch: &str) -> String {
    let d = parse_first(dest).expect("dest").expect("doc");
    let p = parse_first(patch).expect("patch").expect("doc");
    match merge(d, p, None) {
        Ok(Some(n)) => node_to_yaml(&n).expect("prints"),
        Ok(None) => "<deleted>".into(),
        Err(e) => format!("error: {e}"),
    }
}

const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a:1\n        env:\n        - name: X\n          value: x\n";

#[test]
fn table() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("scalar override", "a: 1\nb: 2\n", "b: 3\n", "a: 1\nb: 3\n"),
        ("null clears", "a: 1\nb: 2\n", "b: null\n", "a: 1\n"),
        ("map added", "a: 1\n", "m:\n  k: v\n", "a: 1\nm:\n  k: v\n"),
        (
            "list replaced without schema",
            "l: [1, 2]\n",
            "l: [3]\n",
            "l:\n- 3\n",
        ),
        (
            "map replace",
            "m:\n  a: 1\n  b: 2\n",
            "m:\n  $patch: replace\n  c: 3\n",
            "m:\n  c: 3\n",
        ),
        (
            "map delete",
            "m:\n  a: 1\nx: 1\n",
            "m:\n  $patch: delete\n",
            "x: 1\n",
        ),
        ("object delete", "a: 1\n", "$patch: delete\n", "<deleted>"),
        (
            "bad directive",
            "m:\n  a: 1\n",
            "m:\n  $patch: nope\n",
            "error: unknown patch strategy 'nope'",
        ),
        (
            "kind mismatch",
            "m:\n  a: 1\n",
            "m: [1]\n",
            "error: wrong node kind: expected MappingNode but got SequenceNode",
        ),
    ];
    for (name, dest, patch, want) in cases {
        assert_eq!(run(dest, patch), *want, "{name}");
    }
}

#[test]
fn containers_merge_by_name_patch_first() {
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: b\n        image: b:1\n      - name: a\n        image: a:2\n";
    let out = run(DEP, patch);
    assert!(
        out.contains("- image: b:1\n        name: b\n      - env:"),
        "{out}"
    );
    assert!(out.contains("image: a:2"), "{out}");
}

#[test]
fn container_delete_and_list_replace() {
    let del = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        $patch: delete\n";
    assert!(run(DEP, del).contains("containers: []"));
    let replace = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - $patch: replace\n      - name: z\n        image: z\n";
    let out = run(DEP, replace);
    assert!(out.contains("- image: z\n        name: z\n"), "{out}");
    assert!(!out.contains("a:1"), "{out}");
}
