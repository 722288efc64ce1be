//! Runs the built `fluxion` binary against an in-process fluxion-apiserver (and, for commands
//! that wait on a controller, the real source-controller and kustomize-controller in-process), each test in its own
//! server, namespace and temp dirs; everything stops on drop.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fluxion_apiserver::ServerConfig;
use fluxion_testkit::cluster::{Crds, TestCluster};
use tokio::task::JoinHandle;

/// What one run of the binary printed, and how it exited.
#[derive(Debug)]
pub struct Output {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// fluxion-testkit's cluster (API server, client, namespace) plus, when asked for, the real
/// source-controller with its storage.
pub struct Env {
    cluster: TestCluster,
    source_controller: Option<JoinHandle<()>>,
    kustomize_controller: Option<JoinHandle<()>>,
    storage_server: Option<fluxion_runtime::health::ServerHandle>,
    storage: Option<tempfile::TempDir>,
}

impl std::ops::Deref for Env {
    type Target = TestCluster;
    fn deref(&self) -> &TestCluster {
        &self.cluster
    }
}

impl Env {
    /// A server with a namespace and no CRDs (`fluxion install` brings them).
    pub async fn start(namespace: &str) -> Env {
        let cluster = TestCluster::start_with(namespace, ServerConfig::default(), Crds::None)
            .await
            .expect("test cluster");
        Env {
            cluster,
            source_controller: None,
            kustomize_controller: None,
            storage_server: None,
            storage: None,
        }
    }

    /// Runs `fluxion ARGS` with --kubeconfig and -n set for this env.
    pub async fn fluxion(&self, args: &[&str]) -> Output {
        let kubeconfig = self.server.kubeconfig().display().to_string();
        let mut all = vec![
            "--kubeconfig",
            kubeconfig.as_str(),
            "-n",
            self.namespace.as_str(),
            "--timeout",
            "60s",
        ];
        all.extend_from_slice(args);
        run(&all, None).await
    }

    /// Installs the CRDs and starts the real source-controller for this server.
    pub async fn with_source_controller(mut self) -> Env {
        let out = self.fluxion(&["install"]).await;
        assert!(out.ok, "install failed: {}", out.stderr);
        self.storage = Some(tempfile::tempdir().expect("storage"));
        self.start_source_controller().await;
        self
    }

    /// Starts source-controller over this env's storage, advertising a new loopback address.
    pub async fn start_source_controller(&mut self) {
        let storage = self.storage.as_ref().expect("with_source_controller first");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let args = source_controller::Args::parse_from_iter([
            "source-controller".to_string(),
            format!("--storage-path={}", storage.path().display()),
            format!("--storage-adv-addr={addr}"),
            "--metrics-addr=0".into(),
            "--min-retry-delay=200ms".into(),
            "--max-retry-delay=2s".into(),
        ])
        .expect("args");
        let config = args.validate("test").expect("config");
        let mut registry = prometheus_client::registry::Registry::default();
        let ctx = source_controller::Context::new(self.client.clone(), &config, &mut registry)
            .expect("ctx");
        let ctx = Arc::new(ctx);
        self.storage_server = Some(fluxion_runtime::health::ServerHandle::start(
            listener,
            source_controller::storage::router(ctx.storage.clone()),
        ));
        let runtime = config.runtime.clone();
        self.source_controller = Some(tokio::spawn(async move {
            source_controller::controller::run(ctx, &runtime, std::future::pending()).await;
        }));
    }

    /// Stops source-controller and its storage server, as a pod going away; the storage stays.
    pub async fn stop_source_controller(&mut self) {
        if let Some(controller) = self.source_controller.take() {
            controller.abort();
            let _ = controller.await;
        }
        drop(self.storage_server.take());
    }

    /// Starts the real kustomize-controller with Flux's defaults but short requeue delays.
    pub fn start_kustomize_controller(&mut self) {
        let args = kustomize_controller::Args::parse_from_iter([
            "kustomize-controller",
            "--metrics-addr=0",
            "--health-addr=0",
            "--min-retry-delay=200ms",
            "--max-retry-delay=2s",
        ])
        .expect("args");
        let config = args.validate().expect("config");
        let kube_config = self.server.client_config().expect("client config");
        let mut registry = prometheus_client::registry::Registry::default();
        let ctx = kustomize_controller::Context::new(
            self.client.clone(),
            kube_config,
            &config,
            &mut registry,
        )
        .expect("context");
        let runtime = config.runtime.clone();
        self.kustomize_controller = Some(tokio::spawn(async move {
            kustomize_controller::controller::run(Arc::new(ctx), &runtime, std::future::pending())
                .await;
        }));
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let controllers = [
            self.source_controller.take(),
            self.kustomize_controller.take(),
        ];
        for controller in controllers.into_iter().flatten() {
            controller.abort();
        }
        drop(self.storage_server.take());
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fluxion"))
}

/// Runs the binary with `args`, feeding `stdin` if given; killed if it outlives two minutes.
pub async fn run(args: &[&str], stdin: Option<(&str, &[(&str, &str)])>) -> Output {
    use tokio::io::AsyncWriteExt as _;
    let mut cmd = tokio::process::Command::new(binary());
    cmd.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some((_, env)) = stdin {
        for (k, v) in env {
            cmd.env(k, v);
        }
    }
    let mut child = cmd.spawn().expect("spawn fluxion");
    let mut input = child.stdin.take().expect("stdin");
    if let Some((text, _)) = stdin {
        input.write_all(text.as_bytes()).await.expect("write stdin");
    }
    drop(input);
    let out = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
        .await
        .expect("fluxion finished in time")
        .expect("fluxion output");
    Output {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A git smart-HTTP server holding `org/app` with one commit of `files`; the commit id.
pub fn served_repo(
    files: &[(&str, &str)],
) -> (
    fluxion_testkit::GitHttpServer,
    fluxion_testkit::WorkTree,
    String,
) {
    let git = fluxion_testkit::GitHttpServer::start().expect("git server");
    git.create_repo("org/app").expect("repo");
    let tree = fluxion_testkit::WorkTree::new().expect("worktree");
    let head = tree.commit(files, "first").expect("commit");
    tree.push(git.repo_path("org/app")).expect("push");
    (git, tree, head)
}

impl Env {
    /// `fluxion create source git NAME --url URL --branch=main EXTRA...`.
    pub async fn create_git_source(&self, name: &str, url: &str, extra: &[&str]) -> Output {
        let url = format!("--url={url}");
        let mut args = vec![
            "create",
            "source",
            "git",
            name,
            url.as_str(),
            "--branch=main",
        ];
        args.extend_from_slice(extra);
        self.fluxion(&args).await
    }
}
