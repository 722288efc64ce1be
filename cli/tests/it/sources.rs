//! The life of a GitRepository through the CLI with the real source-controller: create and
//! wait, get, suspend, resume, reconcile after a push, export, delete.

use crate::harness::{Env, served_repo};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn git_source_lifecycle() {
    let (git, tree, first) = served_repo(&[("deploy/cm.yaml", "kind: ConfigMap\n")]);
    let env = Env::start("flux-system")
        .await
        .with_source_controller()
        .await;
    let out = env.create_git_source("app", &git.url("org/app"), &[]).await;
    assert!(out.ok, "create failed: {}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("✔ fetched revision main@sha1:{first}")),
        "{}",
        out.stderr
    );

    let get = env.fluxion(&["get", "sources", "git"]).await;
    assert!(get.ok, "{}", get.stderr);
    let short = &first[..8];
    let lines: Vec<&str> = get.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "NAME\tREVISION          \tSUSPENDED\tREADY\tMESSAGE{} ",
            " ".repeat(42)
        ),
        "{}",
        get.stdout
    );
    assert_eq!(
        lines[1],
        format!(
            "app \tmain@sha1:{short}\tFalse    \tTrue \tstored artifact for revision 'main@sha1:{short}'\t"
        ),
        "{}",
        get.stdout
    );

    let events = env.fluxion(&["events", "--for", "GitRepository/app"]).await;
    assert!(events.ok, "{}", events.stderr);
    let header = events.stdout.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("LAST SEEN\tTYPE  \tREASON"),
        "{}",
        events.stdout
    );
    assert!(
        events
            .stdout
            .contains("\tNormal\tNewArtifact\tGitRepository/app\t"),
        "{}",
        events.stdout
    );

    let out = env.fluxion(&["suspend", "source", "git", "app"]).await;
    assert!(
        out.ok && out.stderr.contains("✔ gitrepository suspended"),
        "{}",
        out.stderr
    );
    let get = env
        .fluxion(&["get", "sources", "all", "-A", "--no-header"])
        .await;
    assert!(
        get.stdout.starts_with(&format!(
            "flux-system\tgitrepository/app\tmain@sha1:{short}\tTrue\tTrue\t"
        )),
        "{}",
        get.stdout
    );
    let refused = env.fluxion(&["reconcile", "source", "git", "app"]).await;
    assert!(
        !refused.ok && refused.stderr.contains("✗ resource is suspended"),
        "{}",
        refused.stderr
    );

    let second = tree
        .commit(
            &[("deploy/cm.yaml", "kind: ConfigMap\nmetadata: {}\n")],
            "second",
        )
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    let out = env.fluxion(&["resume", "source", "git", "app"]).await;
    assert!(out.ok, "resume failed: {}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("✔ fetched revision main@sha1:{second}")),
        "{}",
        out.stderr
    );

    let third = tree
        .commit(&[("deploy/other.yaml", "kind: Secret\n")], "third")
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    let out = env.fluxion(&["reconcile", "source", "git", "app"]).await;
    assert!(out.ok, "reconcile failed: {}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("✔ fetched revision main@sha1:{third}")),
        "{}",
        out.stderr
    );

    let export = env.fluxion(&["export", "source", "git", "app"]).await;
    assert!(export.ok, "{}", export.stderr);
    let doc = &export.stdout;
    assert!(
        doc.starts_with("---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"),
        "{doc}"
    );
    assert!(
        doc.contains("  name: app\n  namespace: flux-system\nspec:\n"),
        "{doc}"
    );
    assert!(!doc.contains("suspend:"), "resume drops the field: {doc}");
    assert!(!doc.contains("status:"), "{doc}");

    let refused = env.fluxion(&["delete", "source", "git", "app"]).await;
    assert!(
        !refused.ok,
        "delete without a terminal must ask for --silent"
    );
    let out = env
        .fluxion(&["delete", "source", "git", "app", "--silent"])
        .await;
    assert!(out.ok, "{}", out.stderr);
    // The finalizer goes when the controller has cleaned the storage; then the object is gone.
    let mut gone = env.fluxion(&["export", "source", "git", "app"]).await;
    for _ in 0..60 {
        if !gone.ok {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        gone = env.fluxion(&["export", "source", "git", "app"]).await;
    }
    assert!(
        !gone.ok && gone.stderr.contains("not found"),
        "{}",
        gone.stderr
    );
}

/// `get --watch` prints the table, then a row per change, until stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_watch_prints_changes() {
    use tokio::io::AsyncBufReadExt as _;

    let (git, _tree, _) = served_repo(&[("a.yaml", "kind: ConfigMap\n")]);
    let env = Env::start("flux-system")
        .await
        .with_source_controller()
        .await;
    let out = env.create_git_source("app", &git.url("org/app"), &[]).await;
    assert!(out.ok, "{}", out.stderr);

    let kubeconfig = env.server.kubeconfig().display().to_string();
    let mut child = tokio::process::Command::new(crate::harness::binary())
        .args([
            "--kubeconfig",
            &kubeconfig,
            "get",
            "sources",
            "git",
            "--watch",
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn watch");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next = async || {
        tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
            .await
            .expect("a line in time")
            .expect("read")
            .expect("open stream")
    };
    assert!(next().await.starts_with("NAME"), "header first");
    assert!(next().await.starts_with("app "), "the current row");
    let suspended = env.fluxion(&["suspend", "source", "git", "app"]).await;
    assert!(suspended.ok, "{}", suspended.stderr);
    let mut saw_suspended = false;
    for _ in 0..10 {
        let line = next().await;
        if line.split('\t').nth(2) == Some("True") {
            saw_suspended = true;
            break;
        }
    }
    assert!(saw_suspended, "the suspension shows in the watch");
    child.kill().await.expect("kill watch");
}
