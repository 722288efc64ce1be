//! Prometheus metrics (gotk_reconcile_duration_seconds, reconcile counters) served on --metrics-addr.
//!
//! The families and labels are Flux's (fluxcd/pkg/runtime/metrics: `gotk_reconcile_duration_seconds`,
//! `gotk_suspend_status`, `gotk_reconcile_condition`) and controller-runtime's
//! (`controller_runtime_reconcile_total{controller,result}`, `..._reconcile_errors_total`,
//! `..._terminal_reconcile_errors_total`, `..._reconcile_time_seconds`,
//! `..._max_concurrent_reconciles`, `..._active_workers`). Flux 2.x controllers record only the
//! duration; the suspend and condition gauges stay registered, and empty, unless a controller
//! sets them. `/metrics` answers OpenMetrics to scrapers that ask for it and the classic text
//! format otherwise.

mod text;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fluxion_api::conditions::status;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets_range};
use prometheus_client::registry::Registry;

use crate::error::Disposition;
use crate::finalizer::has_finalizer;
use crate::flags::ListenAddr;
use crate::health::ServerHandle;
use crate::summarize::Outcome;

use text::{OPENMETRICS_TEXT, PROMETHEUS_TEXT, openmetrics_to_prometheus, wants_openmetrics};

/// controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`.
const RECONCILE_TIME_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
    1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 15.0, 20.0,
    25.0, 30.0, 40.0, 50.0, 60.0,
];

