//! Embedding: start the server on a loopback port in the current tokio runtime and get its
//! address, a kube::Client and a kubeconfig file for kubectl; dropping the handle stops it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::api::Api;
use crate::auth::{self, Auth, AuthConfig};
use crate::http::{AppState, router};
use crate::persist::{self, PersistError, Persistence};
use crate::store::{Store, WriteLog};

/// How to run the server.
pub struct ServerConfig {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// HTTPS, bearer tokens and RBAC; all off by default.
    pub auth: AuthConfig,
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
            auth: AuthConfig::default(),
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
    #[error(transparent)]
    Tls(#[from] auth::tls::TlsError),
    #[error(transparent)]
    Auth(#[from] auth::AuthError),
    #[error("client certificates need a server started with TLS")]
    NoCertificateAuthority,
}

/// A running server; stops when dropped.
pub struct ApiServer {
    addr: SocketAddr,
    api: Arc<Api>,
    task: JoinHandle<()>,
    dir: tempfile::TempDir,
    kubeconfig: PathBuf,
    persistence: Option<Arc<Persistence>>,
    auth: Arc<Auth>,
    /// The CA certificate (DER and PEM) when serving HTTPS.
    ca: Option<(Vec<u8>, String)>,
    /// The CA's signing side, for client certificates.
    issuer: Option<rcgen::Issuer<'static, rcgen::KeyPair>>,
    /// The `admin` user's client certificate, when clients present certificates.
    admin_cert: Option<auth::ClientCertificate>,
    /// The token controller filling service-account token Secrets.
    token_controller: JoinHandle<()>,
}

/// The name tests use for an embedded server.
pub type TestServer = ApiServer;

/// A kubeconfig for a plain-HTTP server at `url`, with `namespace` as the default.
pub fn kubeconfig_yaml(url: &str, namespace: &str) -> String {
    kubeconfig_with(url, namespace, None, None)
}

/// A kubeconfig trusting `ca_pem` (certificate-authority-data) and sending `token`.
pub fn kubeconfig_with(
    url: &str,
    namespace: &str,
    ca_pem: Option<&str>,
    token: Option<&str>,
) -> String {
    let user = token
        .map(|t| format!("\n    token: {t}\n"))
        .unwrap_or_else(|| " {}\n".to_string());
    kubeconfig_for(url, namespace, ca_pem, &user)
}

/// A kubeconfig trusting `ca_pem` and presenting a client certificate
/// (client-certificate-data and client-key-data).
pub fn kubeconfig_with_certificate(
    url: &str,
    namespace: &str,
    ca_pem: Option<&str>,
    cert: &auth::ClientCertificate,
) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let user = format!(
        "\n    client-certificate-data: {}\n    client-key-data: {}\n",
        b64(&cert.cert_pem),
        b64(&cert.key_pem)
    );
    kubeconfig_for(url, namespace, ca_pem, &user)
}

fn kubeconfig_for(url: &str, namespace: &str, ca_pem: Option<&str>, user: &str) -> String {
    use base64::Engine;
    let ca = ca_pem
        .map(|pem| {
            let data = base64::engine::general_purpose::STANDARD.encode(pem);
            format!("    certificate-authority-data: {data}\n")
        })
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: fluxion\n  cluster:\n    server: {url}\n{ca}contexts:\n- name: fluxion\n  context:\n    cluster: fluxion\n    user: fluxion\n    namespace: {namespace}\ncurrent-context: fluxion\nusers:\n- name: fluxion\n  user:{user}"
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
        // Certificates first: a failure here leaves no data directory open.
        let auth_config = config.auth.clone();
        if auth_config.wants_client_certificates() && !auth_config.tls {
            return Err(auth::AuthError::CertificatesWithoutTls.into());
        }
        let data_dir = config.data_dir.clone();
        // With a data directory the CA is kept there, as the signing key of tokens is.
        let certs = match (auth_config.tls, &data_dir) {
            (false, _) => None,
            (true, Some(dir)) => Some(auth::tls::load_or_generate(dir)?),
            (true, None) => Some(auth::tls::generate()?),
        };
        let bookmark_interval = config.bookmark_interval;
        let (store, persistence) = open_store(config)?;
        let api = Arc::new(Api::new(store.clone()));
        // Stored CRDs are served before any request can ask for their objects.
        api.reload_crds();
        api.bootstrap();
        crate::rbac::bootstrap::install(&api);
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
        // Added last, so it runs first: refused requests never reach the gate.
        let ca_der = certs.as_ref().map(|c| c.ca_der.as_slice());
        let auth = match Auth::new(&auth_config, api.clone(), data_dir.as_deref(), ca_der) {
            Ok(a) => Arc::new(a),
            Err(e) => {
                if let Some(p) = &persistence {
                    p.close();
                }
                return Err(e.into());
            }
        };
        app = app.layer(axum::middleware::from_fn_with_state(
            auth.clone(),
            auth::guard,
        ));
        let client_certs = auth_config.wants_client_certificates();
        let server = ApiServer::finish(addr, api, persistence, auth, certs, client_certs, |tls| {
            serve(listener, app, tls)
        })?;
        Ok(server)
    }

