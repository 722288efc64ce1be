//! A blocking Kubernetes client: a kube::Client driven by its own small tokio runtime, so the
//! synchronous template engine can call it from anywhere, including from inside another
//! runtime (no nested `block_on`: requests are spawned onto the private runtime and the
//! caller waits on a channel).

use std::path::{Path, PathBuf};

use kube::config::{KubeConfigOptions, Kubeconfig};

use super::LiveError;

/// Which cluster to talk to: Helm's `--kubeconfig` and `--kube-context`.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// A kubeconfig file; `None` reads `KUBECONFIG` or `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// A context of that kubeconfig; `None` is its current context.
    pub context: Option<String>,
}

/// An API request that failed: the HTTP status when the server answered, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: Option<u16>,
    pub message: String,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        self.code == Some(404)
    }
}

/// A connected cluster whose requests block the calling thread.
pub struct Cluster {
    runtime: Option<tokio::runtime::Runtime>,
    client: kube::Client,
    server: String,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("server", &self.server)
            .finish()
    }
}

/// The kubeconfig files Helm would read: the flag, else every file `KUBECONFIG` lists,
/// else `~/.kube/config`.
fn kubeconfig_paths(opts: &ClusterOptions) -> Vec<PathBuf> {
    if let Some(p) = &opts.kubeconfig {
        return vec![p.clone()];
    }
    if let Some(env) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        return std::env::split_paths(&env)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    std::env::var_os("HOME")
        .map(|h| vec![Path::new(&h).join(".kube/config")])
        .unwrap_or_default()
}

fn read_one(path: &Path) -> Result<Kubeconfig, LiveError> {
    Kubeconfig::read_from(path).map_err(|e| {
        LiveError(format!(
            "error loading config file {:?}: {e}",
            path.display().to_string()
        ))
    })
}

/// Reads (and merges, first file winning, as client-go does) the kubeconfig. An explicit
/// file must exist; files `KUBECONFIG` lists that do not exist are skipped.
fn read_kubeconfig(opts: &ClusterOptions) -> Result<Kubeconfig, LiveError> {
    let paths = kubeconfig_paths(opts);
    if let Some(flag) = &opts.kubeconfig
        && !flag.exists()
    {
        return Err(LiveError(format!(
            "stat {}: no such file or directory",
            flag.display()
        )));
    }
    let mut merged: Option<Kubeconfig> = None;
    for path in paths.iter().filter(|p| p.exists()) {
        let next = read_one(path)?;
        merged = Some(match merged {
            None => next,
            Some(first) => first.merge(next).map_err(|e| LiveError(e.to_string()))?,
        });
    }
    // client-go's empty configuration: a local insecure API server.
    let config = merged.unwrap_or_else(default_kubeconfig);
    if let Some(ctx) = &opts.context
        && !config.contexts.iter().any(|c| &c.name == ctx)
    {
        return Err(LiveError(format!("context {ctx:?} does not exist")));
    }
    Ok(config)
}

/// What client-go falls back to without any kubeconfig: `http://localhost:8080`.
fn default_kubeconfig() -> Kubeconfig {
    let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: http://localhost:8080\ncontexts:\n- name: local\n  context:\n    cluster: local\n    user: local\ncurrent-context: local\nusers:\n- name: local\n  user: {}\n";
    Kubeconfig::from_yaml(text).unwrap_or_default()
}

/// The namespace of the kubeconfig's context (Helm's default for `-n`), when there is one.
pub fn kubeconfig_namespace(opts: &ClusterOptions) -> Option<String> {
    let config = read_kubeconfig(opts).ok()?;
    let name = opts.context.clone().or(config.current_context.clone())?;
    let ctx = config.contexts.iter().find(|c| c.name == name)?;
    ctx.context
        .as_ref()?
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
}

impl Cluster {
    /// Reads the kubeconfig and builds a client; nothing is sent yet.
    pub fn connect(opts: &ClusterOptions) -> Result<Cluster, LiveError> {
        let kubeconfig = read_kubeconfig(opts)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("fluxion-helm-kube")
            .enable_all()
            .build()
            .map_err(|e| LiveError(format!("cannot start the client runtime: {e}")))?;
        let options = KubeConfigOptions {
            context: opts.context.clone(),
            ..Default::default()
        };
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let made = async {
                let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                    .await
                    .map_err(|e| LiveError(e.to_string()))?;
                let server = config.cluster_url.to_string();
                let client =
                    kube::Client::try_from(config).map_err(|e| LiveError(e.to_string()))?;
                Ok::<_, LiveError>((client, server))
            }
            .await;
            let _ = tx.send(made);
        });
        let (client, server) = rx
            .recv()
            .map_err(|_| LiveError("the client runtime stopped".into()))??;
        Ok(Cluster {
            runtime: Some(runtime),
            client,
            server: server.trim_end_matches('/').to_string(),
        })
    }

    /// GETs an API path and returns its JSON body.
    pub fn get(&self, path: &str) -> Result<serde_json::Value, ApiError> {
        let Some(runtime) = &self.runtime else {
            return Err(transport("the client runtime stopped".into()));
        };
        let client = self.client.clone();
        let request = http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| transport(e.to_string()))?;
        let url = format!("{}{path}", self.server);
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let _ = tx.send(client.request_text(request).await);
        });
        let text = match rx.recv() {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => return Err(api_error(e, &url)),
            Err(_) => return Err(transport("the client runtime stopped".into())),
        };
        serde_json::from_str(&text).map_err(|e| transport(format!("invalid JSON from {url}: {e}")))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // A runtime must not be dropped inside another one's async context.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

fn transport(message: String) -> ApiError {
    ApiError {
        code: None,
        message,
    }
}

/// client-go's wording: a Status's message, or `Get "URL": dial tcp ...` when the
/// connection failed.
fn api_error(e: kube::Error, url: &str) -> ApiError {
    match e {
        kube::Error::Api(status) => ApiError {
            code: Some(status.code),
            message: if status.message.is_empty() {
                format!("the server responded with the status code {}", status.code)
            } else {
                status.message
            },
        },
        other => {
            let text = error_chain(&other);
            let host = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or("");
            // Go names the address it dialled, not the host name.
            let dialled = std::net::ToSocketAddrs::to_socket_addrs(host)
                .ok()
                .and_then(|mut addrs| addrs.find(|a| a.is_ipv4()))
                .map_or_else(|| host.to_string(), |a| a.to_string());
            let cause =
                if text.contains("Connection refused") || text.contains("connection refused") {
                    format!("dial tcp {dialled}: connect: connection refused")
                } else {
                    text
                };
            transport(format!("Get {url:?}: {cause}"))
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
