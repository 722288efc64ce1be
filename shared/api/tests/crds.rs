//! The committed CRDs under manifests/crds/ must be exactly what fluxion-crdgen produces, and
//! every generated schema must be structural as a real kube-apiserver requires.

use std::path::PathBuf;

use serde_json::Value;

fn crd_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../manifests/crds")
}

#[test]
fn committed_crds_match_the_generator() {
    let dir = crd_dir();
    let files = fluxion_api::crd::render_all().expect("render");
    let mut stale = Vec::new();
    for (name, want) in &files {
        let have = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if &have != want {
            stale.push(name.clone());
        }
    }
    let mut extra: Vec<String> = std::fs::read_dir(&dir)
        .expect("manifests/crds exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !files.iter().any(|(f, _)| f == n))
        .collect();
    extra.sort();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "manifests/crds is out of date (stale: {stale:?}, unexpected: {extra:?}); \
         run `cargo run -p fluxion-api --bin fluxion-crdgen`"
    );
}

#[test]
fn every_flux_kind_is_generated_once() {
    let crds = fluxion_api::crd::all();
    let mut kinds: Vec<String> = crds.iter().map(|c| c.spec.names.kind.clone()).collect();
    kinds.sort();
    let mut want = vec![
        "Alert",
        "Bucket",
        "ExternalArtifact",
        "GitRepository",
        "HelmChart",
        "HelmRelease",
        "HelmRepository",
        "ImagePolicy",
        "ImageRepository",
        "ImageUpdateAutomation",
        "Kustomization",
        "OCIRepository",
        "Provider",
        "Receiver",
    ];
    want.sort();
    assert_eq!(kinds, want);
}

/// A structural schema: every node has a type unless it is int-or-string or preserves unknown
/// fields; no `$ref`, no `nullable` without a type, list-map keys are required properties
/// of the items.
fn check_structural(path: &str, node: &Value, problems: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        problems.push(format!("{path}: not an object"));
        return;
    };
    if obj.contains_key("$ref") || obj.contains_key("definitions") || obj.contains_key("$defs") {
        problems.push(format!("{path}: references are not structural"));
    }
    let typed = obj.contains_key("type")
        || obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true))
        || obj.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
    if !typed {
        problems.push(format!("{path}: no type"));
    }
    if let Some(Value::Array(keys)) = obj.get("x-kubernetes-list-map-keys") {
        let required = node.pointer("/items/required").and_then(Value::as_array);
        for key in keys {
            if !required.is_some_and(|r| r.contains(key)) {
                problems.push(format!("{path}: list-map key {key} is not required"));
            }
        }
    }
    if let Some(Value::Object(props)) = obj.get("properties") {
        for (name, sub) in props {
            check_structural(&format!("{path}.{name}"), sub, problems);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(sub @ Value::Object(_)) = obj.get(key) {
            check_structural(&format!("{path}[{key}]"), sub, problems);
        }
    }
}

#[test]
fn schemas_are_structural() {
    let mut problems = Vec::new();
    for crd in fluxion_api::crd::all() {
        for version in &crd.spec.versions {
            let schema = version
                .schema
                .as_ref()
                .and_then(|s| s.open_api_v3_schema.as_ref());
            let schema = serde_json::to_value(schema.expect("schema")).expect("json");
            let root = format!("{}/{}", crd.spec.names.kind, version.name);
            check_structural(&root, &schema, &mut problems);
        }
    }
    assert!(
        problems.is_empty(),
        "non-structural schema nodes:\n{}",
        problems.join("\n")
    );
}
