//! spec.include: another GitRepository's artifact copied in at toPath; unavailable includes
//! give IncludeUnavailable.

use fluxion_api::source::conditions::INCLUDE_UNAVAILABLE;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn includes_copy_other_artifacts() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/lib").expect("repo");
    let lib = WorkTree::new().expect("worktree");
    let lib_head = lib
        .commit(&[("base/lib.yaml", "lib\n"), ("other.yaml", "o\n")], "lib")
        .expect("commit");
    lib.push(git.repo_path("org/lib")).expect("push");
    git.create_repo("org/app").expect("repo");
    let app = WorkTree::new().expect("worktree");
    let app_head = app.commit(&[("app.yaml", "app\n")], "app").expect("commit");
    app.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("include").await;
    env.create_repo(
        "lib",
        json!({"url": git.url("org/lib"), "ref": {"branch": "main"}}),
    )
    .await;
    let lib_obj = env
        .wait_ready("lib", &format!("main@sha1:{lib_head}"))
        .await;
    let include =
        json!([{"repository": {"name": "lib"}, "fromPath": "base", "toPath": "vendor/lib"}]);
    let spec = json!({"url": git.url("org/app"), "ref": {"branch": "main"}, "include": include});
    env.create_repo("app", spec).await;
    let obj = env
        .wait_ready("app", &format!("main@sha1:{app_head}"))
        .await;
    let status = obj.status.expect("status");
    let lib_artifact = lib_obj.status.expect("status").artifact.expect("artifact");
    assert_eq!(status.included_artifacts, [lib_artifact]);
    assert_eq!(status.observed_include.len(), 1);
    let files = download(&status.artifact.expect("artifact")).await;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["app.yaml", "vendor/lib/lib.yaml"]);

    let missing = json!([{"repository": {"name": "absent"}}]);
    env.create_repo(
        "broken",
        json!({"url": git.url("org/app"), "ref": {"branch": "main"}, "include": missing}),
    )
    .await;
    let obj = env
        .wait_repo("broken", "IncludeUnavailable", |o| {
            o.status
                .as_ref()
                .is_some_and(|s| cond::is_true(&s.conditions, INCLUDE_UNAVAILABLE))
        })
        .await;
    let status = obj.status.expect("status");
    assert_eq!(
        cond::reason(&status.conditions, INCLUDE_UNAVAILABLE),
        "NotFound"
    );
}

/// A new artifact of an included repository rebuilds its includers at once: the intervals
/// here are 10 minutes, and only the included repository is asked to reconcile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_included_artifact_requeues_includers() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/lib").expect("repo");
    let lib = WorkTree::new().expect("worktree");
    let first = lib.commit(&[("lib.yaml", "v1\n")], "v1").expect("commit");
    lib.push(git.repo_path("org/lib")).expect("push");
    git.create_repo("org/app").expect("repo");
    let app = WorkTree::new().expect("worktree");
    let app_head = app.commit(&[("app.yaml", "app\n")], "app").expect("commit");
    app.push(git.repo_path("org/app")).expect("push");

    let env = Env::start("include-watch").await;
    env.create_repo(
        "lib",
        json!({"url": git.url("org/lib"), "ref": {"branch": "main"}}),
    )
    .await;
    env.wait_ready("lib", &format!("main@sha1:{first}")).await;
    let include = json!([{"repository": {"name": "lib"}, "toPath": "vendor"}]);
    let spec = json!({"url": git.url("org/app"), "ref": {"branch": "main"}, "include": include});
    env.create_repo("app", spec).await;
    let app_revision = format!("main@sha1:{app_head}");
    let obj = env.wait_ready("app", &app_revision).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert!(files.contains(&("vendor/lib.yaml".to_string(), "v1\n".to_string())));

    let second = lib.commit(&[("lib.yaml", "v2\n")], "v2").expect("commit");
    lib.push(git.repo_path("org/lib")).expect("push");
    crate::harness::request_reconcile(&env.repos(), "lib", "now").await;
    let lib_revision = format!("main@sha1:{second}");
    env.wait_ready("lib", &lib_revision).await;
    let obj = env
        .wait_repo("app", "app rebuilt with the new lib", |o| {
            o.status.as_ref().is_some_and(|s| {
                s.included_artifacts.first().map(|a| a.revision.as_str())
                    == Some(lib_revision.as_str())
            })
        })
        .await;
    let status = obj.status.expect("status");
    let artifact = status.artifact.expect("artifact");
    assert_eq!(artifact.revision, app_revision);
    let files = download(&artifact).await;
    assert!(files.contains(&("vendor/lib.yaml".to_string(), "v2\n".to_string())));
    assert!(status.last_handled_reconcile_at.is_none());
}
