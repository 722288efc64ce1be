//! `fluxion create secret git`: flux's keys for HTTPS, and for SSH a key pair plus the host
//! keys collected from the real sshd, which the real source-controller then uses.

use fluxion_testkit::{GitSshServer, WorkTree};

use crate::harness::{Env, run};

#[tokio::test]
async fn https_secret_export() {
    let out = run(
        &[
            "create",
            "secret",
            "git",
            "auth",
            "--url=https://example.com/org/repo",
            "-u",
            "git",
            "-p",
            "s3cret",
            "--export",
        ],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: auth\n  namespace: flux-system\nstringData:\n  password: s3cret\n  username: git\n"
    );
    let out = run(
        &[
            "create",
            "secret",
            "git",
            "auth",
            "--url=https://example.com/r",
            "--export",
        ],
        None,
    )
    .await;
    assert!(!out.ok);
    assert!(
        out.stderr.contains("username and password are required"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_secret_drives_a_git_repository() {
    let ssh = GitSshServer::start().expect("sshd");
    ssh.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(&[("app.yaml", "kind: ConfigMap\n")], "first")
        .expect("commit");
    tree.push(ssh.repo_path("org/app")).expect("push");
    let url = ssh.url("org/app");

    // A generated key: flux's three keys, the host key as sshd serves it.
    let generated = run(
        &[
            "create",
            "secret",
            "git",
            "gen",
            &format!("--url={url}"),
            "--export",
        ],
        None,
    )
    .await;
    assert!(generated.ok, "{}", generated.stderr);
    for key in ["identity: |", "identity.pub: |", "known_hosts: |"] {
        assert!(
            generated.stdout.contains(key),
            "{key}: {}",
            generated.stdout
        );
    }
    assert!(
        generated.stdout.contains("ecdsa-sha2-nistp384"),
        "{}",
        generated.stdout
    );
    let host_key = ssh
        .host_key()
        .public_line
        .split_whitespace()
        .nth(1)
        .expect("host key")
        .to_string();
    assert!(generated.stdout.contains(&host_key), "{}", generated.stdout);

    // The server's authorized key, applied, then used by a GitRepository.
    let env = Env::start("flux-system")
        .await
        .with_source_controller()
        .await;
    let key_file = ssh.user_key().path.display().to_string();
    let out = env
        .fluxion(&[
            "create",
            "secret",
            "git",
            "ssh-auth",
            &format!("--url={url}"),
            &format!("--private-key-file={key_file}"),
        ])
        .await;
    assert!(out.ok, "{}", out.stderr);
    let out = env
        .create_git_source("app", &url, &["--secret-ref=ssh-auth"])
        .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("✔ fetched revision main@sha1:{head}")),
        "{}",
        out.stderr
    );
}
