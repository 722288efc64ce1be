//! Runs the built `fluxion` binary against an in-process fluxion-apiserver (and, for commands
//! that wait on a controller, the real source-controller in-process), each test in its own
//! server, namespace and temp dirs; everything stops on drop.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fluxion_apiserver::{ApiServer, ServerConfig};
use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::PostParams;
use serde_json::json;
use tokio::task::JoinHandle;

/// What one run of the binary printed, and how it exited.
#[derive(Debug)]
pub struct Output {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub struct Env {
    pub server: ApiServer,
    pub client: kube::Client,
    pub namespace: String,
    controller: Option<JoinHandle<()>>,
    storage_server: Option<fluxion_runtime::health::ServerHandle>,
    _storage: Option<tempfile::TempDir>,
}

impl Env {
    /// A server with a namespace and no CRDs (`fluxion install` brings them).
    pub async fn start(namespace: &str) -> Env {
        fluxion_runtime::tls::install_crypto_provider();
        let server = ApiServer::start(ServerConfig::default())
            .await
            .expect("apiserver");
        let client = server.client().expect("client");
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let ns: Namespace =
            serde_json::from_value(json!({"metadata": {"name": namespace}})).expect("ns");
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .expect("namespace");
        Env {
            server,
            client,
            namespace: namespace.to_string(),
            controller: None,
            storage_server: None,
            _storage: None,
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
        let storage = tempfile::tempdir().expect("storage");
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
        self.controller = Some(tokio::spawn(async move {
            source_controller::controller::run(ctx, &runtime, std::future::pending()).await;
        }));
        self._storage = Some(storage);
        self
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
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
