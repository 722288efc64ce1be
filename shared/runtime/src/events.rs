//! Kubernetes Events and Flux event JSON posted to --events-addr.
//!
//! Follows fluxcd/pkg/runtime/events (`Recorder.AnnotatedEventf`) and the event API
//! fluxcd/pkg/apis/event/v1beta1:
//! - the annotations of an event are the caller's (`<group>/revision`, `<group>/token`, ...)
//!   plus the object's own `event.toolkit.fluxcd.io/*` annotations, which win;
//! - a Kubernetes Event is always recorded (a Trace event as type Normal), named
//!   `<object>.<hex unix nanos>` as client-go names them, with count and timestamps;
//! - the Flux event JSON is posted only when an events address is set, the event is not a
//!   trace, and the object has a kind, a name and a namespace; severity is `error` for Warning
//!   and `info` otherwise; metadata keeps the full annotation keys.
//!
//! The Event and the JSON are built by pure functions here; [`EventRecorder`] does the I/O.
//! Messages are the caller's text and must not contain secret values; nothing in this module
//! logs request bodies or headers.

mod correlator;
mod recorder;
mod webhook;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Disposition, ReconcileError};

use correlator::{Correlator, EventWrite, patch_body};
pub use recorder::{EventRecorder, default_instance};
pub use webhook::{EVENT_RETRY_POLICY, EventPoster, PostError, PostOutcome};
#[cfg(test)]
use webhook::{Verdict, classify};

/// The API group of Flux events; object annotations under `<group>/` become event metadata.
pub const EVENT_GROUP: &str = "event.toolkit.fluxcd.io";
/// Metadata key of the source artifact revision.
pub const META_REVISION_KEY: &str = "revision";
/// Metadata key of the origin revision of an artifact.
pub const META_ORIGIN_REVISION_KEY: &str = "originRevision";
/// Metadata key of the artifact digest.
pub const META_DIGEST_KEY: &str = "digest";
/// Metadata key of a token that identifies the payload, used by the receiver to rate-limit.
pub const META_TOKEN_KEY: &str = "token";
/// Metadata key of a Git commit.
pub const META_COMMIT_KEY: &str = "commit";
/// Metadata key that marks an event as a Git commit status update.
pub const META_COMMIT_STATUS_KEY: &str = "commit_status";
/// The value of [`META_COMMIT_STATUS_KEY`] for a commit status update.
pub const META_COMMIT_STATUS_UPDATE_VALUE: &str = "update";
/// Metadata key of the identifier of a change request.
pub const META_CHANGE_REQUEST_KEY: &str = "change_request";

/// The type of an event: Kubernetes' Normal and Warning, and Flux's Trace, which is recorded as
/// a Normal Kubernetes Event but never forwarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
    Trace,
}

impl EventType {
    /// The `type` of the Kubernetes Event.
    pub fn kube_type(self) -> &'static str {
        match self {
            Self::Warning => "Warning",
            Self::Normal | Self::Trace => "Normal",
        }
    }

    /// The severity of the Flux event.
    pub fn severity(self) -> &'static str {
        match self {
            Self::Warning => "error",
            Self::Normal => "info",
            Self::Trace => "trace",
        }
    }
}

/// What a controller wants to say about an object.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub event_type: EventType,
    pub reason: String,
    pub message: String,
    /// Keys without a group (`revision`, `token`, ...): prefixed with the object's API group.
    pub metadata: BTreeMap<String, String>,
    /// Full annotation keys, taken as they are.
    pub annotations: BTreeMap<String, String>,
}

impl EventSpec {
    pub fn new(
        event_type: EventType,
        reason: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            event_type,
            reason: reason.into(),
            message: message.into(),
            metadata: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }

    pub fn normal(reason: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(EventType::Normal, reason, message)
    }

    pub fn warning(reason: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(EventType::Warning, reason, message)
    }

    pub fn trace(reason: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(EventType::Trace, reason, message)
    }

    /// The event Flux records for a failed run: a warning with the error's reason and message,
    /// or a normal event for a wait (source-controller's `RecordContextualError`).
    pub fn for_error(err: &ReconcileError) -> Self {
        let event_type = match err.disposition() {
            Disposition::Wait(_) => EventType::Normal,
            Disposition::Retry | Disposition::Stall => EventType::Warning,
        };
        Self::new(event_type, err.reason(), err.message())
    }

    /// Adds `<group>/<key>` metadata (empty values are skipped, as Flux's controllers do).
    pub fn with_metadata(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.metadata.insert(key.to_string(), value);
        }
        self
    }

    pub fn with_revision(self, revision: impl Into<String>) -> Self {
        self.with_metadata(META_REVISION_KEY, revision)
    }

    pub fn with_origin_revision(self, revision: impl Into<String>) -> Self {
        self.with_metadata(META_ORIGIN_REVISION_KEY, revision)
    }

    pub fn with_token(self, token: impl Into<String>) -> Self {
        self.with_metadata(META_TOKEN_KEY, token)
    }

    /// Marks the event as a Git commit status update, as kustomize-controller and
    /// helm-controller do on the event that ends a run.
    pub fn with_commit_status_update(self) -> Self {
        self.with_metadata(META_COMMIT_STATUS_KEY, META_COMMIT_STATUS_UPDATE_VALUE)
    }

    /// Adds an annotation under its full key.
    pub fn with_annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }
}

