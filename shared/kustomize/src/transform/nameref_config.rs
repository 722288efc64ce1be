//! kustomize's built-in name reference configuration: which fields of which kinds hold
//! the name of an object of another kind (a ConfigMap in a pod volume, a Role in a
//! RoleBinding, ...). Built from the workload kinds and the pod-spec paths they share.
//!
//! The table is the `nameReference` part of the default transformer configuration
//! ([`TransformConfig::defaults`](super::config::TransformConfig::defaults)), where
//! `configurations` files and `crds` add to it.

use super::config::NameBackReference as BackRef;
use crate::kustomization::FieldSpec;

fn fs(group: &str, version: &str, kind: &str, path: &str) -> FieldSpec {
    FieldSpec {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        path: path.into(),
        create_if_not_present: false,
    }
}

/// Workloads and where their pod spec is, in kustomize's order for ConfigMaps.
const POD_SPECS: &[(&str, &str, &str)] = &[
    ("v1", "Pod", "spec"),
    ("", "PodTemplate", "template/spec"),
    ("", "Deployment", "spec/template/spec"),
    ("", "ReplicaSet", "spec/template/spec"),
    ("", "DaemonSet", "spec/template/spec"),
    ("", "StatefulSet", "spec/template/spec"),
    ("", "Job", "spec/template/spec"),
    ("", "CronJob", "spec/jobTemplate/spec/template/spec"),
];

/// Workloads naming ServiceAccounts, PVCs and PriorityClasses.
const WORKLOADS: &[(&str, &str)] = &[
    ("Pod", "spec"),
    ("StatefulSet", "spec/template/spec"),
    ("Deployment", "spec/template/spec"),
    ("ReplicationController", "spec/template/spec"),
    ("CronJob", "spec/jobTemplate/spec/template/spec"),
    ("Job", "spec/template/spec"),
    ("DaemonSet", "spec/template/spec"),
];

fn pod_refs(volume: &str, key_ref: &str, env_ref: &str, secret: bool) -> Vec<FieldSpec> {
    let mut out = Vec::new();
    for (version, kind, spec) in POD_SPECS {
        let mut paths = vec![
            format!("{spec}/volumes/{volume}"),
            format!("{spec}/containers/env/valueFrom/{key_ref}/name"),
            format!("{spec}/initContainers/env/valueFrom/{key_ref}/name"),
            format!("{spec}/containers/envFrom/{env_ref}/name"),
            format!("{spec}/initContainers/envFrom/{env_ref}/name"),
        ];
        if secret {
            paths.push(format!("{spec}/imagePullSecrets/name"));
        }
        let projected = format!(
            "{spec}/volumes/projected/sources/{}/name",
            if secret { "secret" } else { "configMap" }
        );
        if *kind == "CronJob" {
            paths.insert(1, projected);
        } else {
            paths.push(projected);
        }
        out.extend(paths.iter().map(|p| fs("", version, kind, p)));
    }
    out
}

fn workload_refs(field: &str) -> Vec<FieldSpec> {
    WORKLOADS
        .iter()
        .map(|(kind, spec)| fs("", "", kind, &format!("{spec}/{field}")))
        .collect()
}

fn config_map() -> BackRef {
    let mut referrers = pod_refs("configMap/name", "configMapKeyRef", "configMapRef", false);
    referrers.extend([
        fs("", "", "Node", "spec/configSource/configMap"),
        fs("", "", "Role", "rules/resourceNames"),
        fs("", "", "ClusterRole", "rules/resourceNames"),
        fs(
            "",
            "",
            "Ingress",
            "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
        ),
    ]);
    simple("", "v1", "ConfigMap", referrers)
}

fn secret() -> BackRef {
    let mut referrers = pod_refs("secret/secretName", "secretKeyRef", "secretRef", true);
    let ann = "metadata/annotations/";
    referrers.extend([
        fs("", "", "Ingress", "spec/tls/secretName"),
        fs(
            "",
            "",
            "Ingress",
            &format!("{ann}ingress.kubernetes.io\\/auth-secret"),
        ),
        fs(
            "",
            "",
            "Ingress",
            &format!("{ann}nginx.ingress.kubernetes.io\\/auth-secret"),
        ),
        fs(
            "",
            "",
            "Ingress",
            &format!("{ann}nginx.ingress.kubernetes.io\\/auth-tls-secret"),
        ),
        fs("", "", "ServiceAccount", "imagePullSecrets/name"),
        fs("", "", "StorageClass", "parameters/secretName"),
        fs("", "", "StorageClass", "parameters/adminSecretName"),
        fs("", "", "StorageClass", "parameters/userSecretName"),
        fs("", "", "StorageClass", "parameters/secretRef"),
        fs("", "", "Role", "rules/resourceNames"),
        fs("", "", "ClusterRole", "rules/resourceNames"),
        fs(
            "serving.knative.dev",
            "v1",
            "Service",
            "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
        ),
        fs("", "", "PersistentVolume", "spec/azureFile/secretName"),
    ]);
    simple("", "v1", "Secret", referrers)
}

