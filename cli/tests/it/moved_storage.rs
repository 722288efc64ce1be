//! The real source-controller and kustomize-controller together: source-controller goes away
//! and comes back advertising a new storage address (as a `fluxion up` restart on another
//! port, or a pod behind a new address), while kustomize-controller is retrying the download
//! from the old one. The retries follow the rewritten artifact URL, so the Kustomization is
//! applied within seconds instead of after the minutes Flux's retry budget would take.

use fluxion_api::conditions::READY;
use fluxion_api::kustomize::Kustomization;
use fluxion_api::source::GitRepository;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::wait_object;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::PostParams;
use serde_json::json;

use crate::harness::{Env, served_repo};

const CONFIG_MAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: moved\ndata:\n  k: v\n";

fn artifact_url(repo: &GitRepository) -> Option<String> {
    repo.status
        .as_ref()?
        .artifact
        .as_ref()
        .map(|a| a.url.clone())
}

#[tokio::test]
async fn kustomizations_follow_a_source_controller_on_a_new_address() {
    let mut env = Env::start("moved-storage")
        .await
        .with_source_controller()
        .await;
    let (git, _tree, head) = served_repo(&[("deploy/cm.yaml", CONFIG_MAP)]);
    let out = env.create_git_source("app", &git.url("org/app"), &[]).await;
    assert!(out.ok, "create source failed: {}", out.stderr);
    let repos = env.api::<GitRepository>();
    let old_url = artifact_url(&repos.get("app").await.expect("repo")).expect("artifact");

    env.stop_source_controller().await;
    env.start_kustomize_controller();
    let ks: Kustomization = serde_json::from_value(json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "app", "namespace": env.namespace},
        "spec": {"interval": "10m", "path": "./deploy", "prune": true,
                 "targetNamespace": env.namespace,
                 "sourceRef": {"kind": "GitRepository", "name": "app"}},
    }))
    .expect("Kustomization");
    env.api::<Kustomization>()
        .create(&PostParams::default(), &ks)
        .await
        .expect("create Kustomization");
    // Long enough for the first download to fail on the old address and start retrying.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;

    env.start_source_controller().await;
    let moved = wait_object(&repos, "app", "artifact URL rewritten", |r| {
        artifact_url(r).is_some_and(|url| url != old_url)
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let revision = moved
        .status
        .and_then(|s| s.artifact)
        .expect("artifact")
        .revision;
    assert_eq!(revision, format!("main@sha1:{head}"));

    let kustomizations = env.api::<Kustomization>();
    wait_object(
        &kustomizations,
        "app",
        "applied from the new address",
        |k| {
            k.status.as_ref().is_some_and(|s| {
                cond::is_true(&s.conditions, READY)
                    && s.last_applied_revision.as_deref() == Some(revision.as_str())
            })
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let cm = env
        .api::<ConfigMap>()
        .get("moved")
        .await
        .expect("ConfigMap");
    assert_eq!(
        cm.data.and_then(|d| d.get("k").cloned()).as_deref(),
        Some("v")
    );
}