    /// Serves, then writes the kubeconfig (it carries the CA and the admin's token); on
    /// failure the data directory is closed again.
    fn finish(
        addr: SocketAddr,
        api: Arc<Api>,
        persistence: Option<Arc<Persistence>>,
        auth: Arc<Auth>,
        certs: Option<auth::tls::Certificates>,
        client_certs: bool,
        serve: impl FnOnce(Option<Arc<rustls::ServerConfig>>) -> std::io::Result<JoinHandle<()>>,
    ) -> Result<ApiServer, ServerError> {
        let close = |e: ServerError| {
            if let Some(p) = &persistence {
                p.close();
            }
            e
        };
        let tls = match certs.as_ref().map(|c| c.server_config(client_certs)) {
            Some(Err(e)) => return Err(close(e.into())),
            Some(Ok(t)) => Some(t),
            None => None,
        };
        let admin_cert = match (&certs, client_certs) {
            (Some(c), true) => {
                let spec = auth::CertSpec::new("admin", &[crate::rbac::MASTERS]);
                Some(auth::client_cert::issue(&c.issuer, &spec).map_err(|e| close(e.into()))?)
            }
            _ => None,
        };
        let task = serve(tls).map_err(|source| close(ServerError::Bind { addr, source }))?;
        let dir = tempfile::tempdir().map_err(|e| close(ServerError::Kubeconfig(e)))?;
        let kubeconfig = dir.path().join("kubeconfig");
        let ca_pem = certs.as_ref().map(|c| c.ca_pem.clone());
        let token_controller = auth::legacy::spawn(auth.clone(), ca_pem);
        let server = ApiServer {
            addr,
            api,
            task,
            dir,
            kubeconfig,
            persistence,
            auth,
            ca: certs.as_ref().map(|c| (c.ca_der.clone(), c.ca_pem.clone())),
            issuer: certs.map(|c| c.issuer),
            admin_cert,
            token_controller,
        };
        let written = match &server.admin_cert {
            Some(cert) => server.write_kubeconfig_with_certificate(&server.kubeconfig, cert),
            None => {
                let token = server.auth.admin_token.clone();
                server.write_kubeconfig(&server.kubeconfig, token.as_deref())
            }
        };
        written.map_err(ServerError::Kubeconfig)?;
        Ok(server)
    }

    /// Writes a kubeconfig for this server that presents the client certificate `cert`.
    pub fn write_kubeconfig_with_certificate(
        &self,
        path: &Path,
        cert: &auth::ClientCertificate,
    ) -> std::io::Result<()> {
        let ca = self.ca.as_ref().map(|(_, pem)| pem.as_str());
        let text = kubeconfig_with_certificate(&self.url(), "default", ca, cert);
        std::fs::write(path, text)
    }

    /// A client certificate the server's CA signs (CN = user, O = groups); it authenticates
    /// when the server takes client certificates.
    pub fn issue_client_certificate(
        &self,
        spec: &auth::CertSpec,
    ) -> Result<auth::ClientCertificate, ServerError> {
        let issuer = self
            .issuer
            .as_ref()
            .ok_or(ServerError::NoCertificateAuthority)?;
        Ok(auth::client_cert::issue(issuer, spec)?)
    }

