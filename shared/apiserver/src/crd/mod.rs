//! Custom resources against their structural schema, as the apiextensions server treats them:
//! pruning of unknown fields, defaulting, and validation into 422 field errors. CEL rules
//! (`x-kubernetes-validations`) are not evaluated.

pub mod cel;
mod validate;

use serde_json::{Map, Value};

pub use validate::validate;

fn props(schema: &Value) -> Option<&Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool) == Some(true)
}

/// The schema of map values (`additionalProperties` as a schema), if any.
fn additional(schema: &Value) -> Option<&Value> {
    schema.get("additionalProperties").filter(|v| v.is_object())
}

/// Removes the fields the schema does not declare, and nulls of fields that are not
/// nullable. Returns the removed paths (for strict field validation), like `spec.foo`.
/// The root keeps `apiVersion`, `kind` and `metadata` whatever the schema says.
pub fn prune(obj: &mut Value, schema: &Value) -> Vec<String> {
    let mut removed = Vec::new();
    prune_at(obj, schema, "", true, &mut removed);
    removed
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn prune_at(obj: &mut Value, schema: &Value, path: &str, root: bool, out: &mut Vec<String>) {
    let preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
    let embedded = root || flag(schema, "x-kubernetes-embedded-resource");
    match obj {
        Value::Object(map) => {
            let properties = props(schema);
            let extra = additional(schema);
            let keys: Vec<String> = map.keys().cloned().collect();
            for k in keys {
                if embedded && matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                    continue;
                }
                let sub = properties.and_then(|p| p.get(&k)).or(extra);
                match sub {
                    Some(sub) => {
                        let Some(v) = map.get_mut(&k) else { continue };
                        if v.is_null() && !flag(sub, "nullable") {
                            map.remove(&k);
                            continue;
                        }
                        prune_at(v, sub, &join(path, &k), false, out);
                    }
                    None if preserve
                        || schema.get("additionalProperties") == Some(&Value::Bool(true)) => {}
                    None => {
                        map.remove(&k);
                        out.push(join(path, &k));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter_mut().enumerate() {
                    prune_at(v, item_schema, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        _ => {}
    }
}

/// Sets the schema's `default` values of missing fields, top-down.
pub fn default(obj: &mut Value, schema: &Value) {
    match obj {
        Value::Object(map) => {
            if let Some(properties) = props(schema) {
                for (k, sub) in properties {
                    let missing = match map.get(k) {
                        None => true,
                        Some(Value::Null) => !flag(sub, "nullable"),
                        Some(_) => false,
                    };
                    if missing && let Some(d) = sub.get("default") {
                        map.insert(k.clone(), d.clone());
                    }
                    if let Some(v) = map.get_mut(k) {
                        default(v, sub);
                    }
                }
            }
            if let Some(extra) = additional(schema) {
                let declared = props(schema);
                for (k, v) in map.iter_mut() {
                    if declared.is_none_or(|p| !p.contains_key(k)) {
                        default(v, extra);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items.iter_mut() {
                    default(v, item_schema);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "interval": {"type": "string", "default": "5m"},
                        "suspend": {"type": "boolean"},
                        "ref": {"type": "object", "default": {}, "properties": {"branch": {"type": "string", "default": "main"}}},
                        "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}}},
                        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                    }
                },
                "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
            }
        })
    }

    #[test]
    fn prunes_unknown_fields_but_preserved_ones() {
        let mut obj = json!({
            "apiVersion": "x/v1", "kind": "K", "metadata": {"name": "a"},
            "spec": {"bogus": 1, "suspend": null, "free": {"any": {"thing": 1}}, "labels": {"a": "b"},
                     "items": [{"n": 2, "junk": true}]},
            "top": 1
        });
        let removed = prune(&mut obj, &schema());
        assert_eq!(removed, ["spec.bogus", "spec.items[0].junk", "top"]);
        assert_eq!(obj["spec"]["free"]["any"]["thing"], 1);
        assert_eq!(obj["spec"]["labels"]["a"], "b");
        assert!(obj["spec"].get("suspend").is_none());
        assert_eq!(obj["metadata"]["name"], "a");
    }

    #[test]
    fn defaults_top_down() {
        let mut obj = json!({"spec": {"items": [{}]}});
        default(&mut obj, &schema());
        assert_eq!(obj["spec"]["interval"], "5m");
        assert_eq!(obj["spec"]["ref"]["branch"], "main");
        assert_eq!(obj["spec"]["items"][0]["n"], 1);
    }
}
