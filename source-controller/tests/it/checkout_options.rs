//! recurseSubmodules and sparseCheckout shape what the artifact holds, and are recorded as
//! observed inputs.

use fluxion_api::source::conditions::{FETCH_FAILED, GIT_OPERATION_FAILED_REASON};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download};

fn names(files: &[(String, String)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submodules_and_sparse_checkout() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/lib").expect("repo");
    let lib = WorkTree::new().expect("worktree");
    lib.commit(&[("lib.yaml", "lib\n")], "lib").expect("commit");
    lib.push(git.repo_path("org/lib")).expect("push");

    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    tree.commit(
        &[
            ("deploy/app.yaml", "app\n"),
            ("docs/a.md", "docs\n"),
            ("root.yaml", "r\n"),
        ],
        "app",
    )
    .expect("commit");
    tree.add_submodule(&git.url("org/lib"), "vendor/lib")
        .expect("submodule");
    let head = tree.commit(&[], "with submodule").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("options").await;
    let url = git.url("org/app");
    env.create_repo(
        "subs",
        json!({"url": url, "ref": {"branch": "main"}, "recurseSubmodules": true}),
    )
    .await;
    env.create_repo(
        "sparse",
        json!({"url": url, "ref": {"branch": "main"}, "sparseCheckout": ["deploy"]}),
    )
    .await;
    env.create_repo(
        "missing",
        json!({"url": url, "ref": {"branch": "main"}, "sparseCheckout": ["nope"]}),
    )
    .await;
    let revision = format!("main@sha1:{head}");

    let obj = env.wait_ready("subs", &revision).await;
    let status = obj.status.expect("status");
    assert!(status.observed_recurse_submodules);
    let files = download(&status.artifact.expect("artifact")).await;
    assert!(names(&files).contains(&"vendor/lib/lib.yaml"), "{files:?}");

    let obj = env.wait_ready("sparse", &revision).await;
    let status = obj.status.expect("status");
    assert_eq!(status.observed_sparse_checkout, ["deploy"]);
    let files = download(&status.artifact.expect("artifact")).await;
    assert_eq!(names(&files), ["deploy/app.yaml"]);

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
    assert!(cond::message(&status.conditions, FETCH_FAILED).contains("'nope'"));
}
