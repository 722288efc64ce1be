//! What can go wrong in a command, worded for the person at the terminal.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CliError {
    /// The command line is valid for clap but not for the command (missing ref, bad URL...).
    #[error("{0}")]
    Usage(String),
    #[error("kubeconfig: {0}")]
    Kubeconfig(String),
    #[error("{0}")]
    Kube(#[from] kube::Error),
    #[error("{kind} object '{name}' not found in \"{namespace}\" namespace")]
    NotFound {
        kind: String,
        name: String,
        namespace: String,
    },
    #[error("{0}")]
    Build(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("timeout waiting for {0}")]
    Timeout(String),
    /// The object reconciled, and failed: its Ready message.
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn usage(msg: impl Into<String>) -> Self {
        CliError::Usage(msg.into())
    }
}
