//! Real `git clone` against the testkit's smart-HTTP server: anonymous, basic auth, bearer
//! token, TLS with the test CA, and a push over HTTP.

use std::process::Command;

use fluxion_testkit::{GitHttpOptions, GitHttpServer, WorkTree};

fn seeded(server: &GitHttpServer, name: &str) -> String {
    server.create_repo(name).expect("create repo");
    let tree = WorkTree::new().expect("work tree");
    let commit = tree
        .commit(
            &[
                ("README.md", "hello\n"),
                ("deploy/app.yaml", "kind: Test\n"),
            ],
            "first",
        )
        .expect("commit");
    tree.push(server.repo_path(name)).expect("push");
    commit
}

fn clone(url: &str, envs: &[(&str, &str)], extra: &[&str]) -> (bool, String, tempfile::TempDir) {
    let dest = tempfile::tempdir().expect("tempdir");
    let out = Command::new("git")
        .args(extra)
        .args(["clone", "--quiet", url])
        .arg(dest.path().join("c"))
        .env("GIT_TERMINAL_PROMPT", "0")
        .envs(envs.iter().copied())
        .output()
        .expect("git runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), stderr, dest)
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

#[test]
fn anonymous_clone() {
    let server = GitHttpServer::start().expect("server");
    let commit = seeded(&server, "org/app");
    let url = server.url("org/app");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (ok, err, dir) = clone(&url, &[], &[]);
    assert!(ok, "{err}");
    assert_eq!(head_of(&dir), commit);
    let readme = std::fs::read_to_string(dir.path().join("c/README.md")).expect("readme");
    assert_eq!(readme, "hello\n");
}

#[test]
fn shallow_clone_of_a_branch() {
    let server = GitHttpServer::start().expect("server");
    seeded(&server, "app");
    let (ok, err, _dir) = clone(&server.url("app"), &[], &["-c", "protocol.version=2"]);
    assert!(ok, "{err}");
    let dest = tempfile::tempdir().expect("tempdir");
    let out = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", "--branch", "main"])
        .arg(server.url("app"))
        .arg(dest.path())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn basic_auth_is_required_and_accepted() {
    let server = GitHttpServer::start_with(GitHttpOptions::default().basic_auth("alice", "s3cret"))
        .expect("server");
    let commit = seeded(&server, "app");
    let (ok, _, _) = clone(&server.url("app"), &[], &[]);
    assert!(!ok, "clone without credentials must fail");
    let wrong = server.url("app").replace("http://", "http://alice:wrong@");
    assert!(!clone(&wrong, &[], &[]).0, "wrong password must fail");
    let url = server.url("app").replace("http://", "http://alice:s3cret@");
    let (ok, err, dir) = clone(&url, &[], &[]);
    assert!(ok, "{err}");
    assert_eq!(head_of(&dir), commit);
}

#[test]
fn bearer_token_is_required_and_accepted() {
    let server = GitHttpServer::start_with(GitHttpOptions::default().bearer_token("tok-123"))
        .expect("server");
    seeded(&server, "app");
    assert!(!clone(&server.url("app"), &[], &[]).0);
    let (ok, err, _) = clone(
        &server.url("app"),
        &[],
        &["-c", "http.extraHeader=Authorization: Bearer tok-123"],
    );
    assert!(ok, "{err}");
}

#[test]
fn tls_clone_trusts_only_the_test_ca() {
    let server = GitHttpServer::start_with(GitHttpOptions::default().tls()).expect("server");
    let commit = seeded(&server, "app");
    let url = server.url("app");
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ca = tempfile::NamedTempFile::new().expect("ca file");
    std::fs::write(ca.path(), server.ca_pem().expect("ca")).expect("write ca");
    let no_ca = clone(&url, &[("GIT_SSL_CAINFO", "/dev/null")], &[]);
    assert!(!no_ca.0, "clone without the CA must fail");
    let ca_path = ca.path().to_str().expect("utf-8 path");
    let (ok, err, dir) = clone(&url, &[("GIT_SSL_CAINFO", ca_path)], &[]);
    assert!(ok, "{err}");
    assert_eq!(head_of(&dir), commit);
}

#[test]
fn push_over_http() {
    let server = GitHttpServer::start().expect("server");
    server.create_repo("pushed").expect("repo");
    let tree = WorkTree::new().expect("tree");
    let commit = tree.commit(&[("a.txt", "a")], "a").expect("commit");
    tree.push(server.url("pushed")).expect("push over http");
    let (ok, err, dir) = clone(&server.url("pushed"), &[], &[]);
    assert!(ok, "{err}");
    assert_eq!(head_of(&dir), commit);
}

#[test]
fn client_certificate_is_required_with_mutual_tls() {
    let server =
        GitHttpServer::start_with(GitHttpOptions::default().client_cert()).expect("server");
    let commit = seeded(&server, "app");
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = server.ca().expect("ca");
    let (cert, key) = ca.issue_client("flux").expect("client cert");
    let paths = ["ca.crt", "tls.crt", "tls.key"].map(|f| dir.path().join(f));
    for (path, text) in paths.iter().zip([&ca.ca_pem, &cert, &key]) {
        std::fs::write(path, text).expect("write pem");
    }
    let [ca_path, cert_path, key_path] = paths.map(|p| p.display().to_string());
    let (ok, _, _) = clone(&server.url("app"), &[("GIT_SSL_CAINFO", &ca_path)], &[]);
    assert!(!ok, "clone without a client certificate must fail");
    let envs = [
        ("GIT_SSL_CAINFO", ca_path.as_str()),
        ("GIT_SSL_CERT", cert_path.as_str()),
        ("GIT_SSL_KEY", key_path.as_str()),
    ];
    let (ok, err, out) = clone(&server.url("app"), &envs, &[]);
    assert!(ok, "{err}");
    assert_eq!(head_of(&out), commit);
}
