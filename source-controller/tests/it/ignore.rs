//! Ignore rules: Flux's defaults, `.sourceignore` files (nested ones apply below their
//! directory), and `spec.ignore`; a change of `spec.ignore` rebuilds the artifact of the same
//! revision.

use fluxion_testkit::{GitHttpServer, WorkTree};
use kube::api::{Patch, PatchParams};
use serde_json::json;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_rules_shape_the_artifact() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(
            &[
                ("deploy/app.yaml", "app\n"),
                ("deploy/notes.txt", "notes\n"),
                ("docs/index.md", "docs\n"),
                (".sourceignore", "docs/\n"),
                (".gitlab-ci.yml", "ci\n"),
            ],
            "content",
        )
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("ignore").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}, "ignore": "*.txt\n"}),
    )
    .await;
    let revision = format!("main@sha1:{head}");
    let obj = env.wait_ready("app", &revision).await;
    let status = obj.status.expect("status");
    assert_eq!(status.observed_ignore.as_deref(), Some("*.txt\n"));
    let files = download(&status.artifact.expect("artifact")).await;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, [".sourceignore", "deploy/app.yaml"]);

    let patch = json!({"spec": {"ignore": "/docs/\n!*.txt\n"}});
    env.repos()
        .patch("app", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    let obj = env
        .wait_repo("app", "new ignore observed", |o| {
            o.status.as_ref().and_then(|s| s.observed_ignore.as_deref()) == Some("/docs/\n!*.txt\n")
        })
        .await;
    let status = obj.status.expect("status");
    assert_eq!(status.observed_generation, Some(2));
    let files = download(&status.artifact.expect("artifact")).await;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [".sourceignore", "deploy/app.yaml", "deploy/notes.txt"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_sourceignore_files_apply_below_their_directory() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/nested").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(
            &[
                (".sourceignore", "*.log\n"),
                ("apps/.sourceignore", "/local.yaml\n!keep.log\n"),
                ("apps/app.yaml", "app\n"),
                ("apps/local.yaml", "local\n"),
                ("apps/keep.log", "kept\n"),
                ("apps/web/local.yaml", "web\n"),
                ("apps/web/.sourceignore", "*.txt\n"),
                ("apps/web/notes.txt", "notes\n"),
                ("notes.txt", "top\n"),
                ("local.yaml", "top\n"),
                ("build.log", "log\n"),
            ],
            "nested ignores",
        )
        .expect("commit");
    tree.push(git.repo_path("org/nested")).expect("push");

    let env = Env::start("ignore-nested").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/nested"), "ref": {"branch": "main"}}),
    )
    .await;
    let obj = env.wait_ready("app", &format!("main@sha1:{head}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            ".sourceignore",
            "apps/.sourceignore",
            "apps/app.yaml",
            "apps/keep.log",
            "apps/web/.sourceignore",
            "apps/web/local.yaml",
            "local.yaml",
            "notes.txt",
        ]
    );
}
