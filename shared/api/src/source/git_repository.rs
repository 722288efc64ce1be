//! GitRepository (source.toolkit.fluxcd.io/v1): a Git repository to fetch and package as an artifact.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::TIMEOUT_PATTERN;
use crate::meta::{Artifact, Condition, LocalObjectReference};

#[path = "git_reference.rs"]
mod git_reference;
pub use git_reference::*;

/// Timeout of Git operations when `spec.timeout` is unset.
pub const DEFAULT_GIT_TIMEOUT: Duration = Duration::from_secs(60);

/// GitRepository is the Schema for the gitrepositories API.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "source.toolkit.fluxcd.io",
    version = "v1",
    kind = "GitRepository",
    plural = "gitrepositories",
    shortname = "gitrepo",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-sources",
    namespaced,
    status = "GitRepositoryStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"URL","type":"string","jsonPath":".spec.url"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))",
    "message": "serviceAccountName can only be set when provider is 'azure' or 'aws'"
}]))]
pub struct GitRepositorySpec {
    /// Repository address: `http://`, `https://` or `ssh://`.
    #[schemars(regex(pattern = r"^(http|https|ssh)://.*$"))]
    pub url: String,
    /// Secret with credentials: `username`/`password` or `bearerToken` over HTTPS,
    /// `identity`/`known_hosts` over SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Where credentials come from; `generic` (the secretRef) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<GitProvider>,
    /// Kubernetes ServiceAccount to authenticate with; `azure` and `aws` providers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// How often to look for new revisions (approximate, jittered).
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// Timeout of Git operations such as clone; 60s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = TIMEOUT_PATTERN), extend("default" = "60s"))]
    pub timeout: Option<String>,
    /// The reference to check out and watch; the `master` branch when unset.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<GitRepositoryRef>,
    /// Commit signature verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<GitRepositoryVerification>,
    /// Secret with the proxy settings for reaching the Git server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// Exclusion patterns in `.sourceignore` (gitignore) format, replacing the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// Stops reconciliation while true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Also clone every submodule, with its default settings.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recurse_submodules: bool,
    /// Other GitRepositories whose artifacts are copied into this artifact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<GitRepositoryInclude>,
    /// Only these directories are checked out and packaged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sparse_checkout: Vec<String>,
}

/// Where a GitRepository's credentials come from.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GitProvider {
    /// The Secret in `spec.secretRef`.
    #[default]
    Generic,
    /// AWS CodeCommit with IAM credentials.
    Aws,
    /// Azure DevOps with a managed identity.
    Azure,
    /// GitHub App authentication.
    Github,
}

/// The observed state of a GitRepository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct GitRepositoryStatus {
    /// The generation last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The observations of the GitRepository's state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The artifact of the last successful reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The artifacts of the includes, as last included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub included_artifacts: Vec<Artifact>,
    /// The ignore patterns the artifact was built with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_ignore: Option<String>,
    /// The submodule setting the artifact was built with.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observed_recurse_submodules: bool,
    /// The includes the artifact was built with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed_include: Vec<GitRepositoryInclude>,
    /// The sparse checkout directories the artifact was built with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed_sparse_checkout: Vec<String>,
    /// The verification mode last applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub source_verification_mode: Option<GitVerificationMode>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
}

crate::impl_flux_status!(GitRepositoryStatus);

impl GitRepositorySpec {
    /// The checkout the spec asks for, by Flux's precedence (`master` without `spec.ref`).
    pub fn checkout(&self) -> GitCheckout<'_> {
        self.reference
            .as_ref()
            .map_or(GitCheckout::DEFAULT, GitRepositoryRef::checkout)
    }
}

impl GitRepository {
    /// Timeout of Git operations: `spec.timeout`, 60s when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), DEFAULT_GIT_TIMEOUT)
    }

    /// When to reconcile again after a success: the interval (Flux's `GetRequeueAfter`).
    pub fn requeue_after(&self) -> Option<Duration> {
        crate::duration::parse_duration(&self.spec.interval).ok()
    }

    /// The credentials provider, `generic` when unset.
    pub fn provider(&self) -> GitProvider {
        self.spec.provider.unwrap_or_default()
    }

    /// The checkout the spec asks for, by Flux's precedence.
    pub fn checkout(&self) -> GitCheckout<'_> {
        self.spec.checkout()
    }

    /// The effective verification mode, or None when verification is off.
    pub fn verification_mode(&self) -> Option<GitVerificationMode> {
        self.spec
            .verify
            .as_ref()
            .map(GitRepositoryVerification::mode)
    }
}

crate::impl_flux_object!(GitRepository, GitRepositoryStatus);

crate::impl_source!(GitRepository);

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<GitRepository as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
#[path = "git_repository_tests.rs"]
mod tests;
