//! Remotes that refuse or never answer: FetchFailed with GitOperationFailed, the timeout
//! honoured, and other objects served meanwhile.

use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::Env;

fn fetch_failed(o: &fluxion_api::source::GitRepository) -> bool {
    o.status
        .as_ref()
        .is_some_and(|s| cond::is_true(&s.conditions, FETCH_FAILED))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_silent_remotes() {
    // A port with nothing listening, and one that accepts and then says nothing.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("addr").port();
    drop(closed);
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let silent_port = silent.local_addr().expect("addr").port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("unreachable").await;
    let refused = format!("http://127.0.0.1:{closed_port}/org/app.git");
    let hanging = format!("http://127.0.0.1:{silent_port}/org/app.git");
    env.create_repo(
        "refused",
        json!({"url": refused, "ref": {"branch": "main"}}),
    )
    .await;
    env.create_repo(
        "silent",
        json!({"url": hanging, "ref": {"branch": "main"}, "timeout": "2s"}),
    )
    .await;
    env.create_repo(
        "fine",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;

    env.wait_ready("fine", &format!("main@sha1:{head}")).await;
    let obj = env.wait_repo("refused", "FetchFailed", fetch_failed).await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::reason(&status.conditions, FETCH_FAILED),
        GIT_OPERATION_FAILED_REASON
    );
    let message = cond::message(&status.conditions, FETCH_FAILED);
    assert!(message.contains(&refused), "{message}");

    let started = std::time::Instant::now();
    let obj = env.wait_repo("silent", "FetchFailed", fetch_failed).await;
    let message = cond::message(&obj.status.expect("status").conditions, FETCH_FAILED).to_string();
    assert!(message.contains("timeout"), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    hold.abort();
}
