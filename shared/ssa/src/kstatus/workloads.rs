//! kstatus rules of the replicated workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet.

use serde_json::Value;

use super::{StatusResult, conditions, int_at, str_at};

pub(super) fn deployment(obj: &Value) -> StatusResult {
    // Without a progress deadline the controller never sets Progressing.
    let mut progressing = obj.pointer("/spec/progressDeadlineSeconds").is_none();
    let mut available = false;
    for c in conditions(obj) {
        match c.type_.as_str() {
            "Progressing" if c.reason == "ProgressDeadlineExceeded" => {
                return StatusResult::failed("Progress deadline exceeded");
            }
            "Progressing" if c.status == "True" && c.reason == "NewReplicaSetAvailable" => {
                progressing = true;
            }
            "Available" if c.status == "True" => available = true,
            _ => {}
        }
    }
    // The controller defaults spec.replicas to 1.
    let spec = int_at(obj, "/spec/replicas", 1);
    let status = int_at(obj, "/status/replicas", 0);
    let updated = int_at(obj, "/status/updatedReplicas", 0);
    let ready = int_at(obj, "/status/readyReplicas", 0);
    let avail = int_at(obj, "/status/availableReplicas", 0);
    if spec > status {
        return StatusResult::in_progress(format!("replicas: {status}/{spec}"));
    }
    if spec > updated {
        return StatusResult::in_progress(format!("Updated: {updated}/{spec}"));
    }
    if status > spec {
        return StatusResult::in_progress(format!("Pending termination: {}", status - spec));
    }
    if updated > avail {
        return StatusResult::in_progress(format!("Available: {avail}/{updated}"));
    }
    if spec > ready {
        return StatusResult::in_progress(format!("Ready: {ready}/{spec}"));
    }
    if !progressing {
        return StatusResult::in_progress("ReplicaSet not Available");
    }
    if !available {
        return StatusResult::in_progress("Deployment not Available");
    }
    StatusResult::current(format!("Deployment is available. Replicas: {status}"))
}

pub(super) fn stateful_set(obj: &Value) -> StatusResult {
    if str_at(obj, "/spec/updateStrategy/type") == "OnDelete" {
        return StatusResult::current("StatefulSet is using the ondelete update strategy");
    }
    let spec = int_at(obj, "/spec/replicas", 1);
    let ready = int_at(obj, "/status/readyReplicas", 0);
    let current = int_at(obj, "/status/currentReplicas", 0);
    let updated = int_at(obj, "/status/updatedReplicas", 0);
    let status = int_at(obj, "/status/replicas", 0);
    let partition = int_at(obj, "/spec/updateStrategy/rollingUpdate/partition", -1);
    if spec > status {
        return StatusResult::in_progress(format!("Replicas: {status}/{spec}"));
    }
    if spec > ready {
        return StatusResult::in_progress(format!("Ready: {ready}/{spec}"));
    }
    if status > spec {
        return StatusResult::in_progress(format!("Pending termination: {}", status - spec));
    }
    if partition != -1 {
        if updated < spec - partition {
            return StatusResult::in_progress(format!("updated: {updated}/{}", spec - partition));
        }
        return StatusResult::current(format!("Partition rollout complete. updated: {updated}"));
    }
    if spec > current {
        return StatusResult::in_progress(format!("current: {current}/{spec}"));
    }
    if str_at(obj, "/status/currentRevision") != str_at(obj, "/status/updateRevision") {
        return StatusResult::in_progress("Waiting for updated revision to match current");
    }
    StatusResult::current(format!(
        "All replicas scheduled as expected. Replicas: {status}"
    ))
}

pub(super) fn daemon_set(obj: &Value) -> StatusResult {
    let desired = int_at(obj, "/status/desiredNumberScheduled", -1);
    if desired == -1 {
        return StatusResult::in_progress("Missing .status.desiredNumberScheduled");
    }
    let checks = [
        ("Current", int_at(obj, "/status/currentNumberScheduled", 0)),
        ("Updated", int_at(obj, "/status/updatedNumberScheduled", 0)),
        ("Available", int_at(obj, "/status/numberAvailable", 0)),
        ("Ready", int_at(obj, "/status/numberReady", 0)),
    ];
    for (what, have) in checks {
        if desired > have {
            return StatusResult::in_progress(format!("{what}: {have}/{desired}"));
        }
    }
    StatusResult::current(format!(
        "All replicas scheduled as expected. Replicas: {desired}"
    ))
}

pub(super) fn replica_set(obj: &Value) -> StatusResult {
    if conditions(obj)
        .iter()
        .any(|c| c.type_ == "ReplicaFailure" && c.status == "True")
    {
        return StatusResult::in_progress("Replica Failure condition. Check Pods");
    }
    let spec = int_at(obj, "/spec/replicas", 1);
    let status = int_at(obj, "/status/replicas", 0);
    let checks = [
        ("Labelled", int_at(obj, "/status/fullyLabeledReplicas", 0)),
        ("Available", int_at(obj, "/status/availableReplicas", 0)),
        ("Ready", int_at(obj, "/status/readyReplicas", 0)),
    ];
    for (what, have) in checks {
        if spec > have {
            return StatusResult::in_progress(format!("{what}: {have}/{spec}"));
        }
    }
    if status > spec {
        return StatusResult::in_progress(format!("Pending termination: {}", status - spec));
    }
    StatusResult::current(format!("ReplicaSet is available. Replicas: {status}"))
}
