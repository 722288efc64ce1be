//! Credentials: basic auth from a secret; a wrong password or a missing secret fails the fetch
//! with Flux's reasons, and no secret value ever shows in the status or events.

use fluxion_api::conditions::READY;
use fluxion_api::source::conditions::{
    AUTHENTICATION_FAILED_REASON, FETCH_FAILED, GIT_OPERATION_FAILED_REASON,
};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpOptions, GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::Env;

const PASSWORD: &str = "s3cr3t-pa55";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_auth_right_and_wrong() {
    let git = GitHttpServer::start_with(GitHttpOptions::default().basic_auth("git", PASSWORD))
        .expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a: 1\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("auth").await;
    env.create_secret("good", &[("username", "git"), ("password", PASSWORD)])
        .await;
    env.create_secret(
        "bad",
        &[("username", "git"), ("password", "wrong-Pa55word")],
    )
    .await;
    let url = git.url("org/app");
    env.create_repo(
        "good",
        json!({"url": url, "ref": {"branch": "main"}, "secretRef": {"name": "good"}}),
    )
    .await;
    env.create_repo(
        "bad",
        json!({"url": url, "ref": {"branch": "main"}, "secretRef": {"name": "bad"}}),
    )
    .await;
    env.create_repo(
        "nosecret",
        json!({"url": url, "ref": {"branch": "main"}, "secretRef": {"name": "absent"}}),
    )
    .await;

    env.wait_ready("good", &format!("main@sha1:{head}")).await;

    let failed = |o: &fluxion_api::source::GitRepository| {
        o.status
            .as_ref()
            .is_some_and(|s| cond::is_true(&s.conditions, FETCH_FAILED))
    };
    let bad = env
        .wait_repo("bad", "FetchFailed", failed)
        .await
        .status
        .expect("status");
    // Flux reports a refused clone as a failed git operation.
    assert_eq!(
        cond::reason(&bad.conditions, FETCH_FAILED),
        GIT_OPERATION_FAILED_REASON
    );
    assert_eq!(
        cond::reason(&bad.conditions, READY),
        GIT_OPERATION_FAILED_REASON
    );
    let message = cond::message(&bad.conditions, READY);
    assert!(message.ends_with("authentication required"), "{message}");

    let missing = env
        .wait_repo("nosecret", "FetchFailed", failed)
        .await
        .status
        .expect("status");
    assert_eq!(
        cond::reason(&missing.conditions, FETCH_FAILED),
        AUTHENTICATION_FAILED_REASON
    );
    let message = cond::message(&missing.conditions, READY);
    assert!(
        message.starts_with("failed to get secret 'auth/absent'"),
        "{message}"
    );

    // No secret value anywhere the user can read.
    let events = serde_json::to_string(&env.events().await).expect("json");
    let statuses = serde_json::to_string(&[bad, missing]).expect("json");
    for text in [events, statuses] {
        assert!(!text.contains("wrong-Pa55word") && !text.contains(PASSWORD));
    }
}
