//! OCIRepository bad input: an invalid URL stalls (URLInvalid), a missing tag and an
//! unreachable host fail the pull (OCIArtifactPullFailed), a cloud provider without static
//! credentials and signature verification stall with a reason naming what Fluxion does not
//! do; the controller keeps serving the good objects beside them.

use fluxion_api::conditions::{READY, STALLED};
use fluxion_api::source::conditions::{
    FETCH_FAILED, OCI_PULL_FAILED_REASON, SOURCE_VERIFIED, URL_INVALID_REASON,
};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{FluxArtifact, Registry};
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{condition, create_oci, wait_oci, wait_oci_condition, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_fail_clearly() {
    let registry = Registry::start().expect("registry");
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
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_addr = closed.local_addr().expect("addr");
    drop(closed);

    let env = Env::start("oci-bad").await;
    let url = registry.oci_url("org/app");
    create_oci(&env, "good", json!({"url": url, "ref": {"tag": "v1"}})).await;
    create_oci(&env, "tagged-url", json!({"url": format!("{url}:v1")})).await;
    create_oci(
        &env,
        "missing-tag",
        json!({"url": url, "ref": {"tag": "v9"}}),
    )
    .await;
    let unreachable = format!("oci://{closed_addr}/org/app");
    create_oci(&env, "unreachable", json!({"url": unreachable})).await;
    create_oci(&env, "aws", json!({"url": url, "provider": "aws"})).await;
    // With static credentials a cloud provider needs no workload identity, as in Flux.
    let auths = json!({"auths": {registry.host(): {"username": "u", "password": "p"}}});
    env.create_secret("static", &[(".dockerconfigjson", &auths.to_string())])
        .await;
    let aws_static = json!({"url": url, "ref": {"tag": "v1"}, "provider": "aws", "secretRef": {"name": "static"}});
    create_oci(&env, "aws-static", aws_static).await;
    create_oci(
        &env,
        "cosign",
        json!({"url": url, "verify": {"provider": "cosign"}}),
    )
    .await;

    wait_oci_ready(&env, "good", &format!("v1@{}", pushed.digest)).await;
    wait_oci_ready(&env, "aws-static", &format!("v1@{}", pushed.digest)).await;

    let stalled = |name: &'static str| {
        wait_oci(&env, name, "Stalled", |o| {
            o.status
                .as_ref()
                .is_some_and(|s| cond::is_true(&s.conditions, STALLED))
        })
    };
    let obj = stalled("tagged-url").await;
    let (reason, message) = condition(&obj, STALLED);
    assert_eq!(reason, URL_INVALID_REASON);
    assert_eq!(
        message,
        format!("URL validation failed for '{url}:v1': URL must not contain a tag; remove ':v1'")
    );
    assert_eq!(condition(&obj, READY).0, URL_INVALID_REASON);

    let obj = wait_oci_condition(&env, "missing-tag", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, OCI_PULL_FAILED_REASON);
    assert!(message.contains("MANIFEST_UNKNOWN"), "{message}");

    let obj = wait_oci_condition(&env, "unreachable", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, OCI_PULL_FAILED_REASON);
    assert!(
        message.starts_with(&format!(
            "failed to determine artifact digest: GET https://{closed_addr}/v2/"
        )),
        "{message}"
    );

    let obj = stalled("aws").await;
    assert_eq!(condition(&obj, STALLED).0, "ProviderNotSupported");
    assert!(
        condition(&obj, READY)
            .1
            .contains("provider 'aws' is not supported")
    );
    let obj = stalled("cosign").await;
    assert_eq!(condition(&obj, STALLED).0, "VerificationNotSupported");
    let status = obj.status.expect("status");
    assert!(cond::is_false(&status.conditions, SOURCE_VERIFIED));
    assert!(status.artifact.is_none(), "nothing stored unverified");
}
