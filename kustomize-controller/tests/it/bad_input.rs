//! Bad input: each gives Ready=False with Flux's reason and a message naming the problem,
//! nothing partly applied is reported as success, and other Kustomizations keep working.

use fluxion_api::conditions::{BUILD_FAILED_REASON, RECONCILIATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use serde_json::json;

use crate::harness::{Env, config_map};

fn ready_message(ks: &fluxion_api::kustomize::Kustomization) -> String {
    cond::message(&ks.status.as_ref().expect("status").conditions, "Ready").to_string()
}

#[tokio::test]
async fn each_bad_input_fails_alone() {
    let env = Env::start("bad-input").await;
    let unknown = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";
    env.publish(
        "repo",
        "main@sha1:1",
        &[
            ("good/cm.yaml", &config_map("good", &[("k", "v")])),
            (
                "yaml/broken.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n",
            ),
            ("build/kustomization.yaml", "resources:\n- nowhere.yaml\n"),
            ("nocrd/cm.yaml", &config_map("beside-widget", &[("k", "v")])),
            ("nocrd/widget.yaml", unknown),
            (
                "invalid/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\n",
            ),
        ],
    )
    .await;
    env.create_ks("good", "repo", json!({"path": "good"})).await;
    env.create_ks("yaml", "repo", json!({"path": "yaml"})).await;
    env.create_ks("build", "repo", json!({"path": "build"}))
        .await;
    env.create_ks("nocrd", "repo", json!({"path": "nocrd"}))
        .await;
    env.create_ks("invalid", "repo", json!({"path": "invalid"}))
        .await;
    env.create_ks("nopath", "repo", json!({"path": "does/not/exist"}))
        .await;

    env.wait_applied("good", "main@sha1:1").await;
    let ks = env.wait_failed("yaml", BUILD_FAILED_REASON).await;
    assert!(
        ready_message(&ks).contains("broken.yaml"),
        "{}",
        ready_message(&ks)
    );
    let ks = env.wait_failed("build", BUILD_FAILED_REASON).await;
    assert!(
        ready_message(&ks).contains("nowhere.yaml"),
        "{}",
        ready_message(&ks)
    );
    let ks = env.wait_failed("nocrd", RECONCILIATION_FAILED_REASON).await;
    let message = ready_message(&ks);
    assert!(
        message.contains("Widget") && message.contains("no matches for kind"),
        "{message}"
    );
    // Nothing of the failed Kustomization was applied.
    assert!(
        env.config_maps()
            .get_opt("beside-widget")
            .await
            .expect("get")
            .is_none()
    );
    let ks = env
        .wait_failed("invalid", RECONCILIATION_FAILED_REASON)
        .await;
    assert!(
        ready_message(&ks).contains("Not_A_Valid_Name"),
        "{}",
        ready_message(&ks)
    );
    let ks = env.wait_failed("nopath", "ArtifactFailed").await;
    assert!(
        ready_message(&ks).starts_with("kustomization path not found"),
        "{}",
        ready_message(&ks)
    );
    for name in ["yaml", "build", "nocrd", "invalid"] {
        let ks = env.kustomizations().get(name).await.expect("get");
        let status = ks.status.expect("status");
        assert_eq!(
            status.last_applied_revision, None,
            "{name} reported as applied"
        );
    }
}

#[tokio::test]
async fn strict_substitution_names_the_variable() {
    let env = Env::start_with(
        "bad-strict",
        Default::default(),
        &["--feature-gates=StrictPostBuildSubstitutions=true"],
    )
    .await;
    let strict = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  v: ${missing}\n";
    env.publish("repo", "main@sha1:1", &[("cm.yaml", strict)])
        .await;
    env.create_ks(
        "app",
        "repo",
        json!({"postBuild": {"substitute": {"other": "x"}}}),
    )
    .await;
    let ks = env.wait_failed("app", BUILD_FAILED_REASON).await;
    let message = ready_message(&ks);
    assert!(
        message.starts_with("post build failed for 's'"),
        "{message}"
    );
    assert!(message.contains("missing"), "{message}");
}

#[tokio::test]
async fn corrupt_artifacts_are_refused() {
    let env = Env::start("bad-artifact").await;
    // The served file does not match the digest the source reports.
    let mut served = env
        .artifacts
        .put_files(
            "gitrepository/bad-artifact/repo/1.tar.gz",
            &[("cm.yaml", &config_map("a", &[("k", "v")]))],
        )
        .expect("artifact");
    served.digest = format!("sha256:{}", "0".repeat(64));
    env.set_artifact("repo", "main@sha1:1", &served).await;
    env.create_ks("app", "repo", json!({})).await;
    let ks = env.wait_failed("app", "ArtifactFailed").await;
    let message = ready_message(&ks);
    assert!(
        message.contains("digest") || message.contains("checksum"),
        "{message}"
    );

    // Not a gzip stream at all.
    let junk = env.artifacts.put(
        "gitrepository/bad-artifact/junk/1.tar.gz",
        b"not a tarball".to_vec(),
    );
    env.set_artifact("junk", "main@sha1:1", &junk).await;
    env.create_ks("junk", "junk", json!({})).await;
    let ks = env.wait_failed("junk", "ArtifactFailed").await;
    assert!(!ready_message(&ks).is_empty());
    assert!(env.config_maps().get_opt("a").await.expect("get").is_none());
}
