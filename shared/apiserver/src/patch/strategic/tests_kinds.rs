//! Strategic merge patches as kubectl and controllers send them, against the built-in kinds'
//! shapes.

use serde_json::{Value, json};

use super::strategic_merge_patch;
use crate::schema::builtin_shape;

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}, "finalizers": ["finalizers.fluxcd.io"]},
        "spec": {
            "replicas": 1,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}},
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "nodeSelector": {"disk": "ssd"},
                    "tolerations": [{"key": "a", "operator": "Exists"}],
                    "volumes": [{"name": "data", "emptyDir": {}}],
                    "containers": [{
                        "name": "app", "image": "app:1",
                        "ports": [{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "protocol": "TCP"}],
                        "env": [{"name": "A", "value": "1"}]
                    }]
                }
            }
        }
    })
}

/// Applies `patch` to the deployment and returns the value at the slash-separated `path`.
fn patched(patch: Value, path: &str) -> Value {
    let shape = builtin_shape("apps", "Deployment", false).expect("deployment shape");
    let out = strategic_merge_patch(&deployment(), &patch, &shape)
        .unwrap_or_else(|e| panic!("{patch}: {e}"));
    out.pointer(path).cloned().unwrap_or(Value::Null)
}

#[test]
fn kubectl_patches_of_a_deployment() {
    let pod = |rest: &str| format!("/spec/template/spec{rest}");
    let cases = [
        (
            "kubectl apply: new image, a sidecar after the app",
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}],
                "containers": [{"name": "app", "image": "app:2"}, {"name": "sidecar", "image": "s:1"}]
            }}}}),
            pod("/containers"),
            json!([
                {"name": "app", "image": "app:2",
                 "ports": [{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "protocol": "TCP"}],
                 "env": [{"name": "A", "value": "1"}]},
                {"name": "sidecar", "image": "s:1"}
            ]),
        ),
        (
            "kubectl set env: a new variable goes first",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "env": [{"name": "B", "value": "2"}]}]}}}}),
            pod("/containers/0/env"),
            json!([{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]),
        ),
        (
            "drop a port by its merge key",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "ports": [{"containerPort": 9090, "$patch": "delete"}]}]}}}}),
            pod("/containers/0/ports"),
            json!([{"containerPort": 8080, "protocol": "TCP"}]),
        ),
        (
            "kubectl rollout restart",
            json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z"}}}}}),
            "/spec/template/metadata".to_string(),
            json!({"labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z"}}),
        ),
        (
            "tolerations are atomic",
            json!({"spec": {"template": {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}}}),
            pod("/tolerations"),
            json!([{"key": "b", "operator": "Exists"}]),
        ),
        (
            "nodeSelector merges in a patch",
            json!({"spec": {"template": {"spec": {"nodeSelector": {"zone": "a"}}}}}),
            pod("/nodeSelector"),
            json!({"disk": "ssd", "zone": "a"}),
        ),
        (
            "a volume changes its source with $retainKeys",
            json!({"spec": {"template": {"spec": {"volumes": [{"name": "data", "$retainKeys": ["configMap", "name"], "configMap": {"name": "cm"}}]}}}}),
            pod("/volumes"),
            json!([{"name": "data", "configMap": {"name": "cm"}}]),
        ),
        (
            "the strategy changes type with $retainKeys",
            json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
            "/spec/strategy".to_string(),
            json!({"type": "Recreate"}),
        ),
        (
            "a finalizer goes",
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["finalizers.fluxcd.io"]}}),
            "/metadata/finalizers".to_string(),
            json!([]),
        ),
        (
            "a finalizer comes",
            json!({"metadata": {"finalizers": ["example.com/x"]}}),
            "/metadata/finalizers".to_string(),
            json!(["example.com/x", "finalizers.fluxcd.io"]),
        ),
        (
            "scale",
            json!({"spec": {"replicas": 3}}),
            "/spec/replicas".to_string(),
            json!(3),
        ),
    ];
    for (name, patch, path, want) in cases {
        assert_eq!(patched(patch, &path), want, "{name}");
    }
}

#[test]
fn other_kinds() {
    let cases = [
        (
            "service ports merge by port in a patch",
            ("", "Service"),
            json!({"spec": {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}, {"port": 443, "protocol": "TCP"}]}}),
            json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}),
            json!({"spec": {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 9090}, {"port": 443, "protocol": "TCP"}]}}),
        ),
        (
            "configmap data merges",
            ("", "ConfigMap"),
            json!({"data": {"a": "1", "b": "2"}}),
            json!({"data": {"a": null, "c": "3"}}),
            json!({"data": {"b": "2", "c": "3"}}),
        ),
        (
            "status conditions merge by type",
            ("apps", "Deployment"),
            json!({"status": {"conditions": [{"type": "Available", "status": "False"}, {"type": "Progressing", "status": "True"}]}}),
            json!({"status": {"conditions": [{"type": "Available", "status": "True"}]}}),
            json!({"status": {"conditions": [{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True"}]}}),
        ),
        (
            "role rules are atomic",
            ("rbac.authorization.k8s.io", "Role"),
            json!({"rules": [{"verbs": ["get"], "resources": ["pods"]}]}),
            json!({"rules": [{"verbs": ["list"], "resources": ["secrets"]}]}),
            json!({"rules": [{"verbs": ["list"], "resources": ["secrets"]}]}),
        ),
        (
            "CRD conditions are atomic in a patch",
            ("apiextensions.k8s.io", "CustomResourceDefinition"),
            json!({"status": {"conditions": [{"type": "Established", "status": "True"}]}}),
            json!({"status": {"conditions": [{"type": "NamesAccepted", "status": "True"}]}}),
            json!({"status": {"conditions": [{"type": "NamesAccepted", "status": "True"}]}}),
        ),
    ];
    for (name, (group, kind), doc, patch, want) in cases {
        let shape = builtin_shape(group, kind, false).unwrap_or_else(|| panic!("{kind}"));
        let got =
            strategic_merge_patch(&doc, &patch, &shape).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, want, "{name}");
    }
}
