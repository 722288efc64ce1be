//! OCIRepository against an htpasswd registry: credentials from a dockerconfigjson secretRef
//! and from a ServiceAccount's imagePullSecrets; a wrong password fails the digest lookup
//! (OCIArtifactPullFailed, as Flux), a missing secret fails with AuthenticationFailed.

use fluxion_api::source::conditions::{
    AUTHENTICATION_FAILED_REASON, FETCH_FAILED, OCI_PULL_FAILED_REASON,
};
use fluxion_testkit::{FluxArtifact, Registry, RegistryOptions};
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use kube::api::PostParams;
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{condition, create_oci, wait_oci_condition, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_config_service_account_and_failures() {
    let registry = Registry::start_with(RegistryOptions::default().htpasswd("flux", "s3cret-pw"))
        .expect("registry");
    let pushed = registry
        .client()
        .expect("client")
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("a.txt", "a")]),
        )
        .await
        .expect("push");
    let revision = format!("v1@{}", pushed.digest);

    let env = Env::start("oci-auth").await;
    env.create_secret(
        "creds",
        &[(".dockerconfigjson", &registry.docker_config_json())],
    )
    .await;
    let wrong = json!({"auths": {registry.host(): {"username": "flux", "password": "wrong"}}});
    env.create_secret("wrong", &[(".dockerconfigjson", &wrong.to_string())])
        .await;
    let sas: Api<ServiceAccount> = Api::namespaced(env.client.clone(), &env.namespace);
    let sa: ServiceAccount = serde_json::from_value(json!({
        "metadata": {"name": "puller"},
        "imagePullSecrets": [{"name": "creds"}],
    }))
    .expect("sa");
    sas.create(&PostParams::default(), &sa)
        .await
        .expect("create sa");

    let url = registry.oci_url("org/app");
    let spec = |extra: serde_json::Value| {
        let mut spec = json!({"url": url, "ref": {"tag": "v1"}});
        spec.as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        spec
    };
    create_oci(
        &env,
        "secret",
        spec(json!({"secretRef": {"name": "creds"}})),
    )
    .await;
    create_oci(&env, "sa", spec(json!({"serviceAccountName": "puller"}))).await;
    create_oci(&env, "wrong", spec(json!({"secretRef": {"name": "wrong"}}))).await;
    create_oci(&env, "anonymous", spec(json!({}))).await;
    create_oci(
        &env,
        "missing",
        spec(json!({"secretRef": {"name": "nope"}})),
    )
    .await;

    wait_oci_ready(&env, "secret", &revision).await;
    wait_oci_ready(&env, "sa", &revision).await;
    for name in ["wrong", "anonymous"] {
        let obj = wait_oci_condition(&env, name, FETCH_FAILED).await;
        let (reason, message) = condition(&obj, FETCH_FAILED);
        assert_eq!(reason, OCI_PULL_FAILED_REASON, "{name}");
        assert!(
            message.starts_with("failed to determine artifact digest: "),
            "{message}"
        );
        assert!(message.contains("UNAUTHORIZED"), "{message}");
        assert!(
            !message.contains("s3cret-pw") && !message.contains("wrong"),
            "{message}"
        );
    }
    let obj = wait_oci_condition(&env, "missing", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, AUTHENTICATION_FAILED_REASON);
    assert!(
        message.starts_with("failed to get credential: failed to get secret 'oci-auth/nope'"),
        "{message}"
    );
}
