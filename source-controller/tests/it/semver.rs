//! A GitRepository on a semver range: the highest matching tag; no match fails the fetch.

use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semver_range_picks_highest_tag() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    tree.commit(&[("v.txt", "1.0\n")], "one").expect("commit");
    tree.tag("v1.0.0").expect("tag");
    let one_two = tree.commit(&[("v.txt", "1.2\n")], "two").expect("commit");
    tree.annotated_tag("v1.2.0", "release").expect("tag");
    tree.commit(&[("v.txt", "2.0\n")], "three").expect("commit");
    tree.tag("v2.0.0").expect("tag");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("semver").await;
    let url = git.url("org/app");
    env.create_repo(
        "app",
        json!({"url": url, "ref": {"semver": ">=1.0.0 <2.0.0"}}),
    )
    .await;
    env.create_repo("none", json!({"url": url, "ref": {"semver": ">=5.0.0"}}))
        .await;
    env.wait_ready("app", &format!("v1.2.0@sha1:{one_two}"))
        .await;

    let obj = env
        .wait_repo("none", "FetchFailed", |o| {
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
    assert!(
        message.ends_with("no match found for semver: >=5.0.0"),
        "{message}"
    );
}
