//! Table tests of the immutable-field rules.

use serde_json::{Value, json};

use super::{go_label_selector, identity, kind_errors, quantity_value};

/// The error lines, a Job template's rendering abbreviated (immutable_go.rs tests it).
fn lines(group: &str, kind: &str, old: &Value, new: &Value) -> Vec<String> {
    const TEMPLATE: &str = "spec.template: Invalid value: core.PodTemplateSpec{";
    kind_errors(group, kind, old, new)
        .iter()
        .map(|e| e.line())
        .map(|l| match l.strip_prefix(TEMPLATE) {
            Some(rest) if rest.ends_with("}: field is immutable") => {
                "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
                    .to_string()
            }
            _ => l,
        })
        .collect()
}

#[test]
fn kind_rules() {
    let cases: Vec<(&str, &str, Value, Value, Vec<&str>)> = vec![
        (
            "",
            "ConfigMap",
            json!({"immutable": true, "data": {"a": "1"}}),
            json!({"immutable": true, "data": {"a": "2"}}),
            vec!["data: Forbidden: field is immutable when `immutable` is set"],
        ),
        (
            "",
            "ConfigMap",
            json!({"immutable": true, "data": {"a": "1"}}),
            json!({"data": {"a": "1"}, "binaryData": {"b": "AA=="}}),
            vec![
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "binaryData: Forbidden: field is immutable when `immutable` is set",
            ],
        ),
        (
            "",
            "ConfigMap",
            json!({"data": {"a": "1"}}),
            json!({"immutable": true, "data": {"a": "2"}}),
            vec![],
        ),
        (
            "",
            "Secret",
            json!({"immutable": true, "type": "Opaque", "data": {"a": "MQ=="}}),
            json!({"immutable": true, "type": "Opaque", "data": {"a": "Mg=="}}),
            vec!["data: Forbidden: field is immutable when `immutable` is set"],
        ),
        (
            "",
            "Secret",
            json!({"type": "Opaque"}),
            json!({"type": "kubernetes.io/tls"}),
            vec!["type: Invalid value: \"kubernetes.io/tls\": field is immutable"],
        ),
        (
            "apps",
            "Deployment",
            json!({"spec": {"selector": {"matchLabels": {"app": "web"}}, "replicas": 1}}),
            json!({"spec": {"selector": {"matchLabels": {"app": "web2"}}, "replicas": 1}}),
            vec![
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            ],
        ),
        (
            "apps",
            "Deployment",
            json!({"spec": {"selector": {"matchLabels": {"app": "web"}}, "replicas": 1}}),
            json!({"spec": {"selector": {"matchLabels": {"app": "web"}}, "replicas": 3}}),
            vec![],
        ),
        (
            "apps",
            "StatefulSet",
            json!({"spec": {"serviceName": "a", "replicas": 1, "template": {"x": 1}}}),
            json!({"spec": {"serviceName": "a", "replicas": 2, "template": {"x": 2}}}),
            vec![],
        ),
        (
            "apps",
            "StatefulSet",
            json!({"spec": {"serviceName": "a"}}),
            json!({"spec": {"serviceName": "b"}}),
            vec![
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            ],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"template": {"a": 1}, "completions": 1, "parallelism": 1}}),
            json!({"spec": {"template": {"a": 2}, "completions": 1, "parallelism": 4}}),
            vec!["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"completions": 1}}),
            json!({"spec": {"completions": 2}}),
            vec!["spec.completions: Invalid value: 2: field is immutable"],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"completionMode": "Indexed", "completions": 1, "parallelism": 1}}),
            json!({"spec": {"completionMode": "Indexed", "completions": 3, "parallelism": 3}}),
            vec![],
        ),
        (
            "",
            "Service",
            json!({"spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"]}}),
            json!({"spec": {"clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.1"]}}),
            vec![
                "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.9\"}: may not change once set",
            ],
        ),
        (
            "",
            "Service",
            json!({"spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1"}}),
            json!({"spec": {"type": "ExternalName", "externalName": "x.example"}}),
            vec![],
        ),
        (
            "",
            "PersistentVolumeClaim",
            json!({"spec": {"resources": {"requests": {"storage": "1Gi"}}}}),
            json!({"spec": {"resources": {"requests": {"storage": "2Gi"}}}}),
            vec![
                "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
            ],
        ),
        (
            "",
            "PersistentVolumeClaim",
            json!({"spec": {"resources": {"requests": {"storage": "1Gi"}}}, "status": {"phase": "Bound"}}),
            json!({"spec": {"resources": {"requests": {"storage": "2Gi"}}, "volumeAttributesClassName": "fast"}, "status": {"phase": "Bound"}}),
            vec![],
        ),
        (
            "",
            "PersistentVolumeClaim",
            json!({"spec": {"resources": {"requests": {"storage": "2Gi"}}}, "status": {"phase": "Bound"}}),
            json!({"spec": {"resources": {"requests": {"storage": "1500Mi"}}}, "status": {"phase": "Bound"}}),
            vec![
                "spec.resources.requests.storage: Forbidden: field can not be less than previous value",
            ],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"suspend": true, "template": {"spec": {"containers": [], "nodeSelector": {"a": "1"}}}}}),
            json!({"spec": {"suspend": false, "template": {"metadata": {"labels": {"q": "x"}},
                "spec": {"containers": [], "nodeSelector": {"a": "2"}, "tolerations": [{"key": "k"}]}}}}),
            vec![],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"suspend": true, "template": {"spec": {"containers": []}}}, "status": {"startTime": "2026-01-01T00:00:00Z"}}),
            json!({"spec": {"suspend": true, "template": {"spec": {"containers": [], "nodeSelector": {"a": "2"}}}}, "status": {"startTime": "2026-01-01T00:00:00Z"}}),
            vec!["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"],
        ),
        (
            "batch",
            "Job",
            json!({"spec": {"suspend": true, "template": {"spec": {"containers": [{"image": "a"}]}}}}),
            json!({"spec": {"suspend": true, "template": {"spec": {"containers": [{"image": "b"}]}}}}),
            vec!["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"],
        ),
    ];
    for (group, kind, old, new, want) in cases {
        assert_eq!(
            lines(group, kind, &old, &new),
            want,
            "{kind} {old} -> {new}"
        );
    }
}

#[test]
fn uid_may_not_change() {
    let old = json!({"metadata": {"uid": "a"}});
    assert!(identity(&old, &old).is_empty());
    let errs = identity(&old, &json!({"metadata": {"uid": "b"}}));
    assert_eq!(
        errs[0].line(),
        "metadata.uid: Invalid value: \"b\": field is immutable"
    );
}

#[test]
fn selector_rendering() {
    let sel = json!({"matchLabels": {"z": "1", "a": "2"},
        "matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]});
    assert_eq!(
        go_label_selector(&sel),
        "v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"2\", \"z\":\"1\"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"k\", Operator:\"In\", Values:[]string{\"v\"}}}}"
    );
}

#[test]
fn quantities_compare() {
    for (q, want) in [
        ("1Gi", 1_073_741_824.0),
        ("500M", 5e8),
        ("1.5e3", 1500.0),
        ("100m", 0.1),
        ("7", 7.0),
    ] {
        assert_eq!(quantity_value(q), Some(want), "{q}");
    }
    assert_eq!(quantity_value("lots"), None);
}