fn service() -> BackRef {
    let adm = "admissionregistration.k8s.io";
    simple(
        "",
        "v1",
        "Service",
        vec![
            fs("apps", "", "StatefulSet", "spec/serviceName"),
            fs(
                "",
                "",
                "Ingress",
                "spec/rules/http/paths/backend/serviceName",
            ),
            fs("", "", "Ingress", "spec/backend/serviceName"),
            fs(
                "",
                "",
                "Ingress",
                "spec/rules/http/paths/backend/service/name",
            ),
            fs("", "", "Ingress", "spec/defaultBackend/service/name"),
            fs(
                "apiregistration.k8s.io",
                "",
                "APIService",
                "spec/service/name",
            ),
            fs(
                adm,
                "",
                "ValidatingWebhookConfiguration",
                "webhooks/clientConfig/service",
            ),
            fs(
                adm,
                "",
                "MutatingWebhookConfiguration",
                "webhooks/clientConfig/service",
            ),
        ],
    )
}

fn simple(group: &str, version: &str, kind: &str, referrers: Vec<FieldSpec>) -> BackRef {
    BackRef {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        referrers,
    }
}

/// The whole default table (kustomize's `nameReference` defaults), in its order.
pub fn default_back_refs() -> Vec<BackRef> {
    let mut refs = unsorted_back_refs();
    super::config::sort_back_refs(&mut refs);
    refs
}

fn unsorted_back_refs() -> Vec<BackRef> {
    let rbac = "rbac.authorization.k8s.io";
    let mut service_account = vec![
        fs(rbac, "", "RoleBinding", "subjects"),
        fs(rbac, "", "ClusterRoleBinding", "subjects"),
    ];
    service_account.extend(workload_refs("serviceAccountName"));
    // kustomize lists DaemonSet claims and PVC claim names in this order.
    let pvc = workload_refs("volumes/persistentVolumeClaim/claimName");
    vec![
        simple(
            "",
            "",
            "Deployment",
            vec![fs(
                "",
                "",
                "HorizontalPodAutoscaler",
                "spec/scaleTargetRef/name",
            )],
        ),
        simple(
            "",
            "",
            "ReplicationController",
            vec![fs(
                "",
                "",
                "HorizontalPodAutoscaler",
                "spec/scaleTargetRef/name",
            )],
        ),
        simple(
            "",
            "",
            "ReplicaSet",
            vec![fs(
                "",
                "",
                "HorizontalPodAutoscaler",
                "spec/scaleTargetRef/name",
            )],
        ),
        simple(
            "",
            "",
            "StatefulSet",
            vec![fs(
                "",
                "",
                "HorizontalPodAutoscaler",
                "spec/scaleTargetRef/name",
            )],
        ),
        config_map(),
        secret(),
        service(),
        simple(
            rbac,
            "",
            "Role",
            vec![fs(rbac, "", "RoleBinding", "roleRef/name")],
        ),
        simple(
            rbac,
            "",
            "ClusterRole",
            vec![
                fs(rbac, "", "RoleBinding", "roleRef/name"),
                fs(rbac, "", "ClusterRoleBinding", "roleRef/name"),
            ],
        ),
        simple("", "v1", "ServiceAccount", service_account),
        simple("", "v1", "PersistentVolumeClaim", pvc),
        simple(
            "",
            "v1",
            "PersistentVolume",
            vec![
                fs("", "", "PersistentVolumeClaim", "spec/volumeName"),
                fs("", "", "ClusterRole", "rules/resourceNames"),
            ],
        ),
        simple(
            "storage.k8s.io",
            "v1",
            "StorageClass",
            vec![
                fs("", "", "PersistentVolume", "spec/storageClassName"),
                fs("", "", "PersistentVolumeClaim", "spec/storageClassName"),
                fs(
                    "",
                    "",
                    "StatefulSet",
                    "spec/volumeClaimTemplates/spec/storageClassName",
                ),
            ],
        ),
        simple(
            "scheduling.k8s.io",
            "v1",
            "PriorityClass",
            workload_refs("priorityClassName"),
        ),
        // kustomize's table gives the group as "networking.k8s.io/v1", which no object
        // has: ingressClassName is never updated. Kept for identical output.
        simple(
            "networking.k8s.io/v1",
            "v1",
            "IngressClass",
            vec![fs("", "", "Ingress", "spec/ingressClassName")],
        ),
        simple(
            "admissionregistration.k8s.io",
            "",
            "ValidatingAdmissionPolicy",
            vec![fs(
                "admissionregistration.k8s.io",
                "",
                "ValidatingAdmissionPolicyBinding",
                "spec/policyName",
            )],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_kustomize_order() {
        let kinds: Vec<String> = default_back_refs().into_iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                "StorageClass",
                "ServiceAccount",
                "Role",
                "ClusterRole",
                "ConfigMap",
                "Secret",
                "Service",
                "PriorityClass",
                "PersistentVolume",
                "PersistentVolumeClaim",
                "Deployment",
                "StatefulSet",
                "ValidatingAdmissionPolicy",
                "IngressClass",
                "ReplicaSet",
                "ReplicationController",
            ]
        );
    }

    #[test]
    fn table_has_kustomize_entries() {
        let refs = default_back_refs();
        let cm = refs.iter().find(|b| b.kind == "ConfigMap").expect("cm");
        assert_eq!(cm.referrers.len(), 8 * 6 + 4);
        let secret = refs.iter().find(|b| b.kind == "Secret").expect("secret");
        assert_eq!(secret.referrers.len(), 8 * 7 + 13);
        assert!(secret.referrers.iter().any(|f| f.kind == "CronJob"
            && f.path == "spec/jobTemplate/spec/template/spec/imagePullSecrets/name"));
        assert!(cm.referrers.iter().any(|f| f.kind == "Pod"
            && f.version == "v1"
            && f.path == "spec/volumes/projected/sources/configMap/name"));
    }
}
