//! A GitRepository on a tag: revision `<tag>@sha1:<commit>`; a missing tag fails the fetch.

use fluxion_api::conditions::READY;
use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_ref_and_missing_tag() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let tagged = tree
        .commit(&[("v.txt", "one\n")], "release")
        .expect("commit");
    tree.annotated_tag("v1.0.0", "release 1").expect("tag");
    tree.commit(&[("v.txt", "two\n")], "later").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("tag").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"tag": "v1.0.0"}}),
    )
    .await;
    let obj = env
        .wait_ready("app", &format!("v1.0.0@sha1:{tagged}"))
        .await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("v.txt".to_string(), "one\n".to_string())]);

    env.create_repo(
        "missing",
        json!({"url": git.url("org/app"), "ref": {"tag": "v9.9.9"}}),
    )
    .await;
    let obj = env
        .wait_repo("missing", "FetchFailed", |o| {
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
    assert!(cond::is_false(&status.conditions, READY));
    let message = cond::message(&status.conditions, READY);
    assert!(
        message.starts_with("failed to checkout and determine revision: unable to clone"),
        "{message}"
    );
    assert!(message.contains("v9.9.9"), "{message}");
    assert!(status.artifact.is_none());
}
