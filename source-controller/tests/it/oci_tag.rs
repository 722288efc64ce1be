//! An OCIRepository on a tag (and on the default `latest`): revision `<tag>@sha256:<digest>`,
//! the manifest's annotations in artifact.metadata, a NewArtifact event, Flux's metrics, no
//! re-pull while the digest is unchanged, a new artifact when the tag moves, and
//! ArtifactOutdated beside a failed pull of a newer revision.

use std::collections::BTreeMap;

use fluxion_api::source::conditions::{
    ARTIFACT_IN_STORAGE, ARTIFACT_OUTDATED, FETCH_FAILED, OCI_LAYER_OPERATION_FAILED_REASON,
};
use fluxion_testkit::oci::FLUX_CONFIG_MEDIA_TYPE;
use fluxion_testkit::{FluxArtifact, Registry};
use serde_json::json;

use crate::harness::{Env, download};
use crate::oci_harness::{
    condition, create_oci, request_reconcile_oci, wait_oci_condition, wait_oci_ready,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_metadata_events_and_no_repull() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let mut artifact = FluxArtifact::from_files(&[("deploy/app.yaml", "kind: A\n")]);
    artifact.annotations.insert("custom".into(), "yes".into());
    // A fixed creation time, so both pushes below make the same manifest.
    artifact.created = "2024-01-01T00:00:00Z".into();
    let v1 = client
        .push_artifact("org/app", "v1", &artifact)
        .await
        .expect("push v1");
    client
        .push_artifact("org/app", "latest", &artifact)
        .await
        .expect("push latest");

    let env = Env::start("oci-tag").await;
    let url = registry.oci_url("org/app");
    create_oci(&env, "app", json!({"url": url, "ref": {"tag": "v1"}})).await;
    create_oci(&env, "default", json!({"url": url})).await;
    let revision = format!("v1@{}", v1.digest);
    let obj = wait_oci_ready(&env, "app", &revision).await;
    wait_oci_ready(&env, "default", &format!("latest@{}", v1.digest)).await;

    let status = obj.status.clone().expect("status");
    let stored = status.artifact.clone().expect("artifact");
    let hex = v1.digest.trim_start_matches("sha256:");
    assert_eq!(
        stored.path,
        format!("ocirepository/oci-tag/app/sha256:{hex}.tar.gz")
    );
    let metadata = stored.metadata.clone().expect("metadata");
    assert_eq!(metadata.get("custom").map(String::as_str), Some("yes"));
    assert_eq!(
        metadata.get("org.opencontainers.image.revision"),
        Some(&artifact.revision)
    );
    let latest = status.url.clone().expect("status.url");
    assert!(
        latest.ends_with("/ocirepository/oci-tag/app/latest.tar.gz"),
        "{latest}"
    );
    let served = reqwest::get(&latest)
        .await
        .expect("GET latest")
        .bytes()
        .await
        .expect("body");
    assert_eq!(served.len() as i64, stored.size.expect("size"));
    let metrics = env.metrics_text();
    let object = r#"kind="OCIRepository",name="app",namespace="oci-tag""#;
    let duration = format!("gotk_reconcile_duration_seconds_count{{{object}}}");
    assert!(metrics.contains(&duration), "{metrics}");
    let ready = format!(r#"gotk_reconcile_condition{{{object},type="Ready",status="True"}} 1"#);
    assert!(metrics.contains(&ready), "{metrics}");
    let (_, message) = condition(&obj, ARTIFACT_IN_STORAGE);
    assert_eq!(message, format!("stored artifact for digest '{revision}'"));
    let files = download(&stored).await;
    assert_eq!(
        files,
        [("deploy/app.yaml".to_string(), "kind: A\n".to_string())]
    );
    let events = env.events().await;
    let new_artifact = events
        .iter()
        .find(|e| {
            e.reason.as_deref() == Some("NewArtifact")
                && e.message.as_deref().is_some_and(|m| m.contains("'v1@"))
        })
        .expect("NewArtifact event");
    assert_eq!(
        new_artifact.message.as_deref(),
        Some(
            format!(
                "stored artifact with revision '{revision}' from '{url}', origin source '{}', origin revision '{}'",
                artifact.source, artifact.revision
            )
            .as_str()
        )
    );

    // Unchanged digest: the run is handled, the stored file is not rewritten.
    let file = env.storage_dir.path().join(&stored.path);
    let inode = file_id(&file);
    request_reconcile_oci(&env, "app", "again").await;
    let obj = crate::oci_harness::wait_oci(&env, "app", "request handled", |o| {
        o.status
            .as_ref()
            .is_some_and(|s| s.last_handled_reconcile_at.as_deref() == Some("again"))
    })
    .await;
    assert_eq!(obj.status.and_then(|s| s.artifact), Some(stored.clone()));
    assert_eq!(file_id(&file), inode, "artifact rewritten without a change");

    // The tag moves: a new artifact, an event, the old file collected later.
    let next = FluxArtifact::from_files(&[("deploy/app.yaml", "kind: B\n")]);
    let v2 = client
        .push_artifact("org/app", "v1", &next)
        .await
        .expect("push");
    request_reconcile_oci(&env, "app", "moved").await;
    let obj = wait_oci_ready(&env, "app", &format!("v1@{}", v2.digest)).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(
        files,
        [("deploy/app.yaml".to_string(), "kind: B\n".to_string())]
    );
    let events = env.events().await;
    assert!(
        events
            .iter()
            .any(|e| e.reason.as_deref() == Some("NewArtifact")
                && e.message.as_deref().is_some_and(|m| m.contains(&v2.digest))),
        "no event for the new digest: {events:#?}"
    );

    // The tag moves to an artifact without layers: the new revision is recorded as
    // ArtifactOutdated beside the failure, and the stored artifact stays.
    let empty = client
        .push_parts(
            "org/app",
            "v1",
            (FLUX_CONFIG_MEDIA_TYPE, b"{}"),
            &[],
            &BTreeMap::new(),
        )
        .await
        .expect("push");
    request_reconcile_oci(&env, "app", "empty").await;
    let obj = wait_oci_condition(&env, "app", ARTIFACT_OUTDATED).await;
    let new_revision = format!("v1@{}", empty.digest);
    let reference = format!("{}/org/app:v1", registry.host());
    assert_eq!(
        condition(&obj, ARTIFACT_OUTDATED),
        (
            "NewRevision".to_string(),
            format!("new revision '{new_revision}' for '{reference}'")
        )
    );
    assert_eq!(
        condition(&obj, FETCH_FAILED),
        (
            OCI_LAYER_OPERATION_FAILED_REASON.to_string(),
            "no layers found in artifact".to_string()
        )
    );
    let kept = obj.status.and_then(|s| s.artifact).map(|a| a.revision);
    assert_eq!(kept, Some(format!("v1@{}", v2.digest)));
}

fn file_id(path: &std::path::Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).expect("artifact file");
    (meta.ino(), meta.modified().expect("mtime"))
}
