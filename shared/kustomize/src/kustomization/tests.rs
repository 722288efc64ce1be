//! Tests of kustomization decoding and generation.

use super::*;
use crate::fs::MemFs;

#[test]
fn strict_decoding() {
    let cases: &[(&str, Result<(), &str>)] = &[
        ("resources: []\n", Ok(())),
        ("Resources: [a.yaml]\n", Ok(())),
        ("namePrefix: \"\"\n", Err("kustomization.yaml is empty")),
        ("kind: Kustomization\n", Err("kustomization.yaml is empty")),
        ("", Err("kustomization.yaml is empty")),
        (
            "foo: 1\n",
            Err("invalid Kustomization: json: unknown field \"foo\""),
        ),
        ("namePrefix: yes\n", Err("invalid Kustomization")),
        ("commonLabels: {a: 1}\n", Err("invalid Kustomization")),
        (
            "patches:\n- path: p.yaml\n  bogus: 1\n",
            Err("invalid Kustomization"),
        ),
        ("resources: [a]\nresources: [b]\n", Ok(())),
    ];
    for (src, want) in cases {
        let got = parse(src).map(|_| ()).map_err(|e| e.to_string());
        match (want, &got) {
            (Ok(()), Ok(())) => {}
            (Err(prefix), Err(msg)) if msg.starts_with(prefix) => {}
            _ => panic!("{src:?}: want {want:?}, got {got:?}"),
        }
    }
    assert_eq!(
        parse("resources: [a]\nresources: [b]\n")
            .map(|k| k.resources)
            .ok(),
        Some(vec!["b".to_string()])
    );
    assert_eq!(
        parse("Resources: [a.yaml]\n").map(|k| k.resources).ok(),
        Some(vec!["a.yaml".to_string()])
    );
}

#[test]
fn fixes_and_checks() {
    let mut k = parse("bases: [b]\nresources: [a]\nimageTags: [{name: x}]\n").expect("parses");
    assert_eq!(deprecation_warnings(&k).len(), 2);
    fix(&mut k);
    assert_eq!(k.resources, ["a", "b"]);
    assert_eq!(k.images.len(), 1);
    assert_eq!(k.kind, "Kustomization");
    assert_eq!(k.api_version, KUSTOMIZATION_VERSION);
    let bad =
        parse("kind: Component\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [a]\n")
            .expect("parses");
    assert_eq!(
        enforce_fields(&bad),
        ["apiVersion for Component should be kustomize.config.k8s.io/v1alpha1"]
    );
    let other = parse("kind: Deployment\nresources: [a]\n").expect("parses");
    assert_eq!(
        enforce_fields(&other),
        ["kind should be Kustomization or Component"]
    );
}

#[test]
fn finds_one_file() {
    let mut fsys = MemFs::new();
    fsys.add_file("/a/kustomization.yaml", "resources: []")
        .add_file("/b/Kustomization", "x")
        .add_file("/b/kustomization.yml", "x");
    assert_eq!(
        find_file(&fsys, "/a").ok().flatten().as_deref(),
        Some("kustomization.yaml")
    );
    assert!(matches!(
        find_file(&fsys, "/b"),
        Err(KustomizationError::Multiple(_))
    ));
    assert_eq!(find_file(&fsys, "/").ok().flatten(), None);
}

#[test]
fn flux_generation_walks_yaml_files() {
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
    let mut fsys = MemFs::new();
    fsys.add_file("/r/b.yaml", cm)
        .add_file("/r/a.yml", cm)
        .add_file("/r/notes.txt", "x")
        .add_file("/r/sub/c.yaml", cm)
        .add_file("/r/app/kustomization.yaml", "resources: []")
        .add_file("/r/app/ignored.yaml", cm);
    let k = generate_for_dir(&fsys, "/r").expect("generates");
    assert_eq!(
        k.resources,
        ["./a.yml", "./app", "./b.yaml", "./sub/c.yaml"]
    );
    fsys.add_file("/r/values.yaml", "replicas: 2\n");
    assert!(generate_for_dir(&fsys, "/r").is_err());
    let mut empty = MemFs::new();
    empty.add_dir("/e");
    assert_eq!(
        generate_for_dir(&empty, "/e").err(),
        Some(KustomizationError::Empty)
    );
}
