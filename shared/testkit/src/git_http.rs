//! Git smart HTTP for tests: `git http-backend` (CGI) behind an in-process hyper front on
//! 127.0.0.1, with optional basic auth, bearer token and TLS from a generated test CA.

mod cgi;

pub use cgi::RequestRecord;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Result;
use crate::repos::BareRepos;
use crate::serve::LoopbackServer;
use crate::tls::TestCa;

/// What the HTTP front demands and speaks.
#[derive(Clone, Debug, Default)]
pub struct GitHttpOptions {
    basic_auth: Option<(String, String)>,
    bearer_token: Option<String>,
    tls: bool,
    client_cert: bool,
}

impl GitHttpOptions {
    /// Requires HTTP basic auth with this user and password.
    pub fn basic_auth(mut self, user: &str, password: &str) -> Self {
        self.basic_auth = Some((user.to_string(), password.to_string()));
        self
    }

    /// Requires `Authorization: Bearer <token>` (either credential passes when both are set).
    pub fn bearer_token(mut self, token: &str) -> Self {
        self.bearer_token = Some(token.to_string());
        self
    }

    /// Serves HTTPS with a certificate from a fresh test CA.
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// Serves HTTPS and requires a client certificate issued by the test CA
    /// (get one with [`TestCa::issue_client`]).
    pub fn client_cert(mut self) -> Self {
        self.tls = true;
        self.client_cert = true;
        self
    }
}

/// A running git smart-HTTP server; stopped on drop.
#[derive(Debug)]
pub struct GitHttpServer {
    /// First, so that it stops serving before the repositories are removed.
    server: LoopbackServer,
    repos: BareRepos,
    front: Arc<cgi::Front>,
    ca: Option<TestCa>,
}

impl GitHttpServer {
    /// Plain HTTP, no authentication.
    pub fn start() -> Result<Self> {
        Self::start_with(GitHttpOptions::default())
    }

    /// Starts the front on its own thread and runtime, so sync and async tests can both use it.
    pub fn start_with(options: GitHttpOptions) -> Result<Self> {
        crate::process::require("git", "--version")?;
        let repos = BareRepos::new()?;
        let ca = if options.tls {
            Some(TestCa::generate()?)
        } else {
            None
        };
        let tls = ca
            .as_ref()
            .map(|ca| ca.server_config(options.client_cert))
            .transpose()?;
        let state = Arc::new(cgi::Front {
            root: repos.root().to_path_buf(),
            basic_auth: options.basic_auth,
            bearer_token: options.bearer_token,
            log: std::sync::Mutex::new(Vec::new()),
        });
        let log_view = state.clone();
        let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
        let server = LoopbackServer::start("git-http-front", move |stream| {
            cgi::connection(stream, acceptor.clone(), state.clone())
        })?;
        Ok(Self {
            repos,
            server,
            front: log_view,
            ca,
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `http://127.0.0.1:PORT` or `https://…`.
    pub fn base_url(&self) -> String {
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.server.addr())
    }

    /// The clone URL of repository `name`, e.g. `http://127.0.0.1:PORT/org/app.git`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{}", self.base_url(), BareRepos::relative(name))
    }

    /// The test CA's PEM when TLS is on.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|ca| ca.ca_pem.as_str())
    }

    /// The test CA when TLS is on (to issue client certificates, for instance).
    pub fn ca(&self) -> Option<&TestCa> {
        self.ca.as_ref()
    }

    /// Creates an empty bare repository `name` and returns its path.
    pub fn create_repo(&self, name: &str) -> Result<PathBuf> {
        self.repos.create(name)
    }

    /// The path of repository `name` on disk (push there directly from a [`crate::WorkTree`]).
    pub fn repo_path(&self, name: &str) -> PathBuf {
        self.repos.path(name)
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.front.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The served repositories (e.g. to set a default branch).
    pub fn repos(&self) -> &BareRepos {
        &self.repos
    }

    /// The root of all served repositories.
    pub fn root(&self) -> &Path {
        self.repos.root()
    }
}
