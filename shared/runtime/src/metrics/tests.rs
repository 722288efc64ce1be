//! Tests of the reconcile metrics: recorded series, deletion, and scrapes over HTTP.

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::*;
use crate::error::ReconcileError;
use fluxion_api::meta::FINALIZER;

fn setup() -> (Registry, ReconcileMetrics) {
    let mut registry = Registry::default();
    let metrics = ReconcileMetrics::register(&mut registry);
    (registry, metrics)
}

fn text(registry: &Registry) -> String {
    encode(registry, false).expect("encode").0
}

fn object(deleting: bool, finalizers: &[&str]) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some("podinfo".into()),
            namespace: Some("apps".into()),
            deletion_timestamp: deleting.then_some(Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)),
            finalizers: Some(finalizers.iter().map(|f| f.to_string()).collect()),
            ..ObjectMeta::default()
        },
        ..ConfigMap::default()
    }
}

#[test]
fn records_a_run_with_flux_and_controller_runtime_series() {
    let (registry, metrics) = setup();
    let obj = object(false, &[]);
    metrics.record_reconcile(
        "configmap",
        &obj,
        ReconcileResult::Success,
        Duration::from_millis(20),
    );
    metrics.record_reconcile(
        "configmap",
        &obj,
        ReconcileResult::Error,
        Duration::from_millis(5),
    );
    metrics.record_reconcile(
        "configmap",
        &obj,
        ReconcileResult::RequeueAfter,
        Duration::from_secs(2),
    );
    let out = text(&registry);
    for needle in [
        "# TYPE gotk_reconcile_duration_seconds histogram",
        "gotk_reconcile_duration_seconds_count{kind=\"ConfigMap\",name=\"podinfo\",namespace=\"apps\"} 3",
        "gotk_reconcile_duration_seconds_bucket{le=\"+Inf\",kind=\"ConfigMap\",name=\"podinfo\",namespace=\"apps\"} 3",
        "# TYPE controller_runtime_reconcile_total counter",
        "controller_runtime_reconcile_total{controller=\"configmap\",result=\"success\"} 1",
        "controller_runtime_reconcile_total{controller=\"configmap\",result=\"error\"} 1",
        "controller_runtime_reconcile_total{controller=\"configmap\",result=\"requeue_after\"} 1",
        "controller_runtime_reconcile_errors_total{controller=\"configmap\"} 1",
        "controller_runtime_reconcile_time_seconds_count{controller=\"configmap\"} 3",
        "# HELP gotk_reconcile_duration_seconds The duration in seconds of a GitOps Toolkit resource reconciliation.\n",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains("# EOF"));
}

