//! A stored artifact whose file no longer matches its digest is removed, reported, and rebuilt.

use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download, request_reconcile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_artifact_is_rebuilt() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a: 1\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("integrity").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;
    env.wait_ready("app", &format!("main@sha1:{head}")).await;
    let obj = env.repos().get("app").await.expect("get");
    let artifact = obj.status.expect("status").artifact.expect("artifact");
    let file = env.storage_dir.path().join(&artifact.path);
    std::fs::write(&file, "tampered").expect("tamper");

    request_reconcile(&env.repos(), "app", "verify").await;
    let obj = env
        .wait_repo("app", "request handled", |o| {
            o.status
                .as_ref()
                .and_then(|s| s.last_handled_reconcile_at.as_deref())
                == Some("verify")
        })
        .await;
    let rebuilt = obj.status.expect("status").artifact.expect("artifact");
    assert_eq!(rebuilt.digest, artifact.digest, "same content, same digest");
    let files = download(&rebuilt).await;
    assert_eq!(files, [("a.yaml".to_string(), "a: 1\n".to_string())]);
    let events = env.events().await;
    assert!(
        events
            .iter()
            .any(|e| e.reason.as_deref() == Some("ArtifactVerificationFailed")),
        "{events:?}"
    );
}
