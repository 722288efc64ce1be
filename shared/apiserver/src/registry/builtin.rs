//! The table of built-in kinds: what kube-apiserver v1.33 serves for the resources Fluxion,
//! its users and kubectl touch (names, scope, short names, categories, verbs, subresources).

use super::{ALL_VERBS, ResourceType};

/// Columns: group, version, plural, kind, namespaced, short names, categories, subresources,
/// generation, create-on-update.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    bool,
    bool,
);

const ALL: &[&str] = &["all"];
const NONE: &[&str] = &[];
const STATUS: &[&str] = &["status"];
const STATUS_SCALE: &[&str] = &["status", "scale"];

#[rustfmt::skip]
const ROWS: &[Row] = &[
    ("", "v1", "bindings", "Binding", true, NONE, NONE, NONE, false, false),
    ("", "v1", "componentstatuses", "ComponentStatus", false, &["cs"], NONE, NONE, false, false),
    ("", "v1", "configmaps", "ConfigMap", true, &["cm"], NONE, NONE, false, false),
    ("", "v1", "endpoints", "Endpoints", true, &["ep"], NONE, NONE, false, true),
    ("", "v1", "events", "Event", true, &["ev"], NONE, NONE, false, true),
    ("", "v1", "limitranges", "LimitRange", true, &["limits"], NONE, NONE, false, false),
    ("", "v1", "namespaces", "Namespace", false, &["ns"], NONE, &["status", "finalize"], false, false),
    ("", "v1", "nodes", "Node", false, &["no"], NONE, STATUS, false, false),
    ("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, &["pvc"], NONE, STATUS, false, false),
    ("", "v1", "persistentvolumes", "PersistentVolume", false, &["pv"], NONE, STATUS, false, false),
    ("", "v1", "pods", "Pod", true, &["po"], ALL, &["status", "log"], false, false),
    ("", "v1", "podtemplates", "PodTemplate", true, NONE, NONE, NONE, false, false),
    ("", "v1", "replicationcontrollers", "ReplicationController", true, &["rc"], ALL, STATUS_SCALE, true, false),
    ("", "v1", "resourcequotas", "ResourceQuota", true, &["quota"], NONE, STATUS, false, false),
    ("", "v1", "secrets", "Secret", true, NONE, NONE, NONE, false, false),
    ("", "v1", "serviceaccounts", "ServiceAccount", true, &["sa"], NONE, &["token"], false, false),
    ("", "v1", "services", "Service", true, &["svc"], ALL, STATUS, false, false),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, &["crd", "crds"], NONE, STATUS, true, false),
    ("apps", "v1", "controllerrevisions", "ControllerRevision", true, NONE, NONE, NONE, false, false),
    ("apps", "v1", "daemonsets", "DaemonSet", true, &["ds"], ALL, STATUS, true, false),
    ("apps", "v1", "deployments", "Deployment", true, &["deploy"], ALL, STATUS_SCALE, true, false),
    ("apps", "v1", "replicasets", "ReplicaSet", true, &["rs"], ALL, STATUS_SCALE, true, false),
    ("apps", "v1", "statefulsets", "StatefulSet", true, &["sts"], ALL, STATUS_SCALE, true, false),
    ("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false, NONE, NONE, NONE, false, false),
    ("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false, NONE, NONE, NONE, false, false),
    ("authorization.k8s.io", "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", true, NONE, NONE, NONE, false, false),
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, NONE, NONE, NONE, false, false),
    ("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, NONE, NONE, NONE, false, false),
    ("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", false, NONE, NONE, NONE, false, false),
    ("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, &["hpa"], ALL, STATUS, false, false),
    ("batch", "v1", "cronjobs", "CronJob", true, &["cj"], ALL, STATUS, true, false),
    ("batch", "v1", "jobs", "Job", true, NONE, ALL, STATUS, true, false),
    ("coordination.k8s.io", "v1", "leases", "Lease", true, NONE, NONE, NONE, false, true),
    ("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, NONE, NONE, NONE, false, false),
    ("events.k8s.io", "v1", "events", "Event", true, &["ev"], NONE, NONE, false, true),
    ("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false, NONE, NONE, NONE, false, false),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", true, &["ing"], NONE, STATUS, true, false),
    ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, &["netpol"], NONE, NONE, true, false),
    ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, &["pdb"], NONE, STATUS, true, false),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, NONE, NONE, NONE, false, true),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, NONE, NONE, NONE, false, true),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, NONE, NONE, NONE, false, true),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", true, NONE, NONE, NONE, false, true),
    ("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, &["pc"], NONE, NONE, false, false),
    ("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, &["sc"], NONE, NONE, false, false),
];

/// Resources that only take some verbs.
fn verbs_of(group: &str, resource: &str) -> Vec<String> {
    let v: &[&str] = match (group, resource) {
        ("", "bindings") => &["create"],
        ("", "componentstatuses") => &["get", "list"],
        // Answered by the auth guard, never stored.
        ("authentication.k8s.io" | "authorization.k8s.io", _) => &["create"],
        ("", "namespaces") => &[
            "create", "delete", "get", "list", "patch", "update", "watch",
        ],
        _ => ALL_VERBS,
    };
    v.iter().map(|s| s.to_string()).collect()
}

pub(super) fn types() -> Vec<ResourceType> {
    ROWS.iter()
        .map(
            |&(group, version, resource, kind, namespaced, short, cats, subs, generation, cou)| {
                ResourceType {
                    group: group.into(),
                    storage_group: if (group, resource) == ("events.k8s.io", "events") {
                        String::new()
                    } else {
                        group.into()
                    },
                    version: version.into(),
                    resource: resource.into(),
                    singular: kind.to_lowercase(),
                    kind: kind.into(),
                    namespaced,
                    short_names: short.iter().map(|s| s.to_string()).collect(),
                    categories: cats.iter().map(|s| s.to_string()).collect(),
                    verbs: verbs_of(group, resource),
                    subresources: subs.iter().map(|s| s.to_string()).collect(),
                    generation,
                    create_on_update: cou,
                    crd: None,
                }
            },
        )
        .collect()
}
