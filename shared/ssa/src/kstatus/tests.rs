//! Table-driven kstatus cases per kind.

use serde_json::{Value, json};

use super::{Status, compute_value};

fn obj(api: &str, kind: &str, spec: Value, status: Value) -> Value {
    json!({"apiVersion": api, "kind": kind, "metadata": {"name": "x", "namespace": "ns", "generation": 1},
           "spec": spec, "status": status})
}

fn cond(t: &str, s: &str, reason: &str) -> Value {
    json!({"type": t, "status": s, "reason": reason, "message": format!("{t} is {s}")})
}

fn check(cases: Vec<(&str, Value, Status, &str)>) {
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
            "Resource is current",
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
fn deployment_rules() {
    let ok_conds = json!([
        cond("Progressing", "True", "NewReplicaSetAvailable"),
        cond("Available", "True", "MinimumReplicasAvailable")
    ]);
    let full = |extra: Value| {
        let mut s = json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2, "conditions": ok_conds});
        if let (Some(s), Some(e)) = (s.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        obj("apps/v1", "Deployment", json!({"replicas": 2}), s)
    };
    check(vec![
        (
            "ready",
            full(json!({})),
            Status::Current,
            "Deployment is available. Replicas: 2",
        ),
        (
            "no status",
            obj("apps/v1", "Deployment", json!({"replicas": 2}), json!({})),
            Status::InProgress,
            "Replicas: 0/2",
        ),
        (
            "less updated",
            full(json!({"updatedReplicas": 1})),
            Status::InProgress,
            "Updated: 1/2",
        ),
        (
            "extra pods",
            full(json!({"replicas": 3})),
            Status::InProgress,
            "Pending termination: 1",
        ),
        (
            "less available",
            full(json!({"availableReplicas": 1})),
            Status::InProgress,
            "Available: 1/2",
        ),
        (
            "less ready",
            full(json!({"readyReplicas": 1})),
            Status::InProgress,
            "Ready: 1/2",
        ),
        (
            "not progressing",
            full(json!({"conditions": [cond("Available", "True", "x")]})),
            Status::InProgress,
            "ReplicaSet not Available",
        ),
        (
            "deadline",
            full(json!({"conditions": [cond("Progressing", "False", "ProgressDeadlineExceeded")]})),
            Status::Failed,
            "Progress deadline exceeded",
        ),
        (
            "default replicas",
            obj(
                "apps/v1",
                "Deployment",
                json!({}),
                json!({"replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1, "conditions": ok_conds}),
            ),
            Status::Current,
            "Replicas: 1",
        ),
    ]);
}

#[test]
fn statefulset_daemonset_replicaset_rules() {
    let sts = |status: Value, spec: Value| obj("apps/v1", "StatefulSet", spec, status);
    let ds = |status: Value| obj("apps/v1", "DaemonSet", json!({}), status);
    let rs = |status: Value| obj("apps/v1", "ReplicaSet", json!({"replicas": 2}), status);
    check(vec![
        (
            "sts ondelete",
            sts(json!({}), json!({"updateStrategy": {"type": "OnDelete"}})),
            Status::Current,
            "ondelete",
        ),
        (
            "sts less ready",
            sts(
                json!({"replicas": 2, "readyReplicas": 1}),
                json!({"replicas": 2}),
            ),
            Status::InProgress,
            "Ready: 1/2",
        ),
        (
            "sts partition",
            sts(
                json!({"replicas": 3, "readyReplicas": 3, "updatedReplicas": 1}),
                json!({"replicas": 3, "updateStrategy": {"rollingUpdate": {"partition": 1}}}),
            ),
            Status::InProgress,
            "updated: 1/2",
        ),
        (
            "sts revision",
            sts(
                json!({"replicas": 1, "readyReplicas": 1, "currentReplicas": 1, "currentRevision": "a", "updateRevision": "b"}),
                json!({"replicas": 1}),
            ),
            Status::InProgress,
            "revision b",
        ),
        (
            "sts ok",
            sts(
                json!({"replicas": 1, "readyReplicas": 1, "currentReplicas": 1, "currentRevision": "a", "updateRevision": "a"}),
                json!({"replicas": 1}),
            ),
            Status::Current,
            "Replicas: 1",
        ),
        (
            "ds no desired",
            ds(json!({})),
            Status::InProgress,
            "desiredNumberScheduled",
        ),
        (
            "ds less available",
            ds(
                json!({"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "updatedNumberScheduled": 2, "numberAvailable": 1}),
            ),
            Status::InProgress,
            "Available: 1/2",
        ),
        (
            "ds ok",
            ds(
                json!({"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "updatedNumberScheduled": 2, "numberAvailable": 2, "numberReady": 2}),
            ),
            Status::Current,
            "Replicas: 2",
        ),
        (
            "rs failure",
            rs(json!({"conditions": [cond("ReplicaFailure", "True", "x")]})),
            Status::InProgress,
            "Replica Failure",
        ),
        (
            "rs less ready",
            rs(
                json!({"replicas": 2, "fullyLabeledReplicas": 2, "availableReplicas": 2, "readyReplicas": 1}),
            ),
            Status::InProgress,
            "Ready: 1/2",
        ),
        (
            "rs ok",
            rs(
                json!({"replicas": 2, "fullyLabeledReplicas": 2, "availableReplicas": 2, "readyReplicas": 2}),
            ),
            Status::Current,
            "Replicas: 2",
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
            Status::Failed,
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
            Status::InProgress,
            "Budget not met",
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
            "Budget is met",
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
