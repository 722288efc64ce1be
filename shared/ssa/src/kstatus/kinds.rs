//! kstatus rules of single kinds (Pod, Job, PVC, Service, PDB, CRD) and the Ready-condition
//! reader used for Flux kinds and other custom resources.

use k8s_openapi::jiff::Timestamp;
use serde_json::Value;

use super::{Status, StatusResult, conditions, int_at, str_at, workloads};

/// The rule of a kind cli-utils knows (its `legacyTypes`), or None.
pub(super) fn by_kind(group: &str, kind: &str, obj: &Value) -> Option<StatusResult> {
    Some(match (group, kind) {
        ("apps" | "extensions", "Deployment") => workloads::deployment(obj),
        ("apps", "StatefulSet") => workloads::stateful_set(obj),
        ("apps" | "extensions", "DaemonSet") => workloads::daemon_set(obj),
        ("apps" | "extensions", "ReplicaSet") => workloads::replica_set(obj),
        ("", "Pod") => pod(obj, now()),
        ("batch", "Job") => job(obj),
        ("", "PersistentVolumeClaim") => pvc(obj),
        ("", "Service") => service(obj),
        // The disruption controller sets no conditions; observedGeneration said enough.
        ("policy", "PodDisruptionBudget") => {
            StatusResult::current("AllowedDisruptions has been computed.")
        }
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd(obj),
        ("", "Secret" | "ConfigMap") | ("batch", "CronJob") => {
            StatusResult::current("Resource is always ready")
        }
        _ => return None,
    })
}

fn now() -> Timestamp {
    Timestamp::now()
}

/// How long a pod may stay unschedulable before it counts as Failed.
const SCHEDULE_WINDOW_SECONDS: i64 = 15;

pub(super) fn pod(obj: &Value, now: Timestamp) -> StatusResult {
    let conds = conditions(obj);
    match str_at(obj, "/status/phase") {
        "Succeeded" => StatusResult::current("Pod has completed successfully"),
        // cli-utils counts a finished pod as Current whatever its outcome.
        "Failed" => StatusResult::current("Pod has completed, but not successfully"),
        "Running" => {
            if conds
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
            {
                return StatusResult::current("Pod is Ready");
            }
            let looping = crash_looping(obj);
            if !looping.is_empty() {
                return StatusResult::failed(format!(
                    "Containers in CrashLoop state: {}",
                    looping.join(",")
                ));
            }
            StatusResult::in_progress("Pod is running but is not Ready")
        }
        "Pending" => {
            let unschedulable = conds.iter().any(|c| {
                c.type_ == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable"
            });
            if !unschedulable {
                return StatusResult::in_progress("Pod is in the Pending phase");
            }
            let created = str_at(obj, "/metadata/creationTimestamp")
                .parse::<Timestamp>()
                .unwrap_or(now);
            if now.as_second() - created.as_second() <= SCHEDULE_WINDOW_SECONDS {
                StatusResult::in_progress("Pod has not been scheduled")
            } else {
                StatusResult::failed("Pod could not be scheduled")
            }
        }
        "" => StatusResult::in_progress("Pod phase not available"),
        other => StatusResult::new(Status::Unknown, format!("unknown phase {other}")),
    }
}

fn crash_looping(obj: &Value) -> Vec<String> {
    let statuses = obj
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    statuses
        .into_iter()
        .flatten()
        .filter(|c| str_at(c, "/state/waiting/reason") == "CrashLoopBackOff")
        .map(|c| str_at(c, "/name").to_string())
        .collect()
}

/// Flux's Job reader: a Job is Current only once complete (cli-utils would call a running
/// Job Current).
fn job(obj: &Value) -> StatusResult {
    let parallelism = int_at(obj, "/spec/parallelism", 1);
    let completions = int_at(obj, "/spec/completions", parallelism);
    let succeeded = int_at(obj, "/status/succeeded", 0);
    let active = int_at(obj, "/status/active", 0);
    let failed = int_at(obj, "/status/failed", 0);
    for c in conditions(obj) {
        match (c.type_.as_str(), c.status.as_str()) {
            ("Complete", "True") => {
                return StatusResult::current(format!(
                    "Job Completed. succeeded: {succeeded}/{completions}"
                ));
            }
            ("Failed", "True") => {
                return StatusResult::failed(format!("Job Failed. failed: {failed}/{completions}"));
            }
            _ => {}
        }
    }
    if str_at(obj, "/status/startTime").is_empty() {
        return StatusResult::in_progress(format!("Job not started. active: 0/{parallelism}"));
    }
    StatusResult::in_progress(format!(
        "Job in progress. success:{succeeded}, active: {active}, failed: {failed}"
    ))
}

fn pvc(obj: &Value) -> StatusResult {
    let phase = str_at(obj, "/status/phase");
    if phase != "Bound" {
        return StatusResult::in_progress(format!("PVC is not Bound. phase: {phase}"));
    }
    StatusResult::current("PVC is Bound")
}

fn service(obj: &Value) -> StatusResult {
    let kind = obj
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP");
    if kind == "LoadBalancer" && str_at(obj, "/spec/clusterIP").is_empty() {
        return StatusResult::in_progress("ClusterIP not set. Service type: LoadBalancer");
    }
    StatusResult::current("Service is ready")
}

fn crd(obj: &Value) -> StatusResult {
    for c in conditions(obj) {
        if c.type_ == "NamesAccepted" && c.status == "False" {
            return StatusResult::failed(c.message);
        }
        if c.type_ == "Established" {
            if c.status == "False" && c.reason != "Installing" {
                return StatusResult::failed(c.message);
            }
            if c.status == "True" {
                return StatusResult::current("CRD is established");
            }
        }
    }
    StatusResult::in_progress("Install in progress")
}

/// Kinds with a Ready condition: Ready=True is Current. Flux's own kinds (groups ending in
/// `.toolkit.fluxcd.io`) are Failed on Ready=False and in progress until Ready appears;
/// other kinds are in progress on Ready=False/Unknown. None when no rule applies.
pub(super) fn ready_condition(group: &str, obj: &Value) -> Option<StatusResult> {
    let flux = group.ends_with(".toolkit.fluxcd.io");
    let ready = conditions(obj).into_iter().find(|c| c.type_ == "Ready");
    match ready {
        Some(c) if c.status == "True" => Some(StatusResult::current(c.message)),
        Some(c) if c.status == "False" && flux => Some(StatusResult::failed(c.message)),
        Some(c) => Some(StatusResult::new(Status::InProgress, c.message)),
        None if flux => Some(StatusResult::in_progress("waiting for the Ready condition")),
        None => None,
    }
}
