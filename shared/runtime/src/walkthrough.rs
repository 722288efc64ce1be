//! A controller's reconcile walked end to end with the runtime's pieces together, on a fake
//! Flux object and without an API server: decide, finalizer, steps, summary, status write,
//! requeue, metrics and events, through a failed run and then a successful one.

use std::time::Duration;

use fluxion_api::conditions::{
    ARTIFACT_FAILED_REASON, PROGRESSING_REASON, PROGRESSING_WITH_RETRY_REASON, READY,
    RECONCILIATION_SUCCEEDED_REASON, RECONCILING, status,
};
use fluxion_api::meta::{Condition, FINALIZER, FluxObject, RECONCILE_REQUEST_ANNOTATION, Time};
use k8s_openapi::jiff::Timestamp;
use kube::runtime::reflector::ObjectRef;
use prometheus_client::registry::Registry;
use serde_json::json;

use crate::backoff::{self, Backoff, IntervalJitter, JitterPercentage, Requeuer};
use crate::error::{Disposition, FluxError};
use crate::events::{
    EventSpec, EventType, Reporter, event_annotations, flux_event, object_reference,
};
use crate::metrics::{ReconcileMetrics, ReconcileResult, encode};
use crate::request::{RunAction, decide_for, requested_at};
use crate::status::test_object::{Demo, DemoStatus, demo};
use crate::status::{needs_write, status_apply_body};
use crate::summarize::{Outcome, finalize_status, progressive_status};
use crate::{conditions as cond, finalizer};

const CONTROLLER: &str = "demo-controller";

/// The error enum a controller would write.
#[derive(Debug, thiserror::Error)]
enum DemoError {
    #[error("failed to fetch artifact: connection refused")]
    Fetch,
}

impl FluxError for DemoError {
    fn reason(&self) -> std::borrow::Cow<'static, str> {
        ARTIFACT_FAILED_REASON.into()
    }
    fn disposition(&self) -> Disposition {
        Disposition::Retry
    }
}

/// What one run did, for the test to check.
struct Run {
    status_written: bool,
    requeue_after: Option<Duration>,
    event: EventSpec,
}

/// The runtime pieces a controller holds for its whole life.
struct Controller {
    requeuer: Requeuer<ObjectRef<Demo>>,
    metrics: ReconcileMetrics,
    registry: Registry,
}

impl Controller {
    fn new() -> Self {
        let mut registry = Registry::default();
        let metrics = ReconcileMetrics::register(&mut registry);
        // Always the top of the jitter range, so the interval requeue is exact: +5%.
        let jitter = IntervalJitter::with_source(JitterPercentage::DEFAULT, Box::new(|| 1.0));
        let requeuer = Requeuer::new(Backoff::default(), jitter);
        Self {
            requeuer,
            metrics,
            registry,
        }
    }

    /// One reconcile of `obj` whose steps come to `steps`; the status write is applied to
    /// `obj` as the API server would.
    fn reconcile(&self, obj: &mut Demo, steps: Result<Outcome, DemoError>, now: Time) -> Run {
        if decide_for(obj)
            == (RunAction::Reconcile {
                add_finalizer: true,
            })
        {
            let patch = finalizer::add_patch(obj).expect("patch").expect("missing");
            assert_eq!(patch["metadata"]["finalizers"], json!([FINALIZER]));
            obj.metadata.finalizers = Some(vec![FINALIZER.to_string()]);
        }
        assert_eq!(
            decide_for(obj),
            RunAction::Reconcile {
                add_finalizer: false
            }
        );
        let generation = obj.metadata.generation.unwrap_or_default();
        let mut status = obj.status.clone().unwrap_or_default();
        let working = "reconciliation in progress";
        progressive_status(
            &mut status.conditions,
            false,
            PROGRESSING_REASON,
            working,
            generation,
            &now,
        );

        let outcome = Outcome::from(steps);
        let requested = requested_at(obj.metadata.annotations.as_ref());
        finalize_status(&mut status, &outcome, generation, requested, &now);
        let status_written = needs_write(obj.status.as_ref(), &status);
        if status_written {
            let body = status_apply_body(obj, &status).expect("apply body");
            obj.status = Some(serde_json::from_value(body["status"].clone()).expect("status"));
        }

        let interval = obj.interval().unwrap_or_default();
        let requeue_after =
            self.requeuer
                .requeue_after(&ObjectRef::from(&*obj), &outcome, interval);
        let result = ReconcileResult::of(&outcome, requeue_after);
        // A fake clock: every run takes a second and a half.
        let elapsed = Duration::from_millis(1500);
        self.metrics
            .record_reconcile(CONTROLLER, obj, result, elapsed);
        let event = match &outcome {
            Outcome::Failed(err) => EventSpec::for_error(err),
            _ => EventSpec::normal(RECONCILIATION_SUCCEEDED_REASON, "applied")
                .with_revision("main@sha1:abc")
                .with_commit_status_update(),
        };
        Run {
            status_written,
            requeue_after,
            event,
        }
    }

    fn metrics_text(&self) -> String {
        encode(&self.registry, false).expect("encode").0
    }
}

