//! OCIRepository spec.proxySecretRef: registry requests go through the proxy the secret names.

use fluxion_testkit::{FluxArtifact, HttpProxy, Registry, RegistryOptions};
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{create_oci, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_through_proxy() {
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
    let proxy = HttpProxy::start_with_auth("pu", "pp").expect("proxy");

    let env = Env::start("oci-proxy").await;
    env.create_secret("ca", &[("ca.crt", registry.ca_pem().expect("ca"))])
        .await;
    env.create_secret(
        "proxy",
        &[
            ("address", &proxy.url()),
            ("username", "pu"),
            ("password", "pp"),
        ],
    )
    .await;
    let spec = json!({
        "url": registry.oci_url("org/app"), "ref": {"tag": "v1"},
        "certSecretRef": {"name": "ca"}, "proxySecretRef": {"name": "proxy"},
    });
    create_oci(&env, "app", spec).await;
    wait_oci_ready(&env, "app", &format!("v1@{}", pushed.digest)).await;
    let targets = proxy.targets();
    let port = registry.addr().port().to_string();
    assert!(targets.iter().any(|t| t.contains(&port)), "{targets:?}");
}
