//! Deleting a GitRepository removes its artifacts from storage, then its finalizer.

use fluxion_testkit::{GitHttpServer, WorkTree, wait_for};
use kube::api::DeleteParams;
use serde_json::json;

use crate::harness::{Env, WAIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_removes_storage() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a: 1\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("deletion").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;
    let obj = env.wait_ready("app", &format!("main@sha1:{head}")).await;
    assert_eq!(
        obj.metadata.finalizers.as_deref(),
        Some(&["finalizers.fluxcd.io".to_string()][..])
    );
    let dir = env.storage_dir.path().join("gitrepository/deletion/app");
    assert!(dir.is_dir());

    env.repos()
        .delete("app", &DeleteParams::default())
        .await
        .expect("delete");
    let repos = env.repos();
    let gone = wait_for(WAIT, std::time::Duration::from_millis(100), || {
        let repos = repos.clone();
        async move {
            repos
                .get_opt("app")
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
