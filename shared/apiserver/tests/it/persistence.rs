//! Persistence in-process: a server restarted on the same data directory serves the same
//! objects, CRD kinds and resourceVersions, hands out higher ones after, compacts its log
//! without losing state, refuses a directory another server holds, and answers a watch from
//! before the restart (whose events it no longer has) with 410 Gone.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{
    Api, DeleteParams, DynamicObject, ListParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::json;

use fluxion_apiserver::{ApiServer, ServerConfig, ServerError};

use crate::kubectl_crd::CRD;
use crate::support::Kubectl;

async fn start(dir: &Path, compact_bytes: u64) -> ApiServer {
    ApiServer::start(ServerConfig {
        data_dir: Some(dir.to_path_buf()),
        compact_bytes,
        ..Default::default()
    })
    .await
    .expect("start server")
}

fn configmap(name: &str, value: &str) -> ConfigMap {
    serde_json::from_value(json!({"metadata": {"name": name}, "data": {"v": value}}))
        .expect("configmap")
}

fn widgets(client: kube::Client, ns: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("example.com", "v1", "Widget");
    Api::namespaced_with(client, ns, &ApiResource::from_gvk(&gvk))
}

/// name → (resourceVersion, data) of every ConfigMap in `ns`.
async fn configmaps(api: &Api<ConfigMap>) -> BTreeMap<String, (String, Option<String>)> {
    api.list(&ListParams::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|c| {
            let v = c.data.as_ref().and_then(|d| d.get("v").cloned());
            (
                c.metadata.name.unwrap_or_default(),
                (c.metadata.resource_version.unwrap_or_default(), v),
            )
        })
        .collect()
}

/// Writes ConfigMaps (one updated, one deleted), the Widget CRD and two Widgets.
async fn populate(s: &ApiServer, ns: &str) {
    let k = Kubectl::new(s, ns).await;
    k.install_crd(CRD, "widgets.example.com").await;
    for w in ["w1", "w2"] {
        let y = format!(
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: {w}}}\nspec: {{size: 3}}\n"
        );
        k.run_stdin(&["apply", "-f", "-"], &y).await.out();
    }
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), ns);
    let pp = PostParams::default();
    for i in 0..20 {
        api.create(&pp, &configmap(&format!("cm-{i}"), "1"))
            .await
            .expect("create");
    }
    let mut c = api.get("cm-3").await.expect("get");
    c.data = Some([("v".to_string(), "2".to_string())].into());
    api.replace("cm-3", &pp, &c).await.expect("replace");
    api.delete("cm-4", &DeleteParams::default())
        .await
        .expect("delete");
}

