//! Tests of events: the pure builders here, the retry rules and POSTs to a local receiver in
//! `post`.

mod post;

use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::api::rbac::v1::ClusterRole;
use serde_json::json;

use super::*;

pub(super) fn t(nanos: i128) -> Timestamp {
    Timestamp::from_nanosecond(nanos).expect("time")
}

pub(super) fn reporter() -> Reporter {
    Reporter {
        controller: "source-controller".into(),
        instance: "source-controller-6d7c9-x2x".into(),
    }
}

pub(super) fn reference() -> ObjectReference {
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
