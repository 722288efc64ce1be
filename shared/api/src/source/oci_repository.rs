//! OCIRepository (source.toolkit.fluxcd.io/v1): an OCI artifact to pull and package.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::TIMEOUT_PATTERN;
use crate::meta::{Artifact, Condition, LocalObjectReference};

#[path = "oci_verification.rs"]
mod oci_verification;
pub use oci_verification::*;

/// Timeout of registry operations when `spec.timeout` is unset.
pub const DEFAULT_OCI_TIMEOUT: Duration = Duration::from_secs(60);
/// The scheme every OCIRepository URL starts with.
pub const OCI_REPOSITORY_PREFIX: &str = "oci://";
/// The tag pulled when the reference names nothing else.
pub const DEFAULT_OCI_TAG: &str = "latest";

/// OCIRepository is the Schema for the ocirepositories API.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "source.toolkit.fluxcd.io",
    version = "v1",
    kind = "OCIRepository",
    plural = "ocirepositories",
    shortname = "ocirepo",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-sources",
    namespaced,
    status = "OCIRepositoryStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"URL","type":"string","jsonPath":".spec.url"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct OCIRepositorySpec {
    /// The artifact repository on a registry, `oci://<host>/<path>`.
    #[schemars(regex(pattern = r"^oci://.*$"))]
    pub url: String,
    /// The tag, semver range or digest to pull and watch; `latest` when unset.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<OCIRepositoryRef>,
    /// Which layer of the artifact to take; the first layer when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_selector: Option<OCILayerSelector>,
    /// Where registry credentials come from; `generic` by default.
    #[serde(default)]
    pub provider: OciProvider,
    /// Secret of type `kubernetes.io/dockerconfigjson` with registry credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Signature verification of the artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<OCIRepositoryVerification>,
    /// ServiceAccount whose image pull secrets authenticate to the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Secret with a client certificate and key (`tls.crt`, `tls.key`) and/or a CA (`ca.crt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// Secret with the proxy settings for reaching the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// How often to look for new revisions (approximate, jittered).
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// Timeout of registry operations such as pulls; 60s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = TIMEOUT_PATTERN), extend("default" = "60s"))]
    pub timeout: Option<String>,
    /// Exclusion patterns in `.sourceignore` (gitignore) format, replacing the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// Allows plain HTTP registries.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    /// Stops reconciliation while true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
}

/// Where an OCIRepository's registry credentials come from.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OciProvider {
    /// `spec.secretRef` or the ServiceAccount's pull secrets.
    #[default]
    Generic,
    /// Amazon ECR with workload identity.
    Aws,
    /// Azure Container Registry with workload identity.
    Azure,
    /// Google Artifact Registry with workload identity.
    Gcp,
}

/// The OCI reference to pull.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OCIRepositoryRef {
    /// Image digest (`sha256:<hex>`) to pull; wins over semver and tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Semver range over the tags, the highest match is pulled; wins over tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<String>,
    /// Regular expression the tags must match before the semver range is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver_filter: Option<String>,
    /// Tag to pull; `latest` when nothing is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// What an OCIRepository pulls, after Flux's precedence: digest, then semver, then tag
/// (`latest` when nothing is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OciPull<'a> {
    /// A manifest digest.
    Digest(&'a str),
    /// The highest tag in a semver range, among the tags matching `filter` (a Go regular
    /// expression) when set.
    SemVer {
        range: &'a str,
        filter: Option<&'a str>,
    },
    /// A tag.
    Tag(&'a str),
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl OCIRepositoryRef {
    /// What this reference pulls, by Flux's precedence.
    pub fn pull(&self) -> OciPull<'_> {
        if let Some(digest) = non_empty(&self.digest) {
            OciPull::Digest(digest)
        } else if let Some(range) = non_empty(&self.semver) {
            OciPull::SemVer {
                range,
                filter: self.semver_filter(),
            }
        } else {
            OciPull::Tag(non_empty(&self.tag).unwrap_or(DEFAULT_OCI_TAG))
        }
    }

    /// The tag filter of a semver selection (a Go regular expression), None when unset.
    pub fn semver_filter(&self) -> Option<&str> {
        non_empty(&self.semver_filter)
    }
}

/// What to do with the selected layer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OciLayerOperation {
    /// Decompress and unpack the layer into the artifact.
    #[default]
    Extract,
    /// Store the compressed layer as it is.
    Copy,
}

/// Which layer of an OCI artifact becomes the source artifact, and how.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OCILayerSelector {
    /// Media type of the layer; the first layer of that type is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// `extract` (the default) unpacks the layer, `copy` keeps it compressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<OciLayerOperation>,
}

/// The observed state of an OCIRepository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct OCIRepositoryStatus {
    /// The generation last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The observations of the OCIRepository's state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// Download address of the last stored artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The artifact of the last successful reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The ignore patterns the artifact was built with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_ignore: Option<String>,
    /// The layer selector the artifact was built with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_layer_selector: Option<OCILayerSelector>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
}

crate::impl_flux_status!(OCIRepositoryStatus);

impl OCIRepository {
    /// Timeout of registry operations: `spec.timeout`, 60s when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), DEFAULT_OCI_TIMEOUT)
    }

    /// When to reconcile again after a success: the interval (Flux's `GetRequeueAfter`).
    pub fn requeue_after(&self) -> Option<Duration> {
        crate::duration::parse_duration(&self.spec.interval).ok()
    }

    /// What to pull, by Flux's precedence (`latest` without `spec.ref`).
    pub fn pull(&self) -> OciPull<'_> {
        self.spec
            .reference
            .as_ref()
            .map_or(OciPull::Tag(DEFAULT_OCI_TAG), OCIRepositoryRef::pull)
    }

    /// The semver tag filter (a Go regular expression), None when unset.
    pub fn semver_filter(&self) -> Option<&str> {
        self.spec.reference.as_ref()?.semver_filter()
    }

    /// The media type of the layer to select, None for the first layer.
    pub fn layer_media_type(&self) -> Option<&str> {
        non_empty(&self.spec.layer_selector.as_ref()?.media_type)
    }

    /// What to do with the selected layer: `extract` unless `copy` is asked for.
    pub fn layer_operation(&self) -> OciLayerOperation {
        self.spec
            .layer_selector
            .as_ref()
            .and_then(|s| s.operation)
            .unwrap_or_default()
    }

    /// The repository address without the `oci://` scheme, e.g. `ghcr.io/org/app`.
    pub fn repository(&self) -> &str {
        self.spec
            .url
            .strip_prefix(OCI_REPOSITORY_PREFIX)
            .unwrap_or(&self.spec.url)
    }
}

crate::impl_flux_object!(OCIRepository, OCIRepositoryStatus);

crate::impl_source!(OCIRepository);

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<OCIRepository as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
#[path = "oci_repository_tests.rs"]
mod tests;
