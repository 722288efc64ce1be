//! The library API helm-controller uses: load a chart, render it, and read manifests, hooks,
//! notes, CRDs and the coalesced values from the result.

use std::path::Path;

use fluxion_helm::chart::load;
use fluxion_helm::engine::render::{RenderError, RenderOptions, render};
use fluxion_helm::release::HookEvent;
use serde_json::{Map, json};

fn chart(name: &str) -> fluxion_helm::chart::Chart {
    load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/charts")
            .join(name),
    )
    .expect("test data")
}

#[test]
fn operator_hooks_crds_and_manifests() {
    let r = render(&chart("operator"), Map::new(), &RenderOptions::default()).expect("test data");
    let kinds: Vec<&str> = r.manifests.iter().map(|m| m.head.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "PodDisruptionBudget",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Service",
            "Deployment",
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            // The comment-only document: an unknown (empty) kind, sorted by name.
            "",
            "Widget",
        ]
    );
    let hooks: Vec<(&str, &[HookEvent], i32, &[String])> = r
        .hooks
        .iter()
        .map(|h| {
            (
                h.name.as_str(),
                h.events.as_slice(),
                h.weight,
                h.delete_policies.as_slice(),
            )
        })
        .collect();
    let migrate = hooks
        .iter()
        .find(|h| h.0 == "release-name-migrate")
        .expect("test data");
    assert_eq!(migrate.1, [HookEvent::PreInstall, HookEvent::PreUpgrade]);
    assert_eq!(
        (migrate.2, migrate.3),
        (-10, &["before-hook-creation".to_string()][..])
    );
    let backup = hooks
        .iter()
        .find(|h| h.0 == "release-name-backup")
        .expect("test data");
    assert_eq!(backup.1, [HookEvent::PreDelete, HookEvent::PreRollback]);
    assert_eq!(backup.3, ["hook-succeeded", "hook-failed"]);
    assert_eq!(r.hooks.iter().filter(|h| h.is_test()).count(), 2);
    assert!(
        !hooks.iter().any(|h| h.0.ends_with("unknown-hook")),
        "unknown hook types are dropped"
    );
    let crds: Vec<&str> = r.crds.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        crds,
        [
            "operator/crds/gadgets.example.com.yml",
            "operator/crds/widgets.example.com.yaml"
        ]
    );
    assert_eq!(
        r.values.get("image"),
        Some(&json!("example/operator:v0.9.1"))
    );
}

#[test]
fn notes_are_kept_apart_and_errors_are_typed() {
    let r = render(&chart("platform"), Map::new(), &RenderOptions::default()).expect("test data");
    assert_eq!(r.notes, "Platform 0.3.0 installed in default.\n");
    assert!(r.manifests.iter().all(|m| !m.name.ends_with("NOTES.txt")));
    let bad = json!({"replicaCount": "two"})
        .as_object()
        .cloned()
        .expect("test data");
    match render(&chart("webapp"), bad, &RenderOptions::default()) {
        Err(RenderError::Prepare(m)) => assert!(
            m.contains("- at '/replicaCount': got string, want integer"),
            "{m}"
        ),
        other => panic!("expected a schema error, got {other:?}"),
    }
}
