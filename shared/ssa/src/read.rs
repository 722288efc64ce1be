//! Decoding manifests into objects as Flux's `ReadObjects`: multi-document YAML or JSON,
//! `*List` kinds expanded, documents that are not Kubernetes objects (no apiVersion, kind or
//! name) and kustomize's own `Kustomization` files dropped.

use kube::api::DynamicObject;
use serde_json::Value;

/// A manifest that does not decode.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("failed to decode YAML: {0}")]
    Yaml(String),
    #[error("failed to decode object {index}: {message}")]
    Object { index: usize, message: String },
}

/// The Kubernetes objects of a multi-document manifest, in document order.
pub fn read_objects(input: &str) -> Result<Vec<DynamicObject>, ReadError> {
    let docs: Vec<Value> =
        serde_saphyr::from_multiple(input).map_err(|e| ReadError::Yaml(e.to_string()))?;
    let mut out = Vec::new();
    for doc in docs {
        let is_list = doc
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"))
            && doc.get("items").is_some_and(Value::is_array);
        let items = if is_list {
            doc.get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        } else {
            vec![doc]
        };
        for item in items.into_iter().filter(|i| is_list || keep(i)) {
            let index = out.len();
            let obj = serde_json::from_value(item).map_err(|e| ReadError::Object {
                index,
                message: e.to_string(),
            })?;
            out.push(obj);
        }
    }
    Ok(out)
}

/// A Kubernetes object other than a kustomize config file.
fn keep(doc: &Value) -> bool {
    let field = |p: &str| doc.pointer(p).and_then(Value::as_str).unwrap_or("");
    let kustomization = field("/kind") == "Kustomization"
        && field("/apiVersion").starts_with("kustomize.config.k8s.io/");
    !field("/apiVersion").is_empty()
        && !field("/kind").is_empty()
        && !field("/metadata/name").is_empty()
        && !kustomization
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objmeta::ObjMetadata;

    #[test]
    fn reads_like_flux() {
        let input = r#"---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: ns
data:
  n: "1"
---
# only a comment
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata:
  name: ignored
---
apiVersion: v1
kind: ConfigMap
metadata: {}
---
{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"}}
]}
"#;
        let objs = read_objects(input).expect("read");
        let names: Vec<String> = objs
            .iter()
            .map(|o| ObjMetadata::from_object(o).to_string())
            .collect();
        assert_eq!(names, ["ConfigMap/ns/a", "Secret/ns/s"]);
        assert_eq!(objs[0].data["data"]["n"], "1");
    }

    #[test]
    fn bad_yaml_is_an_error() {
        let err = read_objects("a: [").expect_err("bad");
        assert!(
            err.to_string().starts_with("failed to decode YAML"),
            "{err}"
        );
    }
}
