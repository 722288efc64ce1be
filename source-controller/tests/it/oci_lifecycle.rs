//! OCIRepository lifecycle: suspend stops runs (a moved tag is not pulled), resuming picks it
//! up, and deletion removes the object's artifacts and then its finalizer.

use fluxion_testkit::{FluxArtifact, Registry, wait_for};
use kube::api::{DeleteParams, Patch, PatchParams};
use serde_json::json;

use crate::harness::{Env, WAIT};
use crate::oci_harness::{create_oci, ocis, request_reconcile_oci, wait_oci_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_resume_and_delete() {
    let registry = Registry::start().expect("registry");
    let client = registry.client().expect("client");
    let v1 = client
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("a.txt", "1")]),
        )
        .await
        .expect("push");

    let env = Env::start("oci-life").await;
    create_oci(
        &env,
        "app",
        json!({"url": registry.oci_url("org/app"), "ref": {"tag": "v1"}}),
    )
    .await;
    let obj = wait_oci_ready(&env, "app", &format!("v1@{}", v1.digest)).await;
    assert_eq!(
        obj.metadata.finalizers.as_deref(),
        Some(&["finalizers.fluxcd.io".to_string()][..])
    );

    let api = ocis(&env);
    let suspend = |value: bool| json!({"spec": {"suspend": value}});
    api.patch(
        "app",
        &PatchParams::default(),
        &Patch::Merge(&suspend(true)),
    )
    .await
    .expect("suspend");
    let v2 = client
        .push_artifact(
            "org/app",
            "v1",
            &FluxArtifact::from_files(&[("a.txt", "2")]),
        )
        .await
        .expect("push");
    request_reconcile_oci(&env, "app", "while-suspended").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let obj = api.get("app").await.expect("get");
    let status = obj.status.expect("status");
    assert_eq!(
        status.artifact.map(|a| a.revision),
        Some(format!("v1@{}", v1.digest))
    );
    assert_ne!(
        status.last_handled_reconcile_at.as_deref(),
        Some("while-suspended")
    );

    api.patch(
        "app",
        &PatchParams::default(),
        &Patch::Merge(&suspend(false)),
    )
    .await
    .expect("resume");
    wait_oci_ready(&env, "app", &format!("v1@{}", v2.digest)).await;
    let dir = env.storage_dir.path().join("ocirepository/oci-life/app");
    assert!(dir.is_dir());

    api.delete("app", &DeleteParams::default())
        .await
        .expect("delete");
    let gone = wait_for(WAIT, std::time::Duration::from_millis(100), || {
        let api = api.clone();
        async move {
            api.get_opt("app")
                .await
                .ok()
                .flatten()
                .is_none()
                .then_some(())
        }
    })
    .await;
    assert!(gone.is_some(), "object not deleted");
    assert!(!dir.exists(), "artifacts left in storage");
}
