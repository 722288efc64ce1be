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

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";

/// Lists with a merge strategy, in the built-in schema: (resource tail, patch tail,
/// expected substring of the printed result).
#[test]
fn keyed_lists() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "finalizers: patch values first, once each",
            "  finalizers: [a, b]\n",
            "  finalizers: [c, a]\n",
            "finalizers:\n  - c\n  - a\n  - b\n",
        ),
        (
            "env merged by name",
            "spec:\n  containers:\n  - name: c\n    env:\n    - {name: A, value: a}\n",
            "spec:\n  containers:\n  - name: c\n    env:\n    - {name: B, value: b}\n    - {name: A, value: z}\n",
            "env:\n    - name: B\n      value: b\n    - name: A\n      value: z\n",
        ),
        (
            "element without its key is lost when the list is walked",
            "spec:\n  containers:\n  - name: c\n    image: c\n  - image: nameless\n",
            "spec:\n  hostname: h\n",
            "containers:\n  - image: nameless\n",
        ),
        (
            "$patch: replace on one element is undone",
            "spec:\n  containers:\n  - name: c\n    image: c\n    args: [x]\n",
            "spec:\n  containers:\n  - name: c\n    $patch: replace\n    image: d\n",
            "args:\n    - x\n    image: c\n",
        ),
        (
            "ports keyed by containerPort and protocol (kubectl keeps the order here)",
            "spec:\n  containers:\n  - name: c\n    ports:\n    - {containerPort: 53, protocol: UDP}\n    - {containerPort: 53, protocol: TCP}\n",
            "spec:\n  containers:\n  - name: c\n    ports:\n    - {containerPort: 53, protocol: TCP, hostPort: 1}\n",
            "ports:\n    - containerPort: 53\n      protocol: UDP\n    - containerPort: 53\n      hostPort: 1\n      protocol: TCP\n",
        ),
        (
            "$patch: delete on the whole list",
            "spec:\n  volumes:\n  - name: v\n",
            "spec:\n  volumes:\n  - $patch: delete\n",
            "spec: {}\n",
        ),
    ];
    for (name, dest, patch, want) in cases {
        let out = run(&format!("{POD}{dest}"), &format!("{POD}{patch}"));
        assert!(out.contains(want), "{name}:\n{out}");
    }
}

#[test]
fn custom_schema_replaces_builtin() {
    let schema = r##"{"definitions": {"w": {
        "x-kubernetes-group-version-kind": [{"group": "x.io", "version": "v1", "kind": "W"}],
        "properties": {"items": {"type": "array", "x-kubernetes-patch-strategy": "merge",
            "x-kubernetes-patch-merge-key": "id", "items": {"$ref": "#/definitions/item"}}}},
        "item": {"properties": {"id": {"type": "string"}}}}}"##;
    let custom = super::super::custom::CustomSchema::parse(schema).expect("schema");
    let w = "apiVersion: x.io/v1\nkind: W\nmetadata:\n  name: w\n";
    let d = parse_first(&format!("{w}items:\n- {{id: a, v: 1}}\n"))
        .expect("d")
        .expect("doc");
    let p = parse_first(&format!("{w}items:\n- {{id: b}}\n"))
        .expect("p")
        .expect("doc");
    let out = merge(d, p, Some(&custom)).expect("merges").expect("kept");
    let text = node_to_yaml(&out).expect("prints");
    assert!(
        text.contains("items:\n- id: b\n- id: a\n  v: 1\n"),
        "{text}"
    );
    // Built-in kinds get no merge keys from a custom schema that lacks them.
    let d = parse_first(&format!("{POD}spec:\n  containers:\n  - name: a\n"))
        .expect("d")
        .expect("doc");
    let p = parse_first(&format!("{POD}spec:\n  containers:\n  - name: b\n"))
        .expect("p")
        .expect("doc");
    let out = merge(d, p, Some(&custom)).expect("merges").expect("kept");
    let text = node_to_yaml(&out).expect("prints");
    assert!(text.contains("containers:\n  - name: b\n"), "{text}");
    assert!(!text.contains("name: a"), "{text}");
}
