//! Client certificates (kube-apiserver's `--client-ca-file`): kubeconfigs with
//! client-certificate-data for real kubectl and kube-rs, CN as the user and O as groups under
//! RBAC, and a 401 for a certificate from another CA or an expired one.

use std::time::{Duration, SystemTime};

use fluxion_apiserver::auth::{CertSpec, ClientCertificate, client_cert, tls};
use fluxion_apiserver::{ApiServer, AuthConfig};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::Api;
use serde_json::json;

use super::rbac::bind;
use super::support::{Kubectl, api_status, auth_server};

async fn cert_server() -> ApiServer {
    auth_server(AuthConfig {
        tls: true,
        client_certificates: true,
        rbac: true,
        ..Default::default()
    })
    .await
}

fn cert_config(server: &ApiServer, name: &str, cert: &ClientCertificate) -> String {
    let path = server.dir().join(name);
    server
        .write_kubeconfig_with_certificate(&path, cert)
        .expect("write");
    path.to_str().expect("utf-8").to_string()
}

/// A kube client presenting `cert`.
fn client_with(server: &ApiServer, cert: &ClientCertificate) -> kube::Client {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut config = server.client_config().expect("config");
    config.auth_info = serde_json::from_value(json!({
        "client-certificate-data": b64(&cert.cert_pem),
        "client-key-data": b64(&cert.key_pem),
    }))
    .expect("auth info");
    kube::Client::try_from(config).expect("client")
}

/// The code and message of a refusal.
fn status_code(e: kube::Error) -> (u16, String) {
    let (code, _, message) = api_status(e);
    (code, message)
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with client-certificate authentication"
)]
async fn the_admin_kubeconfig_and_issued_certificates_authenticate() {
    let server = cert_server().await;
    let kubeconfig = std::fs::read_to_string(server.kubeconfig()).expect("kubeconfig");
    assert!(kubeconfig.contains("client-certificate-data: "));
    assert!(!kubeconfig.contains("token: "));
    let k = Kubectl::new(&server, "certs-a").await;
    let who = k.run(&["auth", "whoami", "-o", "json"]).await.json();
    assert_eq!(who["status"]["userInfo"]["username"], "admin");
    assert_eq!(
        who["status"]["userInfo"]["groups"],
        json!(["system:masters", "system:authenticated"])
    );
    k.run(&["create", "configmap", "c1"]).await.out();
    let cms: Api<ConfigMap> = Api::namespaced(server.client().expect("client"), "certs-a");
    assert!(cms.get("c1").await.is_ok());

    let alice = server
        .issue_client_certificate(&CertSpec::new("alice", &["dev", "ops"]))
        .expect("issue");
    let config = cert_config(&server, "alice", &alice);
    let who = k
        .run(&["--kubeconfig", &config, "auth", "whoami", "-o", "json"])
        .await
        .json();
    assert_eq!(who["status"]["userInfo"]["username"], "alice");
    assert_eq!(
        who["status"]["userInfo"]["groups"],
        json!(["dev", "ops", "system:authenticated"])
    );
    let run = k.run(&["--kubeconfig", &config, "get", "configmaps"]).await;
    run.says("User \"alice\" cannot list resource \"configmaps\"");
    bind(&k, "ops-view", "ClusterRole/view", "Group/ops").await;
    let out = k
        .run(&["--kubeconfig", &config, "get", "configmaps", "-o", "name"])
        .await
        .out();
    assert!(out.contains("configmap/c1"), "{out}");
    let as_alice: Api<ConfigMap> = Api::namespaced(client_with(&server, &alice), "certs-a");
    assert!(as_alice.get("c1").await.is_ok());
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with client-certificate authentication"
)]
async fn certificates_from_another_ca_or_expired_get_401() {
    let server = cert_server().await;
    let k = Kubectl::new(&server, "certs-b").await;
    let stranger_ca = tls::generate().expect("another CA");
    let stranger = client_cert::issue(
        &stranger_ca.issuer,
        &CertSpec::new("admin", &["system:masters"]),
    )
    .expect("issue");
    let config = cert_config(&server, "stranger", &stranger);
    let run = k.run(&["--kubeconfig", &config, "get", "configmaps"]).await;
    assert!(!run.ok);
    run.says("You must be logged in to the server (Unauthorized)");
    let cms: Api<ConfigMap> = Api::namespaced(client_with(&server, &stranger), "certs-b");
    assert_eq!(
        status_code(cms.list(&Default::default()).await.expect_err("401")),
        (401, "Unauthorized".to_string())
    );

    let now = SystemTime::now();
    let expired = server
        .issue_client_certificate(&CertSpec {
            not_before: now - Duration::from_secs(7200),
            not_after: now - Duration::from_secs(3600),
            ..CertSpec::new("admin", &["system:masters"])
        })
        .expect("issue");
    let cms: Api<ConfigMap> = Api::namespaced(client_with(&server, &expired), "certs-b");
    assert_eq!(
        status_code(cms.list(&Default::default()).await.expect_err("401")).0,
        401
    );
    // Without a certificate or token: 401 too (healthz stays public).
    let mut bare = server.client_config().expect("config");
    bare.auth_info = Default::default();
    let cms: Api<ConfigMap> =
        Api::namespaced(kube::Client::try_from(bare).expect("client"), "certs-b");
    assert_eq!(
        status_code(cms.list(&Default::default()).await.expect_err("401")).0,
        401
    );
}

#[tokio::test]
#[cfg_attr(
    apiserver_external,
    ignore = "server-only: starts servers of its own with client-certificate authentication"
)]
async fn the_binary_takes_client_cert_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = tls::generate().expect("a CA of our own");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &other.ca_pem).expect("write CA");
    let kubeconfig = dir.path().join("kubeconfig");
    let _server = tokio::process::Command::new(env!("CARGO_BIN_EXE_fluxion-apiserver"))
        .arg("--port=0")
        .arg("--tls")
        .arg("--client-ca-file")
        .arg(&ca_file)
        .arg("--authorization-mode=RBAC")
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
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let admin = std::fs::read_to_string(&kubeconfig).expect("kubeconfig written");
    assert!(admin.contains("client-certificate-data: "));
    let kubectl = |config: &std::path::Path, args: &[&str]| {
        let mut c = tokio::process::Command::new("kubectl");
        c.arg("--kubeconfig")
            .arg(config)
            .arg("--cache-dir")
            .arg(dir.path().join("cache"));
        c.args(args).kill_on_drop(true);
        c.output()
    };
    let out = kubectl(
        &kubeconfig,
        &[
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    )
    .await
    .expect("kubectl");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "admin");

    // A certificate of the CA named by --client-ca-file, in a kubeconfig otherwise the admin's.
    let bob = client_cert::issue(&other.issuer, &CertSpec::new("bob", &["team"])).expect("issue");
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let bob_config: String = admin
        .lines()
        .map(|l| {
            if l.starts_with("    client-certificate-data: ") {
                format!("    client-certificate-data: {}", b64(&bob.cert_pem))
            } else if l.starts_with("    client-key-data: ") {
                format!("    client-key-data: {}", b64(&bob.key_pem))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bob_path = dir.path().join("bob");
    std::fs::write(&bob_path, bob_config).expect("write");
    let out = kubectl(&bob_path, &["auth", "whoami", "-o", "json"])
        .await
        .expect("kubectl");
    let who: serde_json::Value = serde_json::from_slice(&out.stdout).expect("whoami JSON");
    assert_eq!(who["status"]["userInfo"]["username"], "bob");
    assert_eq!(
        who["status"]["userInfo"]["groups"],
        json!(["team", "system:authenticated"])
    );
}