/// The object labels of the gotk families.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ObjectLabels {
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl ObjectLabels {
    pub fn new(kind: &str, name: &str, namespace: &str) -> Self {
        Self {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: namespace.to_string(),
        }
    }

    pub fn of<K: kube::Resource<DynamicType = ()>>(obj: &K) -> Self {
        let meta = obj.meta();
        Self {
            kind: K::kind(&()).into_owned(),
            name: meta.name.clone().unwrap_or_default(),
            namespace: meta.namespace.clone().unwrap_or_default(),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConditionLabels {
    kind: String,
    name: String,
    namespace: String,
    r#type: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ControllerLabels {
    controller: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    controller: String,
    result: String,
}

/// The outcome of one reconcile, as controller-runtime labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileResult {
    Success,
    Error,
    /// Requeued immediately without error.
    Requeue,
    /// Requeued after a delay without error.
    RequeueAfter,
}

impl ReconcileResult {
    /// The label controller-runtime would give a Flux reconciler's run with this outcome and
    /// requeue delay: a retried failure returns an error; a stall, as Flux's, returns neither
    /// error nor requeue; anything else is requeued, at once or after a delay.
    pub fn of(outcome: &Outcome, requeue_after: Option<Duration>) -> Self {
        if let Outcome::Failed(err) = outcome
            && err.disposition() == Disposition::Retry
        {
            return Self::Error;
        }
        match requeue_after {
            None => Self::Success,
            Some(after) if after.is_zero() => Self::Requeue,
            Some(_) => Self::RequeueAfter,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Error => "error",
            Self::Requeue => "requeue",
            Self::RequeueAfter => "requeue_after",
        }
    }
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn gotk_duration_histogram() -> Histogram {
    // Flux: 10 exponential buckets from 10ms to 30 minutes.
    Histogram::new(exponential_buckets_range(0.01, 1800.0, 10))
}

fn reconcile_time_histogram() -> Histogram {
    Histogram::new(RECONCILE_TIME_BUCKETS.iter().copied())
}

/// The reconcile metrics of a controller binary; clones share the same series.
#[derive(Clone, Debug)]
pub struct ReconcileMetrics {
    duration: HistogramFamily<ObjectLabels>,
    suspend: Family<ObjectLabels, Gauge>,
    condition: Family<ConditionLabels, Gauge>,
    reconcile_total: Family<ResultLabels, Counter>,
    reconcile_errors: Family<ControllerLabels, Counter>,
    terminal_errors: Family<ControllerLabels, Counter>,
    reconcile_time: HistogramFamily<ControllerLabels>,
    max_concurrent: Family<ControllerLabels, Gauge>,
    active_workers: Family<ControllerLabels, Gauge>,
}

impl ReconcileMetrics {
    /// Creates the families and registers them; the registry may hold a controller's own metrics too.
    pub fn register(registry: &mut Registry) -> Self {
        let metrics = Self {
            duration: Family::new_with_constructor(gotk_duration_histogram),
            suspend: Family::default(),
            condition: Family::default(),
            reconcile_total: Family::default(),
            reconcile_errors: Family::default(),
            terminal_errors: Family::default(),
            reconcile_time: Family::new_with_constructor(reconcile_time_histogram),
            max_concurrent: Family::default(),
            active_workers: Family::default(),
        };
        // prometheus-client appends the final period of each help text.
        let r = registry;
        r.register(
            "gotk_reconcile_condition",
            "The current condition status of a GitOps Toolkit resource reconciliation",
            metrics.condition.clone(),
        );
        r.register(
            "gotk_suspend_status",
            "The current suspend status of a GitOps Toolkit resource",
            metrics.suspend.clone(),
        );
        r.register(
            "gotk_reconcile_duration_seconds",
            "The duration in seconds of a GitOps Toolkit resource reconciliation",
            metrics.duration.clone(),
        );
        r.register(
            "controller_runtime_reconcile",
            "Total number of reconciliations per controller",
            metrics.reconcile_total.clone(),
        );
        r.register(
            "controller_runtime_reconcile_errors",
            "Total number of reconciliation errors per controller",
            metrics.reconcile_errors.clone(),
        );
        r.register(
            "controller_runtime_terminal_reconcile_errors",
            "Total number of terminal reconciliation errors per controller",
            metrics.terminal_errors.clone(),
        );
        r.register(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller",
            metrics.reconcile_time.clone(),
        );
        r.register(
            "controller_runtime_max_concurrent_reconciles",
            "Maximum number of concurrent reconciles per controller",
            metrics.max_concurrent.clone(),
        );
        r.register(
            "controller_runtime_active_workers",
            "Number of currently used workers per controller",
            metrics.active_workers.clone(),
        );
        metrics
    }

    /// Records one finished reconcile of `obj`: the controller-runtime counters and time, and
    /// Flux's duration, whose series is deleted instead once the object is gone (deletion
    /// timestamp set and our finalizer removed), as Flux's `Metrics.RecordDuration` does.
    pub fn record_reconcile<K: kube::Resource<DynamicType = ()>>(
        &self,
        controller: &str,
        obj: &K,
        result: ReconcileResult,
        elapsed: Duration,
    ) {
        self.record_result(controller, result, elapsed);
        let labels = ObjectLabels::of(obj);
        match is_deleted(obj) {
            true => self.delete_object(&labels),
            false => self.record_duration(&labels, elapsed),
        }
    }

    /// controller-runtime's per-controller counters and reconcile time.
    pub fn record_result(&self, controller: &str, result: ReconcileResult, elapsed: Duration) {
        let ctrl = ControllerLabels {
            controller: controller.to_string(),
        };
        let labels = ResultLabels {
            controller: controller.to_string(),
            result: result.label().to_string(),
        };
        self.reconcile_total.get_or_create(&labels).inc();
        if result == ReconcileResult::Error {
            self.reconcile_errors.get_or_create(&ctrl).inc();
        }
        self.reconcile_time
            .get_or_create(&ctrl)
            .observe(elapsed.as_secs_f64());
    }

    /// Counts an error that will not be retried (controller-runtime's terminal errors).
    pub fn record_terminal_error(&self, controller: &str) {
        self.terminal_errors
            .get_or_create(&ControllerLabels {
                controller: controller.to_string(),
            })
            .inc();
    }

    pub fn record_duration(&self, obj: &ObjectLabels, elapsed: Duration) {
        self.duration
            .get_or_create(obj)
            .observe(elapsed.as_secs_f64());
    }

    pub fn record_suspend(&self, obj: &ObjectLabels, suspended: bool) {
        self.suspend.get_or_create(obj).set(i64::from(suspended));
    }

    /// Sets the gauge of `status` to 1 and the other two statuses to 0, as Flux does.
    pub fn record_condition(
        &self,
        obj: &ObjectLabels,
        condition_type: &str,
        condition_status: &str,
    ) {
        for candidate in [status::TRUE, status::FALSE, status::UNKNOWN] {
            let labels = condition_labels(obj, condition_type, candidate);
            self.condition
                .get_or_create(&labels)
                .set(i64::from(candidate == condition_status));
        }
    }

    pub fn delete_condition(&self, obj: &ObjectLabels, condition_type: &str) {
        for candidate in [status::TRUE, status::FALSE, status::UNKNOWN] {
            self.condition
                .remove(&condition_labels(obj, condition_type, candidate));
        }
    }

    /// Removes every gotk series of a deleted object (duration, suspend, Ready/Reconciling/Stalled).
    pub fn delete_object(&self, obj: &ObjectLabels) {
        self.duration.remove(obj);
        self.suspend.remove(obj);
        for condition_type in [
            fluxion_api::conditions::READY,
            fluxion_api::conditions::RECONCILING,
            fluxion_api::conditions::STALLED,
        ] {
            self.delete_condition(obj, condition_type);
        }
    }

    pub fn set_max_concurrent(&self, controller: &str, workers: usize) {
        let labels = ControllerLabels {
            controller: controller.to_string(),
        };
        self.max_concurrent
            .get_or_create(&labels)
            .set(i64::try_from(workers).unwrap_or(i64::MAX));
    }

    /// Counts a busy worker until the returned guard drops.
    pub fn worker_started(&self, controller: &str) -> ActiveWorker {
        let gauge = self.active_workers.get_or_create_owned(&ControllerLabels {
            controller: controller.to_string(),
        });
        gauge.inc();
        ActiveWorker(gauge)
    }
}

fn condition_labels(
    obj: &ObjectLabels,
    condition_type: &str,
    condition_status: &str,
) -> ConditionLabels {
    ConditionLabels {
        kind: obj.kind.clone(),
        name: obj.name.clone(),
        namespace: obj.namespace.clone(),
        r#type: condition_type.to_string(),
        status: condition_status.to_string(),
    }
}

/// Flux's `IsDelete`: the object has a deletion timestamp and no longer carries our finalizer.
pub fn is_deleted<K: kube::Resource>(obj: &K) -> bool {
    obj.meta().deletion_timestamp.is_some() && !has_finalizer(obj)
}

/// Decrements the active-workers gauge when dropped.
#[derive(Debug)]
pub struct ActiveWorker(Gauge);

impl Drop for ActiveWorker {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Encodes the registry as the scraper asked: OpenMetrics, or the classic text format.
pub(crate) fn encode(
    registry: &Registry,
    openmetrics: bool,
) -> Result<(String, &'static str), std::fmt::Error> {
    let mut body = String::new();
    prometheus_client::encoding::text::encode(&mut body, registry)?;
    Ok(match openmetrics {
        true => (body, OPENMETRICS_TEXT),
        false => (openmetrics_to_prometheus(&body), PROMETHEUS_TEXT),
    })
}

/// The `/metrics` route.
pub fn router(registry: Arc<Registry>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(registry)
}

async fn scrape(State(registry): State<Arc<Registry>>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match encode(&registry, wants_openmetrics(accept)) {
        Ok((body, content_type)) => ([(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "failed to encode metrics",
        )
            .into_response(),
    }
}

/// Binds `addr` and serves `/metrics` from `registry`.
pub async fn serve(addr: &ListenAddr, registry: Arc<Registry>) -> io::Result<ServerHandle> {
    Ok(ServerHandle::start(addr.bind().await?, router(registry)))
}

#[cfg(test)]
mod tests;
