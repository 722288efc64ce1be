//! RFC 7386 JSON merge patch (`application/merge-patch+json`), as the API server applies it to
//! every kind, custom resources included.

use serde_json::{Map, Value};

/// Applies a JSON merge patch: `null` deletes a member, objects merge recursively, anything
/// else (arrays included) replaces. New values lose their `null`s at every depth (object members
/// and array items), as they do in the JSON patch library of a real server.
pub fn merge_patch(doc: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(members) => {
            let mut target = match doc {
                Value::Object(map) => map.clone(),
                _ => Map::new(),
            };
            for (key, value) in members {
                if value.is_null() {
                    target.remove(key);
                } else {
                    let merged = match target.get(key) {
                        Some(current) => merge_patch(current, value),
                        None => without_nulls(value),
                    };
                    target.insert(key.clone(), merged);
                }
            }
            Value::Object(target)
        }
        other => without_nulls(other),
    }
}

/// A copy of `value` without `null` object members and array items, at every depth.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7386_examples() {
        // The table of RFC 7386 appendix A, plus the cases that matter to Kubernetes objects.
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (
                json!({"a": "b", "b": "c"}),
                json!({"a": null}),
                json!({"b": "c"}),
            ),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a": "b"}), json!(["c"]), json!(["c"])),
            (json!({"a": "foo"}), json!(null), json!(null)),
            (json!({"a": "foo"}), json!("bar"), json!("bar")),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!([1, 2]),
                json!({"a": "b", "c": null}),
                json!({"a": "b"}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (doc, patch, want) in cases {
            assert_eq!(merge_patch(&doc, &patch), want, "{doc} + {patch}");
        }
    }

    #[test]
    fn kubernetes_shaped_patches() {
        let doc = json!({
            "metadata": {"name": "x", "labels": {"a": "1", "b": "2"}, "finalizers": ["f1"]},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "c", "image": "i:1"}]}}}
        });
        let cases = [
            (
                json!({"metadata": {"labels": {"a": null, "c": "3"}}}),
                json!({"name": "x", "labels": {"b": "2", "c": "3"}, "finalizers": ["f1"]}),
                json!({"replicas": 1, "template": {"spec": {"containers": [{"name": "c", "image": "i:1"}]}}}),
            ),
            (
                // lists replace as a whole, new objects inside them lose their nulls
                json!({"metadata": {"finalizers": ["f2"]}, "spec": {"template": {"spec": {"containers": [{"name": "d", "image": null}]}}}}),
                json!({"name": "x", "labels": {"a": "1", "b": "2"}, "finalizers": ["f2"]}),
                json!({"replicas": 1, "template": {"spec": {"containers": [{"name": "d"}]}}}),
            ),
            (
                json!({"spec": {"replicas": null}, "metadata": {"labels": null}}),
                json!({"name": "x", "finalizers": ["f1"]}),
                json!({"template": {"spec": {"containers": [{"name": "c", "image": "i:1"}]}}}),
            ),
        ];
        for (patch, meta, spec) in cases {
            let got = merge_patch(&doc, &patch);
            assert_eq!(got["metadata"], meta, "{patch}");
            assert_eq!(got["spec"], spec, "{patch}");
        }
    }
}
