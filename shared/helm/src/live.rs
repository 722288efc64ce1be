//! Rendering against a live cluster, as `helm template --dry-run=server` does: a blocking
//! client the synchronous template engine can call ([`Cluster`]), Helm's `lookup` over it
//! ([`ClusterLookup`]), `.Capabilities` from the server's discovery ([`server_capabilities`])
//! and the checks Helm's install runs on the rendered manifest before a dry run ends
//! ([`check_manifest`]).

mod client;
mod discovery;
mod install_check;
mod lookup;

pub use client::{ApiError, Cluster, ClusterOptions, kubeconfig_namespace};
pub use discovery::{GroupVersionKind, Mapping, server_capabilities};
pub use install_check::{ManifestObject, check_manifest};
pub use lookup::ClusterLookup;

/// Why talking to the cluster failed, worded as Helm words it after `Error: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LiveError(pub String);
