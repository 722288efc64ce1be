//! YAML documents as `flux ... --export` prints them: sigs.k8s.io/yaml's output (sorted keys,
//! go-yaml v2 style), each document opened by `---`.

use serde_json::Value;

use fluxion_kustomize::yaml;

/// One document, `---` first.
pub fn export_doc(value: &Value) -> String {
    format!("---\n{}", yaml::to_yaml(&yaml::Value::from(value)))
}

/// What `flux export` keeps of a live object: apiVersion, kind, name, namespace, labels,
/// annotations and spec; never status or server-set metadata.
pub fn exportable(live: &Value) -> Value {
    let mut metadata = serde_json::Map::new();
    let meta = live.get("metadata");
    for key in ["name", "namespace", "labels", "annotations"] {
        if let Some(v) = meta.and_then(|m| m.get(key)) {
            metadata.insert(key.to_string(), v.clone());
        }
    }
    if let Some(Value::Object(annotations)) = metadata.get_mut("annotations") {
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
    }
    let mut out = serde_json::Map::new();
    for key in ["apiVersion", "kind"] {
        if let Some(v) = live.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    out.insert("metadata".to_string(), Value::Object(metadata));
    if let Some(spec) = live.get("spec") {
        out.insert("spec".to_string(), spec.clone());
    }
    Value::Object(out)
}

/// Writes to stdout; a reader that went away (`| head`) ends the output quietly, as Go's
/// CLIs do, instead of failing.
pub fn emit(text: &str) -> Result<(), std::io::Error> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn export_keeps_only_the_declared_parts() {
        let live = json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "GitRepository",
            "metadata": {"name": "app", "namespace": "flux-system", "uid": "u", "resourceVersion": "7",
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {"url": "https://example.com/app", "interval": "1m0s", "ref": {"branch": "main"}},
            "status": {"observedGeneration": 1}
        });
        assert_eq!(
            export_doc(&exportable(&live)),
            "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: main\n  url: https://example.com/app\n"
        );
    }
}
