//! A GitRepository pinned to a commit, alone (`sha1:<commit>`) or within a branch
//! (`<branch>@sha1:<commit>`); an unknown commit fails the fetch.

use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_refs() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let pinned = tree.commit(&[("v.txt", "old\n")], "old").expect("commit");
    tree.commit(&[("v.txt", "new\n")], "new").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("commit").await;
    let url = git.url("org/app");
    env.create_repo("bare", json!({"url": url, "ref": {"commit": pinned}}))
        .await;
    env.create_repo(
        "branch",
        json!({"url": url, "ref": {"branch": "main", "commit": pinned}}),
    )
    .await;
    let unknown = "0123456789abcdef0123456789abcdef01234567";
    env.create_repo("unknown", json!({"url": url, "ref": {"commit": unknown}}))
        .await;

    let obj = env.wait_ready("bare", &format!("sha1:{pinned}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("v.txt".to_string(), "old\n".to_string())]);
    env.wait_ready("branch", &format!("main@sha1:{pinned}"))
        .await;

    let obj = env
        .wait_repo("unknown", "FetchFailed", |o| {
            o.status
                .as_ref()
                .is_some_and(|s| cond::is_true(&s.conditions, FETCH_FAILED))
        })
        .await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::reason(&status.conditions, FETCH_FAILED),
        GIT_OPERATION_FAILED_REASON
    );
    let message = cond::message(&status.conditions, FETCH_FAILED);
    assert!(message.contains(unknown), "{message}");
}
