//! OCIRepository over HTTPS: the registry's CA from certSecretRef (ca.crt, or the legacy
//! caFile key); `insecure` without a CA skips verification; no CA fails the pull.

use fluxion_api::source::conditions::{
    AUTHENTICATION_FAILED_REASON, FETCH_FAILED, OCI_PULL_FAILED_REASON,
};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate() {
    let registry =
        Registry::start_with(RegistryOptions::default().client_cert()).expect("registry");
    let ca = registry.ca().expect("ca");
    let (cert, key) = ca.issue_client("flux").expect("client cert");
    let client = fluxion_testkit::OciClient::with_client_cert(
        &registry.base_url(),
        &ca.ca_pem,
        None,
        &cert,
        &key,
    )
    .expect("client");
    let pushed = client
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("a.txt", "a")]),
        )
        .await
        .expect("push");

    let env = Env::start("oci-mtls").await;
    env.create_secret(
        "mtls",
        &[
            ("ca.crt", &ca.ca_pem),
            ("tls.crt", &cert),
            ("tls.key", &key),
        ],
    )
    .await;
    env.create_secret("half", &[("ca.crt", &ca.ca_pem), ("tls.crt", &cert)])
        .await;
    let url = registry.oci_url("org/app");
    let spec =
        |secret: &str| json!({"url": url, "ref": {"tag": "v1"}, "certSecretRef": {"name": secret}});
    create_oci(&env, "mtls", spec("mtls")).await;
    create_oci(&env, "half", spec("half")).await;
    wait_oci_ready(&env, "mtls", &format!("v1@{}", pushed.digest)).await;
    let obj = wait_oci_condition(&env, "half", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, AUTHENTICATION_FAILED_REASON);
    assert_eq!(
        message,
        format!(
            "failed to generate transport for '{url}': secret 'oci-mtls/half' must contain both \
             'tls.crt' and 'tls.key'"
        )
    );
}
