//! Table-driven tests of the built-in kinds' merge shapes, in both views.

use super::*;

/// The shape at a dotted path; `[]` steps into list items: `spec.containers[].ports`.
fn at<'s>(shape: &'s Shape, path: &str) -> &'s Shape {
    path.split('.')
        .fold(shape, |shape, step| match step.strip_suffix("[]") {
            Some(field) => shape.field(field).items(),
            None => shape.field(step),
        })
}

fn keys(keys: &[&str]) -> ListKind {
    ListKind::Map(keys.iter().map(|k| k.to_string()).collect())
}

#[test]
fn every_listed_kind_has_a_shape_with_object_meta() {
    for &(group, kind) in BUILTIN_KINDS {
        for apply in [false, true] {
            let shape =
                builtin_shape(group, kind, apply).unwrap_or_else(|| panic!("{group}/{kind}"));
            assert_eq!(
                at(&shape, "metadata"),
                &object_meta_shape(apply),
                "{group}/{kind}"
            );
            assert_eq!(at(&shape, "kind"), &Shape::Scalar);
        }
    }
    assert_eq!(builtin_shape("example.com", "Widget", false), None);
    assert_eq!(builtin_shape("apps", "ConfigMap", true), None);
}

#[test]
fn list_kinds_match_the_go_tags() {
    let set = ListKind::Set;
    let atomic = ListKind::Atomic;
    let p = |path: &str| path.replace("POD", "spec.template.spec");
    let cases: Vec<(&str, &str, String, ListKind, ListKind)> = vec![
        // (group, kind, path, strategic merge patch, server-side apply)
        (
            "",
            "ConfigMap",
            p("metadata.finalizers"),
            set.clone(),
            set.clone(),
        ),
        (
            "",
            "ConfigMap",
            p("metadata.ownerReferences"),
            keys(&["uid"]),
            keys(&["uid"]),
        ),
        (
            "",
            "ConfigMap",
            p("metadata.managedFields"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "apps",
            "Deployment",
            p("spec.template.spec.containers"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.initContainers"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.containers[].ports"),
            keys(&["containerPort"]),
            keys(&["containerPort", "protocol"]),
        ),
        (
            "apps",
            "StatefulSet",
            p("POD.containers[].env"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "apps",
            "DaemonSet",
            p("POD.containers[].volumeMounts"),
            keys(&["mountPath"]),
            keys(&["mountPath"]),
        ),
        (
            "apps",
            "DaemonSet",
            p("POD.containers[].volumeDevices"),
            keys(&["devicePath"]),
            keys(&["devicePath"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.containers[].args"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "apps",
            "Deployment",
            p("POD.containers[].resources.claims"),
            atomic.clone(),
            keys(&["name"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.volumes"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.imagePullSecrets"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.tolerations"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "apps",
            "Deployment",
            p("POD.hostAliases"),
            keys(&["ip"]),
            keys(&["ip"]),
        ),
        (
            "apps",
            "Deployment",
            p("POD.topologySpreadConstraints"),
            keys(&["topologyKey"]),
            keys(&["topologyKey", "whenUnsatisfiable"]),
        ),
        (
            "apps",
            "Deployment",
            p("spec.template.metadata.finalizers"),
            set.clone(),
            set.clone(),
        ),
        (
            "apps",
            "Deployment",
            p("status.conditions"),
            keys(&["type"]),
            keys(&["type"]),
        ),
        (
            "apps",
            "StatefulSet",
            p("spec.volumeClaimTemplates"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "batch",
            "Job",
            p("status.conditions"),
            keys(&["type"]),
            atomic.clone(),
        ),
        (
            "batch",
            "Job",
            p("status.uncountedTerminatedPods.failed"),
            atomic.clone(),
            set.clone(),
        ),
        (
            "batch",
            "Job",
            p("POD.containers"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "batch",
            "CronJob",
            p("spec.jobTemplate.spec.template.spec.containers[].ports"),
            keys(&["containerPort"]),
            keys(&["containerPort", "protocol"]),
        ),
        (
            "",
            "Service",
            p("spec.ports"),
            keys(&["port"]),
            keys(&["port", "protocol"]),
        ),
        (
            "",
            "Service",
            p("spec.clusterIPs"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "",
            "Service",
            p("status.conditions"),
            keys(&["type"]),
            keys(&["type"]),
        ),
        (
            "",
            "ServiceAccount",
            p("secrets"),
            keys(&["name"]),
            keys(&["name"]),
        ),
        (
            "",
            "ServiceAccount",
            p("imagePullSecrets"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "",
            "Namespace",
            p("spec.finalizers"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "",
            "PersistentVolumeClaim",
            p("spec.accessModes"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "",
            "PersistentVolumeClaim",
            p("status.conditions"),
            keys(&["type"]),
            keys(&["type"]),
        ),
        (
            "",
            "Pod",
            p("status.hostIPs"),
            keys(&["ip"]),
            atomic.clone(),
        ),
        (
            "networking.k8s.io",
            "Ingress",
            p("spec.rules"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "rbac.authorization.k8s.io",
            "ClusterRole",
            p("rules"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "rbac.authorization.k8s.io",
            "RoleBinding",
            p("subjects"),
            atomic.clone(),
            atomic.clone(),
        ),
        (
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            p("status.conditions"),
            atomic.clone(),
            keys(&["type"]),
        ),
        (
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            p("spec.versions"),
            atomic.clone(),
            atomic.clone(),
        ),
    ];
    for (group, kind, path, smp, ssa) in cases {
        for (apply, want) in [(false, smp), (true, ssa)] {
            let shape = builtin_shape(group, kind, apply).unwrap_or_else(|| panic!("{kind}"));
            assert_eq!(
                at(&shape, &path).list_kind(),
                want,
                "{kind} {path} apply={apply}"
            );
        }
    }
}

#[test]
fn atomic_maps_and_structs_only_in_apply() {
    let string_map = Shape::Map(Box::new(Shape::Scalar));
    let cases = [
        (
            "apps",
            "Deployment",
            "spec.template.spec.nodeSelector",
            Some(string_map.clone()),
        ),
        ("", "Service", "spec.selector", Some(string_map.clone())),
        ("apps", "Deployment", "spec.selector", None),
        (
            "",
            "ConfigMap",
            "metadata.ownerReferences[]",
            Some(Shape::Unknown),
        ),
        ("", "ServiceAccount", "secrets[]", Some(Shape::Unknown)),
        (
            "apps",
            "Deployment",
            "spec.template.spec.containers[].env[].valueFrom.secretKeyRef",
            Some(Shape::Unknown),
        ),
        (
            "rbac.authorization.k8s.io",
            "ClusterRoleBinding",
            "roleRef",
            Some(Shape::Unknown),
        ),
        ("", "Event", "involvedObject", Some(Shape::Unknown)),
    ];
    for (group, kind, path, smp) in cases {
        let patch = builtin_shape(group, kind, false).unwrap_or_else(|| panic!("{kind}"));
        let apply = builtin_shape(group, kind, true).unwrap_or_else(|| panic!("{kind}"));
        if let Some(smp) = smp {
            assert_eq!(at(&patch, path), &smp, "{kind} {path}");
        }
        assert_ne!(at(&patch, path), &Shape::Atomic, "{kind} {path}");
        assert_eq!(at(&apply, path), &Shape::Atomic, "{kind} {path}");
    }
}

#[test]
fn maps_of_strings() {
    let string_map = Shape::Map(Box::new(Shape::Scalar));
    let cases = [
        ("", "ConfigMap", "data"),
        ("", "ConfigMap", "binaryData"),
        ("", "Secret", "data"),
        ("", "Secret", "stringData"),
        ("", "Secret", "metadata.labels"),
        ("", "Secret", "metadata.annotations"),
        ("apps", "Deployment", "spec.template.metadata.labels"),
        (
            "apps",
            "Deployment",
            "spec.template.spec.containers[].resources.limits",
        ),
    ];
    for (group, kind, path) in cases {
        for apply in [false, true] {
            let shape = builtin_shape(group, kind, apply).unwrap_or_else(|| panic!("{kind}"));
            assert_eq!(at(&shape, path), &string_map, "{kind} {path}");
        }
    }
}
