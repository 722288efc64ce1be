//! Fields a real kube-apiserver refuses to change on update (its `ValidateXUpdate` rules):
//! immutable ConfigMaps/Secrets, workload selectors, StatefulSet and Job spec, Service
//! cluster IPs, PVC spec and object identity. Pure: old and new object in, field errors out.

use serde_json::{Map, Value};

use crate::error::{FieldError, render_value};
use crate::registry::ResourceType;

const IMMUTABLE: &str = "field is immutable";
const WHEN_SET: &str = "field is immutable when `immutable` is set";
const STS_FORBIDDEN: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const PVC_FORBIDDEN: &str = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

/// The errors of updating `old` to `new` (both as they would be stored).
pub fn errors(rt: &ResourceType, old: &Value, new: &Value) -> Vec<FieldError> {
    let mut errs = identity(old, new);
    if rt.crd.is_none() {
        errs.extend(kind_errors(&rt.group, &rt.kind, old, new));
    }
    errs
}

/// The rules of one built-in kind.
fn kind_errors(group: &str, kind: &str, old: &Value, new: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match (group, kind) {
        ("", "ConfigMap") => errs.extend(sealed(old, new, &["data", "binaryData"])),
        ("", "Secret") => {
            errs.extend(sealed(old, new, &["data"]));
            errs.extend(same(old, new, "/type", "type", IMMUTABLE));
        }
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet") => errs.extend(selector(old, new)),
        ("apps", "StatefulSet") => errs.extend(statefulset(old, new)),
        ("batch", "Job") => errs.extend(job(old, new)),
        ("", "Service") => errs.extend(service(old, new)),
        ("", "PersistentVolumeClaim") => {
            errs.extend(pvc(old, new));
            errs.extend(pvc_shrink(old, new));
        }
        _ => {}
    }
    errs
}

fn at<'a>(v: &'a Value, pointer: &str) -> &'a Value {
    v.pointer(pointer).unwrap_or(&Value::Null)
}

/// `field: Invalid value: <new>: <detail>` when the value at `pointer` changed.
fn same(old: &Value, new: &Value, pointer: &str, field: &str, detail: &str) -> Option<FieldError> {
    let (o, n) = (at(old, pointer), at(new, pointer));
    (o != n).then(|| FieldError::invalid(field, n, detail))
}

/// A changed uid is refused (an empty one was filled from the stored object before).
fn identity(old: &Value, new: &Value) -> Vec<FieldError> {
    same(old, new, "/metadata/uid", "metadata.uid", IMMUTABLE)
        .into_iter()
        .collect()
}

/// ConfigMap/Secret with `immutable: true`: the flag and the data fields stay as they are.
fn sealed(old: &Value, new: &Value, fields: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if at(old, "/immutable") != &Value::Bool(true) {
        return errs;
    }
    if at(new, "/immutable") != &Value::Bool(true) {
        errs.push(FieldError::forbidden("immutable", WHEN_SET));
    }
    for f in fields {
        // An absent map differs from an empty one, as Go's DeepEqual of nil and {} says.
        if at(old, &format!("/{f}")) != at(new, &format!("/{f}")) {
            errs.push(FieldError::forbidden(*f, WHEN_SET));
        }
    }
    errs
}

fn selector(old: &Value, new: &Value) -> Option<FieldError> {
    let (o, n) = (at(old, "/spec/selector"), at(new, "/spec/selector"));
    (o != n).then(|| FieldError {
        reason: "FieldValueInvalid",
        field: "spec.selector".into(),
        message: format!("Invalid value: {}: {IMMUTABLE}", go_label_selector(n)),
    })
}

