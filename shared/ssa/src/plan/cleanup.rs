//! The JSON patch (RFC 6902) that removes kubectl's last-applied annotation and hands the
//! fields of foreign managers (kubectl, before-first-apply, the owner's pre-SSA updates) to
//! the owner's Apply entry, as Flux's `cleanupMetadata` / `PatchReplaceFieldsManagers`.

use serde_json::{Map, Value, json};

use crate::options::{ApplyCleanupOptions, FieldManager};

/// The patch operations to send for `live`, empty when nothing needs cleaning.
pub fn cleanup_patch(live: &Value, opts: &ApplyCleanupOptions, owner_field: &str) -> Vec<Value> {
    let mut ops = Vec::new();
    for (field, keys) in [("annotations", &opts.annotations), ("labels", &opts.labels)] {
        let Some(map) = live
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for key in keys.iter().filter(|k| map.contains_key(*k)) {
            ops.push(json!({"op": "remove", "path": format!("/metadata/{field}/{}", escape(key))}));
        }
    }
    if !opts.field_managers.is_empty() {
        let entries = live
            .pointer("/metadata/managedFields")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(replaced) = replace_managers(&entries, &opts.field_managers, owner_field) {
            ops.push(
                json!({"op": "replace", "path": "/metadata/managedFields", "value": replaced}),
            );
        }
    }
    ops
}

/// JSON pointer escaping of one path segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn field<'a>(entry: &'a Value, name: &str) -> &'a str {
    entry.get(name).and_then(Value::as_str).unwrap_or("")
}

fn is_foreign(entry: &Value, managers: &[FieldManager]) -> bool {
    managers.iter().any(|m| {
        field(entry, "manager").starts_with(&m.name)
            && field(entry, "operation") == m.operation.as_str()
            && field(entry, "subresource").is_empty()
    })
}

/// The managedFields with every foreign entry merged into the owner's Apply entry (renaming
/// the first foreign entry when the owner has none), or None when no entry is foreign.
fn replace_managers(
    entries: &[Value],
    managers: &[FieldManager],
    owner: &str,
) -> Option<Vec<Value>> {
    let prev_index = entries
        .iter()
        .rposition(|e| field(e, "manager") == owner && field(e, "operation") == "Apply");
    let mut prev = prev_index.map(|i| entries[i].clone());
    let mut kept = Vec::with_capacity(entries.len());
    let mut edited = false;
    for (i, entry) in entries.iter().enumerate() {
        if Some(i) == prev_index {
            continue;
        }
        if !is_foreign(entry, managers) {
            kept.push(entry.clone());
            continue;
        }
        edited = true;
        match prev.as_mut() {
            None => {
                let mut renamed = entry.clone();
                if let Some(m) = renamed.as_object_mut() {
                    m.insert("manager".into(), json!(owner));
                    m.insert("operation".into(), json!("Apply"));
                }
                prev = Some(renamed);
            }
            Some(p) => merge_fields(p, entry),
        }
    }
    if !edited {
        return None;
    }
    kept.extend(prev);
    Some(kept)
}

/// Unions `from`'s fieldsV1 into `into`'s: both are tries of `f:`/`k:`/`v:` keys.
fn merge_fields(into: &mut Value, from: &Value) {
    let Some(src) = from.get("fieldsV1") else {
        return;
    };
    let Some(obj) = into.as_object_mut() else {
        return;
    };
    match obj.get_mut("fieldsV1") {
        Some(dst) => union(dst, src),
        None => {
            obj.insert("fieldsV1".into(), src.clone());
        }
    }
}

fn union(dst: &mut Value, src: &Value) {
    let (Some(d), Some(s)) = (dst.as_object_mut(), src.as_object()) else {
        return;
    };
    for (k, v) in s {
        match d.get_mut(k) {
            Some(existing) => union(existing, v),
            None => {
                d.insert(k.clone(), v.clone());
            }
        }
    }
}

/// An empty object: what a fieldsV1 leaf looks like.
pub fn leaf() -> Value {
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ManagedFieldsOperation::{Apply, Update};

    fn entry(manager: &str, op: &str, fields: Value) -> Value {
        json!({"manager": manager, "operation": op, "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": fields})
    }

    #[test]
    fn removes_last_applied_and_takes_over_kubectl() {
        let live = json!({"metadata": {
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "keep": "x"},
            "managedFields": [
                entry("kubectl-client-side-apply", "Update", json!({"f:data": {"f:a": {}}})),
                entry("kube-controller-manager", "Update", json!({"f:status": {}})),
            ]
        }});
        let ops = cleanup_patch(
            &live,
            &ApplyCleanupOptions::flux("kustomize-controller"),
            "kustomize-controller",
        );
        assert_eq!(ops.len(), 2);
        assert_eq!(
            ops[0],
            json!({"op": "remove", "path": "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"})
        );
        let fields = ops[1]["value"].as_array().expect("entries");
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0]["manager"], "kube-controller-manager");
        assert_eq!(fields[1]["manager"], "kustomize-controller");
        assert_eq!(fields[1]["operation"], "Apply");
        assert_eq!(fields[1]["fieldsV1"], json!({"f:data": {"f:a": {}}}));
    }

    #[test]
    fn merges_into_existing_owner_entry() {
        let live = json!({"metadata": {"managedFields": [
            entry("kustomize-controller", "Apply", json!({"f:data": {"f:a": {}}})),
            entry("kubectl", "Apply", json!({"f:data": {"f:b": {}}})),
            entry("before-first-apply", "Update", json!({"f:metadata": {"f:labels": {"f:x": {}}}})),
        ]}});
        let opts = ApplyCleanupOptions {
            field_managers: vec![
                FieldManager::new("kubectl", Apply),
                FieldManager::new("before-first-apply", Update),
            ],
            ..Default::default()
        };
        let ops = cleanup_patch(&live, &opts, "kustomize-controller");
        let fields = ops[0]["value"].as_array().expect("entries");
        assert_eq!(fields.len(), 1);
        assert_eq!(
            fields[0]["fieldsV1"],
            json!({"f:data": {"f:a": {}, "f:b": {}}, "f:metadata": {"f:labels": {"f:x": {}}}})
        );
    }

    #[test]
    fn nothing_to_clean() {
        let live = json!({"metadata": {"managedFields": [
            entry("kustomize-controller", "Apply", json!({"f:data": {}})),
            entry("kubectl", "Update", json!({"f:status": {}})),
        ]}});
        let mut with_sub = live.clone();
        with_sub["metadata"]["managedFields"][1]["subresource"] = json!("status");
        let opts = ApplyCleanupOptions::flux("kustomize-controller");
        assert!(cleanup_patch(&with_sub, &opts, "kustomize-controller").is_empty());
        assert_eq!(cleanup_patch(&live, &opts, "kustomize-controller").len(), 1);
        assert!(cleanup_patch(&json!({"metadata": {}}), &opts, "kustomize-controller").is_empty());
        assert_eq!(leaf(), json!({}));
    }
}
