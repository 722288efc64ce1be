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
