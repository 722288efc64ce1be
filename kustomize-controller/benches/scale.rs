//! Benchmark: N Kustomizations (each a Deployment, Service, ServiceAccount and ConfigMap) from
//! OCIRepository artifacts reconciled to Ready by the kustomize-controller binary (a child
//! process, so its peak RSS is its own), against `kubectl apply --server-side` of the same
//! objects as the floor, both on one in-process fluxion-apiserver.
//! `cargo bench -p kustomize-controller --bench scale [-- N]` (default 1000).

use std::time::{Duration, Instant};

use fluxion_api::kustomize::Kustomization;
use fluxion_api::source::OCIRepository;
use fluxion_apiserver::{ApiServer, ServerConfig};
use fluxion_testkit::ArtifactServer;
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use serde_json::json;

const APP: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  greeting: hello
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
  - port: 80
    protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      serviceAccountName: app
      containers:
      - name: app
        image: ghcr.io/stefanprodan/podinfo:6.7.0
"#;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(run(n));
}

async fn create_namespace(client: &kube::Client, name: &str) {
    let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    let ns = serde_json::from_value(json!({"metadata": {"name": name}})).expect("ns");
    api.create(&PostParams::default(), &ns)
        .await
        .expect("namespace");
}

async fn run(n: usize) {
    fluxion_runtime::tls::install_crypto_provider();
    let server = ApiServer::start(ServerConfig::default())
        .await
        .expect("apiserver");
    let client = server.client().expect("client");
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        Api::all(client.clone());
    for crd in fluxion_api::crd::all() {
        crds.create(&PostParams::default(), &crd)
            .await
            .expect("crd");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    create_namespace(&client, "bench").await;
    create_namespace(&client, "floor").await;
    let artifacts = ArtifactServer::start().expect("artifact server");
    let served = artifacts
        .put_files("ocirepository/bench/app/app.tar.gz", &[("app.yaml", APP)])
        .expect("artifact");
    let revision = format!("v1@{}", served.digest);
    let repos: Api<OCIRepository> = Api::namespaced(client.clone(), "bench");
    for i in 0..n {
        let repo = serde_json::from_value(json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository",
            "metadata": {"name": format!("app-{i}"), "namespace": "bench"},
            "spec": {"url": "oci://example.invalid/app", "interval": "1h", "ref": {"tag": "v1"}},
        }))
        .expect("repo");
        repos
            .create(&PostParams::default(), &repo)
            .await
            .expect("create repo");
        let status = json!({"status": {"artifact": {
            "path": served.path, "url": served.url, "revision": revision,
            "digest": served.digest, "lastUpdateTime": "2025-01-01T00:00:00Z"}}});
        repos
            .patch_status(
                &format!("app-{i}"),
                &PatchParams::default(),
                &Patch::Merge(&status),
            )
            .await
            .expect("repo status");
    }

    let mut controller = tokio::process::Command::new(env!("CARGO_BIN_EXE_kustomize-controller"))
        .arg(format!("--kubeconfig={}", server.kubeconfig().display()))
        .args(["--metrics-addr=0", "--health-addr=0", "--log-level=error"])
        // As the image and the manifests ship it (Dockerfile, manifests/kustomize-controller).
        .env("MALLOC_ARENA_MAX", "2")
        .kill_on_drop(true)
        .spawn()
        .expect("kustomize-controller");
    let pid = controller.id().expect("pid");

    let ks_api: Api<Kustomization> = Api::namespaced(client.clone(), "bench");
    let started = Instant::now();
    for i in 0..n {
        let ks = serde_json::from_value(json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": format!("app-{i}"), "namespace": "bench"},
            "spec": {"interval": "1h", "prune": true, "targetNamespace": "bench",
                     "namePrefix": format!("app-{i}-"),
                     "sourceRef": {"kind": "OCIRepository", "name": format!("app-{i}")}},
        }))
        .expect("ks");
        ks_api
            .create(&PostParams::default(), &ks)
            .await
            .expect("create ks");
    }
    loop {
        let list = ks_api.list(&ListParams::default()).await.expect("list");
        let ready = list
            .items
            .iter()
            .filter(|k| {
                k.status.as_ref().is_some_and(|s| {
                    s.conditions
                        .iter()
                        .any(|c| c.type_ == "Ready" && c.status == "True")
                })
            })
            .count();
        if ready == n {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1800),
            "only {ready}/{n} Ready"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let controller_time = started.elapsed();
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let _ = controller.kill().await;

    let floor = floor(&server, n);
    println!("kustomize-controller: {n} Kustomizations Ready in {controller_time:.2?}; peak {rss}");
    println!(
        "kubectl apply --server-side of the same {} objects: {floor:.2?}",
        n * 4
    );
    println!(
        "ratio: {:.2}",
        controller_time.as_secs_f64() / floor.as_secs_f64()
    );
}

/// `kubectl apply --server-side` of the same objects into namespace `floor`.
fn floor(server: &ApiServer, n: usize) -> Duration {
    let dir = tempfile::tempdir().expect("tmp");
    let mut all = String::new();
    for i in 0..n {
        let prefixed = APP
            .replace(
                "metadata:\n  name: app\n",
                &format!("metadata:\n  name: app-{i}-app\n  namespace: floor\n"),
            )
            .replace(
                "serviceAccountName: app",
                &format!("serviceAccountName: app-{i}-app"),
            );
        all.push_str(&prefixed);
        all.push_str("\n---\n");
    }
    let file = dir.path().join("all.yaml");
    std::fs::write(&file, all).expect("write");
    let started = Instant::now();
    let out = std::process::Command::new("kubectl")
        .arg(format!("--kubeconfig={}", server.kubeconfig().display()))
        .args(["apply", "--server-side", "-f"])
        .arg(&file)
        .output()
        .expect("kubectl (Debian package kubectl)");
    assert!(
        out.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}
