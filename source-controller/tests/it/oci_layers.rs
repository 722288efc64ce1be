//! OCIRepository layerSelector: a plain image layer by media type, extracted with the root
//! .sourceignore and spec.ignore applied (recorded in observedIgnore and
//! observedLayerSelector), or copied as it is; a media type the artifact lacks fails with
//! OCIArtifactLayerOperationFailed.

use std::collections::BTreeMap;

use fluxion_api::source::conditions::{FETCH_FAILED, OCI_LAYER_OPERATION_FAILED_REASON};
use fluxion_testkit::Registry;
use fluxion_testkit::oci::{FLUX_CONFIG_MEDIA_TYPE, IMAGE_LAYER_MEDIA_TYPE, tar_gz};
use serde_json::json;

use crate::harness::{Env, download};
use crate::oci_harness::{condition, create_oci, download_raw, wait_oci_condition, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_extract_copy_and_missing() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let first = tar_gz(&[("first.txt", b"1")]).expect("tar");
    let second = tar_gz(&[
        (".sourceignore", b"*.txt\n"),
        ("app.yaml", b"a: 1\n"),
        ("note.txt", b"left out by .sourceignore"),
        ("README.md", b"docs"),
        ("sub/b.yaml", b"b: 2\n"),
    ])
    .expect("tar");
    let pushed = client
        .push_parts(
            "org/app",
            "v1",
            (FLUX_CONFIG_MEDIA_TYPE, b"{}"),
            &[
                ("application/vnd.example.first.v1+gzip", first),
                (IMAGE_LAYER_MEDIA_TYPE, second.clone()),
            ],
            &BTreeMap::new(),
        )
        .await
        .expect("push");
    let revision = format!("v1@{}", pushed.digest);

    let env = Env::start("oci-layers").await;
    let url = registry.oci_url("org/app");
    let selector = json!({"mediaType": IMAGE_LAYER_MEDIA_TYPE});
    create_oci(
        &env,
        "extract",
        json!({"url": url, "ref": {"tag": "v1"}, "layerSelector": selector, "ignore": "*.md\n"}),
    )
    .await;
    let copy = json!({"mediaType": IMAGE_LAYER_MEDIA_TYPE, "operation": "copy"});
    create_oci(
        &env,
        "copy",
        json!({"url": url, "ref": {"tag": "v1"}, "layerSelector": copy}),
    )
    .await;
    create_oci(&env, "first", json!({"url": url, "ref": {"tag": "v1"}})).await;
    let missing = json!({"mediaType": "application/vnd.none"});
    create_oci(
        &env,
        "missing",
        json!({"url": url, "ref": {"tag": "v1"}, "layerSelector": missing}),
    )
    .await;

    let obj = wait_oci_ready(&env, "extract", &revision).await;
    let status = obj.status.expect("status");
    assert_eq!(status.observed_ignore.as_deref(), Some("*.md\n"));
    assert_eq!(
        status
            .observed_layer_selector
            .and_then(|s| s.media_type)
            .as_deref(),
        Some(IMAGE_LAYER_MEDIA_TYPE)
    );
    let files = download(&status.artifact.expect("artifact")).await;
    assert_eq!(
        files,
        [
            (".sourceignore".to_string(), "*.txt\n".to_string()),
            ("app.yaml".to_string(), "a: 1\n".to_string()),
            ("sub/b.yaml".to_string(), "b: 2\n".to_string())
        ]
    );

    let obj = wait_oci_ready(&env, "copy", &revision).await;
    assert_eq!(
        download_raw(&obj).await,
        second,
        "copy keeps the layer's bytes"
    );

    let obj = wait_oci_ready(&env, "first", &revision).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("first.txt".to_string(), "1".to_string())]);

    let obj = wait_oci_condition(&env, "missing", FETCH_FAILED).await;
    let (reason, message) = condition(&obj, FETCH_FAILED);
    assert_eq!(reason, OCI_LAYER_OPERATION_FAILED_REASON);
    assert_eq!(
        message,
        "failed to find layer with media type 'application/vnd.none' in artifact"
    );
}
