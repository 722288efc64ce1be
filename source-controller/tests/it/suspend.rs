//! A suspended GitRepository is left alone: no checkout, no status, no finalizer.

use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspended_objects_are_not_reconciled() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("suspend").await;
    let url = git.url("org/app");
    env.create_repo("held", json!({"url": url, "suspend": true}))
        .await;
    env.create_repo("live", json!({"url": url, "ref": {"branch": "main"}}))
        .await;
    // Once the live object is done, the suspended one has had every chance to run.
    env.wait_ready("live", &format!("main@sha1:{head}")).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let held = env.repos().get("held").await.expect("get");
    // The CRD's defaults (observedGeneration -1) are all the status there is.
    let status = held.status.unwrap_or_default();
    assert!(
        status.conditions.is_empty() && status.artifact.is_none(),
        "{status:?}"
    );
    assert!(held.metadata.finalizers.is_none());
    assert!(
        git.requests()
            .iter()
            .all(|r| !format!("{r:?}").contains("held"))
    );
}
