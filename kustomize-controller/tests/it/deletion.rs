//! Deleting a Kustomization: deletionPolicy Delete removes what it applied, Orphan keeps it,
//! and MirrorPrune follows spec.prune.

use kube::api::DeleteParams;
use serde_json::json;

use crate::harness::{Env, config_map};

async fn delete_and_wait_gone(env: &Env, name: &str) {
    env.kustomizations()
        .delete(name, &DeleteParams::default())
        .await
        .expect("delete");
    fluxion_testkit::wait_for(
        crate::harness::WAIT,
        std::time::Duration::from_millis(100),
        || async {
            env.kustomizations()
                .get_opt(name)
                .await
                .expect("get")
                .is_none()
                .then_some(())
        },
    )
    .await
    .expect("Kustomization gone (finalizer removed)");
}

#[tokio::test]
async fn deletion_policies() {
    let env = Env::start("deletion").await;
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("del/cm.yaml", &config_map("deleted", &[("k", "v")])),
            ("orphan/cm.yaml", &config_map("orphaned", &[("k", "v")])),
            ("mirror/cm.yaml", &config_map("mirrored", &[("k", "v")])),
        ],
    )
    .await;
    env.create_ks(
        "del",
        "repo",
        json!({"path": "del", "prune": false, "deletionPolicy": "Delete"}),
    )
    .await;
    env.create_ks(
        "orphan",
        "repo",
        json!({"path": "orphan", "deletionPolicy": "Orphan"}),
    )
    .await;
    env.create_ks("mirror", "repo", json!({"path": "mirror", "prune": false}))
        .await;
    for name in ["del", "orphan", "mirror"] {
        env.wait_applied(name, "main@sha1:1").await;
    }
    for name in ["del", "orphan", "mirror"] {
        delete_and_wait_gone(&env, name).await;
    }
    env.wait_config_map("deleted", "deleted with its Kustomization", |cm| {
        cm.is_none()
    })
    .await;
    assert!(
        env.config_maps()
            .get_opt("orphaned")
            .await
            .expect("get")
            .is_some()
    );
    assert!(
        env.config_maps()
            .get_opt("mirrored")
            .await
            .expect("get")
            .is_some()
    );
}
