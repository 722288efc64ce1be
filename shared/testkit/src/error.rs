//! The testkit's error type: a missing tool names its Debian package, a failed command keeps its stderr.

use std::time::Duration;

/// Result alias used throughout the testkit.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while starting a server or building a fixture.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A real component is not installed; tests fail on this, they never skip.
    #[error(
        "required binary `{binary}` is not installed (Debian package `{package}`; `scripts/test` installs it)"
    )]
    MissingBinary {
        binary: String,
        package: &'static str,
    },
    /// A command ran and exited unsuccessfully.
    #[error("`{command}` failed ({status}): {stderr}")]
    Command {
        command: String,
        status: String,
        stderr: String,
    },
    /// Local I/O failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A server did not answer in time; `log` is the tail of its output.
    #[error("{server} not ready within {timeout:?}: {log}")]
    NotReady {
        server: &'static str,
        timeout: Duration,
        log: String,
    },
    /// Certificate generation or TLS setup failed.
    #[error("tls: {0}")]
    Tls(String),
    /// The OCI registry answered something unexpected.
    #[error("registry: {0}")]
    Registry(String),
    /// The test cluster (fluxion-apiserver) refused or did not answer in time.
    #[error("cluster: {0}")]
    Kube(String),
    /// An HTTP request to a test server failed.
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
}

impl Error {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let what = what.into();
        move |source| Error::Io { what, source }
    }
}
