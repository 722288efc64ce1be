//! Drift: whether the server-side dry-run result differs from the live object in labels,
//! annotations or anything outside `metadata` and `status` (Flux's `hasDrifted`).

use serde_json::Value;

/// Whether applying would change the live object. `live` is None when it does not exist;
/// a dry-run result without `resourceVersion` is a creation.
pub fn has_drifted(live: Option<&Value>, dry_run: &Value) -> bool {
    let Some(live) = live else {
        return true;
    };
    if str_at(dry_run, &["metadata", "resourceVersion"]).is_empty() {
        return true;
    }
    for field in ["labels", "annotations"] {
        if !maps_equal(
            dry_run.pointer(&format!("/metadata/{field}")),
            live.pointer(&format!("/metadata/{field}")),
        ) {
            return true;
        }
    }
    without_metadata_and_status(live) != without_metadata_and_status(dry_run)
}

/// Go's semantic equality treats a nil map and an empty map alike.
fn maps_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        _ => false,
    };
    if empty(a) && empty(b) {
        return true;
    }
    a == b
}

fn without_metadata_and_status(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("metadata");
        m.remove("status");
    }
    v
}

pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn live() -> Value {
        json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "a", "resourceVersion": "5", "generation": 1,
                         "managedFields": [{"manager": "x"}], "creationTimestamp": "2024-01-01T00:00:00Z",
                         "labels": {"app": "a"}},
            "data": {"k": "v"}
        })
    }

    #[test]
    fn drift_table() {
        let mut changed_data = live();
        changed_data["data"]["k"] = json!("w");
        let mut changed_label = live();
        changed_label["metadata"]["labels"]["app"] = json!("b");
        let mut only_meta = live();
        only_meta["metadata"]["resourceVersion"] = json!("6");
        only_meta["metadata"]["managedFields"] = json!([{"manager": "y"}]);
        only_meta["status"] = json!({"phase": "x"});
        let mut no_rv = live();
        no_rv["metadata"]["resourceVersion"] = json!("");
        let mut empty_annotations = live();
        empty_annotations["metadata"]["annotations"] = json!({});

        let cases: [(&str, Option<Value>, Value, bool); 6] = [
            ("absent", None, live(), true),
            ("same", Some(live()), live(), false),
            ("data changed", Some(live()), changed_data, true),
            ("label changed", Some(live()), changed_label, true),
            ("metadata and status only", Some(live()), only_meta, false),
            ("no resourceVersion", Some(live()), no_rv, true),
        ];
        for (name, l, d, want) in cases {
            assert_eq!(has_drifted(l.as_ref(), &d), want, "{name}");
        }
        assert!(!has_drifted(Some(&live()), &empty_annotations));
    }
}
