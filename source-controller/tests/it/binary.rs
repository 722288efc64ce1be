//! The binary's path: `run_until(Config)` from parsed flags against fluxion-apiserver (via a
//! kubeconfig file), with metrics, health and storage servers on loopback ports; a
//! GitRepository reconciled to Ready, its artifact downloaded from the storage server, Flux's
//! metrics served; then a clean stop that closes every port.

use std::time::Duration;

use fluxion_api::source::GitRepository;
use fluxion_apiserver::{ApiServer, ServerConfig};
use fluxion_testkit::{GitHttpServer, WorkTree};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Api;
use kube::api::{ListParams, PostParams};
use serde_json::json;
use source_controller::Args;

use crate::harness::{WAIT, download};

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").to_string()
}

async fn get_text(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.expect("GET");
    let code = response.status().as_u16();
    (code, response.text().await.expect("body"))
}

async fn api_with_crds() -> (ApiServer, kube::Client) {
    fluxion_runtime::tls::install_crypto_provider();
    let server = ApiServer::start(ServerConfig::default())
        .await
        .expect("apiserver");
    let client = server.client().expect("client");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    for crd in fluxion_api::crd::all() {
        crds.create(&PostParams::default(), &crd)
            .await
            .expect("crd");
    }
    let repos: Api<GitRepository> = Api::all(client.clone());
    fluxion_testkit::wait_for(WAIT, Duration::from_millis(100), || async {
        repos.list(&ListParams::default()).await.ok()
    })
    .await
    .expect("GitRepository served");
    let ns: Namespace =
        serde_json::from_value(json!({"metadata": {"name": "binary"}})).expect("ns");
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await
        .expect("namespace");
    (server, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_serves_storage_metrics_and_health_then_stops() {
    run_binary_path(&[]).await;
}

/// The same path with leader election: the controller and its storage start once this replica
/// holds the Lease, and a stop releases it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_with_leader_election_leads_then_stops() {
    run_binary_path(&["--enable-leader-election", "--runtime-namespace=binary"]).await;
}

async fn run_binary_path(extra: &[&str]) {
    let git = GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = WorkTree::new().expect("worktree");
    let head = tree
        .commit(&[("app.yaml", "app\n")], "app")
        .expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    let (server, client) = api_with_crds().await;

    let storage = tempfile::tempdir().expect("storage");
    let (metrics, health, store) = (free_addr(), free_addr(), free_addr());
    let args = Args::parse_from_iter(
        [
            "source-controller".to_string(),
            format!("--kubeconfig={}", server.kubeconfig().display()),
            format!("--storage-path={}", storage.path().display()),
            format!("--storage-addr={store}"),
            format!("--storage-adv-addr={store}"),
            format!("--metrics-addr={metrics}"),
            format!("--health-addr={health}"),
        ]
        .into_iter()
        .chain(extra.iter().map(|f| f.to_string())),
    )
    .expect("args");
    let config = args.validate("test").expect("config");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(source_controller::run_until(config, async {
        let _ = stop_rx.await;
    }));

    let healthy = fluxion_testkit::wait_for(WAIT, Duration::from_millis(100), || async {
        let ok = reqwest::get(format!("http://{health}/readyz")).await.ok()?;
        ok.status().is_success().then_some(())
    })
    .await;
    assert!(healthy.is_some(), "readyz never answered 200");
    assert_eq!(get_text(&format!("http://{health}/healthz")).await.0, 200);

    let repos: Api<GitRepository> = Api::namespaced(client.clone(), "binary");
    let obj: GitRepository = serde_json::from_value(json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": {"name": "app", "namespace": "binary"},
        "spec": {"url": git.url("org/app"), "interval": "10m", "ref": {"branch": "main"}},
    }))
    .expect("GitRepository");
    repos
        .create(&PostParams::default(), &obj)
        .await
        .expect("create");
    let revision = format!("main@sha1:{head}");
    let artifact = fluxion_testkit::wait_for(WAIT, Duration::from_millis(100), || async {
        let obj = repos.get("app").await.ok()?;
        let artifact = obj.status?.artifact?;
        (artifact.revision == revision).then_some(artifact)
    })
    .await
    .expect("artifact stored");
    assert!(
        artifact
            .url
            .starts_with(&format!("http://{store}/gitrepository/binary/app/"))
    );
    if extra.contains(&"--enable-leader-election") {
        let leases: Api<k8s_openapi::api::coordination::v1::Lease> =
            Api::namespaced(client.clone(), "binary");
        let held = leases.list(&ListParams::default()).await.expect("leases");
        let holder = held
            .items
            .iter()
            .find_map(|l| l.spec.as_ref()?.holder_identity.clone());
        assert!(holder.is_some(), "reconciled while holding the Lease");
    }
    let files = download(&artifact).await;
    assert_eq!(files, [("app.yaml".to_string(), "app\n".to_string())]);

    let (code, text) = get_text(&format!("http://{metrics}/metrics")).await;
    assert_eq!(code, 200);
    let line = text
        .lines()
        .find(|l| l.starts_with("gotk_reconcile_duration_seconds_count{"))
        .unwrap_or_else(|| panic!("no reconcile duration in:\n{text}"));
    for label in [
        "kind=\"GitRepository\"",
        "name=\"app\"",
        "namespace=\"binary\"",
    ] {
        assert!(line.contains(label), "{line}");
    }

    stop_tx.send(()).expect("stop");
    let result = tokio::time::timeout(WAIT, running)
        .await
        .expect("run stops")
        .expect("join");
    assert!(result.is_ok(), "{result:?}");
    for addr in [&metrics, &health, &store] {
        assert!(
            tokio::net::TcpStream::connect(addr.as_str()).await.is_err(),
            "{addr} still listening"
        );
    }
}
