//! After a restart the OCIRepository controller reuses the stored artifact: no pull, no
//! repackaging, the same status; and a stored file that lost its digest is noticed, removed
//! and rebuilt to the same digest, with no second NewArtifact event.

use fluxion_testkit::{FluxArtifact, Registry};
use serde_json::json;

use crate::harness::Env;
use crate::oci_harness::{create_oci, request_reconcile_oci, wait_oci, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_reuses_and_corruption_rebuilds() {
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
    let revision = format!("v1@{}", pushed.digest);

    let mut env = Env::start("oci-restart").await;
    create_oci(
        &env,
        "app",
        json!({"url": registry.oci_url("org/app"), "ref": {"tag": "v1"}}),
    )
    .await;
    let before = wait_oci_ready(&env, "app", &revision)
        .await
        .status
        .expect("status");
    let artifact = before.artifact.clone().expect("artifact");
    let file = env.storage_dir.path().join(&artifact.path);
    let modified = std::fs::metadata(&file)
        .expect("file")
        .modified()
        .expect("mtime");

    env.restart_controller().await;
    request_reconcile_oci(&env, "app", "after-restart").await;
    let handled = |value: &'static str| {
        move |o: &fluxion_api::source::OCIRepository| {
            o.status
                .as_ref()
                .and_then(|s| s.last_handled_reconcile_at.as_deref())
                == Some(value)
        }
    };
    let after = wait_oci(&env, "app", "request handled", handled("after-restart"))
        .await
        .status
        .expect("status");
    assert_eq!(after.artifact, before.artifact);
    assert_eq!(after.conditions, before.conditions);
    let again = std::fs::metadata(&file)
        .expect("file")
        .modified()
        .expect("mtime");
    assert_eq!(again, modified, "the artifact was not rebuilt");

    std::fs::write(&file, b"tampered").expect("tamper");
    request_reconcile_oci(&env, "app", "after-tamper").await;
    let obj = wait_oci(&env, "app", "request handled", handled("after-tamper")).await;
    let rebuilt = obj.status.and_then(|s| s.artifact).expect("artifact");
    assert_eq!(rebuilt.revision, revision);
    assert_eq!(rebuilt.digest, artifact.digest, "reproducible archive");
    assert_ne!(std::fs::read(&file).expect("file"), b"tampered");
    let events = env.events().await;
    let count = |reason: &str| -> i32 {
        events
            .iter()
            .filter(|e| e.reason.as_deref() == Some(reason))
            .map(|e| e.count.unwrap_or(1))
            .sum()
    };
    assert_eq!(count("ArtifactVerificationFailed"), 1);
    // As Flux: the rebuilt artifact has the digest of the one before, so it is not new.
    assert_eq!(count("NewArtifact"), 1, "{events:#?}");
}
