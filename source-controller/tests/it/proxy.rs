//! spec.proxySecretRef: git goes through the HTTP proxy named by the secret.

use fluxion_testkit::{GitHttpServer, HttpProxy, WorkTree};
use serde_json::json;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clone_through_proxy() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree.commit(&[("a.yaml", "a\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    let proxy = HttpProxy::start_with_auth("pu", "pp").expect("proxy");

    let env = Env::start("proxy").await;
    env.create_secret(
        "proxy",
        &[
            ("address", &proxy.url()),
            ("username", "pu"),
            ("password", "pp"),
        ],
    )
    .await;
    let spec = json!({"url": git.url("org/app"), "ref": {"branch": "main"}, "proxySecretRef": {"name": "proxy"}});
    env.create_repo("app", spec).await;
    env.wait_ready("app", &format!("main@sha1:{head}")).await;
    let targets = proxy.targets();
    assert!(
        targets
            .iter()
            .any(|t| t.contains(&git.addr().port().to_string())),
        "{targets:?}"
    );
}
