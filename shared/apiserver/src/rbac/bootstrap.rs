//! The RBAC objects every cluster starts with (kube-apiserver's bootstrap policy, for the kinds
//! this server serves): cluster-admin, the aggregated admin/edit/view roles and the roles they
//! aggregate, discovery, basic-user, public-info-viewer, auth-delegator and
//! service-account-issuer-discovery, and their bindings.

use serde_json::{Value, json};

use crate::api::{Api, Target, WriteOptions};
use crate::meta::meta_str;

const RBAC: &str = "rbac.authorization.k8s.io/v1";
const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

fn urls(paths: &[&str], verbs: &[&str]) -> Value {
    json!({"nonResourceURLs": paths, "verbs": verbs})
}

fn meta(name: &str, labels: Value) -> Value {
    let mut l = json!({"kubernetes.io/bootstrapping": "rbac-defaults"});
    if let (Some(l), Some(extra)) = (l.as_object_mut(), labels.as_object()) {
        l.extend(extra.clone());
    }
    json!({
        "name": name,
        "labels": l,
        "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
    })
}

fn cluster_role(name: &str, labels: Value, rules: Vec<Value>) -> Value {
    json!({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": meta(name, labels), "rules": rules})
}

fn aggregated(name: &str, to: &str, labels: Value, rules: &[Value]) -> Value {
    let mut r = cluster_role(name, labels, rules.to_vec());
    r["aggregationRule"] = json!({"clusterRoleSelectors": [
        {"matchLabels": {format!("rbac.authorization.k8s.io/aggregate-to-{to}"): "true"}}
    ]});
    r
}

fn binding(name: &str, role: &str, groups: &[&str]) -> Value {
    let subjects: Vec<Value> = groups
        .iter()
        .map(|g| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g}))
        .collect();
    json!({
        "apiVersion": RBAC, "kind": "ClusterRoleBinding", "metadata": meta(name, json!({})),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

#[rustfmt::skip]
fn view_rules() -> Vec<Value> {
    vec![
        rule(&[""], &["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], READ),
        rule(&[""], &["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], READ),
        rule(&[""], &["namespaces"], READ),
        rule(&["discovery.k8s.io"], &["endpointslices"], READ),
        rule(&["apps"], &["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], READ),
        rule(&["autoscaling"], &["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
        rule(&["batch"], &["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
        rule(&["policy"], &["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
        rule(&["networking.k8s.io"], &["ingresses", "ingresses/status", "networkpolicies"], READ),
    ]
}

#[rustfmt::skip]
fn edit_rules() -> Vec<Value> {
    vec![
        rule(&[""], &["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
        rule(&[""], &["serviceaccounts"], &["impersonate"]),
        rule(&[""], &["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
        rule(&[""], &["pods/eviction"], &["create"]),
        rule(&[""], &["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], WRITE),
        rule(&[""], &["serviceaccounts/token"], &["create"]),
        rule(&["apps"], &["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"], WRITE),
        rule(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
        rule(&["batch"], &["cronjobs", "jobs"], WRITE),
        rule(&["policy"], &["poddisruptionbudgets"], WRITE),
        rule(&["networking.k8s.io"], &["ingresses", "networkpolicies"], WRITE),
        rule(&["coordination.k8s.io"], &["leases"], ALL),
    ]
}

#[rustfmt::skip]
fn admin_rules() -> Vec<Value> {
    vec![
        rule(&["authorization.k8s.io"], &["localsubjectaccessreviews"], &["create"]),
        rule(&["rbac.authorization.k8s.io"], &["rolebindings", "roles"], ALL),
    ]
}

#[rustfmt::skip]
/// The bootstrap ClusterRoles and ClusterRoleBindings, in creation order.
pub fn objects() -> Vec<Value> {
    let label = |to: &str| json!({format!("rbac.authorization.k8s.io/aggregate-to-{to}"): "true"});
    let (view, edit, admin) = (view_rules(), edit_rules(), admin_rules());
    let edit_all: Vec<Value> = view.iter().chain(&edit).cloned().collect();
    let admin_all: Vec<Value> = edit_all.iter().chain(&admin).cloned().collect();
    vec![
        cluster_role("cluster-admin", json!({}), vec![
            rule(&["*"], &["*"], &["*"]),
            urls(&["*"], &["*"]),
        ]),
        cluster_role("system:discovery", json!({}), vec![urls(
            &["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
            &["get"],
        )]),
        cluster_role("system:basic-user", json!({}), vec![
            rule(&["authorization.k8s.io"], &["selfsubjectaccessreviews", "selfsubjectrulesreviews"], &["create"]),
            rule(&["authentication.k8s.io"], &["selfsubjectreviews"], &["create"]),
        ]),
        cluster_role("system:public-info-viewer", json!({}), vec![urls(
            &["/healthz", "/livez", "/readyz", "/version", "/version/"],
            &["get"],
        )]),
        cluster_role("system:auth-delegator", json!({}), vec![
            rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
            rule(&["authorization.k8s.io"], &["subjectaccessreviews"], &["create"]),
        ]),
        cluster_role("system:service-account-issuer-discovery", json!({}), vec![urls(
            &["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"],
            &["get"],
        )]),
        cluster_role("system:aggregate-to-view", label("view"), view),
        cluster_role("system:aggregate-to-edit", label("edit"), edit),
        cluster_role("system:aggregate-to-admin", label("admin"), admin),
        aggregated("view", "view", label("edit"), &view_rules()),
        aggregated("edit", "edit", label("admin"), &edit_all),
        aggregated("admin", "admin", json!({}), &admin_all),
        binding("cluster-admin", "cluster-admin", &["system:masters"]),
        binding("system:discovery", "system:discovery", &["system:authenticated"]),
        binding("system:basic-user", "system:basic-user", &["system:authenticated"]),
        binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", &["system:serviceaccounts"]),
        binding("system:public-info-viewer", "system:public-info-viewer", &["system:authenticated", "system:unauthenticated"]),
    ]
}

/// Creates the bootstrap objects that do not exist yet.
pub fn install(api: &Api) {
    for obj in objects() {
        let resource = match obj["kind"].as_str() {
            Some("ClusterRole") => "clusterroles",
            _ => "clusterrolebindings",
        };
        let Some(rt) = api
            .registry
            .lookup("rbac.authorization.k8s.io", "v1", resource)
        else {
            continue;
        };
        let name = meta_str(&obj, "name").to_string();
        let t = Target {
            rt,
            namespace: None,
            name: None,
            subresource: None,
        };
        if let Err(e) = api.create(&t, obj, &WriteOptions::default())
            && e.reason != "AlreadyExists"
        {
            tracing::warn!(name, error = %e, "bootstrap RBAC object");
        }
    }
}
