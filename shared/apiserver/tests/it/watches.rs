//! Watch semantics through raw HTTP and kube-runtime: resourceVersion starts, selector
//! transitions, bookmarks, initial events, 410 Gone and the watcher's relist.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, PostParams};
use kube::runtime::watcher;
use serde_json::json;

use crate::support::{server, server_with_history, watch_events};

/// (type, name) of watch events, only of the objects `names`: a real cluster adds its
/// kube-root-ca.crt ConfigMap to every namespace.
fn seen_of(events: &[serde_json::Value], names: &[&str]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or("").to_string(),
                e["object"]["metadata"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .filter(|(_, n)| names.contains(&n.as_str()))
        .collect()
}

fn cm(name: &str, labels: serde_json::Value) -> ConfigMap {
    serde_json::from_value(
        json!({"metadata": {"name": name, "labels": labels}, "data": {"k": "v"}}),
    )
    .expect("cm")
}

async fn create_ns(client: &kube::Client, ns: &str) {
    let nss: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let obj = serde_json::from_value(json!({"metadata": {"name": ns}})).expect("ns");
    nss.create(&PostParams::default(), &obj)
        .await
        .expect("namespace");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_from_versions_and_selector_transitions() {
    let s = server().await;
    let client = s.client().expect("client");
    let ns = s.namespace("w").await;
    let api: Api<ConfigMap> = Api::namespaced(client, &ns);
    let a = api
        .create(&PostParams::default(), &cm("a", json!({"app": "x"})))
        .await
        .expect("a");
    let rv = a.metadata.resource_version.clone().expect("rv");
    let path = format!(
        "/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}&labelSelector=app%3Dx"
    );
    let watcher = watch_events(&s, &path, Duration::from_secs(2));
    let writes = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        api.create(&PostParams::default(), &cm("b", json!({"app": "y"})))
            .await
            .expect("b");
        let patch = json!({"metadata": {"labels": {"app": "x"}}});
        api.patch(
            "b",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&patch),
        )
        .await
        .expect("label b");
        let unlabel = json!({"metadata": {"labels": {"app": "z"}}});
        api.patch(
            "a",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&unlabel),
        )
        .await
        .expect("unlabel a");
    };
    let (events, ()) = tokio::join!(watcher, writes);
    assert_eq!(
        seen_of(&events, &["a", "b"]),
        [
            ("ADDED".to_string(), "b".to_string()),
            ("DELETED".to_string(), "a".to_string())
        ]
    );
    // Without a resourceVersion the watch starts with the current state.
    let initial = watch_events(
        &s,
        &format!("/api/v1/namespaces/{ns}/configmaps?watch=1"),
        Duration::from_millis(1000),
    )
    .await;
    let initial = seen_of(&initial, &["a", "b"]);
    assert_eq!(initial.len(), 2, "{initial:?}");
    assert!(initial.iter().all(|(t, _)| t == "ADDED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initial_events_end_with_a_bookmark() {
    let s = server().await;
    let client = s.client().expect("client");
    let ns = s.namespace("b").await;
    let api: Api<ConfigMap> = Api::namespaced(client, &ns);
    api.create(&PostParams::default(), &cm("a", json!({"mine": "yes"})))
        .await
        .expect("a");
    let path = format!(
        "/api/v1/namespaces/{ns}/configmaps?watch=1&labelSelector=mine&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
    );
    let events = watch_events(&s, &path, Duration::from_millis(1200)).await;
    assert_eq!(events[0]["type"], "ADDED", "{events:?}");
    assert_eq!(events[1]["type"], "BOOKMARK");
    assert_eq!(
        events[1]["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
        "true"
    );
    assert!(
        events[2..].iter().all(|e| e["type"] == "BOOKMARK"),
        "only bookmarks follow: {events:?}"
    );
    let timed = watch_events(
        &s,
        &format!("/api/v1/namespaces/{ns}/configmaps?watch=1&labelSelector=mine&timeoutSeconds=1"),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(timed.len(), 1, "the stream ends after timeoutSeconds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: needs a bookmark interval of 300ms, set when our server starts"
)]
async fn periodic_bookmarks() {
    let s = server_with_history(100).await;
    let client = s.client().expect("client");
    create_ns(&client, "b").await;
    let api: Api<ConfigMap> = Api::namespaced(client, "b");
    api.create(&PostParams::default(), &cm("a", json!({})))
        .await
        .expect("a");
    let path = "/api/v1/namespaces/b/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
    let events = watch_events(&s, path, Duration::from_millis(1200)).await;
    assert!(events.len() > 2, "{events:?}");
    assert!(
        events[2..].iter().all(|e| e["type"] == "BOOKMARK"),
        "periodic bookmarks: {events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: needs a watch history of 5 events, set when our server starts"
)]
async fn too_old_versions_give_410_and_the_watcher_relists() {
    let s = server_with_history(5).await;
    let client = s.client().expect("client");
    create_ns(&client, "old").await;
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), "old");
    let first = api
        .create(&PostParams::default(), &cm("first", json!({})))
        .await
        .expect("first");
    let secrets: Api<Secret> = Api::namespaced(client.clone(), "old");
    for i in 0..10 {
        let s: Secret =
            serde_json::from_value(json!({"metadata": {"name": format!("s{i}")}})).expect("secret");
        secrets
            .create(&PostParams::default(), &s)
            .await
            .expect("secret");
    }
    let rv = first.metadata.resource_version.expect("rv");
    let events = watch_events(
        &s,
        &format!("/api/v1/namespaces/old/configmaps?watch=1&resourceVersion={rv}"),
        Duration::from_secs(1),
    )
    .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "ERROR");
    assert_eq!(events[0]["object"]["code"], 410);
    assert_eq!(events[0]["object"]["reason"], "Expired");
    assert!(
        events[0]["object"]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("too old resource version")
    );
    let list = kube::api::ListParams::default()
        .at(rv.as_str())
        .matching(kube::api::VersionMatch::Exact);
    let err = api
        .list(&list)
        .await
        .expect_err("exact list of an expired version");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 410),
        "{err:?}"
    );
    // A watcher whose watch expires while other resources churn relists and carries on.
    let cfg = watcher::Config::default().timeout(1).disable_bookmarks();
    let mut stream = watcher(api.clone(), cfg).boxed();
    let mut init_done = 0;
    let churn = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        for i in 10..20 {
            let s: Secret = serde_json::from_value(json!({"metadata": {"name": format!("s{i}")}}))
                .expect("secret");
            secrets
                .create(&PostParams::default(), &s)
                .await
                .expect("secret");
        }
    };
    let consume = async {
        while let Ok(Some(ev)) = tokio::time::timeout(Duration::from_secs(10), stream.next()).await
        {
            if let Ok(watcher::Event::InitDone) = ev {
                init_done += 1;
                if init_done == 2 {
                    break;
                }
            }
        }
    };
    tokio::join!(churn, consume);
    assert_eq!(init_done, 2, "the watcher relisted after 410");
}
