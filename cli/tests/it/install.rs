//! `fluxion install` against the API server: every component applied (CRDs first, then what
//! uses them), idempotent on a second run; `version` then finds the controllers.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Api;
use kube::api::ListParams;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_applies_everything_and_is_idempotent() {
    let env = Env::start("flux-system").await;
    let out = env.fluxion(&["install"]).await;
    assert!(out.ok, "install failed: {}", out.stderr);
    assert!(out.stderr.contains("✔ install finished"), "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io serverside-applied"
        ),
        "{}",
        out.stdout
    );
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    assert_eq!(
        crds.list(&ListParams::default())
            .await
            .expect("crds")
            .items
            .len(),
        14
    );
    let deployments: Api<Deployment> = Api::namespaced(env.client.clone(), "flux-system");
    let names: Vec<String> = deployments
        .list(&ListParams::default())
        .await
        .expect("deployments")
        .items
        .into_iter()
        .filter_map(|d| d.metadata.name)
        .collect();
    assert_eq!(names, ["kustomize-controller", "source-controller"]);

    let again = env.fluxion(&["install"]).await;
    assert!(again.ok, "second install failed: {}", again.stderr);

    let version = env.fluxion(&["version"]).await;
    assert!(version.ok, "{}", version.stderr);
    assert!(
        version.stdout.contains("source-controller: v0.1.0"),
        "{}",
        version.stdout
    );

    let get = env.fluxion(&["get", "sources", "git"]).await;
    assert!(get.ok, "{}", get.stderr);
    assert!(get.stdout.is_empty());
    assert!(
        get.stderr
            .contains("✗ no GitRepository objects found in \"flux-system\" namespace"),
        "{}",
        get.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_fail_clearly_without_a_cluster() {
    let dir = tempfile::tempdir().expect("dir");
    let kubeconfig = dir.path().join("missing");
    let out = crate::harness::run(
        &[
            "--kubeconfig",
            &kubeconfig.display().to_string(),
            "get",
            "ks",
        ],
        None,
    )
    .await;
    assert!(!out.ok);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.starts_with("✗ kubeconfig: "), "{}", out.stderr);
}

/// `check` reads the cluster as flux does: the version, the Deployments' rollout (no kubelet
/// runs on fluxion-apiserver, so the test writes the status a deployment controller would),
/// the CRDs; `uninstall` then removes everything, finalizers first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_then_uninstall() {
    use kube::api::{Patch, PatchParams};
    use serde_json::json;

    let env = Env::start("flux-system").await;
    let out = env.fluxion(&["check", "--pre"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stderr.contains("✔ Kubernetes 1.33"), "{}", out.stderr);
    assert!(out.stderr.contains(">=1.32.0-0"), "{}", out.stderr);

    assert!(env.fluxion(&["install"]).await.ok);
    let out = env.fluxion(&["check"]).await;
    assert!(!out.ok && out.code == Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("✗ source-controller: deployment not ready"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("✗ check failed"), "{}", out.stderr);

    let deployments: Api<Deployment> = Api::namespaced(env.client.clone(), "flux-system");
    for name in ["source-controller", "kustomize-controller"] {
        let d = deployments.get(name).await.expect("deployment");
        let status = json!({"status": {"observedGeneration": d.metadata.generation, "replicas": 1,
            "readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}});
        deployments
            .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
            .await
            .expect("status");
    }
    let out = env.fluxion(&["check"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("✔ gitrepositories.source.toolkit.fluxcd.io/v1"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("✔ all checks passed"), "{}", out.stderr);

    // An object with a finalizer and no controller left to remove it.
    let created = env
        .fluxion(&[
            "create",
            "source",
            "git",
            "stuck",
            "--url=https://example.com/x",
            "--branch=main",
            "--timeout=1s",
        ])
        .await;
    assert!(!created.ok, "no controller runs here: {}", created.stderr);
    let repos: Api<kube::api::DynamicObject> = Api::namespaced_with(
        env.client.clone(),
        "flux-system",
        &kube::api::ApiResource::erase::<fluxion_api::source::GitRepository>(&()),
    );
    let fin = json!({"metadata": {"finalizers": ["finalizers.fluxcd.io"]}});
    repos
        .patch("stuck", &PatchParams::default(), &Patch::Merge(&fin))
        .await
        .expect("finalizer");

    let out = env.fluxion(&["uninstall", "--silent"]).await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("✔ GitRepository/flux-system/stuck finalizers deleted"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("✔ Deployment/flux-system/source-controller deleted"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("✔ uninstall finished"),
        "{}",
        out.stderr
    );
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    let left = crds.list(&ListParams::default()).await.expect("crds").items;
    assert!(left.is_empty(), "CRDs left: {}", left.len());
}
