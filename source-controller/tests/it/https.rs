//! Git over HTTPS with a custom CA and a bearer token from the secret.

use fluxion_api::source::conditions::FETCH_FAILED;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpOptions, GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_token_and_custom_ca() {
    let git = GitHttpServer::start_with(GitHttpOptions::default().bearer_token("tok-123").tls())
        .expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a: 1\n")], "tls").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    let ca = git.ca_pem().expect("ca").to_string();

    let env = Env::start("https").await;
    env.create_secret("token", &[("bearerToken", "tok-123"), ("ca.crt", &ca)])
        .await;
    env.create_secret("no-ca", &[("bearerToken", "tok-123")])
        .await;
    let url = git.url("org/app");
    assert!(url.starts_with("https://"), "{url}");
    let spec = |secret: &str| json!({"url": url, "ref": {"branch": "main"}, "secretRef": {"name": secret}});
    env.create_repo("app", spec("token")).await;
    env.create_repo("untrusted", spec("no-ca")).await;

    env.wait_ready("app", &format!("main@sha1:{head}")).await;
    let obj = env
        .wait_repo("untrusted", "FetchFailed", |o| {
            o.status
                .as_ref()
                .is_some_and(|s| cond::is_true(&s.conditions, FETCH_FAILED))
        })
        .await;
    let status = obj.status.expect("status");
    let message = cond::message(&status.conditions, FETCH_FAILED);
    assert!(message.contains("certificate"), "{message}");
    assert!(
        !serde_json::to_string(&status)
            .expect("json")
            .contains("tok-123")
    );
}
