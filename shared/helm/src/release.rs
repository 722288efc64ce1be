//! What Helm does with rendered templates before it installs them (Go package
//! `helm.sh/helm/v4/pkg/release/v1/util`): split files into YAML documents, separate hooks
//! (by their `helm.sh/hook` annotations) from plain manifests, and sort both by kind in
//! Helm's install order.

mod hooks;
mod prefetch;
mod sort;
mod split;
#[cfg(test)]
mod tests;

pub use hooks::{Hook, HookEvent, sort_manifests, sort_prefetched};
pub use prefetch::{FileHeads, Prefetch, render_with_prefetch};
pub use sort::{INSTALL_ORDER, UNINSTALL_ORDER, sort_by_kind};
pub use split::split_manifests;

/// The head of a manifest: what Helm reads of each document (`SimpleHead`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    /// `metadata.name`, when the document has metadata.
    pub name: Option<String>,
    pub annotations: std::collections::BTreeMap<String, String>,
}

/// One rendered, non-hook document and the template file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The template path (`chart/templates/x.yaml`).
    pub name: String,
    pub content: String,
    pub head: Head,
}
