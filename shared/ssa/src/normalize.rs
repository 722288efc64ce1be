//! Flux's normalization of desired objects before apply (`normalize.Unstructured`): defaults
//! the API server would fill in so that the dry-run comparison is stable.
//!
//! kustomize-controller calls [`normalize_list`] on its build output before applying, as Flux
//! does; the apply functions do not call it themselves.

use base64::Engine as _;
use kube::api::DynamicObject;
use serde_json::{Map, Value};

use crate::unstructured::{api_version, is_crd, kind};

/// Normalizes every object except RBAC Roles and ClusterRoles (Flux skips them to keep their
/// rules untouched).
pub fn normalize_list(objs: &mut [DynamicObject]) {
    for o in objs {
        let rbac_role = api_version(o) == "rbac.authorization.k8s.io/v1"
            && matches!(kind(o), "Role" | "ClusterRole");
        if !rbac_role {
            normalize(o);
        }
    }
}

/// Sets port protocols to TCP where unset (pods, workload templates, services), moves a
/// Secret's `stringData` into `data`, drops `creationTimestamp`, and drops `status` except on
/// CRDs (kstatus reads a CRD's status).
pub fn normalize(obj: &mut DynamicObject) {
    let pod_spec: Option<&[&str]> = match (api_version(obj), kind(obj)) {
        ("v1", "Pod") => Some(&["spec"]),
        ("apps/v1", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch/v1", "Job") => Some(&["spec", "template", "spec"]),
        ("batch/v1", "CronJob") => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    };
    if let Some(path) = pod_spec
        && let Some(containers) = at_mut(&mut obj.data, path).and_then(|s| s.get_mut("containers"))
    {
        for c in containers.as_array_mut().into_iter().flatten() {
            default_protocols(c.get_mut("ports"));
        }
    }
    match (api_version(obj), kind(obj)) {
        ("v1", "Service") => default_protocols(at_mut(&mut obj.data, &["spec", "ports"])),
        ("v1", "Secret") => move_string_data(&mut obj.data),
        _ => {}
    }
    obj.metadata.creation_timestamp = None;
    if !is_crd(obj)
        && let Some(m) = obj.data.as_object_mut()
    {
        m.remove("status");
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, p| cur.get_mut(*p))
}

fn default_protocols(ports: Option<&mut Value>) {
    for p in ports.and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(m) = p.as_object_mut() {
            let unset = m
                .get("protocol")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty);
            if unset {
                m.insert("protocol".into(), Value::String("TCP".into()));
            }
        }
    }
}

fn move_string_data(data: &mut Value) {
    let Some(obj) = data.as_object_mut() else {
        return;
    };
    let Some(Value::Object(string_data)) = obj.remove("stringData") else {
        return;
    };
    if string_data.is_empty() {
        return;
    }
    let target = obj
        .entry("data")
        .or_insert_with(|| Value::Object(Map::new()));
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Some(t) = target.as_object_mut() {
        for (k, v) in string_data {
            let text = v.as_str().unwrap_or_default().to_string();
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            t.insert(k, Value::String(encoded));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(v: Value) -> Value {
        let mut o: DynamicObject = serde_json::from_value(v).expect("object");
        normalize_list(std::slice::from_mut(&mut o));
        serde_json::to_value(o).expect("json")
    }

    #[test]
    fn normalize_table() {
        let cases = [
            (
                "deployment ports",
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a", "creationTimestamp": "2024-01-01T00:00:00Z"},
                       "spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}]}]}}},
                       "status": {"replicas": 1}}),
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"},
                       "spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 53, "protocol": "UDP"}]}]}}}}),
            ),
            (
                "cronjob ports",
                json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "a"},
                       "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 1}]}]}}}}}}),
                json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "a"},
                       "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 1, "protocol": "TCP"}]}]}}}}}}),
            ),
            (
                "service ports",
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80}]}}),
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80, "protocol": "TCP"}]}}),
            ),
            (
                "secret stringData",
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "data": {"x": "eA=="}, "stringData": {"y": "hello", "x": "z"}}),
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "data": {"x": "eg==", "y": "aGVsbG8="}}),
            ),
            (
                "crd keeps status",
                json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a"}, "status": {"x": 1}}),
                json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a"}, "status": {"x": 1}}),
            ),
            (
                "cluster role untouched",
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "a"}, "status": {"x": 1}}),
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "a"}, "status": {"x": 1}}),
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(norm(input), want, "{name}");
        }
    }
}