    /// The `admin` user's client certificate, when the server takes client certificates.
    pub fn admin_certificate(&self) -> Option<&auth::ClientCertificate> {
        self.admin_cert.as_ref()
    }

    /// Writes a kubeconfig for this server that sends `token` (none: no credentials).
    pub fn write_kubeconfig(&self, path: &Path, token: Option<&str>) -> std::io::Result<()> {
        let ca = self.ca.as_ref().map(|(_, pem)| pem.as_str());
        std::fs::write(path, kubeconfig_with(&self.url(), "default", ca, token))
    }

    /// The generated token of the `admin` user (system:masters), when tokens are required.
    pub fn admin_token(&self) -> Option<&str> {
        self.auth.admin_token.as_deref()
    }

    /// The CA certificate (PEM) clients must trust, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|(_, pem)| pem.as_str())
    }

    /// Adds a token for `user` while the server runs.
    pub fn add_token(&self, token: &str, user: auth::UserInfo) {
        self.auth.tokens.insert(token, user);
    }

    /// A token of the service account `namespace/name` (user
    /// `system:serviceaccount:NS:NAME`, groups system:serviceaccounts and
    /// system:serviceaccounts:NS): a signed JWT bound to the stored service account, as
    /// `kubectl create token` gets (valid for a day, the server's audiences). For a service
    /// account that is not stored, a static token of that identity, as a token-file entry.
    pub fn service_account_token(&self, namespace: &str, name: &str) -> String {
        if let Ok(token) = self.auth.service_account_jwt(namespace, name, 24 * 3600) {
            return token;
        }
        let token = auth::tokens::random_token();
        self.add_token(&token, auth::UserInfo::service_account(namespace, name));
        token
    }

    /// The data directory's persistence, when the server has one (to compact on demand).
    pub fn persistence(&self) -> Option<&Arc<Persistence>> {
        self.persistence.as_ref()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://` when serving TLS.
    pub fn url(&self) -> String {
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
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
        kube::Client::try_from(self.client_config()?)
            .map_err(|e| ServerError::Client(e.to_string()))
    }

    /// The client configuration of [`ApiServer::client`]: the server's URL, its CA when
    /// serving HTTPS and the admin's token when tokens are required. Set
    /// `auth_info.impersonate` on it to act as someone else.
    pub fn client_config(&self) -> Result<kube::Config, ServerError> {
        let uri = self
            .url()
            .parse()
            .map_err(|e: axum::http::uri::InvalidUri| ServerError::Client(e.to_string()))?;
        let mut config = kube::Config::new(uri);
        if let Some((der, _)) = &self.ca {
            config.root_cert = Some(vec![der.clone()]);
        }
        if let Some(cert) = &self.admin_cert {
            use base64::Engine;
            let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
            let info = serde_json::json!({
                "client-certificate-data": b64(&cert.cert_pem),
                "client-key-data": b64(&cert.key_pem),
            });
            config.auth_info =
                serde_json::from_value(info).map_err(|e| ServerError::Client(e.to_string()))?;
        } else if let Some(token) = self.admin_token() {
            config.auth_info = serde_json::from_value(serde_json::json!({ "token": token }))
                .map_err(|e| ServerError::Client(e.to_string()))?;
        }
        Ok(config)
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
        self.token_controller.abort();
        // Connections still open keep the API alive: close the log so the directory is
        // free for the next server and late writes are refused.
        if let Some(p) = &self.persistence {
            p.close();
        }
    }
}

/// Serves `app` on `listener`, over TLS when a configuration is given.
fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<JoinHandle<()>> {
    let Some(tls) = tls else {
        return Ok(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "API server stopped");
            }
        }));
    };
    let config = axum_server::tls_rustls::RustlsConfig::from_config(tls);
    // The acceptor hands each request the client's certificates, for the authenticator.
    let acceptor = auth::client_cert::PeerCertAcceptor::new(
        axum_server::tls_rustls::RustlsAcceptor::new(config),
    );
    let server = axum_server::from_tcp(listener.into_std()?)?.acceptor(acceptor);
    Ok(tokio::spawn(async move {
        if let Err(e) = server.serve(app.into_make_service()).await {
            tracing::error!(error = %e, "API server stopped");
        }
    }))
}
