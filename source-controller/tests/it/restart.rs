//! After a restart the controller reuses the stored artifact: no repackaging, same status.

use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, request_reconcile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_reuses_stored_artifacts() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a: 1\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let mut env = Env::start("restart").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;
    let obj = env.wait_ready("app", &format!("main@sha1:{head}")).await;
    let before = obj.status.expect("status");
    let file = env
        .storage_dir
        .path()
        .join(&before.artifact.as_ref().expect("artifact").path);
    let modified = std::fs::metadata(&file)
        .expect("file")
        .modified()
        .expect("mtime");

    env.restart_controller().await;
    request_reconcile(&env.repos(), "app", "after-restart").await;
    let obj = env
        .wait_repo("app", "request handled", |o| {
            o.status
                .as_ref()
                .and_then(|s| s.last_handled_reconcile_at.as_deref())
                == Some("after-restart")
        })
        .await;
    let after = obj.status.expect("status");
    assert_eq!(after.artifact, before.artifact);
    assert_eq!(after.conditions, before.conditions);
    let again = std::fs::metadata(&file)
        .expect("file")
        .modified()
        .expect("mtime");
    assert_eq!(again, modified, "the artifact was not rebuilt");
    let events = env.events().await;
    let announced: i32 = events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("NewArtifact"))
        .filter_map(|e| e.count)
        .sum();
    assert_eq!(announced, 1);
}
