//! A running source-controller for one test: fluxion-testkit's cluster (API server, Flux
//! CRDs, namespace), a storage directory served on a loopback port, and the controller task; all
//! stopped on drop.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use fluxion_api::conditions::READY;
use fluxion_api::meta::Artifact;
use fluxion_api::source::GitRepository;
use fluxion_runtime::conditions as cond;
use fluxion_testkit::cluster::{TestCluster, wait_object};
use k8s_openapi::api::core::v1::{Event, Secret};
use kube::Api;
use kube::api::PostParams;
use serde_json::{Value, json};
use source_controller::{Args, Context, controller, storage};
use tokio::task::JoinHandle;

pub const WAIT: Duration = fluxion_testkit::cluster::WAIT;

/// The shared test cluster (API server, client, namespace) plus this crate's storage, its
/// server and the controller.
pub struct Env {
    cluster: TestCluster,
    pub storage_dir: tempfile::TempDir,
    controller: JoinHandle<()>,
    config: source_controller::Config,
    registry: Arc<prometheus_client::registry::Registry>,
    storage_server: Option<fluxion_runtime::health::ServerHandle>,
}

impl std::ops::Deref for Env {
    type Target = TestCluster;
    fn deref(&self) -> &TestCluster {
        &self.cluster
    }
}

impl Env {
    pub async fn start(namespace: &str) -> Env {
        Self::start_with(namespace, |_| {}).await
    }

    /// Like [`Env::start`], with the controller's configuration adjusted by `tweak`.
    pub async fn start_with(
        namespace: &str,
        tweak: impl FnOnce(&mut source_controller::Config),
    ) -> Env {
        let cluster = TestCluster::start(namespace).await.expect("test cluster");
        let client = cluster.client.clone();
        let storage_dir = tempfile::tempdir().expect("storage dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let args = Args::parse_from_iter([
            "source-controller".to_string(),
            format!("--storage-path={}", storage_dir.path().display()),
            format!("--storage-adv-addr={addr}"),
            "--metrics-addr=0".into(),
            "--min-retry-delay=200ms".into(),
            "--max-retry-delay=2s".into(),
        ])
        .expect("args");
        let mut config = args.validate("test").expect("config");
        tweak(&mut config);
        let mut registry = prometheus_client::registry::Registry::default();
        let ctx = Arc::new(Context::new(client.clone(), &config, &mut registry).expect("ctx"));
        let storage_server = fluxion_runtime::health::ServerHandle::start(
            listener,
            storage::router(ctx.storage.clone()),
        );
        let controller = spawn_controller(ctx, &config);
        let registry = Arc::new(registry);
        Env {
            cluster,
            registry,
            storage_dir,
            controller,
            config,
            storage_server: Some(storage_server),
        }
    }

    /// Stops the controller and starts a fresh one (new caches, new context) over the same
    /// storage, as a restarted pod would.
    pub async fn restart_controller(&mut self) {
        self.controller.abort();
        let _ = (&mut self.controller).await;
        let mut registry = prometheus_client::registry::Registry::default();
        let ctx = Context::new(self.client.clone(), &self.config, &mut registry).expect("ctx");
        self.controller = spawn_controller(Arc::new(ctx), &self.config);
    }

    /// The controller's metrics in Prometheus text format.
    pub fn metrics_text(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("encode");
        text
    }

    pub fn repos(&self) -> Api<GitRepository> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    pub async fn create_secret(&self, name: &str, data: &[(&str, &str)]) {
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), &self.namespace);
        let string_data: serde_json::Map<String, Value> = data
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let secret: Secret =
            serde_json::from_value(json!({"metadata": {"name": name}, "stringData": string_data}))
                .expect("secret");
        secrets
            .create(&PostParams::default(), &secret)
            .await
            .expect("create secret");
    }

    pub async fn create_repo(&self, name: &str, spec: Value) -> GitRepository {
        let mut spec = spec;
        spec["interval"] = json!("10m");
        let obj: GitRepository = serde_json::from_value(json!({
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "GitRepository",
            "metadata": {"name": name, "namespace": self.namespace},
            "spec": spec,
        }))
        .expect("GitRepository");
        self.repos()
            .create(&PostParams::default(), &obj)
            .await
            .expect("create")
    }

    /// Waits until `check` holds for the object and returns it.
    pub async fn wait_repo(
        &self,
        name: &str,
        what: &str,
        check: impl Fn(&GitRepository) -> bool,
    ) -> GitRepository {
        wait_object(&self.repos(), name, what, check)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits for Ready=True with an artifact for `revision`.
    pub async fn wait_ready(&self, name: &str, revision: &str) -> GitRepository {
        self.wait_repo(name, &format!("Ready for {revision}"), |obj| {
            let Some(status) = &obj.status else {
                return false;
            };
            cond::is_true(&status.conditions, READY)
                && status
                    .artifact
                    .as_ref()
                    .is_some_and(|a| a.revision == revision)
        })
        .await
    }

    pub async fn events(&self) -> Vec<Event> {
        self.cluster.events().await.expect("events")
    }
}

fn spawn_controller(ctx: Arc<Context>, config: &source_controller::Config) -> JoinHandle<()> {
    let runtime = config.runtime.clone();
    tokio::spawn(async move {
        controller::run(ctx, &runtime, std::future::pending()).await;
    })
}

impl Drop for Env {
    fn drop(&mut self) {
        self.controller.abort();
        drop(self.storage_server.take());
    }
}

/// Downloads an artifact from its URL, checks its digest and size, and returns its files.
pub async fn download(artifact: &Artifact) -> Vec<(String, String)> {
    let bytes = reqwest::get(&artifact.url)
        .await
        .expect("GET artifact")
        .error_for_status()
        .expect("200")
        .bytes()
        .await
        .expect("body");
    let digest = format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    assert_eq!(digest, artifact.digest, "digest of the served file");
    assert_eq!(Some(bytes.len() as i64), artifact.size);
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let mut files = Vec::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        let mut content = String::new();
        entry.read_to_string(&mut content).expect("content");
        files.push((name, content));
    }
    files
}

/// Sets `reconcile.fluxcd.io/requestedAt` to ask for a run now.
pub async fn request_reconcile(repos: &Api<GitRepository>, name: &str, value: &str) {
    fluxion_testkit::cluster::request_reconcile(repos, name, value)
        .await
        .expect("annotate");
}
