//! Hostile repository content: symlinks (to files or directories, inside or outside the
//! checkout) never reach the artifact, and content beyond the artifact limits fails the run
//! with StorageOperationFailed instead of filling the storage.

use fluxion_api::conditions::READY;
use fluxion_api::source::conditions::{ARCHIVE_OPERATION_FAILED_REASON, STORAGE_OPERATION_FAILED};
use fluxion_runtime::conditions as cond;
use fluxion_testkit::{GitHttpServer, WorkTree};
use serde_json::json;
use source_controller::storage::ArchiveLimits;

use crate::harness::{Env, download};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symlinks_are_not_archived() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/links").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    tree.write_files(&[("deploy/app.yaml", "app\n")])
        .expect("write");
    tree.write_symlink("passwd", "/etc/passwd").expect("link");
    tree.write_symlink("up", "../../..").expect("link");
    tree.write_symlink("deploy/alias.yaml", "app.yaml")
        .expect("link");
    tree.write_symlink("etc", "/etc").expect("link");
    let head = tree.commit(&[], "links").expect("commit");
    tree.push(git.repo_path("org/links")).expect("push");

    let env = Env::start("hostile-links").await;
    env.create_repo(
        "links",
        json!({"url": git.url("org/links"), "ref": {"branch": "main"}}),
    )
    .await;
    let obj = env.wait_ready("links", &format!("main@sha1:{head}")).await;
    let files = download(&obj.status.expect("status").artifact.expect("artifact")).await;
    assert_eq!(
        files,
        [("deploy/app.yaml".to_string(), "app\n".to_string())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_beyond_the_limits_fails_clearly() {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/huge").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    tree.write_bytes("blob.bin", &vec![7u8; 64 * 1024])
        .expect("write");
    tree.commit(&[("small.yaml", "s\n")], "big")
        .expect("commit");
    tree.push(git.repo_path("org/huge")).expect("push");
    git.create_repo("org/many").expect("repo");
    let many = WorkTree::new().expect("worktree");
    let names: Vec<String> = (0..12).map(|i| format!("f/{i}.yaml")).collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "x\n")).collect();
    many.commit(&files, "many").expect("commit");
    many.push(git.repo_path("org/many")).expect("push");

    let env = Env::start_with("hostile-size", |config| {
        config.artifact_limits = ArchiveLimits {
            max_bytes: 32 * 1024,
            max_files: 10,
        };
    })
    .await;
    env.create_repo(
        "huge",
        json!({"url": git.url("org/huge"), "ref": {"branch": "main"}}),
    )
    .await;
    env.create_repo(
        "many",
        json!({"url": git.url("org/many"), "ref": {"branch": "main"}}),
    )
    .await;
    for (name, problem) in [
        (
            "huge",
            "the files exceed the artifact size limit of 32768 bytes (at 'blob.bin')",
        ),
        (
            "many",
            "more than 10 files exceed the artifact file count limit",
        ),
    ] {
        let obj = env
            .wait_repo(name, "StorageOperationFailed", |o| {
                o.status
                    .as_ref()
                    .is_some_and(|s| cond::is_true(&s.conditions, STORAGE_OPERATION_FAILED))
            })
            .await;
        let status = obj.status.expect("status");
        let message = cond::message(&status.conditions, STORAGE_OPERATION_FAILED);
        assert!(message.contains(problem), "{name}: {message}");
        assert_eq!(
            cond::reason(&status.conditions, STORAGE_OPERATION_FAILED),
            ARCHIVE_OPERATION_FAILED_REASON
        );
        assert!(cond::is_false(&status.conditions, READY), "{name}");
        assert_eq!(cond::message(&status.conditions, READY), message);
        assert!(status.artifact.is_none(), "{name}");
    }
}
