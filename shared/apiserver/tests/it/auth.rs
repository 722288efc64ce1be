//! HTTPS with the generated CA and bearer tokens: kubectl and kube-rs verify the server for
//! real, requests without a valid token get 401, `kubectl auth whoami` and `can-i` answer.

use fluxion_apiserver::{ApiServer, AuthConfig, ServerConfig, UserInfo};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use serde_json::json;

use super::support::Kubectl;

/// A server with HTTPS and tokens; RBAC when `rbac`. `alice` (group `dev`) has token `alice-t`.
pub async fn secure_server(rbac: bool) -> ApiServer {
    ApiServer::start(ServerConfig {
        auth: AuthConfig {
            tls: true,
            authenticate: true,
            tokens: vec![("alice-t".into(), UserInfo::new("alice", &["dev"]))],
            rbac,
        },
        ..Default::default()
    })
    .await
    .expect("start server")
}

fn status_of(e: kube::Error) -> (u16, String, String) {
    match e {
        kube::Error::Api(s) => (s.code, s.reason.clone(), s.message.clone()),
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
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

    // A client that does not trust the CA fails the handshake.
    let mut untrusting = server.client_config().expect("config");
    untrusting.root_cert = None;
    let bad: Api<ConfigMap> =
        Api::namespaced(kube::Client::try_from(untrusting).expect("client"), "tls-a");
    assert!(bad.get("c1").await.is_err());
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let server = secure_server(false).await;
    let mut anonymous = server.client_config().expect("config");
    anonymous.auth_info = Default::default();
    let client = kube::Client::try_from(anonymous).expect("client");
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let (code, reason, message) = status_of(cms.list(&Default::default()).await.expect_err("401"));
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
    let (code, _, _) = status_of(
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
    assert!(
        run.stderr.contains("You must be logged in to the server"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
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
    k.run(&[
        "create",
        "rolebinding",
        "dev-view",
        "--clusterrole=view",
        "--group=dev",
    ])
    .await
    .out();
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
    k.run(&[
        "create",
        "rolebinding",
        "robot-edit",
        "--clusterrole=edit",
        "--serviceaccount=tok-a:robot",
    ])
    .await
    .out();
    k.run(&["--kubeconfig", robot, "create", "configmap", "by-robot"])
        .await
        .out();
}
