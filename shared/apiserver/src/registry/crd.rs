//! CustomResourceDefinitions: checking one, the resource types it serves, and the status a
//! real server gives it (accepted names, Established and NamesAccepted conditions).

use serde_json::{Value, json};

use super::{ALL_VERBS, CrdVersion, ResourceType};
use crate::error::FieldError;
use crate::meta::strings_at;

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

/// The field errors of a CRD, as the apiextensions validation words them (a useful subset).
pub fn validate(crd: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let group = str_at(crd, "/spec/group");
    let plural = str_at(crd, "/spec/names/plural");
    let name = str_at(crd, "/metadata/name");
    if group.is_empty() {
        errs.push(FieldError::required("spec.group", ""));
    }
    if plural.is_empty() {
        errs.push(FieldError::required("spec.names.plural", ""));
    }
    if str_at(crd, "/spec/names/kind").is_empty() {
        errs.push(FieldError::required("spec.names.kind", ""));
    }
    if !group.is_empty() && !plural.is_empty() && name != format!("{plural}.{group}") {
        errs.push(FieldError::invalid(
            "metadata.name",
            &json!(name),
            "must be spec.names.plural+\".\"+spec.group",
        ));
    }
    let scope = str_at(crd, "/spec/scope");
    if scope != "Namespaced" && scope != "Cluster" {
        errs.push(FieldError::not_supported(
            "spec.scope",
            &json!(scope),
            &[json!("Cluster"), json!("Namespaced")],
        ));
    }
    let versions = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if versions.is_empty() {
        errs.push(FieldError::invalid(
            "spec.versions",
            &json!(null),
            "must have exactly one version marked as storage version",
        ));
    } else if versions
        .iter()
        .filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .count()
        != 1
    {
        errs.push(FieldError::invalid(
            "spec.versions",
            &Value::Array(versions.clone()),
            "must have exactly one version marked as storage version",
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if str_at(v, "/name").is_empty() {
            errs.push(FieldError::required(format!("spec.versions[{i}].name"), ""));
        }
    }
    errs.extend(rule_errors(&versions));
    errs
}

/// A validation rule as kube-apiserver prints it in errors (Go's `%#v` of its internal
/// type; pointers it cannot show are given as set or nil).
fn go_rule(rule: &Value) -> String {
    let q = |k: &str| crate::fieldmanager::go_quote(str_at(rule, &format!("/{k}")));
    let ptr = |k: &str, ty: &str| match rule.get(k) {
        Some(_) => format!("({ty})(0xc000000000)"),
        None => format!("({ty})(nil)"),
    };
    format!(
        "apiextensions.ValidationRule{{Rule:{}, Message:{}, MessageExpression:{}, Reason:{}, FieldPath:{}, OptionalOldSelf:{}}}",
        q("rule"),
        q("message"),
        q("messageExpression"),
        ptr("reason", "*apiextensions.FieldValueErrorReason"),
        q("fieldPath"),
        ptr("optionalOldSelf", "*bool"),
    )
}

/// Rules that do not compile make the CRD invalid, as on kube-apiserver. Versions sharing
/// one schema are reported under `spec.validation`, where kube-apiserver's internal form
/// keeps such a schema.
fn rule_errors(versions: &[Value]) -> Vec<FieldError> {
    let schemas: Vec<Option<&Value>> = versions
        .iter()
        .map(|v| v.pointer("/schema/openAPIV3Schema"))
        .collect();
    let shared = schemas.windows(2).all(|w| w[0] == w[1]);
    let mut errs = Vec::new();
    for (i, schema) in schemas.iter().enumerate() {
        let Some(schema) = schema else { continue };
        let base = if shared {
            "spec.validation.openAPIV3Schema".to_string()
        } else {
            format!("spec.versions[{i}].schema.openAPIV3Schema")
        };
        crate::crd::cel::Rules::compile(schema, &base, &mut errs);
        if shared {
            break;
        }
    }
    errs.into_iter()
        .map(|e| {
            use crate::crd::cel::CompileErrorKind as K;
            let (reason, message) = match e.kind {
                K::Invalid => (
                    "FieldValueInvalid",
                    format!("Invalid value: {}: {}", go_rule(&e.rule), e.message),
                ),
                K::Forbidden => ("FieldValueForbidden", format!("Forbidden: {}", e.message)),
                K::Required => (
                    "FieldValueRequired",
                    format!("Required value: {}", e.message),
                ),
            };
            FieldError {
                reason,
                field: e.field,
                message,
            }
        })
        .collect()
}

/// The resource types a CRD serves: one per served version.
pub fn types_of(crd: &Value) -> Vec<ResourceType> {
    let crd_name = str_at(crd, "/metadata/name").to_string();
    let group = str_at(crd, "/spec/group").to_string();
    let plural = str_at(crd, "/spec/names/plural").to_string();
    let kind = str_at(crd, "/spec/names/kind").to_string();
    let singular = match str_at(crd, "/spec/names/singular") {
        "" => kind.to_lowercase(),
        s => s.to_string(),
    };
    let namespaced = str_at(crd, "/spec/scope") != "Cluster";
    let versions = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    versions
        .iter()
        .filter(|v| v.get("served").and_then(Value::as_bool) != Some(false))
        .map(|v| {
            let mut subresources = Vec::new();
            if v.pointer("/subresources/status").is_some() {
                subresources.push("status".to_string());
            }
            if v.pointer("/subresources/scale").is_some() {
                subresources.push("scale".to_string());
            }
            ResourceType {
                group: group.clone(),
                storage_group: group.clone(),
                version: str_at(v, "/name").to_string(),
                resource: plural.clone(),
                singular: singular.clone(),
                kind: kind.clone(),
                namespaced,
                short_names: strings_at(crd, "/spec/names/shortNames"),
                categories: strings_at(crd, "/spec/names/categories"),
                verbs: ALL_VERBS.iter().map(|s| s.to_string()).collect(),
                subresources,
                generation: true,
                create_on_update: false,
                crd: Some(CrdVersion {
                    crd_name: crd_name.clone(),
                    schema: v.pointer("/schema/openAPIV3Schema").cloned(),
                    printer_columns: v
                        .get("additionalPrinterColumns")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                    storage: v.get("storage").and_then(Value::as_bool) == Some(true),
                    rules: v
                        .pointer("/schema/openAPIV3Schema")
                        .and_then(|s| crate::crd::cel::Rules::compile(s, "", &mut Vec::new()))
                        .map(std::sync::Arc::new),
                }),
            }
        })
        .collect()
}

fn condition(type_: &str, status: &str, reason: &str, message: &str, now: &str) -> Value {
    json!({
        "type": type_,
        "status": status,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    })
}

/// NamesAccepted and Established, as accepted or blocked by a name conflict.
fn conditions(conflict: Option<&str>, now: &str) -> (Value, Value) {
    match conflict {
        None => (
            condition(
                "NamesAccepted",
                "True",
                "NoConflicts",
                "no conflicts found",
                now,
            ),
            condition(
                "Established",
                "True",
                "InitialNamesAccepted",
                "the initial names have been accepted",
                now,
            ),
        ),
        Some(name) => (
            condition(
                "NamesAccepted",
                "False",
                "NameConflict",
                &format!("\"{name}\" is already in use"),
                now,
            ),
            condition(
                "Established",
                "False",
                "NotAccepted",
                "not all names are accepted",
                now,
            ),
        ),
    }
}

/// The status of an accepted CRD: its names, Established and NamesAccepted, stored versions.
/// `conflict` names a plural or kind already taken in the group, which blocks acceptance.
pub fn status(crd: &Value, conflict: Option<&str>, now: &str) -> Value {
    let old = crd.get("status").cloned().unwrap_or_else(|| json!({}));
    let keep_time = |type_: &str, status: &str, fresh: Value| -> Value {
        let same = old
            .get("conditions")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c["type"] == type_ && c["status"] == status)
            });
        match same {
            Some(c) => {
                let mut fresh = fresh;
                fresh["lastTransitionTime"] = c["lastTransitionTime"].clone();
                fresh
            }
            None => fresh,
        }
    };
    let (names_cond, est_cond) = conditions(conflict, now);
    let names_status = names_cond["status"].as_str().unwrap_or("").to_string();
    let est_status = est_cond["status"].as_str().unwrap_or("").to_string();
    let mut names = crd
        .pointer("/spec/names")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if names.get("singular").is_none() {
        names["singular"] = json!(str_at(crd, "/spec/names/kind").to_lowercase());
    }
    if names.get("listKind").is_none() {
        names["listKind"] = json!(format!("{}List", str_at(crd, "/spec/names/kind")));
    }
    let mut stored = strings_at(&old, "/storedVersions");
    for v in crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if v.get("storage").and_then(Value::as_bool) == Some(true) {
            let name = str_at(v, "/name").to_string();
            if !stored.contains(&name) {
                stored.push(name);
            }
        }
    }
    json!({
        "conditions": [
            keep_time("NamesAccepted", &names_status, names_cond),
            keep_time("Established", &est_status, est_cond),
        ],
        "acceptedNames": if conflict.is_none() { names } else { old.get("acceptedNames").cloned().unwrap_or_else(|| json!({"plural": "", "kind": ""})) },
        "storedVersions": stored,
    })
}

/// The Terminating condition a CRD shows while its objects are removed.
pub fn terminating_condition(now: &str) -> Value {
    condition(
        "Terminating",
        "True",
        "InstanceDeletionInProgress",
        "CustomResource deletion is in progress",
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd() -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
                "versions": [
                    {"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                     "schema": {"openAPIV3Schema": {"type": "object"}}},
                    {"name": "v1beta1", "served": false, "storage": false}
                ]
            }
        })
    }

    #[test]
    fn serves_each_served_version() {
        assert!(validate(&crd()).is_empty());
        let t = types_of(&crd());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].singular, "widget");
        assert!(t[0].has_status() && t[0].namespaced);
        let s = status(&crd(), None, "2024-01-01T00:00:00Z");
        assert_eq!(s["conditions"][1]["type"], "Established");
        assert_eq!(s["acceptedNames"]["listKind"], "WidgetList");
        assert_eq!(s["storedVersions"], json!(["v1"]));
    }

    #[test]
    fn rejects_wrong_name() {
        let mut c = crd();
        c["metadata"]["name"] = json!("foo");
        let errs = validate(&c);
        assert_eq!(errs[0].field, "metadata.name");
    }
}
