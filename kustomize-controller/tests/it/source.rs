//! The source side: missing sources and artifacts, cross-namespace refusal, dependencies.

use fluxion_api::conditions::{ACCESS_DENIED_REASON, ARTIFACT_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

#[tokio::test]
async fn missing_source_then_artifact() {
    let env = Env::start("source-missing").await;
    env.create_ks("app", "repo", json!({})).await;
    let ks = env.wait_failed("app", ARTIFACT_FAILED_REASON).await;
    let status = ks.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, "Ready"),
        "Source 'GitRepository/repo' not found"
    );
}

#[tokio::test]
async fn cross_namespace_source_refused() {
    let env = Env::start_with(
        "source-cross",
        Default::default(),
        &["--no-cross-namespace-refs=true"],
    )
    .await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "v")]))],
    )
    .await;
    env.create_ks(
        "app",
        "repo",
        json!({"sourceRef": {"kind": "GitRepository", "name": "repo", "namespace": "flux-system"}}),
    )
    .await;
    let ks = env.wait_failed("app", ACCESS_DENIED_REASON).await;
    let status = ks.status.expect("status");
    assert_eq!(
        cond::message(&status.conditions, "Ready"),
        "can't access 'GitRepository/flux-system/repo', cross-namespace references have been blocked"
    );
    assert!(cond::is_true(&status.conditions, "Stalled"));
}

#[tokio::test]
async fn oci_repository_with_origin_revision() {
    use fluxion_api::source::OCIRepository;
    use kube::Api;
    use kube::api::{Patch, PatchParams};

    let env = Env::start("source-oci").await;
    let served = env
        .artifacts
        .put_files(
            "ocirepository/source-oci/app/sha256-1.tar.gz",
            &[("cm.yaml", &config_map("from-oci", &[("k", "v")]))],
        )
        .expect("artifact");
    let repos: Api<OCIRepository> = Api::namespaced(env.client.clone(), &env.namespace);
    let repo: OCIRepository = serde_json::from_value(json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "OCIRepository",
        "metadata": {"name": "app", "namespace": env.namespace},
        "spec": {"url": "oci://example.invalid/app", "interval": "10m", "ref": {"tag": "v1"}},
    }))
    .expect("OCIRepository");
    repos
        .create(&Default::default(), &repo)
        .await
        .expect("create");
    let revision = "v1@sha256:1111";
    let status = json!({"status": {"artifact": {
        "path": served.path, "url": served.url, "revision": revision, "digest": served.digest,
        "lastUpdateTime": "2025-01-01T00:00:00Z",
        "metadata": {"org.opencontainers.image.revision": "main@sha1:abc"},
    }}});
    repos
        .patch_status("app", &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("status");
    env.create_ks(
        "app",
        "app",
        json!({"sourceRef": {"kind": "OCIRepository", "name": "app"}}),
    )
    .await;
    let ks = env.wait_applied("app", revision).await;
    let status = ks.status.expect("status");
    assert_eq!(
        status.last_applied_origin_revision.as_deref(),
        Some("main@sha1:abc")
    );
    assert_eq!(
        status.history[0].metadata["originRevision"],
        "main@sha1:abc"
    );
    assert!(
        env.config_maps()
            .get_opt("from-oci")
            .await
            .expect("get")
            .is_some()
    );
}

#[tokio::test]
async fn suspended_kustomizations_are_left_alone() {
    let env = Env::start("source-suspend").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[("cm.yaml", &config_map("a", &[("k", "1")]))],
    )
    .await;
    env.create_ks("app", "repo", json!({})).await;
    env.wait_applied("app", "main@sha1:1").await;
    env.patch_ks("app", json!({"spec": {"suspend": true}}))
        .await;
    // Let the controller see the suspension before the source moves on.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    env.publish(
        "repo",
        "main@sha1:2",
        &[("cm.yaml", &config_map("a", &[("k", "2")]))],
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let ks = env.kustomizations().get("app").await.expect("get");
    assert_eq!(
        ks.status.and_then(|s| s.last_applied_revision).as_deref(),
        Some("main@sha1:1")
    );
    env.patch_ks("app", json!({"spec": {"suspend": false}}))
        .await;
    env.wait_applied("app", "main@sha1:2").await;
}
