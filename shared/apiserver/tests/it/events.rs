//! Events: events.k8s.io/v1 and core/v1 are two views of one resource, as on a real server.

use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::events::v1::Event;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use serde_json::json;

use crate::support::{Kubectl, server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_event_apis_share_objects() {
    let s = server().await;
    let client = s.client().expect("client");
    let k = Kubectl::new(&s, "ev").await;
    let ns = k.namespace.clone();
    let new: Api<Event> = Api::namespaced(client.clone(), &ns);
    let ev: Event = serde_json::from_value(json!({
        "metadata": {"name": "e1"},
        "eventTime": "2024-01-01T00:00:00.000000Z",
        "reportingController": "source-controller",
        "reportingInstance": "source-controller-0",
        "action": "Reconcile",
        "reason": "Succeeded",
        "type": "Normal",
        "note": "stored artifact",
        "regarding": {"kind": "GitRepository", "name": "repo", "namespace": ns}
    }))
    .expect("event");
    let made = new
        .create(&PostParams::default(), &ev)
        .await
        .expect("create");
    assert_eq!(made.note.as_deref(), Some("stored artifact"));
    let core: Api<CoreEvent> = Api::namespaced(client, &ns);
    let seen = core.get("e1").await.expect("core view");
    assert_eq!(seen.message.as_deref(), Some("stored artifact"));
    assert_eq!(seen.involved_object.name.as_deref(), Some("repo"));
    assert_eq!(
        seen.reporting_component.as_deref(),
        Some("source-controller")
    );
    let by_field = new
        .list(&ListParams::default().fields("regarding.name=repo"))
        .await
        .expect("list");
    assert_eq!(by_field.items.len(), 1);
    let patched = new
        .patch(
            "e1",
            &PatchParams::default(),
            &Patch::Merge(json!({"note": "again"})),
        )
        .await
        .expect("patch");
    assert_eq!(patched.note.as_deref(), Some("again"));
    let out = k.run(&["get", "events"]).await.out();
    assert!(
        out.contains("gitrepository/repo") && out.contains("again"),
        "{out}"
    );
}
