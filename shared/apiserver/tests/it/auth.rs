//! HTTPS with the generated CA and bearer tokens: kubectl and kube-rs verify the server for
//! real, requests without a valid token get 401, `kubectl auth whoami` and `can-i` answer.

use fluxion_apiserver::{ApiServer, AuthConfig, UserInfo};
use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams, WatchEvent, WatchParams};
use serde_json::json;

use super::rbac::bind;
use super::support::{Kubectl, api_status, auth_server};

/// A server with HTTPS and tokens; RBAC when `rbac`. `alice` (group `dev`) has token `alice-t`.
pub async fn secure_server(rbac: bool) -> ApiServer {
    auth_server(AuthConfig {
        tls: true,
        authenticate: true,
        tokens: vec![("alice-t".into(), UserInfo::new("alice", &["dev"]))],
        rbac,
        ..Default::default()
    })
    .await
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with TLS, tokens and RBAC"
)]
async fn kubectl_and_kube_rs_verify_the_generated_ca() {
    let server = secure_server(false).await;
    assert!(server.url().starts_with("https://127.0.0.1:"));
    let kubeconfig = std::fs::read_to_string(server.kubeconfig()).expect("kubeconfig");
    assert!(kubeconfig.contains("certificate-authority-data: "));
    assert!(!kubeconfig.contains("insecure-skip-tls-verify"));

    let k = Kubectl::new(&server, "tls-a").await;
    k.run(&["create", "configmap", "c1", "--from-literal=a=b"])
        .await
        .out();
    let got = k
        .run(&["get", "configmap", "c1", "-o", "json"])
        .await
        .json();
    assert_eq!(got["data"]["a"], "b");
    let whoami = k.run(&["auth", "whoami", "-o", "json"]).await.json();
    assert_eq!(whoami["status"]["userInfo"]["username"], "admin");
    assert_eq!(
        whoami["status"]["userInfo"]["groups"],
        json!(["system:masters", "system:authenticated"])
    );

    let client = server.client().expect("client");
    let cms: Api<ConfigMap> = Api::namespaced(client, "tls-a");
    let cm = cms.get("c1").await.expect("get over HTTPS");
    assert_eq!(cm.data.expect("data")["a"], "b");

    // Watches stream over TLS too.
    let mut events = cms
        .watch(&WatchParams::default(), "0")
        .await
        .expect("watch")
        .boxed();
    k.run(&["create", "configmap", "c2"]).await.out();
    let seen = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(ev) = events.next().await {
            if let Ok(WatchEvent::Added(cm)) = ev
                && cm.metadata.name.as_deref() == Some("c2")
            {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(seen, Ok(true));

    // A client that does not trust the CA fails the handshake.
    let mut untrusting = server.client_config().expect("config");
    untrusting.root_cert = None;
    let bad: Api<ConfigMap> =
        Api::namespaced(kube::Client::try_from(untrusting).expect("client"), "tls-a");
    assert!(bad.get("c1").await.is_err());
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with TLS, tokens and RBAC"
)]
async fn requests_without_a_valid_token_get_401() {
    let server = secure_server(false).await;
    let mut anonymous = server.client_config().expect("config");
    anonymous.auth_info = Default::default();
    let client = kube::Client::try_from(anonymous).expect("client");
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let (code, reason, message) = api_status(cms.list(&Default::default()).await.expect_err("401"));
    assert_eq!(
        (code, reason.as_str(), message.as_str()),
        (401, "Unauthorized", "Unauthorized")
    );
    // Health and version stay readable without credentials, as on a default cluster.
    let health = client
        .request_text(
            axum::http::Request::get("/healthz")
                .body(Vec::new())
                .expect("req"),
        )
        .await
        .expect("healthz");
    assert_eq!(health, "ok");

    let mut wrong = server.client_config().expect("config");
    wrong.auth_info = serde_json::from_value(json!({"token": "nope"})).expect("auth info");
    let cms: Api<ConfigMap> =
        Api::namespaced(kube::Client::try_from(wrong).expect("client"), "default");
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "x"}})).expect("cm");
    let (code, _, _) = api_status(
        cms.create(&PostParams::default(), &cm)
            .await
            .expect_err("401"),
    );
    assert_eq!(code, 401);

    let k = Kubectl::new(&server, "tls-b").await;
    // (Without any credentials kubectl would prompt for a user name, as with a real server.)
    let bad_token = server.dir().join("bad-token");
    server
        .write_kubeconfig(&bad_token, Some("wrong"))
        .expect("write");
    let path = bad_token.to_str().expect("utf-8");
    let run = k.run(&["--kubeconfig", path, "get", "configmaps"]).await;
    assert!(!run.ok);
    run.says("You must be logged in to the server");
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with TLS, tokens and RBAC"
)]
async fn static_and_service_account_tokens_authenticate_under_rbac() {
    let server = secure_server(true).await;
    let k = Kubectl::new(&server, "tok-a").await;
    let alice = server.dir().join("alice");
    server
        .write_kubeconfig(&alice, Some("alice-t"))
        .expect("write");
    let alice = alice.to_str().expect("utf-8");

    let whoami = k
        .run(&["--kubeconfig", alice, "auth", "whoami", "-o", "json"])
        .await
        .json();
    assert_eq!(
        whoami["status"]["userInfo"]["groups"],
        json!(["dev", "system:authenticated"])
    );
    let run = k.run(&["--kubeconfig", alice, "get", "configmaps"]).await;
    assert!(
        run.stderr.contains(
            "configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"tok-a\""
        ),
        "{}",
        run.stderr
    );
    let can = k
        .run(&["--kubeconfig", alice, "auth", "can-i", "list", "configmaps"])
        .await;
    assert_eq!(can.stdout.trim(), "no");
    bind(&k, "dev-view", "ClusterRole/view", "Group/dev").await;
    let can = k
        .run(&["--kubeconfig", alice, "auth", "can-i", "list", "configmaps"])
        .await;
    assert_eq!(can.stdout.trim(), "yes");
    k.run(&["--kubeconfig", alice, "get", "configmaps"])
        .await
        .out();

    // A service account's token: its user name and groups, bound like any subject.
    k.run(&["create", "serviceaccount", "robot"]).await.out();
    let token = server.service_account_token("tok-a", "robot");
    let robot = server.dir().join("robot");
    server
        .write_kubeconfig(&robot, Some(&token))
        .expect("write");
    let robot = robot.to_str().expect("utf-8");
    let whoami = k
        .run(&["--kubeconfig", robot, "auth", "whoami", "-o", "json"])
        .await
        .json();
    assert_eq!(
        whoami["status"]["userInfo"]["username"],
        "system:serviceaccount:tok-a:robot"
    );
    assert_eq!(
        whoami["status"]["userInfo"]["groups"],
        json!([
            "system:serviceaccounts",
            "system:serviceaccounts:tok-a",
            "system:authenticated"
        ])
    );
    let can = k
        .run(&[
            "--kubeconfig",
            robot,
            "auth",
            "can-i",
            "create",
            "configmaps",
        ])
        .await;
    assert_eq!(can.stdout.trim(), "no");
    bind(
        &k,
        "robot-edit",
        "ClusterRole/edit",
        "ServiceAccount/tok-a:robot",
    )
    .await;
    k.run(&["--kubeconfig", robot, "create", "configmap", "by-robot"])
        .await
        .out();
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with TLS, tokens and RBAC"
)]
async fn the_binary_takes_tls_token_file_and_rbac_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tokens = dir.path().join("tokens.csv");
    std::fs::write(&tokens, "alice-t,alice,u1,\"dev,ops\"\n").expect("write tokens");
    let kubeconfig = dir.path().join("kubeconfig");
    let _server = tokio::process::Command::new(env!("CARGO_BIN_EXE_fluxion-apiserver"))
        .arg("--port=0")
        .arg("--tls")
        .arg("--token-auth-file")
        .arg(&tokens)
        .arg("--authorization-mode=Node,RBAC")
        .arg("--kubeconfig-out")
        .arg(&kubeconfig)
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the binary");
    for _ in 0..100 {
        if std::fs::metadata(&kubeconfig).is_ok_and(|m| m.len() > 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let admin = std::fs::read_to_string(&kubeconfig).expect("kubeconfig written");
    assert!(admin.contains("server: https://127.0.0.1:"));
    let alice = dir.path().join("alice");
    let alice_config: String = admin
        .lines()
        .map(|l| {
            if l.starts_with("    token: ") {
                "    token: alice-t".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&alice, alice_config).expect("write");
    let kubectl = |config: &std::path::Path, args: &[&str]| {
        let mut c = tokio::process::Command::new("kubectl");
        c.arg("--kubeconfig")
            .arg(config)
            .arg("--cache-dir")
            .arg(dir.path().join("cache"));
        c.args(args).kill_on_drop(true);
        c.output()
    };
    let out = kubectl(&kubeconfig, &["get", "namespace", "default", "-o", "name"])
        .await
        .expect("kubectl");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "namespace/default"
    );
    let out = kubectl(&alice, &["get", "configmaps", "-n", "default"])
        .await
        .expect("kubectl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        "{stderr}"
    );
}
