//! Tests of the event poster against a local receiver: the retry rules, retries of server
//! errors, timeouts, credentials kept out of errors, and the recorder's forwarding.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use k8s_openapi::api::core::v1::ConfigMap;
use serde_json::json;

use super::super::*;
use super::{reference, reporter, t};
use crate::health::ServerHandle;
use crate::retry::RetryPolicy;

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
