//! Embedding: start the server on a loopback port in the current tokio runtime and get its
//! address, a kube::Client and a kubeconfig file for kubectl; dropping the handle stops it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::api::Api;
use crate::http::{AppState, router};
use crate::persist::{self, PersistError, Persistence};
use crate::store::{Store, WriteLog};

/// How to run the server.
pub struct ServerConfig {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How many change events watches can resume from (older ones get 410 Gone).
    pub history_limit: usize,
    /// How often watches that allow bookmarks receive one.
    pub bookmark_interval: Duration,
    /// The persistence hook, if any (not with `data_dir`).
    pub write_log: Option<Box<dyn WriteLog>>,
    /// Keep state in this directory (write-ahead log + snapshots) instead of memory only.
    pub data_dir: Option<PathBuf>,
    /// The log size that triggers a snapshot and the removal of older log segments.
    pub compact_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            history_limit: 10_000,
            bookmark_interval: Duration::from_secs(30),
            write_log: None,
            data_dir: None,
            compact_bytes: persist::DEFAULT_COMPACT_BYTES,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("binding {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("writing the kubeconfig: {0}")]
    Kubeconfig(std::io::Error),
    #[error("building a client: {0}")]
    Client(String),
    #[error("data directory: {0}")]
    Persist(#[from] PersistError),
    #[error("invalid configuration: {0}")]
    Config(&'static str),
}

/// A running server; stops when dropped.
pub struct ApiServer {
    addr: SocketAddr,
    api: Arc<Api>,
    task: JoinHandle<()>,
    dir: tempfile::TempDir,
    kubeconfig: PathBuf,
    persistence: Option<Arc<Persistence>>,
}

/// The name tests use for an embedded server.
pub type TestServer = ApiServer;

/// A kubeconfig for a plain-HTTP server at `url`, with `namespace` as the default.
pub fn kubeconfig_yaml(url: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: fluxion\n  cluster:\n    server: {url}\ncontexts:\n- name: fluxion\n  context:\n    cluster: fluxion\n    user: fluxion\n    namespace: {namespace}\ncurrent-context: fluxion\nusers:\n- name: fluxion\n  user: {{}}\n"
    )
}

impl ApiServer {
    /// Starts a server with the default namespaces, in the current tokio runtime.
    pub async fn start(config: ServerConfig) -> Result<ApiServer, ServerError> {
        let want = SocketAddr::new(config.bind, config.port);
        let listener = tokio::net::TcpListener::bind(want)
            .await
            .map_err(|source| ServerError::Bind { addr: want, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServerError::Bind { addr: want, source })?;
        let dir = tempfile::tempdir().map_err(ServerError::Kubeconfig)?;
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            kubeconfig_yaml(&format!("http://{addr}"), "default"),
        )
        .map_err(ServerError::Kubeconfig)?;
        let bookmark_interval = config.bookmark_interval;
        let (store, persistence) = open_store(config)?;
        let api = Arc::new(Api::new(store.clone()));
        // Stored CRDs are served before any request can ask for their objects.
        api.reload_crds();
        api.bootstrap();
        let state = Arc::new(AppState {
            api: api.clone(),
            address: addr.to_string(),
            bookmark_interval,
        });
        let mut app = router(state);
        if let Some(p) = &persistence {
            let gate = persist::Gate {
                store,
                persistence: p.clone(),
            };
            app = app.layer(axum::middleware::from_fn_with_state(
                gate,
                persist::durable_gate,
            ));
        }
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "API server stopped");
            }
        });
        Ok(ApiServer {
            addr,
            api,
            task,
            dir,
            kubeconfig,
            persistence,
        })
    }

    /// The data directory's persistence, when the server has one (to compact on demand).
    pub fn persistence(&self) -> Option<&Arc<Persistence>> {
        self.persistence.as_ref()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kubeconfig file naming this server (for `kubectl --kubeconfig`).
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// A scratch directory that lives as long as the server (kubectl caches, files).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's state, for direct inspection.
    pub fn api(&self) -> &Arc<Api> {
        &self.api
    }

    /// A kube client for this server, with `default` as its namespace.
    pub fn client(&self) -> Result<kube::Client, ServerError> {
        let uri = self
            .url()
            .parse()
            .map_err(|e: axum::http::uri::InvalidUri| ServerError::Client(e.to_string()))?;
        let config = kube::Config::new(uri);
        kube::Client::try_from(config).map_err(|e| ServerError::Client(e.to_string()))
    }
}

/// The store: in memory, or recovered from and logging to the data directory.
fn open_store(config: ServerConfig) -> Result<(Arc<Store>, Option<Arc<Persistence>>), ServerError> {
    let Some(dir) = &config.data_dir else {
        let store = Store::new(config.history_limit, config.write_log);
        return Ok((Arc::new(store), None));
    };
    if config.write_log.is_some() {
        return Err(ServerError::Config(
            "data_dir and write_log exclude each other",
        ));
    }
    let (p, recovered) = Persistence::open(dir, config.compact_bytes)?;
    let store = Arc::new(Store::new(config.history_limit, Some(p.write_log())));
    store.restore(recovered.objects.into_iter().collect(), recovered.rv);
    if let Err(e) = p.start(&store) {
        p.close();
        return Err(e.into());
    }
    Ok((store, Some(p)))
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.task.abort();
        // Connections still open keep the API alive: close the log so the directory is
        // free for the next server and late writes are refused.
        if let Some(p) = &self.persistence {
            p.close();
        }
    }
}
