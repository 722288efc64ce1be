//! Real `git clone` over SSH against the testkit's sshd: pinned host key with strict checking,
//! each user key algorithm, push, and refusal of unknown keys and host keys.

use std::process::Command;

use fluxion_testkit::{GitSshOptions, GitSshServer, SshKeyPair, SshKeyType, WorkTree};

fn clone_with(url: &str, ssh_command: &str) -> (bool, String, tempfile::TempDir) {
    let dest = tempfile::tempdir().expect("tempdir");
    let out = Command::new("git")
        .args(["clone", "--quiet", url])
        .arg(dest.path().join("c"))
        .env("GIT_SSH_COMMAND", ssh_command)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .expect("git runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), err, dest)
}

fn head_of(dir: &tempfile::TempDir) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir.path().join("c"))
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn clone_roundtrip(options: GitSshOptions) {
    let server = GitSshServer::start_with(options).expect("sshd");
    server.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("tree");
    let commit = tree
        .commit(&[("a.yaml", "a: 1\n")], "first")
        .expect("commit");
    tree.push(server.repo_path("org/app")).expect("push");
    let url = server.url("org/app");
    assert!(url.starts_with("ssh://"), "{url}");
    assert!(url.ends_with("/org/app.git"), "{url}");
    let (ok, err, dir) = clone_with(&url, &server.ssh_command());
    assert!(ok, "{err}\nsshd log:\n{}", server.log());
    assert_eq!(head_of(&dir), commit);
}

#[test]
fn clone_with_ed25519_key_and_strict_host_checking() {
    clone_roundtrip(GitSshOptions::default());
}

#[test]
fn clone_with_rsa_user_key_and_ecdsa_host_key() {
    clone_roundtrip(GitSshOptions {
        user_key: SshKeyType::Rsa,
        host_key: SshKeyType::Ecdsa,
    });
}

#[test]
fn clone_with_ecdsa_user_key_and_rsa_host_key() {
    clone_roundtrip(GitSshOptions {
        user_key: SshKeyType::Ecdsa,
        host_key: SshKeyType::Rsa,
    });
}

#[test]
fn handed_back_material_has_the_expected_shape() {
    let server = GitSshServer::start().expect("sshd");
    let port = server.addr().port();
    assert!(
        server
            .known_hosts()
            .starts_with(&format!("[127.0.0.1]:{port} ssh-ed25519 "))
    );
    assert!(server.user_key().private_pem.contains("PRIVATE KEY"));
    let rsa = GitSshServer::start_with(GitSshOptions {
        user_key: SshKeyType::Rsa,
        ..Default::default()
    })
    .expect("sshd");
    assert!(
        rsa.user_key()
            .private_pem
            .starts_with("-----BEGIN RSA PRIVATE KEY-----")
    );
}

#[test]
fn push_over_ssh() {
    let server = GitSshServer::start().expect("sshd");
    server.create_repo("pushed").expect("repo");
    let tree = WorkTree::new().expect("tree");
    let commit = tree.commit(&[("x", "x")], "x").expect("commit");
    let cmd = server.ssh_command();
    tree.push_with_env(server.url("pushed"), &[("GIT_SSH_COMMAND", &cmd)])
        .expect("push over ssh");
    let (ok, err, dir) = clone_with(&server.url("pushed"), &cmd);
    assert!(ok, "{err}");
    assert_eq!(head_of(&dir), commit);
}

#[test]
fn unknown_user_key_is_refused() {
    let server = GitSshServer::start().expect("sshd");
    server.create_repo("app").expect("repo");
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = SshKeyPair::generate(other_dir.path(), "other", SshKeyType::Ed25519).expect("key");
    let cmd = server.ssh_command().replace(
        &server.user_key().path.display().to_string(),
        &other.path.display().to_string(),
    );
    let (ok, _, _) = clone_with(&server.url("app"), &cmd);
    assert!(!ok, "a key that is not authorized must be refused");
}

#[test]
fn unknown_host_key_is_refused_with_strict_checking() {
    let server = GitSshServer::start().expect("sshd");
    server.create_repo("app").expect("repo");
    let empty = tempfile::NamedTempFile::new().expect("empty known_hosts");
    let cmd = server.ssh_command().replace(
        &server.known_hosts_path().display().to_string(),
        &empty.path().display().to_string(),
    );
    let (ok, err, _) = clone_with(&server.url("app"), &cmd);
    assert!(!ok, "unknown host key must fail");
    assert!(err.contains("Host key verification failed"), "{err}");
}
