//! Tests of reading resources from text.

use super::*;

fn names(text: &str) -> Vec<String> {
    from_bytes(text)
        .expect("reads")
        .iter()
        .map(Resource::name)
        .collect()
}

#[test]
fn documents_split_like_kio() {
    let docs = split_documents("a: 1\n---\nb: 2\n--- # c\nc: 3").expect("split");
    assert_eq!(docs, ["a: 1", "b: 2", "c: 3"]);
    assert!(matches!(
        split_documents("a: 1\n--- x\nb: 2\n"),
        Err(ResourceError::Separator(_))
    ));
    assert_eq!(
        split_documents("a\n---\n---\nb\n").expect("split"),
        ["a", "---\nb\n"]
    );
}

#[test]
fn reads_objects_skipping_empty_documents() {
    let text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\n# nothing\n---\n~\n---\n{}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n";
    assert_eq!(names(text), ["a", "b"]);
}

#[test]
fn lists_are_inlined() {
    let single = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n";
    assert_eq!(names(single), ["a", "b"]);
    let mixed = format!("{single}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    assert_eq!(names(&mixed), ["c", "a", "b"]);
    let empty = "apiVersion: v1\nkind: ConfigMapList\nitems: ~\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
    assert_eq!(names(empty), ["c"]);
}

#[test]
fn bad_objects_fail() {
    assert!(matches!(
        from_bytes("kind: ConfigMap\n"),
        Err(ResourceError::MissingName(_))
    ));
    assert!(matches!(
        from_bytes("metadata: {name: x}\n"),
        Err(ResourceError::MissingKind(_))
    ));
    assert!(matches!(
        from_bytes("foo\n"),
        Err(ResourceError::MissingMetadata)
    ));
    assert!(matches!(
        from_bytes("a: [\n"),
        Err(ResourceError::Malformed(_))
    ));
}

#[test]
fn ids_and_annotations() {
    let mut r = from_bytes(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: ns\n",
    )
    .expect("reads")
    .remove(0);
    assert_eq!(r.cur_id().to_string(), "Deployment.v1.apps/d.ns");
    r.set_annotation("a", "1");
    assert_eq!(r.annotations(), [("a".to_string(), "1".to_string())]);
    r.remove_annotation("a");
    assert!(r.node.get_path(&["metadata", "annotations"]).is_none());
}
