//! Writes through kube-rs: generation and status rules, optimistic concurrency, generateName,
//! dry runs, and strictly increasing resourceVersions under concurrent writers.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use serde_json::json;

use crate::kubectl_crd::Widgets;
use crate::support::{eventually, server};

fn deployment(name: &str) -> Deployment {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}
    }))
    .expect("deployment")
}

fn generation(d: &Deployment) -> i64 {
    d.metadata.generation.unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generation_counts_spec_changes_only() {
    let s = server().await;
    let ns = s.namespace("generation").await;
    let api: Api<Deployment> = Api::namespaced(s.client().expect("client"), &ns);
    let mut d = deployment("g");
    d.status = serde_json::from_value(json!({"replicas": 7})).expect("status");
    let d = api
        .create(&PostParams::default(), &d)
        .await
        .expect("create");
    assert_eq!(generation(&d), 1);
    assert_eq!(
        d.status.and_then(|s| s.replicas),
        None,
        "status is dropped on create"
    );
    let pp = PatchParams::default();
    let d = api
        .patch("g", &pp, &Patch::Merge(json!({"spec": {"replicas": 4}})))
        .await
        .expect("spec");
    assert_eq!(generation(&d), 2);
    let d = api
        .patch(
            "g",
            &pp,
            &Patch::Merge(json!({"metadata": {"labels": {"x": "y"}}})),
        )
        .await
        .expect("labels");
    assert_eq!(generation(&d), 2, "metadata changes keep the generation");
    let d = api
        .patch("g", &pp, &Patch::Merge(json!({"status": {"replicas": 9}})))
        .await
        .expect("status via main");
    // (A real cluster's deployment controller writes a status of its own meanwhile.)
    assert_ne!(
        d.status.as_ref().and_then(|s| s.replicas),
        Some(9),
        "status changes through the main resource are ignored"
    );
    let before = d.metadata.resource_version.clone();
    let d = api
        .patch_status(
            "g",
            &pp,
            &Patch::Merge(json!({"status": {"replicas": 4, "observedGeneration": 2}})),
        )
        .await
        .expect("status");
    assert_eq!(d.status.as_ref().and_then(|s| s.replicas), Some(4));
    assert_eq!(generation(&d), 2, "status writes keep the generation");
    assert_ne!(d.metadata.resource_version, before);
    let d = api
        .patch_status("g", &pp, &Patch::Merge(json!({"spec": {"replicas": 1}})))
        .await
        .expect("spec via status");
    assert_eq!(
        d.spec.as_ref().and_then(|s| s.replicas),
        Some(4),
        "spec changes through status are ignored"
    );
    // A write that changes nothing stores nothing (retried while a controller writes status).
    eventually("a no-op write keeps the resourceVersion", || async {
        let current = api.get("g").await.expect("get");
        let same = api
            .patch("g", &pp, &Patch::Merge(json!({"spec": {"replicas": 4}})))
            .await
            .expect("no-op");
        same.metadata.resource_version == current.metadata.resource_version
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_updates_and_conflicts() {
    let s = server().await;
    let ns = s.namespace("creates").await;
    let api: Api<ConfigMap> = Api::namespaced(s.client().expect("client"), &ns);
    let generated: ConfigMap =
        serde_json::from_value(json!({"metadata": {"generateName": "gen-"}})).expect("cm");
    let made = api
        .create(&PostParams::default(), &generated)
        .await
        .expect("generateName");
    let name = made.metadata.name.clone().expect("name");
    assert!(name.starts_with("gen-") && name.len() == 9, "{name}");
    let dry = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let c: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "dry"}})).expect("cm");
    api.create(&dry, &c).await.expect("dry run");
    assert!(
        api.get_opt("dry").await.expect("get").is_none(),
        "dry runs store nothing"
    );
    api.create(&PostParams::default(), &c)
        .await
        .expect("create");
    let dup = api
        .create(&PostParams::default(), &c)
        .await
        .expect_err("duplicate");
    assert!(
        matches!(dup, kube::Error::Api(ref s) if s.code == 409 && s.reason == "AlreadyExists" && s.message == r#"configmaps "dry" already exists"#),
        "{dup:?}"
    );
    let mut stale = api.get("dry").await.expect("get");
    let mut fresh = stale.clone();
    fresh.data = Some([("a".to_string(), "1".to_string())].into());
    api.replace("dry", &PostParams::default(), &fresh)
        .await
        .expect("replace");
    stale.data = Some([("b".to_string(), "2".to_string())].into());
    let conflict = api
        .replace("dry", &PostParams::default(), &stale)
        .await
        .expect_err("stale");
    assert!(
        matches!(conflict, kube::Error::Api(ref s) if s.code == 409 && s.reason == "Conflict"
            && s.message == r#"Operation cannot be fulfilled on configmaps "dry": the object has been modified; please apply your changes to the latest version and try again"#),
        "{conflict:?}"
    );
    let missing = api
        .replace("nope", &PostParams::default(), &fresh)
        .await
        .expect_err("missing");
    assert!(
        matches!(missing, kube::Error::Api(ref s) if s.code == 404 || s.code == 400),
        "{missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_get_strictly_increasing_versions() {
    let s = server().await;
    let client = s.client().expect("client");
    let ns = s.namespace("concurrent").await;
    let api: Api<ConfigMap> = Api::namespaced(client, &ns);
    let mut events = api
        .watch(&WatchParams::default(), "0")
        .await
        .expect("watch")
        .boxed();
    let writers = (0..6).map(|w| {
        let api = api.clone();
        tokio::spawn(async move {
            let mut rvs = Vec::new();
            for i in 0..15 {
                let c: ConfigMap =
                    serde_json::from_value(json!({"metadata": {"name": format!("w{w}-{i}")}}))
                        .expect("cm");
                let made = api
                    .create(&PostParams::default(), &c)
                    .await
                    .expect("create");
                rvs.push(
                    made.metadata
                        .resource_version
                        .expect("rv")
                        .parse::<u64>()
                        .expect("numeric rv"),
                );
                let p = json!({"data": {"i": i.to_string()}});
                let upd = api
                    .patch(
                        &format!("w{w}-{i}"),
                        &PatchParams::default(),
                        &Patch::Merge(&p),
                    )
                    .await
                    .expect("patch");
                rvs.push(
                    upd.metadata
                        .resource_version
                        .expect("rv")
                        .parse::<u64>()
                        .expect("numeric rv"),
                );
            }
            rvs
        })
    });
    let mut all = Vec::new();
    for h in writers.collect::<Vec<_>>() {
        let rvs = h.await.expect("writer");
        assert!(rvs.windows(2).all(|w| w[0] < w[1]), "per-writer order");
        all.extend(rvs);
    }
    let unique: BTreeSet<u64> = all.iter().copied().collect();
    assert_eq!(
        unique.len(),
        all.len(),
        "every write has its own resourceVersion"
    );
    let mut seen = Vec::new();
    while seen.len() < all.len() {
        match tokio::time::timeout(Duration::from_secs(5), events.next()).await {
            // (A real cluster adds its kube-root-ca.crt to every namespace.)
            Ok(Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o))))
                if o.metadata
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with('w')) =>
            {
                seen.push(
                    o.metadata
                        .resource_version
                        .expect("rv")
                        .parse::<u64>()
                        .expect("rv"),
                );
            }
            Ok(Some(Ok(_))) => {}
            other => panic!("watch ended early: {other:?}"),
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "watch delivers in version order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_apply_by_a_controller() {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
    let s = server().await;
    let client = s.client().expect("client");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let wd = Widgets::of(&s);
    let crd: CustomResourceDefinition = serde_saphyr::from_str(&wd.crd()).expect("crd yaml");
    crds.create(&PostParams::default(), &crd)
        .await
        .expect("crd");
    let ns = s.namespace("status-apply").await;
    let gvk = GroupVersionKind::gvk(&wd.group, "v1", "Widget");
    let ar = ApiResource::from_gvk_with_plural(&gvk, "widgets");
    let api: Api<DynamicObject> = Api::namespaced_with(client, &ns, &ar);
    let api_version = format!("{}/v1", wd.group);
    let obj: DynamicObject = serde_json::from_value(json!({"apiVersion": api_version, "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 2}})).expect("obj");
    // A real cluster serves a new CRD's kind a moment after Established.
    eventually("the Widget kind is served", || async {
        match api.create(&PostParams::default(), &obj).await {
            Ok(_) => true,
            Err(kube::Error::Api(e)) if e.code == 404 => false,
            Err(e) => panic!("create: {e}"),
        }
    })
    .await;
    let status = json!({"apiVersion": api_version, "kind": "Widget", "status": {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}]}});
    let pp = PatchParams::apply("gotk-widget-controller").force();
    let out = api
        .patch_status("w", &pp, &Patch::Apply(&status))
        .await
        .expect("status apply");
    assert_eq!(out.data["status"]["observedGeneration"], 1);
    assert_eq!(out.data["spec"]["size"], 2);
    assert_eq!(out.metadata.generation, Some(1));
    let entry = out
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.manager.as_deref() == Some("gotk-widget-controller"))
        .expect("manager entry");
    assert_eq!(entry.operation.as_deref(), Some("Apply"));
    assert_eq!(entry.subresource.as_deref(), Some("status"));
    // The same status again stores nothing new.
    let again = api
        .patch_status("w", &pp, &Patch::Apply(&status))
        .await
        .expect("again");
    assert_eq!(
        again.metadata.resource_version,
        out.metadata.resource_version
    );
}
