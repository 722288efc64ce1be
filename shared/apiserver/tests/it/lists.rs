//! Lists: limit/continue over a consistent snapshot, remainingItemCount, selectors.
//!
//! Paging uses Secrets: a real cluster's controllers add a ConfigMap to every new namespace,
//! and no Secret.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, ListParams, PostParams};
use serde_json::json;

use crate::support::server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_and_continue_page_a_snapshot() {
    let s = server().await;
    let client = s.client().expect("client");
    let ns = s.namespace("paging").await;
    let api: Api<Secret> = Api::namespaced(client, &ns);
    for i in 0..7 {
        let c: Secret = serde_json::from_value(json!({"metadata": {"name": format!("c{i}"), "labels": {"n": i.to_string(), "even": (i % 2 == 0).to_string()}}})).expect("secret");
        api.create(&PostParams::default(), &c)
            .await
            .expect("create");
    }
    let first = api
        .list(&ListParams::default().limit(3))
        .await
        .expect("page 1");
    assert_eq!(first.items.len(), 3);
    assert_eq!(first.metadata.remaining_item_count, Some(4));
    let token = first.metadata.continue_.clone().expect("continue");
    // Objects created after the first page are not part of the snapshot.
    let late: Secret = serde_json::from_value(json!({"metadata": {"name": "c9"}})).expect("secret");
    api.create(&PostParams::default(), &late)
        .await
        .expect("late");
    let second = api
        .list(&ListParams::default().limit(3).continue_token(&token))
        .await
        .expect("page 2");
    assert_eq!(
        second.metadata.resource_version,
        first.metadata.resource_version
    );
    let third = api
        .list(
            &ListParams::default()
                .limit(3)
                .continue_token(second.metadata.continue_.as_deref().expect("token")),
        )
        .await
        .expect("page 3");
    let names: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .chain(&third.items)
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    assert_eq!(names, ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    assert!(third.metadata.continue_.as_deref().unwrap_or("").is_empty());
    let bad = api
        .list(&ListParams::default().continue_token("garbage"))
        .await
        .expect_err("bad token");
    assert!(
        matches!(bad, kube::Error::Api(ref s) if s.code == 400),
        "{bad:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn label_and_field_selectors() {
    let s = server().await;
    let client = s.client().expect("client");
    let ns = s.namespace("selectors").await;
    let api: Api<ConfigMap> = Api::namespaced(client, &ns);
    for (name, tier) in [("a", Some("web")), ("b", Some("db")), ("c", None)] {
        let mut labels = json!({});
        if let Some(t) = tier {
            labels["tier"] = json!(t);
        }
        let c: ConfigMap =
            serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}}))
                .expect("cm");
        api.create(&PostParams::default(), &c)
            .await
            .expect("create");
    }
    // Only this test's objects: a real cluster adds kube-root-ca.crt to the namespace.
    let names = |l: kube::core::ObjectList<ConfigMap>| -> Vec<String> {
        l.items
            .into_iter()
            .filter_map(|c| c.metadata.name)
            .filter(|n| ["a", "b", "c"].contains(&n.as_str()))
            .collect()
    };
    let cases = [
        ("tier=web", vec!["a"]),
        ("tier==db", vec!["b"]),
        ("tier!=web", vec!["b", "c"]),
        ("tier in (web,db)", vec!["a", "b"]),
        ("tier notin (web)", vec!["b", "c"]),
        ("tier", vec!["a", "b"]),
        ("!tier", vec!["c"]),
    ];
    for (sel, want) in cases {
        let got = names(
            api.list(&ListParams::default().labels(sel))
                .await
                .expect(sel),
        );
        assert_eq!(got, want, "{sel}");
    }
    let got = names(
        api.list(&ListParams::default().fields("metadata.name=b"))
            .await
            .expect("field"),
    );
    assert_eq!(got, ["b"]);
    let got = names(
        api.list(&ListParams::default().fields(&format!("metadata.namespace!={ns}")))
            .await
            .expect("field"),
    );
    assert!(got.is_empty());
    let err = api
        .list(&ListParams::default().fields("spec.foo=1"))
        .await
        .expect_err("unknown field");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 400 && s.message == r#""spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace""#),
        "{err:?}"
    );
    let err = api
        .list(&ListParams::default().labels("tier in (web"))
        .await
        .expect_err("bad selector");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 400),
        "{err:?}"
    );
}
