//! OCIRepository over HTTPS: the registry's CA from certSecretRef (ca.crt, or the legacy
//! caFile key); `insecure` without a CA skips verification; no CA fails the pull.

use fluxion_api::source::conditions::{FETCH_FAILED, OCI_PULL_FAILED_REASON};
use fluxion_testkit::{FluxArtifact, Registry, RegistryOptions};
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{condition, create_oci, wait_oci_condition, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cert_secret_ref_and_insecure() {
    let registry = Registry::start_with(RegistryOptions::default().tls()).expect("registry");
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
    let ca = registry.ca_pem().expect("ca");

    let env = Env::start("oci-tls").await;
    env.create_secret("ca", &[("ca.crt", ca)]).await;
    env.create_secret("legacy", &[("caFile", ca)]).await;
    let url = registry.oci_url("org/app");
    create_oci(
        &env,
        "ca",
        json!({"url": url, "ref": {"tag": "v1"}, "certSecretRef": {"name": "ca"}}),
    )
    .await;
    create_oci(
        &env,
        "legacy",
        json!({"url": url, "ref": {"tag": "v1"}, "certSecretRef": {"name": "legacy"}}),
    )
    .await;
    create_oci(
        &env,
        "insecure",
        json!({"url": url, "ref": {"tag": "v1"}, "insecure": true}),
    )
    .await;
    create_oci(&env, "untrusted", json!({"url": url, "ref": {"tag": "v1"}})).await;

    wait_oci_ready(&env, "ca", &revision).await;
    wait_oci_ready(&env, "legacy", &revision).await;
    wait_oci_ready(&env, "insecure", &revision).await;
    let obj = wait_oci_condition(&env, "untrusted", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, OCI_PULL_FAILED_REASON);
    assert!(
        message.starts_with("failed to determine artifact digest: "),
        "{message}"
    );
}
