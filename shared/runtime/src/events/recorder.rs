//! The event recorder of a controller: writes Kubernetes Events through kube and forwards Flux
//! events to the events address in the background, so a slow receiver never delays a reconcile.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use k8s_openapi::api::core::v1::{Event, ObjectReference};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use tokio::task::JoinHandle;

use super::{
    Correlator, EventPoster, EventSpec, EventType, EventWrite, FluxEvent, PostError, Reporter,
    event_annotations, flux_event, kube_event, object_reference, patch_body,
};

/// Records events for one controller (`reportingController`) in one pod (`reportingInstance`).
#[derive(Clone)]
pub struct EventRecorder {
    client: kube::Client,
    reporter: Reporter,
    poster: Option<EventPoster>,
    correlator: Arc<Mutex<Correlator>>,
}

/// The pod's host name, as Go's `os.Hostname` gives it (Flux's reportingInstance).
pub fn default_instance() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default()
}

impl EventRecorder {
    /// `events_addr` is `--events-addr` (notification-controller), if set.
    pub fn new(
        client: kube::Client,
        controller: &str,
        instance: &str,
        events_addr: Option<reqwest::Url>,
    ) -> Result<Self, PostError> {
        let poster = events_addr
            .map(|url| EventPoster::new(url, super::EVENT_RETRY_POLICY))
            .transpose()?;
        Ok(Self {
            client,
            reporter: Reporter {
                controller: controller.to_string(),
                instance: instance.to_string(),
            },
            poster,
            correlator: Arc::new(Mutex::new(Correlator::new())),
        })
    }

    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    /// Records an event about `obj`. Failures are logged, never returned: an event must not
    /// fail a reconcile.
    pub async fn record<K: kube::Resource<DynamicType = ()>>(&self, obj: &K, spec: EventSpec) {
        let reference = object_reference(obj);
        self.record_for(
            reference,
            &K::group(&()),
            obj.meta().annotations.as_ref(),
            spec,
        )
        .await;
    }

    /// Records an event about an object known by reference (for dynamic types).
    pub async fn record_for(
        &self,
        reference: ObjectReference,
        group: &str,
        object_annotations: Option<&BTreeMap<String, String>>,
        spec: EventSpec,
    ) {
        let annotations = event_annotations(group, &spec, object_annotations);
        let now = Timestamp::now();
        log_event(&reference, &spec, &annotations);
        let event = kube_event(&reference, &annotations, &spec, &self.reporter, now);
        self.write_kube_event(event, now).await;
        if self.poster.is_some() {
            match flux_event(&reference, &annotations, &spec, &self.reporter, now) {
                Ok(flux) => drop(self.forward(flux)),
                Err(reason) => tracing::trace!(?reason, "event not forwarded"),
            }
        }
    }

    /// Posts a Flux event to the events address in the background.
    pub fn forward(&self, event: FluxEvent) -> Option<JoinHandle<()>> {
        let poster = self.poster.clone()?;
        Some(tokio::spawn(async move {
            match poster.post(&event).await {
                Ok(super::PostOutcome::Rejected(code)) => {
                    tracing::warn!(status = code, reason = %event.reason, "events receiver refused the event")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, reason = %event.reason, "unable to record event")
                }
            }
        }))
    }

    async fn write_kube_event(&self, event: Event, now: Timestamp) {
        let write = match self.correlator.lock() {
            Ok(mut correlator) => correlator.correlate(event, now),
            Err(poisoned) => poisoned.into_inner().correlate(event, now),
        };
        let result = match write {
            EventWrite::Drop => {
                tracing::debug!("event dropped by the spam filter");
                return;
            }
            EventWrite::Create(event) => self.create(&event).await,
            EventWrite::Patch(event) => match self.patch(&event).await {
                Err(kube::Error::Api(status)) if status.is_not_found() => self.create(&event).await,
                other => other,
            },
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "server rejected event (will not retry)");
        }
    }

    async fn create(&self, event: &Event) -> Result<(), kube::Error> {
        let api: Api<Event> = Api::namespaced(
            self.client.clone(),
            event.metadata.namespace.as_deref().unwrap_or("default"),
        );
        let mut fresh = event.clone();
        fresh.metadata.resource_version = None;
        api.create(&PostParams::default(), &fresh).await.map(drop)
    }

    async fn patch(&self, event: &Event) -> Result<(), kube::Error> {
        let api: Api<Event> = Api::namespaced(
            self.client.clone(),
            event.metadata.namespace.as_deref().unwrap_or("default"),
        );
        let name = event.metadata.name.as_deref().unwrap_or_default();
        api.patch(
            name,
            &PatchParams::default(),
            &Patch::Merge(patch_body(event)),
        )
        .await
        .map(drop)
    }
}

/// Flux logs each event at trace level: warnings as errors, others as info.
fn log_event(
    reference: &ObjectReference,
    spec: &EventSpec,
    annotations: &BTreeMap<String, String>,
) {
    let name = reference.name.as_deref().unwrap_or_default();
    let namespace = reference.namespace.as_deref().unwrap_or_default();
    let kind = reference.kind.as_deref().unwrap_or_default();
    match spec.event_type {
        EventType::Warning => tracing::trace!(
            name, namespace, reconciler_kind = kind, error = %spec.reason, ?annotations, "{}", spec.message
        ),
        _ => tracing::trace!(
            name, namespace, reconciler_kind = kind, reason = %spec.reason, ?annotations, "{}", spec.message
        ),
    }
}
