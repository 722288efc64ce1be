//! Tests of events: the pure builders, the retry rules, and POSTs to a local receiver.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::api::rbac::v1::ClusterRole;
use serde_json::json;

use super::*;
use crate::health::ServerHandle;
use crate::retry::RetryPolicy;

fn t(nanos: i128) -> Timestamp {
    Timestamp::from_nanosecond(nanos).expect("time")
}

fn reporter() -> Reporter {
    Reporter {
        controller: "source-controller".into(),
        instance: "source-controller-6d7c9-x2x".into(),
    }
}

fn reference() -> ObjectReference {
    ObjectReference {
        api_version: Some("source.toolkit.fluxcd.io/v1".into()),
        kind: Some("GitRepository".into()),
        name: Some("podinfo".into()),
        namespace: Some("flux-system".into()),
        uid: Some("7a3c".into()),
        resource_version: Some("42".into()),
        field_path: None,
    }
}

#[test]
fn annotations_prefix_metadata_and_let_object_annotations_win() {
    let spec = EventSpec::normal("Succeeded", "stored artifact")
        .with_revision("main@sha1:abc")
        .with_token("")
        .with_commit_status_update()
        .with_annotation("custom/key", "v")
        .with_annotation("event.toolkit.fluxcd.io/env", "caller");
    let object: BTreeMap<String, String> = [
        ("event.toolkit.fluxcd.io/env", "prod"),
        ("event.toolkit.fluxcd.io/team", "a"),
        ("kustomize.toolkit.fluxcd.io/prune", "disabled"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let got = event_annotations("source.toolkit.fluxcd.io", &spec, Some(&object));
    let want: BTreeMap<String, String> = [
        ("source.toolkit.fluxcd.io/revision", "main@sha1:abc"),
        ("source.toolkit.fluxcd.io/commit_status", "update"),
        ("custom/key", "v"),
        ("event.toolkit.fluxcd.io/env", "prod"),
        ("event.toolkit.fluxcd.io/team", "a"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(
        got, want,
        "empty token skipped, unrelated object annotations ignored"
    );
}

#[test]
fn failed_runs_become_warnings_and_waits_normal_events() {
    use crate::error::ReconcileError;
    let cases = [
        (
            ReconcileError::retry("ArtifactFailed", "fetch"),
            EventType::Warning,
        ),
        (
            ReconcileError::stall("InvalidPath", "bad"),
            EventType::Warning,
        ),
        (
            ReconcileError::wait("DependencyNotReady", "dep", Duration::from_secs(5)),
            EventType::Normal,
        ),
    ];
    for (err, event_type) in cases {
        let spec = EventSpec::for_error(&err);
        assert_eq!(
            spec,
            EventSpec::new(event_type, err.reason(), err.message())
        );
    }
}

#[test]
fn kube_event_is_shaped_like_client_go() {
    let annotations = BTreeMap::from([(
        "source.toolkit.fluxcd.io/revision".to_string(),
        "v1".to_string(),
    )]);
    let spec = EventSpec::warning("GitOperationFailed", "failed to checkout");
    let now = t(1_700_000_000_123_456_789);
    let event = kube_event(&reference(), &annotations, &spec, &reporter(), now);
    assert_eq!(
        event.metadata.name.as_deref(),
        Some("podinfo.17979cfe3d85cd15")
    );
    assert_eq!(event.metadata.namespace.as_deref(), Some("flux-system"));
    assert_eq!(event.metadata.annotations, Some(annotations));
    assert_eq!(event.involved_object, reference());
    assert_eq!(event.type_.as_deref(), Some("Warning"));
    assert_eq!(event.reason.as_deref(), Some("GitOperationFailed"));
    assert_eq!(event.message.as_deref(), Some("failed to checkout"));
    assert_eq!(event.count, Some(1));
    assert_eq!(
        event.first_timestamp,
        Some(Time(t(1_700_000_000_000_000_000)))
    );
    assert_eq!(event.last_timestamp, event.first_timestamp);
    assert_eq!(
        event.reporting_component.as_deref(),
        Some("source-controller")
    );
    assert_eq!(
        event.reporting_instance.as_deref(),
        Some("source-controller-6d7c9-x2x")
    );
    assert_eq!(
        event.source.and_then(|s| s.component).as_deref(),
        Some("source-controller")
    );
    assert!(
        event.event_time.is_none(),
        "a legacy event, so no new-style validation applies"
    );

    // Cluster-scoped objects get their events in "default"; trace events are Normal.
    let cluster = ObjectReference {
        namespace: None,
        ..reference()
    };
    let trace = kube_event(
        &cluster,
        &BTreeMap::new(),
        &EventSpec::trace("Progressing", "m"),
        &reporter(),
        now,
    );
    assert_eq!(trace.metadata.namespace.as_deref(), Some("default"));
    assert_eq!(trace.type_.as_deref(), Some("Normal"));
    assert_eq!(trace.metadata.annotations, None);
}

#[test]
fn flux_event_json_matches_the_v1beta1_api() {
    let annotations = BTreeMap::from([(
        "source.toolkit.fluxcd.io/revision".to_string(),
        "main@sha1:abc".to_string(),
    )]);
    let spec = EventSpec::normal("NewArtifact", "stored artifact for commit 'abc'");
    let event = flux_event(
        &reference(),
        &annotations,
        &spec,
        &reporter(),
        t(1_700_000_000_999_000_000),
    )
    .expect("forwarded");
    let want = json!({
        "involvedObject": {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "GitRepository",
            "name": "podinfo",
            "namespace": "flux-system",
            "uid": "7a3c",
            "resourceVersion": "42",
        },
        "severity": "info",
        "timestamp": "2023-11-14T22:13:20Z",
        "message": "stored artifact for commit 'abc'",
        "reason": "NewArtifact",
        "metadata": {"source.toolkit.fluxcd.io/revision": "main@sha1:abc"},
        "reportingController": "source-controller",
        "reportingInstance": "source-controller-6d7c9-x2x",
    });
    assert_eq!(serde_json::to_value(&event).expect("json"), want);
    let back: FluxEvent = serde_json::from_value(want).expect("parse");
    assert_eq!(back, event);

    // Optional fields are omitted as Go's omitempty does.
    let bare = Reporter {
        instance: String::new(),
        ..reporter()
    };
    let event = flux_event(&reference(), &BTreeMap::new(), &spec, &bare, t(0)).expect("forwarded");
    let v = serde_json::to_value(&event).expect("json");
    assert!(
        v.get("metadata").is_none() && v.get("reportingInstance").is_none(),
        "{v}"
    );
}

#[test]
fn which_events_are_forwarded() {
    let none = BTreeMap::new();
    let cases = [
        (EventType::Normal, reference(), Ok("info")),
        (EventType::Warning, reference(), Ok("error")),
        (EventType::Trace, reference(), Err(NotForwarded::Trace)),
        (
            EventType::Normal,
            ObjectReference {
                kind: None,
                ..reference()
            },
            Err(NotForwarded::MissingKind),
        ),
        (
            EventType::Normal,
            ObjectReference {
                name: Some(String::new()),
                ..reference()
            },
            Err(NotForwarded::MissingName),
        ),
        (
            EventType::Warning,
            ObjectReference {
                namespace: None,
                ..reference()
            },
            Err(NotForwarded::MissingNamespace),
        ),
    ];
    for (event_type, reference, want) in cases {
        let spec = EventSpec::new(event_type, "R", "m");
        let got = flux_event(&reference, &none, &spec, &reporter(), t(0)).map(|e| e.severity);
        assert_eq!(
            got.as_deref().map_err(|e| *e),
            want,
            "{event_type:?} {reference:?}"
        );
    }
}

#[test]
fn references_come_from_the_object() {
    let mut cm = ConfigMap::default();
    cm.metadata.name = Some("cm".into());
    cm.metadata.namespace = Some("ns".into());
    cm.metadata.uid = Some("u".into());
    cm.metadata.resource_version = Some("7".into());
    let r = object_reference(&cm);
    assert_eq!(
        (r.api_version.as_deref(), r.kind.as_deref()),
        (Some("v1"), Some("ConfigMap"))
    );
    assert_eq!(
        (r.name.as_deref(), r.namespace.as_deref()),
        (Some("cm"), Some("ns"))
    );
    assert_eq!(
        (r.uid.as_deref(), r.resource_version.as_deref()),
        (Some("u"), Some("7"))
    );
    let role = object_reference(&ClusterRole::default());
    assert_eq!(
        role.api_version.as_deref(),
        Some("rbac.authorization.k8s.io/v1")
    );
}

#[test]
fn retry_rules_follow_retryablehttp() {
    let cases = [
        (Some(200), None, Verdict::Done(PostOutcome::Delivered(200))),
        (Some(202), None, Verdict::Done(PostOutcome::Delivered(202))),
        (Some(429), None, Verdict::Done(PostOutcome::Duplicate)),
        (Some(400), None, Verdict::Done(PostOutcome::Rejected(400))),
        (Some(501), None, Verdict::Done(PostOutcome::Rejected(501))),
        (
            Some(500),
            None,
            Verdict::Retry("unexpected HTTP status 500".into()),
        ),
        (
            Some(503),
            None,
            Verdict::Retry("unexpected HTTP status 503".into()),
        ),
        (
            None,
            Some(("connection refused", true)),
            Verdict::Retry("connection refused".into()),
        ),
        (
            None,
            Some(("too many redirects", false)),
            Verdict::Fail("too many redirects".into()),
        ),
    ];
    for (status, transport, want) in cases {
        assert_eq!(
            classify(status, transport),
            want,
            "{status:?} {transport:?}"
        );
    }
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let policy = EVENT_RETRY_POLICY;
    let waits: Vec<u64> = (0..7).map(|a| policy.wait(a, None).as_secs()).collect();
    assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
    assert_eq!(
        policy.wait(0, Some(Duration::from_secs(7))),
        Duration::from_secs(7)
    );
    assert_eq!(
        policy.wait(0, Some(Duration::from_secs(99))),
        Duration::from_secs(30)
    );
    assert_eq!(policy.wait(40, None), Duration::from_secs(30));
    assert_eq!(policy.attempt_timeout, Duration::from_secs(5));
    assert_eq!(policy.max_retries, 4);
}

/// A request the receiver saw: its content type and JSON body.
type Seen = (Option<String>, serde_json::Value);

/// What the local receiver saw and what it answers.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Seen>>>,
    answers: Arc<Mutex<VecDeque<(u16, Duration)>>>,
}

async fn receive(State(rx): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let value = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    rx.received
        .lock()
        .expect("lock")
        .push((content_type, value));
    let answer = rx.answers.lock().expect("lock").pop_front();
    let (code, delay) = answer.unwrap_or((200, Duration::ZERO));
    tokio::time::sleep(delay).await;
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

async fn start_receiver(answers: &[(u16, u64)]) -> (Receiver, ServerHandle, reqwest::Url) {
    let rx = Receiver::default();
    rx.answers.lock().expect("lock").extend(
        answers
            .iter()
            .map(|(c, ms)| (*c, Duration::from_millis(*ms))),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let router = Router::new()
        .route("/", post(receive))
        .with_state(rx.clone());
    let server = ServerHandle::start(listener, router);
    let url = reqwest::Url::parse(&format!("http://{}/", server.local_addr())).expect("url");
    (rx, server, url)
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 4,
        wait_min: Duration::from_millis(5),
        wait_max: Duration::from_millis(20),
        attempt_timeout: Duration::from_millis(300),
    }
}

fn sample_event() -> FluxEvent {
    let spec = EventSpec::warning("BuildFailed", "kustomize build failed");
    flux_event(&reference(), &BTreeMap::new(), &spec, &reporter(), t(0)).expect("forwarded")
}

#[tokio::test]
async fn posts_json_and_retries_server_errors() {
    let (rx, server, url) = start_receiver(&[(500, 0), (503, 0)]).await;
    let poster = EventPoster::new(url, fast_policy()).expect("poster");
    assert_eq!(
        poster.post(&sample_event()).await.expect("post"),
        PostOutcome::Delivered(200)
    );
    let received = rx.received.lock().expect("lock").clone();
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].0.as_deref(), Some("application/json"));
    assert_eq!(
        received[2].1,
        serde_json::to_value(sample_event()).expect("json")
    );
    assert_eq!(received[2].1["severity"], "error");
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn duplicates_and_rejections_are_not_retried() {
    for (code, want) in [
        (429, PostOutcome::Duplicate),
        (400, PostOutcome::Rejected(400)),
    ] {
        let (rx, server, url) = start_receiver(&[(code, 0)]).await;
        let poster = EventPoster::new(url, fast_policy()).expect("poster");
        assert_eq!(poster.post(&sample_event()).await.expect("post"), want);
        assert_eq!(rx.received.lock().expect("lock").len(), 1, "{code}");
        server.stop().await.expect("stop");
    }
}

#[tokio::test]
async fn gives_up_after_the_retries_and_times_out_slow_receivers() {
    let (rx, server, url) = start_receiver(&[(500, 0); 5]).await;
    let poster = EventPoster::new(url, fast_policy()).expect("poster");
    let err = poster.post(&sample_event()).await.expect_err("gives up");
    assert!(
        matches!(err, PostError::GaveUp { attempts: 5, .. }),
        "{err}"
    );
    assert_eq!(rx.received.lock().expect("lock").len(), 5);
    server.stop().await.expect("stop");

    let (rx, server, url) = start_receiver(&[(200, 2_000)]).await;
    let poster = EventPoster::new(url, fast_policy()).expect("poster");
    assert_eq!(
        poster.post(&sample_event()).await.expect("post"),
        PostOutcome::Delivered(200)
    );
    assert_eq!(
        rx.received.lock().expect("lock").len(),
        2,
        "the slow first attempt timed out"
    );
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn unreachable_receivers_fail_without_leaking_credentials() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let url = reqwest::Url::parse(&format!("http://user:s3cr3t@127.0.0.1:{port}/")).expect("url");
    let poster = EventPoster::new(
        url,
        RetryPolicy {
            max_retries: 1,
            ..fast_policy()
        },
    )
    .expect("poster");
    let err = poster
        .post(&sample_event())
        .await
        .expect_err("refused")
        .to_string();
    assert!(err.contains("2 attempt(s)"), "{err}");
    assert!(!err.contains("s3cr3t"), "{err}");
}

#[tokio::test]
async fn recorder_forwards_to_the_events_address() {
    let (rx, server, url) = start_receiver(&[]).await;
    // An API server that is not there: the Kubernetes Event fails (logged), the POST goes out.
    let config = kube::Config::new("http://127.0.0.1:9".parse().expect("uri"));
    let client = kube::Client::try_from(config).expect("client");
    let recorder =
        EventRecorder::new(client, "source-controller", "pod-1", Some(url)).expect("recorder");
    let mut cm = ConfigMap::default();
    cm.metadata.name = Some("cm".into());
    cm.metadata.namespace = Some("apps".into());
    cm.metadata.annotations = Some(BTreeMap::from([(
        "event.toolkit.fluxcd.io/env".into(),
        "prod".into(),
    )]));
    recorder
        .record(&cm, EventSpec::trace("Progressing", "not forwarded"))
        .await;
    recorder
        .record(
            &cm,
            EventSpec::normal("ReconciliationSucceeded", "done").with_revision("v1"),
        )
        .await;
    let mut received = Vec::new();
    for _ in 0..200 {
        received = rx.received.lock().expect("lock").clone();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(received.len(), 1, "only the normal event is posted");
    let event = &received[0].1;
    assert_eq!(event["reason"], "ReconciliationSucceeded");
    assert_eq!(event["reportingController"], "source-controller");
    assert_eq!(event["reportingInstance"], "pod-1");
    // ConfigMap's group is empty, so the revision key has no prefix.
    assert_eq!(
        event["metadata"],
        json!({"revision": "v1", "event.toolkit.fluxcd.io/env": "prod"})
    );
    server.stop().await.expect("stop");
}