/// Everything a client can see of the test's objects.
async fn observe(
    s: &ApiServer,
    ns: &str,
) -> (BTreeMap<String, (String, Option<String>)>, Vec<String>) {
    let client = s.client().expect("client");
    let cms = configmaps(&Api::namespaced(client.clone(), ns)).await;
    let ws = widgets(client, ns)
        .list(&ListParams::default())
        .await
        .expect("widgets are served")
        .items
        .into_iter()
        .map(|w| {
            format!(
                "{}@{} color={}",
                w.metadata.name.unwrap_or_default(),
                w.metadata.resource_version.unwrap_or_default(),
                w.data["spec"]["color"]
            )
        })
        .collect();
    (cms, ws)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: restarts the server on its data directory"
)]
async fn a_restart_serves_the_same_objects_and_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ns = "persist-restart";
    let s = start(
        dir.path(),
        fluxion_apiserver::persist::DEFAULT_COMPACT_BYTES,
    )
    .await;
    populate(&s, ns).await;
    let before = observe(&s, ns).await;
    assert_eq!(before.0.len(), 19);
    assert_eq!(before.0["cm-3"].1.as_deref(), Some("2"));
    assert_eq!(before.1.len(), 2);
    let last_rv = s.api().store.current_rv();
    drop(s);

    let s = start(
        dir.path(),
        fluxion_apiserver::persist::DEFAULT_COMPACT_BYTES,
    )
    .await;
    assert_eq!(observe(&s, ns).await, before);
    let k = Kubectl::new(&s, ns).await;
    let table = k.run(&["get", "widgets"]).await.out();
    assert!(table.contains("w1") && table.contains("w2"), "{table}");
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), ns);
    let new = api
        .create(&PostParams::default(), &configmap("after", "1"))
        .await
        .expect("create after restart");
    let rv: u64 = new
        .metadata
        .resource_version
        .expect("rv")
        .parse()
        .expect("numeric rv");
    assert!(rv > last_rv, "{rv} > {last_rv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: restarts the server on its data directory"
)]
async fn compaction_keeps_state_across_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ns = "persist-compact";
    // A tiny threshold: the log is compacted many times while the test writes.
    let s = start(dir.path(), 8 * 1024).await;
    populate(&s, ns).await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), ns);
    for i in 0..150 {
        api.create(
            &PostParams::default(),
            &configmap(&format!("more-{i}"), &"x".repeat(200)),
        )
        .await
        .expect("create");
    }
    let p = s.persistence().expect("persistence").clone();
    p.compact(&s.api().store).expect("compact");
    api.delete("more-0", &DeleteParams::default())
        .await
        .expect("delete after compaction");
    let before = observe(&s, ns).await;
    drop(s);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.starts_with("snapshot-")).count(),
        1,
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.starts_with("wal-")).count(),
        1,
        "{names:?}"
    );

    let s = start(dir.path(), 8 * 1024).await;
    assert_eq!(observe(&s, ns).await, before);
    assert_eq!(before.0.len(), 19 + 149);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: restarts the server on its data directory"
)]
async fn a_directory_in_use_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = start(dir.path(), 1 << 20).await;
    let err = ApiServer::start(ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .err()
    .expect("second server refused");
    assert!(matches!(err, ServerError::Persist(_)), "{err}");
    assert!(
        err.to_string()
            .contains("in use by another fluxion-apiserver"),
        "{err}"
    );
    drop(first);
    drop(start(dir.path(), 1 << 20).await);
}

/// The first event of a watch from `rv`, or `None` when none came within two seconds.
async fn first_event(api: &Api<ConfigMap>, rv: &str) -> Option<WatchEvent<ConfigMap>> {
    let mut stream = api
        .watch(&WatchParams::default().timeout(5), rv)
        .await
        .expect("watch")
        .boxed();
    tokio::time::timeout(Duration::from_secs(2), stream.try_next())
        .await
        .ok()
        .and_then(|r| r.expect("watch event"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: restarts the server on its data directory"
)]
async fn a_watch_from_before_a_restart_is_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ns = "default";
    let compact = fluxion_apiserver::persist::DEFAULT_COMPACT_BYTES;
    let s = start(dir.path(), compact).await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), ns);
    let a = api
        .create(&PostParams::default(), &configmap("a", "1"))
        .await
        .expect("a");
    let old_rv = a.metadata.resource_version.expect("rv");
    api.create(&PostParams::default(), &configmap("b", "1"))
        .await
        .expect("b");
    // Before the restart the history serves the replay.
    assert!(matches!(
        first_event(&api, &old_rv).await,
        Some(WatchEvent::Added(c)) if c.metadata.name.as_deref() == Some("b")
    ));
    let current = s.api().store.current_rv().to_string();
    drop(s);

    let s = start(dir.path(), compact).await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), ns);
    match first_event(&api, &old_rv).await {
        Some(WatchEvent::Error(e)) => {
            assert_eq!((e.code, e.reason.as_str()), (410, "Expired"), "{e:?}");
        }
        other => panic!("a watch from before the restart must be Gone, got {other:?}"),
    }
    // From the version the restart resumed at, a watch sees new writes.
    let mut stream = api
        .watch(&WatchParams::default().timeout(5), &current)
        .await
        .expect("watch")
        .boxed();
    api.create(&PostParams::default(), &configmap("c", "1"))
        .await
        .expect("c");
    let next = tokio::time::timeout(Duration::from_secs(5), stream.try_next())
        .await
        .expect("an event in time")
        .expect("watch event");
    assert!(
        matches!(&next, Some(WatchEvent::Added(c)) if c.metadata.name.as_deref() == Some("c")),
        "{next:?}"
    );
}
