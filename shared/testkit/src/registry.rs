//! An OCI registry for tests: Debian's `docker-registry` (CNCF distribution v2) with a temp
//! config on a loopback port, filesystem storage in the temp dir, optional htpasswd auth and
//! optional TLS from a generated test CA.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use base64::Engine;
use tempfile::TempDir;

use crate::error::{Error, Result};
use crate::oci::OciClient;
use crate::process::{ServerProcess, free_port, run};
use crate::tls::TestCa;

/// Where Debian installs the registry binary.
pub const DOCKER_REGISTRY: &str = "docker-registry";

/// What the registry demands and speaks.
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    htpasswd: Option<(String, String)>,
    tls: bool,
    client_cert: bool,
}

impl RegistryOptions {
    /// Requires basic auth with one bcrypt htpasswd entry for `user`.
    pub fn htpasswd(mut self, user: &str, password: &str) -> Self {
        self.htpasswd = Some((user.to_string(), password.to_string()));
        self
    }

    /// Serves HTTPS with a certificate from a fresh test CA.
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// Serves HTTPS and requires a client certificate issued by the test CA.
    pub fn client_cert(mut self) -> Self {
        self.tls = true;
        self.client_cert = true;
        self
    }
}

/// A running registry; killed (with its process group) on drop.
#[derive(Debug)]
pub struct Registry {
    process: ServerProcess,
    dir: TempDir,
    addr: SocketAddr,
    ca: Option<TestCa>,
    credentials: Option<(String, String)>,
}

impl Registry {
    /// Plain HTTP, anonymous.
    pub fn start() -> Result<Self> {
        Self::start_with(RegistryOptions::default())
    }

    /// Writes config.yml (and htpasswd, certificates) into a temp dir and starts the registry.
    pub fn start_with(options: RegistryOptions) -> Result<Self> {
        crate::process::require(DOCKER_REGISTRY, "--version")?;
        crate::process::retry_port_race(|| Self::try_start(&options))
    }

    fn try_start(options: &RegistryOptions) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("fluxion-registry-")
            .tempdir()
            .map_err(Error::io("creating registry dir"))?;
        let port = free_port()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let ca = options.tls.then(TestCa::generate).transpose()?;
        let mut config = base_config(dir.path(), addr);
        if let Some(ca) = &ca {
            let files = ca.write_to(dir.path())?;
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                files.cert.display(),
                files.key.display()
            ));
            if options.client_cert {
                config.push_str(&format!("    clientcas:\n      - {}\n", files.ca.display()));
            }
        }
        if let Some((user, password)) = &options.htpasswd {
            let path = dir.path().join("htpasswd");
            write_htpasswd(&path, user, password)?;
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: fluxion-testkit\n    path: {}\n",
                path.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).map_err(Error::io("writing config.yml"))?;
        let mut cmd = Command::new(DOCKER_REGISTRY);
        cmd.arg("serve").arg(&config_path);
        // The registry reads REGISTRY_* overrides; the test config must win.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("REGISTRY_") {
                cmd.env_remove(key);
            }
        }
        let log = dir.path().join("registry.log");
        let mut process = ServerProcess::spawn("docker-registry", cmd, &log)?;
        process.wait_listening(addr)?;
        Ok(Self {
            process,
            dir,
            addr,
            ca,
            credentials: options.htpasswd.clone(),
        })
    }

    /// The server's process id (the leader of the group killed on drop).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `127.0.0.1:PORT`, the host part of image references.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// `http://127.0.0.1:PORT` or `https://…`.
    pub fn base_url(&self) -> String {
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// `oci://127.0.0.1:PORT/<repo>`, the form an OCIRepository's `spec.url` takes.
    pub fn oci_url(&self, repo: &str) -> String {
        format!("oci://{}/{repo}", self.addr)
    }

    /// The test CA's PEM when TLS is on.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca.as_ref().map(|ca| ca.ca_pem.as_str())
    }

    /// The htpasswd user and password, when auth is on.
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.credentials
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.as_str()))
    }

    /// A `.dockerconfigjson` document for this registry (empty `auths` when anonymous).
    pub fn docker_config_json(&self) -> String {
        let auths = match self.credentials() {
            Some((user, password)) => {
                let auth =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                serde_json::json!({ self.host(): {
                    "username": user, "password": password, "auth": auth } })
            }
            None => serde_json::json!({}),
        };
        serde_json::json!({ "auths": auths }).to_string()
    }

    /// A client for the distribution API, with this registry's CA and credentials.
    pub fn client(&self) -> Result<OciClient> {
        OciClient::new(&self.base_url(), self.ca_pem(), self.credentials())
    }

    /// The test CA when TLS is on (to issue client certificates).
    pub fn ca(&self) -> Option<&TestCa> {
        self.ca.as_ref()
    }

    /// An anonymous client (to check that auth is enforced).
    pub fn anonymous_client(&self) -> Result<OciClient> {
        OciClient::new(&self.base_url(), self.ca_pem(), None)
    }

    /// The registry's log so far.
    pub fn log(&self) -> String {
        let _ = &self.dir;
        self.process.log_tail()
    }
}

fn base_config(dir: &Path, addr: SocketAddr) -> String {
    format!(
        "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
         health:\n  storagedriver:\n    enabled: false\n\
         http:\n  addr: {addr}\n  secret: fluxion-testkit\n",
        dir.join("data").display()
    )
}

/// One bcrypt entry made by `htpasswd -B` (distribution accepts bcrypt only).
fn write_htpasswd(path: &Path, user: &str, password: &str) -> Result<()> {
    let line = run(Command::new("htpasswd").args(["-nbB", user, password]))?;
    std::fs::write(path, format!("{line}\n")).map_err(Error::io("writing htpasswd"))
}
