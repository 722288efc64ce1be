//! Git over SSH: identity and known_hosts from the secret, host key checked strictly.

use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitSshServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_identity_and_host_key() {
    let git = GitSshServer::start().expect("sshd");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(&[("a.yaml", "a: 1\n")], "over ssh")
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("ssh").await;
    let identity = git.user_key().private_pem.clone();
    env.create_secret(
        "ssh",
        &[("identity", &identity), ("known_hosts", &git.known_hosts())],
    )
    .await;
    // A known_hosts line pinning another key for the same host.
    let port = git.addr().port();
    let wrong_host = format!("[127.0.0.1]:{port} {}", git.user_key().public_line);
    env.create_secret(
        "wrong-host",
        &[("identity", &identity), ("known_hosts", &wrong_host)],
    )
    .await;
    let url = git.url("org/app");
    let spec = |secret: &str| json!({"url": url, "ref": {"branch": "main"}, "secretRef": {"name": secret}});
    env.create_repo("good", spec("ssh")).await;
    env.create_repo("spoofed", spec("wrong-host")).await;

    let obj = env.wait_ready("good", &format!("main@sha1:{head}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(files, [("a.yaml".to_string(), "a: 1\n".to_string())]);

    let obj = env
        .wait_repo("spoofed", "FetchFailed", |o| {
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
        message.contains("Host key verification failed"),
        "{message}"
    );
    assert!(
        !serde_json::to_string(&status)
            .expect("json")
            .contains("PRIVATE KEY")
    );
}