/// `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:...}`, the
/// `%#v` rendering upstream's message carries (Go prints map keys sorted).
pub fn go_label_selector(sel: &Value) -> String {
    let labels = match sel.get("matchLabels").and_then(Value::as_object) {
        Some(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let pairs: Vec<String> = keys
                .iter()
                .map(|k| {
                    let v = m.get(*k).and_then(Value::as_str).unwrap_or_default();
                    format!("{}:{}", go_str(k), go_str(v))
                })
                .collect();
            format!("map[string]string{{{}}}", pairs.join(", "))
        }
        None => "map[string]string(nil)".to_string(),
    };
    let exprs = match sel.get("matchExpressions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            let items: Vec<String> = list.iter().map(go_requirement).collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
        _ => "[]v1.LabelSelectorRequirement(nil)".to_string(),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

fn go_requirement(r: &Value) -> String {
    let values = match r.get("values").and_then(Value::as_array) {
        Some(vs) => {
            let q: Vec<String> = vs
                .iter()
                .map(|v| go_str(v.as_str().unwrap_or_default()))
                .collect();
            format!("[]string{{{}}}", q.join(", "))
        }
        None => "[]string(nil)".to_string(),
    };
    format!(
        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
        go_str(r.get("key").and_then(Value::as_str).unwrap_or_default()),
        go_str(
            r.get("operator")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ),
    )
}

fn go_str(s: &str) -> String {
    crate::fieldmanager::go_quote(s)
}

/// The spec with the listed fields removed, to compare what may not change.
fn spec_without(obj: &Value, mutable: &[&str]) -> Map<String, Value> {
    let mut spec = obj
        .get("spec")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for f in mutable {
        spec.remove(*f);
    }
    spec
}

fn statefulset(old: &Value, new: &Value) -> Option<FieldError> {
    const MUTABLE: &[&str] = &[
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    ];
    (spec_without(old, MUTABLE) != spec_without(new, MUTABLE))
        .then(|| FieldError::forbidden("spec", STS_FORBIDDEN))
}

fn job(old: &Value, new: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    // Upstream lets an Indexed job scale completions together with parallelism.
    let elastic = at(new, "/spec/completionMode") == "Indexed"
        && at(new, "/spec/completions") == at(new, "/spec/parallelism")
        && at(old, "/spec/completions") == at(old, "/spec/parallelism");
    if !elastic {
        errs.extend(same(
            old,
            new,
            "/spec/completions",
            "spec.completions",
            IMMUTABLE,
        ));
    }
    if at(old, "/spec/selector") != at(new, "/spec/selector") {
        errs.push(FieldError {
            reason: "FieldValueInvalid",
            field: "spec.selector".into(),
            message: format!(
                "Invalid value: {}: {IMMUTABLE}",
                go_label_selector(at(new, "/spec/selector"))
            ),
        });
    }
    let template_changed =
        if at(old, "/spec/suspend") == true && at(old, "/status/startTime").is_null() {
            scheduling_free(at(old, "/spec/template")) != scheduling_free(at(new, "/spec/template"))
        } else {
            at(old, "/spec/template") != at(new, "/spec/template")
        };
    if template_changed {
        errs.push(FieldError {
            reason: "FieldValueInvalid",
            field: "spec.template".into(),
            message: format!(
                "Invalid value: {}: {IMMUTABLE}",
                super::immutable_go::pod_template(at(new, "/spec/template"))
            ),
        });
    }
    for (p, f) in [
        ("/spec/completionMode", "spec.completionMode"),
        ("/spec/podFailurePolicy", "spec.podFailurePolicy"),
        ("/spec/backoffLimitPerIndex", "spec.backoffLimitPerIndex"),
        ("/spec/managedBy", "spec.managedBy"),
        ("/spec/successPolicy", "spec.successPolicy"),
    ] {
        errs.extend(same(old, new, p, f, IMMUTABLE));
    }
    errs
}

/// A Job template without what a suspended, never started Job may still change (upstream's
/// mutable scheduling directives): node selector and affinity, tolerations, scheduling gates,
/// labels and annotations.
fn scheduling_free(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("labels");
        meta.remove("annotations");
        if meta.is_empty() {
            t.as_object_mut().map(|m| m.remove("metadata"));
        }
    }
    if let Some(spec) = t.get_mut("spec").and_then(Value::as_object_mut) {
        for f in ["nodeSelector", "tolerations", "schedulingGates"] {
            spec.remove(f);
        }
        if let Some(aff) = spec.get_mut("affinity").and_then(Value::as_object_mut) {
            aff.remove("nodeAffinity");
            if aff.is_empty() {
                spec.remove("affinity");
            }
        }
    }
    t
}

/// Cluster IPs may not change once allocated, except to or from ExternalName.
fn service(old: &Value, new: &Value) -> Vec<FieldError> {
    let external = |v: &Value| at(v, "/spec/type") == "ExternalName";
    if external(old) || external(new) {
        return Vec::new();
    }
    let ips = |v: &Value| -> Vec<Value> {
        match at(v, "/spec/clusterIPs").as_array() {
            Some(a) if !a.is_empty() => a.clone(),
            _ => match at(v, "/spec/clusterIP") {
                Value::String(s) if !s.is_empty() => vec![Value::String(s.clone())],
                _ => Vec::new(),
            },
        }
    };
    let (o, mut n) = (ips(old), ips(new));
    // A new clusterIP that disagrees with clusterIPs is the change a user meant.
    if let (Some(Value::String(ip)), Some(first)) = (new.pointer("/spec/clusterIP"), n.first())
        && !ip.is_empty()
        && first != ip
    {
        n[0] = Value::String(ip.clone());
    }
    let rendered = format!(
        "[]string{{{}}}",
        n.iter().map(render_value).collect::<Vec<_>>().join(", ")
    );
    let mut errs = Vec::new();
    for i in 0..o.len().min(n.len()).min(2) {
        if o[i] != n[i] {
            errs.push(FieldError {
                reason: "FieldValueInvalid",
                field: format!("spec.clusterIPs[{i}]"),
                message: format!("Invalid value: {rendered}: may not change once set"),
            });
        }
    }
    errs
}

fn pvc(old: &Value, new: &Value) -> Option<FieldError> {
    let mut o = spec_without(old, &["volumeAttributesClassName"]);
    let mut n = spec_without(new, &["volumeAttributesClassName"]);
    // The binder sets volumeName once.
    if at(old, "/spec/volumeName")
        .as_str()
        .unwrap_or("")
        .is_empty()
    {
        o.remove("volumeName");
        n.remove("volumeName");
    }
    if at(new, "/status/phase") == "Bound" {
        for spec in [&mut o, &mut n] {
            if let Some(req) = spec
                .get_mut("resources")
                .and_then(|r| r.get_mut("requests"))
                .and_then(Value::as_object_mut)
            {
                req.remove("storage");
            }
        }
    }
    (o != n).then(|| FieldError::forbidden("spec", PVC_FORBIDDEN))
}

/// A bound claim may grow, never shrink.
fn pvc_shrink(old: &Value, new: &Value) -> Option<FieldError> {
    const P: &str = "/spec/resources/requests/storage";
    let size = |v: &Value| at(v, P).as_str().and_then(quantity_value);
    match (size(old), size(new)) {
        (Some(o), Some(n)) if n < o => Some(FieldError::forbidden(
            "spec.resources.requests.storage",
            "field can not be less than previous value",
        )),
        _ => None,
    }
}

/// The value of a resource quantity (`1Gi`, `500M`, `1.5e3`), for comparisons only.
pub fn quantity_value(s: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let s = s.trim();
    for (suffix, factor) in SUFFIXES {
        if let Some(num) = s.strip_suffix(suffix) {
            return num.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
#[path = "immutable_tests.rs"]
mod tests;
