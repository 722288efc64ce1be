//! kustomize's built-in field specs: where each transformer looks in each kind.
//!
//! Only the tables of implemented transformers are here; each new transformer adds its
//! own (kustomize's `builtinpluginconsts`).

use crate::kustomization::FieldSpec;

fn spec(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
    FieldSpec {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        path: path.into(),
        create_if_not_present: create,
    }
}

/// Where `commonAnnotations` go: every object's metadata, and pod templates.
pub fn common_annotations() -> Vec<FieldSpec> {
    let template = "spec/template/metadata/annotations";
    vec![
        spec("", "", "", "metadata/annotations", true),
        spec("", "v1", "ReplicationController", template, true),
        spec("", "", "Deployment", template, true),
        spec("", "", "ReplicaSet", template, true),
        spec("", "", "DaemonSet", template, true),
        spec("", "", "StatefulSet", template, true),
        spec("batch", "", "Job", template, true),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/metadata/annotations",
            true,
        ),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/spec/template/metadata/annotations",
            true,
        ),
    ]
}

/// kustomize's `metadataLabelsFieldSpecs`: object and pod template labels.
pub fn template_labels() -> Vec<FieldSpec> {
    let t = "spec/template/metadata/labels";
    vec![
        spec("", "", "", "metadata/labels", true),
        spec("", "v1", "ReplicationController", t, true),
        spec("", "", "Deployment", t, true),
        spec("", "", "ReplicaSet", t, true),
        spec("", "", "DaemonSet", t, true),
        spec("apps", "", "StatefulSet", t, true),
        spec(
            "apps",
            "",
            "StatefulSet",
            "spec/volumeClaimTemplates[]/metadata/labels",
            true,
        ),
        spec("batch", "", "Job", t, true),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/metadata/labels",
            true,
        ),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/spec/template/metadata/labels",
            true,
        ),
    ]
}

/// kustomize's `commonLabelFieldSpecs`: selectors, affinity terms, then template labels.
pub fn common_labels() -> Vec<FieldSpec> {
    let matched = "spec/selector/matchLabels";
    let mut v = vec![
        spec("", "v1", "Service", "spec/selector", true),
        spec("", "v1", "ReplicationController", "spec/selector", true),
        spec("", "", "Deployment", matched, true),
    ];
    v.extend(affinity("Deployment"));
    v.push(spec("", "", "ReplicaSet", matched, true));
    v.push(spec("", "", "DaemonSet", matched, true));
    v.push(spec("apps", "", "StatefulSet", matched, true));
    v.extend(affinity("StatefulSet"));
    v.extend([
        spec("batch", "", "Job", matched, false),
        spec(
            "batch",
            "",
            "CronJob",
            "spec/jobTemplate/spec/selector/matchLabels",
            false,
        ),
        spec("policy", "", "PodDisruptionBudget", matched, false),
        spec(
            "networking.k8s.io",
            "",
            "NetworkPolicy",
            "spec/podSelector/matchLabels",
            false,
        ),
        spec(
            "networking.k8s.io",
            "",
            "NetworkPolicy",
            "spec/ingress/from/podSelector/matchLabels",
            false,
        ),
        spec(
            "networking.k8s.io",
            "",
            "NetworkPolicy",
            "spec/egress/to/podSelector/matchLabels",
            false,
        ),
    ]);
    v.extend(template_labels());
    v
}

fn affinity(kind: &str) -> Vec<FieldSpec> {
    let a = "spec/template/spec/affinity";
    [
        format!("{a}/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels"),
        format!("{a}/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels"),
        format!("{a}/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels"),
        format!("{a}/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels"),
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels".to_string(),
    ]
    .iter()
    .map(|p| spec("apps", "", kind, p, false))
    .collect()
}

/// Where `namespace` goes besides `metadata/namespace`.
pub fn namespace() -> Vec<FieldSpec> {
    vec![
        spec("", "", "Namespace", "metadata/name", true),
        spec(
            "apiregistration.k8s.io",
            "",
            "APIService",
            "spec/service/namespace",
            true,
        ),
        spec(
            "apiextensions.k8s.io",
            "",
            "CustomResourceDefinition",
            "spec/conversion/webhook/clientConfig/service/namespace",
            false,
        ),
    ]
}

/// Where `images` look: containers and init containers of pods and pod templates.
pub fn images() -> Vec<FieldSpec> {
    [
        "spec/containers[]/image",
        "spec/initContainers[]/image",
        "spec/template/spec/containers[]/image",
        "spec/template/spec/initContainers[]/image",
    ]
    .iter()
    .map(|p| spec("", "", "", p, true))
    .collect()
}

/// Where `replicas` go.
pub fn replicas() -> Vec<FieldSpec> {
    [
        "Deployment",
        "ReplicationController",
        "ReplicaSet",
        "StatefulSet",
    ]
    .iter()
    .map(|k| spec("", "", k, "spec/replicas", true))
    .collect()
}
