//! A GitRepository on a branch: Ready with the revision, an artifact served with the repository's
//! files and the right digest, an event, then a new commit picked up on the next run.

use fluxion_api::conditions::{READY, SUCCEEDED_REASON};
use fluxion_api::source::conditions::ARTIFACT_IN_STORAGE;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download, request_reconcile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_artifact_then_new_commit() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let first = tree
        .commit(
            &[
                ("deploy/app.yaml", "kind: ConfigMap\n"),
                (".github/ci.yml", "x"),
                ("logo.png", "png"),
            ],
            "first commit",
        )
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("branch").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;
    let revision = format!("main@sha1:{first}");
    let obj = env.wait_ready("app", &revision).await;
    let status = obj.status.expect("status");
    let message = format!("stored artifact for revision '{revision}'");
    assert_eq!(cond::message(&status.conditions, READY), message);
    assert_eq!(cond::reason(&status.conditions, READY), SUCCEEDED_REASON);
    assert!(cond::is_true(&status.conditions, ARTIFACT_IN_STORAGE));
    assert_eq!(status.observed_generation, Some(1));
    let artifact = status.artifact.expect("artifact");
    assert_eq!(
        artifact.path,
        format!("gitrepository/branch/app/{first}.tar.gz")
    );
    assert!(env.storage_dir.path().join(&artifact.path).is_file());
    let files = download(&artifact).await;
    assert_eq!(
        files,
        [(
            "deploy/app.yaml".to_string(),
            "kind: ConfigMap\n".to_string()
        )]
    );

    let events = env.events().await;
    let new_artifact = events
        .iter()
        .find(|e| e.reason.as_deref() == Some("NewArtifact"))
        .expect("NewArtifact event");
    assert_eq!(
        new_artifact.message.as_deref(),
        Some("stored artifact for commit 'first commit'")
    );
    assert_eq!(
        new_artifact.count,
        Some(1),
        "the artifact was announced (built) once"
    );

    let metrics = env.metrics_text();
    let object = r#"kind="GitRepository",name="app",namespace="branch""#;
    let duration = format!("gotk_reconcile_duration_seconds_count{{{object}}}");
    assert!(metrics.contains(&duration), "{metrics}");
    let ready = format!(r#"gotk_reconcile_condition{{{object},type="Ready",status="True"}} 1"#);
    assert!(metrics.contains(&ready), "{metrics}");

    let second = tree
        .commit(&[("deploy/app.yaml", "kind: Secret\n")], "second commit")
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    request_reconcile(&env.repos(), "app", "now-1").await;
    let revision = format!("main@sha1:{second}");
    env.wait_ready("app", &revision).await;
    let obj = env
        .wait_repo("app", "request handled", |o| {
            o.status
                .as_ref()
                .and_then(|s| s.last_handled_reconcile_at.as_deref())
                == Some("now-1")
        })
        .await;
    let status = obj.status.expect("status");
    assert_eq!(
        status.artifact.as_ref().map(|a| a.revision.as_str()),
        Some(revision.as_str())
    );
    let artifact = status.artifact.expect("artifact");
    let files = download(&artifact).await;
    assert_eq!(
        files,
        [("deploy/app.yaml".to_string(), "kind: Secret\n".to_string())]
    );
    // The previous artifact is kept (2 records by default).
    let dir = env.storage_dir.path().join("gitrepository/branch/app");
    assert!(dir.join(format!("{first}.tar.gz")).is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchanged_revision_is_not_repackaged() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let first = tree.commit(&[("a.yaml", "a: 1\n")], "one").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("unchanged").await;
    env.create_repo(
        "app",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}}),
    )
    .await;
    env.wait_ready("app", &format!("main@sha1:{first}")).await;
    let obj = env.repos().get("app").await.expect("get");
    let before = obj.status.expect("status").artifact.expect("artifact");
    let path = env.storage_dir.path().join(&before.path);
    let modified = std::fs::metadata(&path)
        .expect("file")
        .modified()
        .expect("mtime");

    request_reconcile(&env.repos(), "app", "again").await;
    let obj = env
        .wait_repo("app", "request handled", |o| {
            o.status
                .as_ref()
                .and_then(|s| s.last_handled_reconcile_at.as_deref())
                == Some("again")
        })
        .await;
    let after = obj.status.expect("status").artifact.expect("artifact");
    assert_eq!(after, before, "same artifact, same lastUpdateTime");
    let again = std::fs::metadata(&path)
        .expect("file")
        .modified()
        .expect("mtime");
    assert_eq!(again, modified, "the file was not rewritten");
}