fn at(secs: i64) -> Time {
    Time(Timestamp::from_second(secs).expect("valid"))
}

fn rows(status: &DemoStatus) -> Vec<(&str, &str, &str)> {
    status
        .conditions
        .iter()
        .map(|c: &Condition| (c.type_.as_str(), c.status.as_str(), c.reason.as_str()))
        .collect()
}

fn with_request(obj: &mut Demo, value: &str) {
    obj.metadata
        .annotations
        .get_or_insert_default()
        .insert(RECONCILE_REQUEST_ANNOTATION.into(), value.into());
}

fn applied() -> Result<Outcome, DemoError> {
    Ok(Outcome::success_with(
        RECONCILIATION_SUCCEEDED_REASON,
        "Applied revision: main@sha1:abc",
    ))
}

#[test]
fn a_failed_run_then_a_successful_one() {
    let controller = Controller::new();
    let mut obj = demo(&[(RECONCILE_REQUEST_ANNOTATION, "t1")], &[]);

    let failed = controller.reconcile(&mut obj, Err(DemoError::Fetch), at(100));
    check_failed_run(&failed, &obj);

    with_request(&mut obj, "t2");
    let succeeded = controller.reconcile(&mut obj, applied(), at(200));
    check_succeeded_run(&succeeded, &obj);
    assert_eq!(controller.requeuer.failures(&ObjectRef::from(&obj)), 0);

    // The same result again: nothing but timestamps would change, so no status write.
    let before = obj.status.clone();
    let again = controller.reconcile(&mut obj, applied(), at(300));
    assert!(!again.status_written);
    assert_eq!(obj.status, before);

    check_metrics(&controller.metrics_text());
}

fn check_failed_run(run: &Run, obj: &Demo) {
    let status = obj.status.as_ref().expect("written");
    assert!(run.status_written);
    assert_eq!(
        rows(status),
        [
            (RECONCILING, status::TRUE, PROGRESSING_WITH_RETRY_REASON),
            (READY, status::FALSE, ARTIFACT_FAILED_REASON),
        ]
    );
    assert_eq!(
        cond::message(&status.conditions, RECONCILING),
        "reconciliation in progress"
    );
    assert_eq!(
        cond::message(&status.conditions, READY),
        "failed to fetch artifact: connection refused"
    );
    assert_eq!(status.observed_generation, None, "a retry is not final");
    assert_eq!(status.last_handled_reconcile_at.as_deref(), Some("t1"));
    assert_eq!(run.requeue_after, Some(Duration::from_millis(750)));
    assert_eq!(
        backoff::action(run.requeue_after),
        kube::runtime::controller::Action::requeue(Duration::from_millis(750))
    );
    assert_eq!(run.event.event_type, EventType::Warning);
    assert_eq!(run.event.reason, ARTIFACT_FAILED_REASON);
}

fn check_succeeded_run(run: &Run, obj: &Demo) {
    let status = obj.status.as_ref().expect("written");
    assert!(run.status_written);
    assert_eq!(
        rows(status),
        [(READY, status::TRUE, RECONCILIATION_SUCCEEDED_REASON)]
    );
    let ready = cond::get(&status.conditions, READY).expect("ready");
    assert_eq!(ready.last_transition_time, at(200));
    assert_eq!(status.observed_generation, Some(2));
    assert_eq!(status.last_handled_reconcile_at.as_deref(), Some("t2"));
    assert_eq!(
        run.requeue_after,
        Some(Duration::from_secs(63)),
        "60s interval +5%"
    );

    let reporter = Reporter {
        controller: CONTROLLER.into(),
        instance: "pod-1".into(),
    };
    let annotations = event_annotations("demo.toolkit.fluxcd.io", &run.event, None);
    let reference = object_reference(obj);
    let posted = flux_event(
        &reference,
        &annotations,
        &run.event,
        &reporter,
        Timestamp::UNIX_EPOCH,
    )
    .expect("forwarded");
    assert_eq!(posted.severity, "info");
    assert_eq!(posted.reason, RECONCILIATION_SUCCEEDED_REASON);
    let revision = &posted.metadata["demo.toolkit.fluxcd.io/revision"];
    assert_eq!(revision, "main@sha1:abc");
    assert_eq!(
        posted.metadata["demo.toolkit.fluxcd.io/commit_status"],
        "update"
    );
}

fn check_metrics(text: &str) {
    let runs = |result: &str| {
        format!(
            "controller_runtime_reconcile_total{{controller=\"{CONTROLLER}\",result=\"{result}\"}}"
        )
    };
    let object = "kind=\"Demo\",name=\"app\",namespace=\"flux-system\"";
    for line in [
        format!("{} 1", runs("error")),
        format!("{} 2", runs("requeue_after")),
        format!("controller_runtime_reconcile_errors_total{{controller=\"{CONTROLLER}\"}} 1"),
        format!("gotk_reconcile_duration_seconds_count{{{object}}} 3"),
        format!("gotk_reconcile_duration_seconds_sum{{{object}}} 4.5"),
    ] {
        assert!(
            text.contains(&format!("{line}\n")),
            "missing {line:?} in\n{text}"
        );
    }
}
