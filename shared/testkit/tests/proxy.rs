//! The forward proxy carries real `git clone` traffic: plain HTTP (absolute-form), HTTPS via
//! CONNECT, and refuses clients without proxy credentials when auth is on.

use std::process::Command;

use fluxion_testkit::{GitHttpOptions, GitHttpServer, HttpProxy, WorkTree};

fn seeded(server: &GitHttpServer) -> String {
    server.create_repo("app").expect("repo");
    let tree = WorkTree::new().expect("tree");
    let commit = tree.commit(&[("a", "1")], "first").expect("commit");
    tree.push(server.repo_path("app")).expect("push");
    commit
}

fn clone_via(proxy: &str, url: &str, envs: &[(&str, &str)]) -> (bool, String) {
    let dest = tempfile::tempdir().expect("tempdir");
    let out = Command::new("git")
        .args([
            "-c",
            &format!("http.proxy={proxy}"),
            "clone",
            "--quiet",
            url,
        ])
        .arg(dest.path().join("c"))
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .envs(envs.iter().copied())
        .output()
        .expect("git runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn plain_http_through_the_proxy() {
    let server = GitHttpServer::start().expect("server");
    seeded(&server);
    let proxy = HttpProxy::start().expect("proxy");
    let (ok, err) = clone_via(&proxy.url(), &server.url("app"), &[]);
    assert!(ok, "{err}");
    let targets = proxy.targets();
    assert!(
        targets.iter().any(|t| t.contains("/app.git/")),
        "{targets:?}"
    );
}

#[test]
fn https_through_connect_with_proxy_auth() {
    let server = GitHttpServer::start_with(GitHttpOptions::default().tls()).expect("server");
    seeded(&server);
    let ca = tempfile::NamedTempFile::new().expect("ca");
    std::fs::write(ca.path(), server.ca_pem().expect("pem")).expect("write");
    let ca_path = ca.path().display().to_string();
    let envs = [("GIT_SSL_CAINFO", ca_path.as_str())];
    let proxy = HttpProxy::start_with_auth("px", "secret").expect("proxy");

    let (ok, _) = clone_via(&proxy.url(), &server.url("app"), &envs);
    assert!(
        !ok,
        "a proxy demanding credentials must refuse a client without them"
    );
    assert!(proxy.targets().is_empty());

    let with_auth = proxy.url().replace("http://", "http://px:secret@");
    let (ok, err) = clone_via(&with_auth, &server.url("app"), &envs);
    assert!(ok, "{err}");
    assert_eq!(proxy.targets(), vec![server.addr().to_string()]);
}
