//! OCIRepository by digest (revision `sha256:<hex>`, digest wins over semver and tag), and a
//! tag naming an index: the linux/amd64 image is pulled, the revision keeps the index digest.

use fluxion_testkit::{FluxArtifact, Registry};
use serde_json::json;

use crate::harness::{Env, download};
use crate::oci_harness::{create_oci, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_ref_and_index() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let old = client
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("v.txt", "old")]),
        )
        .await
        .expect("push");
    client
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("v.txt", "new")]),
        )
        .await
        .expect("push");
    let arm = client
        .push_image("org/multi", "arm", &[("arch.txt", "arm64")])
        .await
        .expect("push arm");
    let amd = client
        .push_image("org/multi", "amd", &[("arch.txt", "amd64")])
        .await
        .expect("push amd");
    let index = client
        .push_index(
            "org/multi",
            "v1",
            &[(&arm, "linux", "arm64"), (&amd, "linux", "amd64")],
        )
        .await
        .expect("push index");

    let env = Env::start("oci-digest").await;
    create_oci(
        &env,
        "pinned",
        json!({"url": registry.oci_url("org/app"), "ref": {"digest": old.digest, "tag": "v1", "semver": "*"}}),
    )
    .await;
    create_oci(
        &env,
        "multi",
        json!({"url": registry.oci_url("org/multi"), "ref": {"tag": "v1"}}),
    )
    .await;

    let obj = wait_oci_ready(&env, "pinned", &old.digest).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("v.txt".to_string(), "old".to_string())]);
    let obj = wait_oci_ready(&env, "multi", &format!("v1@{index}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("arch.txt".to_string(), "amd64".to_string())]);
}
