//! Table-driven kstatus cases per kind.

use serde_json::{Value, json};

use super::{Status, compute_value};

pub(super) fn obj(api: &str, kind: &str, spec: Value, status: Value) -> Value {
    json!({"apiVersion": api, "kind": kind, "metadata": {"name": "x", "namespace": "ns", "generation": 1},
           "spec": spec, "status": status})
}

pub(super) fn cond(t: &str, s: &str, reason: &str) -> Value {
    json!({"type": t, "status": s, "reason": reason, "message": format!("{t} is {s}")})
}

pub(super) fn check(cases: Vec<(&str, Value, Status, &str)>) {
    for (name, o, want, msg) in cases {
        let r = compute_value(&o);
        assert_eq!(r.status, want, "{name}: {}", r.message);
        assert!(
            r.message.contains(msg),
            "{name}: {:?} lacks {msg:?}",
            r.message
        );
    }
}

#[test]
fn generic_rules() {
    let mut deleting = obj("v1", "ConfigMap", json!({}), json!({}));
    deleting["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
    check(vec![
        (
            "deleting",
            deleting,
            Status::Terminating,
            "scheduled for deletion",
        ),
        (
            "old generation",
            obj(
                "example.com/v1",
                "W",
                json!({}),
                json!({"observedGeneration": 0}),
            ),
            Status::InProgress,
            "W generation is 1, but latest observed generation is 0",
        ),
        (
            "reconciling",
            obj(
                "example.com/v1",
                "W",
                json!({}),
                json!({"conditions": [cond("Reconciling", "True", "Progressing")]}),
            ),
            Status::InProgress,
            "Reconciling is True",
        ),
        (
            "stalled",
            obj(
                "example.com/v1",
                "W",
                json!({}),
                json!({"conditions": [cond("Stalled", "True", "Bad")]}),
            ),
            Status::Failed,
            "Stalled is True",
        ),
        (
            "plain",
            obj("v1", "ConfigMap", json!({}), json!({})),
            Status::Current,
            "Resource is always ready",
        ),
    ]);
}

#[test]
fn ready_condition_rules() {
    let flux = "kustomize.toolkit.fluxcd.io/v1";
    check(vec![
        (
            "flux ready",
            obj(
                flux,
                "Kustomization",
                json!({}),
                json!({"observedGeneration": 1, "conditions": [cond("Ready", "True", "Succeeded")]}),
            ),
            Status::Current,
            "Ready is True",
        ),
        (
            "flux not ready",
            obj(
                flux,
                "Kustomization",
                json!({}),
                json!({"observedGeneration": 1, "conditions": [cond("Ready", "False", "BuildFailed")]}),
            ),
            Status::Failed,
            "Ready is False",
        ),
        (
            "flux no status",
            obj(flux, "Kustomization", json!({}), json!({})),
            Status::InProgress,
            "Ready",
        ),
        (
            "flux unknown",
            obj(
                flux,
                "Kustomization",
                json!({}),
                json!({"conditions": [cond("Ready", "Unknown", "Progressing")]}),
            ),
            Status::InProgress,
            "",
        ),
        (
            "other not ready",
            obj(
                "example.com/v1",
                "W",
                json!({}),
                json!({"conditions": [cond("Ready", "False", "x")]}),
            ),
            Status::InProgress,
            "",
        ),
        (
            "other ready",
            obj(
                "example.com/v1",
                "W",
                json!({}),
                json!({"conditions": [cond("Ready", "True", "x")]}),
            ),
            Status::Current,
            "",
        ),
    ]);
}

#[test]
fn single_kind_rules() {
    check(vec![
        (
            "pod succeeded",
            obj("v1", "Pod", json!({}), json!({"phase": "Succeeded"})),
            Status::Current,
            "completed",
        ),
        (
            "pod failed",
            obj("v1", "Pod", json!({}), json!({"phase": "Failed"})),
            Status::Current,
            "not successfully",
        ),
        (
            "pod ready",
            obj(
                "v1",
                "Pod",
                json!({}),
                json!({"phase": "Running", "conditions": [cond("Ready", "True", "")]}),
            ),
            Status::Current,
            "Pod is Ready",
        ),
        (
            "pod crashloop",
            obj(
                "v1",
                "Pod",
                json!({}),
                json!({"phase": "Running", "containerStatuses": [{"name": "app", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}),
            ),
            Status::Failed,
            "CrashLoop state: app",
        ),
        (
            "pod pending",
            obj("v1", "Pod", json!({}), json!({"phase": "Pending"})),
            Status::InProgress,
            "Pending",
        ),
        (
            "job complete",
            obj(
                "batch/v1",
                "Job",
                json!({"completions": 1}),
                json!({"succeeded": 1, "conditions": [cond("Complete", "True", "")]}),
            ),
            Status::Current,
            "Job Completed. succeeded: 1/1",
        ),
        (
            "job failed",
            obj(
                "batch/v1",
                "Job",
                json!({}),
                json!({"failed": 2, "conditions": [cond("Failed", "True", "BackoffLimitExceeded")]}),
            ),
            Status::Failed,
            "Job Failed. failed: 2/1",
        ),
        (
            "job running",
            obj(
                "batch/v1",
                "Job",
                json!({}),
                json!({"startTime": "2024-01-01T00:00:00Z", "active": 1}),
            ),
            Status::InProgress,
            "Job in progress. success:0, active: 1, failed: 0",
        ),
        (
            "job not started",
            obj("batch/v1", "Job", json!({}), json!({})),
            Status::InProgress,
            "Job not started",
        ),
        (
            "pvc pending",
            obj(
                "v1",
                "PersistentVolumeClaim",
                json!({}),
                json!({"phase": "Pending"}),
            ),
            Status::InProgress,
            "phase: Pending",
        ),
        (
            "pvc bound",
            obj(
                "v1",
                "PersistentVolumeClaim",
                json!({}),
                json!({"phase": "Bound"}),
            ),
            Status::Current,
            "PVC is Bound",
        ),
        (
            "svc lb no ip",
            obj("v1", "Service", json!({"type": "LoadBalancer"}), json!({})),
            Status::InProgress,
            "LoadBalancer",
        ),
        (
            "svc clusterip",
            obj("v1", "Service", json!({"clusterIP": "10.0.0.1"}), json!({})),
            Status::Current,
            "",
        ),
        (
            "pdb unmet",
            obj(
                "policy/v1",
                "PodDisruptionBudget",
                json!({}),
                json!({"currentHealthy": 1, "desiredHealthy": 2}),
            ),
            Status::Current,
            "AllowedDisruptions has been computed.",
        ),
        (
            "pdb met",
            obj(
                "policy/v1",
                "PodDisruptionBudget",
                json!({}),
                json!({"currentHealthy": 2, "desiredHealthy": 2}),
            ),
            Status::Current,
            "AllowedDisruptions has been computed.",
        ),
        (
            "crd established",
            obj(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                json!({}),
                json!({"conditions": [cond("Established", "True", "")]}),
            ),
            Status::Current,
            "CRD is established",
        ),
        (
            "crd installing",
            obj(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                json!({}),
                json!({"conditions": [cond("Established", "False", "Installing")]}),
            ),
            Status::InProgress,
            "Install in progress",
        ),
        (
            "crd names rejected",
            obj(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                json!({}),
                json!({"conditions": [cond("NamesAccepted", "False", "Conflict")]}),
            ),
            Status::Failed,
            "NamesAccepted is False",
        ),
    ]);
}

#[test]
fn status_names() {
    let names: Vec<String> = [
        Status::InProgress,
        Status::Failed,
        Status::Current,
        Status::Terminating,
        Status::NotFound,
        Status::Unknown,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names,
        [
            "InProgress",
            "Failed",
            "Current",
            "Terminating",
            "NotFound",
            "Unknown"
        ]
    );
}

#[test]
fn generic_kinds_are_current() {
    check(vec![(
        "no rule",
        obj("example.com/v1", "Widget", json!({}), json!({})),
        Status::Current,
        "Resource is current",
    )]);
}

#[test]
fn deployment_without_progress_deadline_needs_no_progressing_condition() {
    let status =
        json!({"replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1});
    check(vec![
        (
            "no conditions yet",
            obj("apps/v1", "Deployment", json!({}), status.clone()),
            Status::InProgress,
            "Deployment not Available",
        ),
        (
            "available",
            obj("apps/v1", "Deployment", json!({}), {
                let mut s = status.clone();
                s["conditions"] = json!([cond("Available", "True", "x")]);
                s
            }),
            Status::Current,
            "Deployment is available",
        ),
    ]);
}

#[test]
fn unschedulable_pods_fail_after_the_schedule_window() {
    use k8s_openapi::jiff::Timestamp;
    let mut pod = obj(
        "v1",
        "Pod",
        json!({}),
        json!({"phase": "Pending", "conditions": [cond("PodScheduled", "False", "Unschedulable")]}),
    );
    pod["metadata"]["creationTimestamp"] = json!("2024-01-01T00:00:00Z");
    let at = |t: &str| t.parse::<Timestamp>().expect("time");
    let early = super::kinds::pod(&pod, at("2024-01-01T00:00:10Z"));
    assert_eq!(
        (early.status, early.message.as_str()),
        (Status::InProgress, "Pod has not been scheduled")
    );
    let late = super::kinds::pod(&pod, at("2024-01-01T00:00:16Z"));
    assert_eq!(
        (late.status, late.message.as_str()),
        (Status::Failed, "Pod could not be scheduled")
    );
    let odd = obj("v1", "Pod", json!({}), json!({"phase": "Weird"}));
    assert_eq!(super::compute_value(&odd).status, Status::Unknown);
}