/// Flux's event JSON (fluxcd/pkg/apis/event/v1beta1 `Event`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FluxEvent {
    pub involved_object: ObjectReference,
    /// `trace`, `info` or `error`.
    pub severity: String,
    pub timestamp: Time,
    pub message: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    pub reporting_controller: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reporting_instance: String,
}

/// Why an event is recorded in Kubernetes only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotForwarded {
    Trace,
    MissingKind,
    MissingName,
    MissingNamespace,
}

/// Who records: the controller name and its instance (pod name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reporter {
    pub controller: String,
    pub instance: String,
}

/// The reference client-go's `reference.GetReference` makes: apiVersion, kind, name,
/// namespace, uid and resourceVersion.
pub fn object_reference<K: kube::Resource<DynamicType = ()>>(obj: &K) -> ObjectReference {
    let meta = obj.meta();
    ObjectReference {
        api_version: Some(K::api_version(&()).into_owned()),
        kind: Some(K::kind(&()).into_owned()),
        name: meta.name.clone(),
        namespace: meta.namespace.clone(),
        uid: meta.uid.clone(),
        resource_version: meta.resource_version.clone(),
        field_path: None,
    }
}

/// The annotations of an event: the spec's metadata under `<group>/`, its full-key
/// annotations, then the object's `event.toolkit.fluxcd.io/*` annotations over them.
pub fn event_annotations(
    group: &str,
    spec: &EventSpec,
    object_annotations: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = spec
        .metadata
        .iter()
        .map(|(k, v)| match group.is_empty() {
            true => (k.clone(), v.clone()),
            false => (format!("{group}/{k}"), v.clone()),
        })
        .collect();
    out.extend(spec.annotations.iter().map(|(k, v)| (k.clone(), v.clone())));
    let prefix = format!("{EVENT_GROUP}/");
    if let Some(annotations) = object_annotations {
        out.extend(
            annotations
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    out
}

/// The core/v1 Event client-go's recorder would create for this event at `now`.
pub(crate) fn kube_event(
    reference: &ObjectReference,
    annotations: &BTreeMap<String, String>,
    spec: &EventSpec,
    reporter: &Reporter,
    now: Timestamp,
) -> Event {
    let name = reference.name.as_deref().unwrap_or_default();
    let namespace = reference
        .namespace
        .clone()
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".into());
    Event {
        metadata: ObjectMeta {
            name: Some(format!("{name}.{:x}", now.as_nanosecond())),
            namespace: Some(namespace),
            annotations: (!annotations.is_empty()).then(|| annotations.clone()),
            ..ObjectMeta::default()
        },
        involved_object: reference.clone(),
        reason: Some(spec.reason.clone()),
        message: Some(spec.message.clone()),
        type_: Some(spec.event_type.kube_type().to_string()),
        first_timestamp: Some(seconds(now)),
        last_timestamp: Some(seconds(now)),
        count: Some(1),
        source: Some(EventSource {
            component: Some(reporter.controller.clone()),
            host: None,
        }),
        reporting_component: Some(reporter.controller.clone()),
        reporting_instance: Some(reporter.instance.clone()).filter(|i| !i.is_empty()),
        ..Event::default()
    }
}

/// The Flux event JSON for the events address, or why the event stays in Kubernetes only.
pub(crate) fn flux_event(
    reference: &ObjectReference,
    annotations: &BTreeMap<String, String>,
    spec: &EventSpec,
    reporter: &Reporter,
    now: Timestamp,
) -> Result<FluxEvent, NotForwarded> {
    let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    if spec.event_type == EventType::Trace {
        return Err(NotForwarded::Trace);
    }
    if !present(&reference.kind) {
        return Err(NotForwarded::MissingKind);
    }
    if !present(&reference.name) {
        return Err(NotForwarded::MissingName);
    }
    if !present(&reference.namespace) {
        return Err(NotForwarded::MissingNamespace);
    }
    Ok(FluxEvent {
        involved_object: reference.clone(),
        severity: spec.event_type.severity().to_string(),
        timestamp: seconds(now),
        message: spec.message.clone(),
        reason: spec.reason.clone(),
        metadata: annotations.clone(),
        reporting_controller: reporter.controller.clone(),
        reporting_instance: reporter.instance.clone(),
    })
}

/// A `metav1.Time` at `now`, truncated to the seconds it serializes with.
fn seconds(now: Timestamp) -> Time {
    Time(Timestamp::from_second(now.as_second()).unwrap_or(now))
}

#[cfg(test)]
mod tests;