#[test]
fn duration_buckets_are_flux_exponential_range() {
    let (registry, metrics) = setup();
    metrics.record_duration(
        &ObjectLabels::new("GitRepository", "a", "b"),
        Duration::from_millis(1),
    );
    let out = text(&registry);
    let bounds: Vec<f64> = out
        .lines()
        .filter(|l| l.starts_with("gotk_reconcile_duration_seconds_bucket"))
        .filter_map(|l| l.split("le=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert_eq!(bounds.len(), 11, "10 buckets and +Inf: {bounds:?}");
    assert!((bounds[0] - 0.01).abs() < 1e-12);
    assert!((bounds[9] - 1800.0).abs() < 1e-6);
    assert!(bounds[10].is_infinite());
    let factor = bounds[1] / bounds[0];
    assert!((factor - (1800.0f64 / 0.01).powf(1.0 / 9.0)).abs() < 1e-9);
}

#[test]
fn deleted_objects_lose_their_series() {
    let (registry, metrics) = setup();
    let labels = ObjectLabels::new("ConfigMap", "podinfo", "apps");
    metrics.record_reconcile(
        "c",
        &object(false, &[]),
        ReconcileResult::Success,
        Duration::from_millis(1),
    );
    metrics.record_suspend(&labels, true);
    metrics.record_condition(&labels, "Ready", "True");
    // Still finalizing: our finalizer is on, the duration is recorded.
    metrics.record_reconcile(
        "c",
        &object(true, &[FINALIZER]),
        ReconcileResult::Success,
        Duration::from_millis(1),
    );
    assert!(text(&registry).contains("gotk_reconcile_duration_seconds_count{kind=\"ConfigMap\",name=\"podinfo\",namespace=\"apps\"} 2"));
    // Gone: the finalizer was removed.
    metrics.record_reconcile(
        "c",
        &object(true, &["other"]),
        ReconcileResult::Success,
        Duration::from_millis(1),
    );
    let out = text(&registry);
    assert!(!out.contains("name=\"podinfo\""), "{out}");
    assert!(
        out.contains("controller_runtime_reconcile_total{controller=\"c\",result=\"success\"} 3")
    );
}

#[test]
fn is_deleted_follows_flux() {
    let cases = [
        (false, &[][..], false),
        (true, &[][..], true),
        (true, &[FINALIZER][..], false),
        (true, &["x"][..], true),
    ];
    for (deleting, finalizers, want) in cases {
        assert_eq!(
            is_deleted(&object(deleting, finalizers)),
            want,
            "{deleting} {finalizers:?}"
        );
    }
}

#[test]
fn condition_and_suspend_gauges() {
    let (registry, metrics) = setup();
    let labels = ObjectLabels::new("Kustomization", "apps", "flux-system");
    metrics.record_condition(&labels, "Ready", "False");
    metrics.record_suspend(&labels, true);
    let out = text(&registry);
    let base = "kind=\"Kustomization\",name=\"apps\",namespace=\"flux-system\",type=\"Ready\"";
    assert!(
        out.contains(&format!(
            "gotk_reconcile_condition{{{base},status=\"False\"}} 1"
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "gotk_reconcile_condition{{{base},status=\"True\"}} 0"
    )));
    assert!(out.contains(&format!(
        "gotk_reconcile_condition{{{base},status=\"Unknown\"}} 0"
    )));
    assert!(out.contains(
        "gotk_suspend_status{kind=\"Kustomization\",name=\"apps\",namespace=\"flux-system\"} 1"
    ));
    metrics.delete_condition(&labels, "Ready");
    assert!(!text(&registry).contains("gotk_reconcile_condition{"));
}

#[test]
fn worker_gauges() {
    let (registry, metrics) = setup();
    metrics.set_max_concurrent("helmrelease", 4);
    metrics.record_terminal_error("helmrelease");
    let guard = metrics.worker_started("helmrelease");
    assert!(
        text(&registry).contains("controller_runtime_active_workers{controller=\"helmrelease\"} 1")
    );
    drop(guard);
    let out = text(&registry);
    assert!(out.contains("controller_runtime_active_workers{controller=\"helmrelease\"} 0"));
    assert!(
        out.contains("controller_runtime_max_concurrent_reconciles{controller=\"helmrelease\"} 4")
    );
    assert!(out.contains(
        "controller_runtime_terminal_reconcile_errors_total{controller=\"helmrelease\"} 1"
    ));
}

#[tokio::test]
async fn serves_metrics_over_http_in_both_formats() {
    let (registry, metrics) = setup();
    let registry = Arc::new(registry);
    let addr = ListenAddr::parse("127.0.0.1:0")
        .expect("parse")
        .expect("enabled");
    let server = serve(&addr, registry).await.expect("serve");
    let url = format!("http://{}/metrics", server.local_addr());
    let client = crate::tls::http_client_builder().build().expect("client");
    metrics.record_duration(
        &ObjectLabels::new("Bucket", "b", "ns"),
        Duration::from_secs(1),
    );
    metrics.record_result("bucket", ReconcileResult::Success, Duration::from_secs(1));

    let resp = client.get(&url).send().await.expect("scrape");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], PROMETHEUS_TEXT);
    let body = resp.text().await.expect("body");
    assert!(
        body.contains(
            "gotk_reconcile_duration_seconds_sum{kind=\"Bucket\",name=\"b\",namespace=\"ns\"} 1"
        ),
        "{body}"
    );
    assert!(
        body.contains("# TYPE controller_runtime_reconcile_total counter"),
        "{body}"
    );
    assert!(body.contains(
        "controller_runtime_reconcile_total{controller=\"bucket\",result=\"success\"} 1"
    ));

    let resp = client
        .get(&url)
        .header(
            header::ACCEPT,
            "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
        )
        .send()
        .await
        .expect("scrape");
    assert_eq!(resp.headers()[header::CONTENT_TYPE], OPENMETRICS_TEXT);
    let body = resp.text().await.expect("body");
    assert!(body.ends_with("# EOF\n"));
    assert!(
        body.contains("# TYPE controller_runtime_reconcile counter"),
        "{body}"
    );

    assert_eq!(
        client
            .get(format!("http://{}/healthz", server.local_addr()))
            .send()
            .await
            .expect("get")
            .status()
            .as_u16(),
        404
    );
    server.stop().await.expect("stop");
}

#[test]
fn results_are_labelled_as_controller_runtime_would() {
    let secs = |s| Some(Duration::from_secs(s));
    let cases = [
        (
            Outcome::success("ok"),
            secs(300),
            ReconcileResult::RequeueAfter,
        ),
        (
            ReconcileError::retry("Failed", "x").into(),
            secs(1),
            ReconcileResult::Error,
        ),
        (
            ReconcileError::wait("DependencyNotReady", "x", Duration::from_secs(30)).into(),
            secs(30),
            ReconcileResult::RequeueAfter,
        ),
        (
            ReconcileError::stall("InvalidPath", "x").into(),
            None,
            ReconcileResult::Success,
        ),
        (
            Outcome::in_progress("Progressing", "x", Duration::ZERO),
            Some(Duration::ZERO),
            ReconcileResult::Requeue,
        ),
    ];
    for (outcome, after, want) in cases {
        assert_eq!(ReconcileResult::of(&outcome, after), want, "{outcome:?}");
    }
}
