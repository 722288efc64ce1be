//! kstatus: an object's health from its own fields, with cli-utils' rules (generic
//! deletion / observedGeneration / Reconciling / Stalled checks, then per-kind rules) and
//! Flux's readers for Jobs and for kinds reporting a Ready condition.

mod kinds;
mod workloads;

use std::fmt;

use kube::api::DynamicObject;
use serde_json::Value;

/// kstatus' statuses, displayed with cli-utils' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    InProgress,
    Failed,
    Current,
    Terminating,
    NotFound,
    Unknown,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::InProgress => "InProgress",
            Status::Failed => "Failed",
            Status::Current => "Current",
            Status::Terminating => "Terminating",
            Status::NotFound => "NotFound",
            Status::Unknown => "Unknown",
        })
    }
}

/// A status and the message explaining it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusResult {
    pub status: Status,
    pub message: String,
}

impl StatusResult {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn in_progress(message: impl Into<String>) -> Self {
        Self::new(Status::InProgress, message)
    }
    pub(crate) fn current(message: impl Into<String>) -> Self {
        Self::new(Status::Current, message)
    }
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self::new(Status::Failed, message)
    }
}

/// The status of a live object.
pub fn compute(obj: &DynamicObject) -> StatusResult {
    match serde_json::to_value(obj) {
        Ok(v) => compute_value(&v),
        Err(e) => StatusResult::new(Status::Unknown, format!("unreadable object: {e}")),
    }
}

/// The status of a live object in its JSON form.
pub fn compute_value(obj: &Value) -> StatusResult {
    if let Some(r) = generic(obj) {
        return r;
    }
    let api_version = str_at(obj, "/apiVersion");
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let kind = str_at(obj, "/kind");
    if let Some(r) = kinds::by_kind(group, kind, obj) {
        return r;
    }
    kinds::ready_condition(group, obj)
        .unwrap_or_else(|| StatusResult::current("Resource is current"))
}

/// Deletion, observedGeneration, and the standard Reconciling / Stalled conditions.
fn generic(obj: &Value) -> Option<StatusResult> {
    if !str_at(obj, "/metadata/deletionTimestamp").is_empty() {
        return Some(StatusResult::new(
            Status::Terminating,
            "Resource scheduled for deletion",
        ));
    }
    if let (Some(generation), Some(observed)) = (
        obj.pointer("/metadata/generation").and_then(Value::as_i64),
        obj.pointer("/status/observedGeneration")
            .and_then(Value::as_i64),
    ) && generation != observed
    {
        return Some(StatusResult::in_progress(format!(
            "{} generation is {generation}, but latest observed generation is {observed}",
            str_at(obj, "/kind")
        )));
    }
    for c in conditions(obj) {
        if c.type_ == "Reconciling" && c.status == "True" {
            return Some(StatusResult::in_progress(c.message));
        }
        if c.type_ == "Stalled" && c.status == "True" {
            return Some(StatusResult::failed(c.message));
        }
    }
    None
}

/// One entry of `status.conditions`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Condition {
    pub type_: String,
    pub status: String,
    pub reason: String,
    pub message: String,
}

pub(crate) fn conditions(obj: &Value) -> Vec<Condition> {
    let Some(list) = obj.pointer("/status/conditions").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .map(|c| Condition {
            type_: str_at(c, "/type").to_string(),
            status: str_at(c, "/status").to_string(),
            reason: str_at(c, "/reason").to_string(),
            message: str_at(c, "/message").to_string(),
        })
        .collect()
}

pub(crate) fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn int_at(v: &Value, pointer: &str, default: i64) -> i64 {
    v.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(default)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_workloads;
