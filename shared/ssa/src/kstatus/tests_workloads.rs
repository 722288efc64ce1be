//! Table-driven kstatus cases of the replicated workloads.

use serde_json::{Value, json};

use super::Status;
use super::tests::{check, cond, obj};

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
        obj(
            "apps/v1",
            "Deployment",
            json!({"replicas": 2, "progressDeadlineSeconds": 600}),
            s,
        )
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
            "replicas: 0/2",
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
            "Waiting for updated revision to match current",
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
