//! OCIRepository semver selection: the highest tag in the range, among those matching
//! semverFilter; no match fails with Flux's ReadOperationFailed.

use fluxion_api::source::conditions::{FETCH_FAILED, READ_OPERATION_FAILED_REASON};
use fluxion_testkit::{FluxArtifact, Registry};
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{condition, create_oci, wait_oci_condition, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semver_filter_and_no_match() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let mut digests = std::collections::BTreeMap::new();
    for tag in [
        "1.0.0",
        "1.1.0",
        "v1.2.0",
        "2.0.0",
        "1.3.0-rc.1",
        "1.1.1-dev",
        "latest",
    ] {
        let artifact = FluxArtifact::from_files(&[("tag.txt", tag)]);
        let pushed = client
            .push_artifact("org/app", tag, &artifact)
            .await
            .expect("push");
        digests.insert(tag, pushed.digest);
    }

    let env = Env::start("oci-semver").await;
    let url = registry.oci_url("org/app");
    create_oci(
        &env,
        "range",
        json!({"url": url, "ref": {"semver": ">=1.0.0 <2.0.0"}}),
    )
    .await;
    create_oci(
        &env,
        "filtered",
        json!({"url": url, "ref": {"semver": ">=1.1.1-0", "semverFilter": ".*-dev$"}}),
    )
    .await;
    // Semver wins over a tag.
    create_oci(
        &env,
        "precedence",
        json!({"url": url, "ref": {"semver": "1.0.x", "tag": "2.0.0"}}),
    )
    .await;
    create_oci(
        &env,
        "none",
        json!({"url": url, "ref": {"semver": ">=5.0.0"}}),
    )
    .await;

    wait_oci_ready(&env, "range", &format!("v1.2.0@{}", digests["v1.2.0"])).await;
    wait_oci_ready(
        &env,
        "filtered",
        &format!("1.1.1-dev@{}", digests["1.1.1-dev"]),
    )
    .await;
    wait_oci_ready(&env, "precedence", &format!("1.0.0@{}", digests["1.0.0"])).await;
    let obj = wait_oci_condition(&env, "none", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, READ_OPERATION_FAILED_REASON);
    assert_eq!(
        message,
        format!(
            "failed to determine the artifact tag for '{url}': no match found for semver: >=5.0.0"
        )
    );
    assert!(obj.status.expect("status").artifact.is_none());
}
