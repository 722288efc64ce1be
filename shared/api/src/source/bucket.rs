//! Bucket (source.toolkit.fluxcd.io/v1): an S3-compatible, GCS or Azure bucket to package.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::TIMEOUT_PATTERN;
use crate::meta::{Artifact, Condition, LocalObjectReference};

/// Timeout of bucket operations when `spec.timeout` is unset.
pub const DEFAULT_BUCKET_TIMEOUT: Duration = Duration::from_secs(60);

/// Bucket is the Schema for the buckets API.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "source.toolkit.fluxcd.io",
    version = "v1",
    kind = "Bucket",
    plural = "buckets",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-sources",
    namespaced,
    status = "BucketStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Endpoint","type":"string","jsonPath":".spec.endpoint"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
        "message": "STS configuration is only supported for the 'aws' and 'generic' Bucket providers"
    },
    {
        "rule": "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
        "message": "'aws' is the only supported STS provider for the 'aws' Bucket provider"
    },
    {
        "rule": "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
        "message": "'ldap' is the only supported STS provider for the 'generic' Bucket provider"
    },
    {
        "rule": "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
        "message": "spec.sts.secretRef is not required for the 'aws' STS provider"
    },
    {
        "rule": "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
        "message": "spec.sts.certSecretRef is not required for the 'aws' STS provider"
    },
    {
        "rule": "self.provider != 'generic' || !has(self.serviceAccountName)",
        "message": "ServiceAccountName is not supported for the 'generic' Bucket provider"
    },
    {
        "rule": "!has(self.secretRef) || !has(self.serviceAccountName)",
        "message": "cannot set both .spec.secretRef and .spec.serviceAccountName"
    }
]))]
pub struct BucketSpec {
    /// The object storage API; `generic` (S3-compatible) by default.
    #[serde(default)]
    pub provider: BucketProvider,
    /// Name of the bucket.
    pub bucket_name: String,
    /// Address of the object storage service.
    pub endpoint: String,
    /// A Security Token Service that issues temporary credentials (`aws` and `generic` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sts: Option<BucketSTSSpec>,
    /// Allows a plain HTTP endpoint.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    /// Region of the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Only objects under this key prefix are listed (server-side filtering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Secret with the credentials for the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Kubernetes ServiceAccount for workload identity; `gcp` and `aws` providers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Secret with a client certificate and key (`tls.crt`, `tls.key`) and/or a CA (`ca.crt`);
    /// `generic` provider only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// Secret with the proxy settings for reaching the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// How often to look for changes (approximate, jittered).
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// Timeout of list and fetch operations; 60s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = TIMEOUT_PATTERN), extend("default" = "60s"))]
    pub timeout: Option<String>,
    /// Exclusion patterns in `.sourceignore` (gitignore) format, replacing the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// Stops reconciliation while true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
}

/// The object storage API of a Bucket.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BucketProvider {
    /// Any S3-compatible storage (MinIO and the like).
    #[default]
    Generic,
    /// Amazon S3.
    Aws,
    /// Google Cloud Storage.
    Gcp,
    /// Azure Blob Storage.
    Azure,
}

/// The kind of Security Token Service of a Bucket.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StsProvider {
    /// AWS STS (with the `aws` bucket provider).
    #[default]
    Aws,
    /// An LDAP-backed STS such as MinIO's (with the `generic` bucket provider).
    Ldap,
}

/// A Security Token Service that issues temporary bucket credentials.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BucketSTSSpec {
    /// The kind of STS.
    pub provider: StsProvider,
    /// HTTP(S) address of the STS.
    #[schemars(regex(pattern = r"^(http|https)://.*$"))]
    pub endpoint: String,
    /// Secret with `username` and `password` for the STS; `ldap` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Secret with a client certificate and key and/or a CA for the STS; `ldap` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
}

/// The observed state of a Bucket.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct BucketStatus {
    /// The generation last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The observations of the Bucket's state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// Download address of the latest artifact (best effort; prefer `artifact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The artifact of the last successful reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The ignore patterns the artifact was built with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_ignore: Option<String>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
}

crate::impl_flux_status!(BucketStatus);

impl Bucket {
    /// Timeout of list and fetch operations: `spec.timeout`, 60s when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), DEFAULT_BUCKET_TIMEOUT)
    }

    /// When to reconcile again after a success: the interval (Flux's `GetRequeueAfter`).
    pub fn requeue_after(&self) -> Option<Duration> {
        crate::duration::parse_duration(&self.spec.interval).ok()
    }

    /// The object storage API (`generic` by default).
    pub fn provider(&self) -> BucketProvider {
        self.spec.provider
    }

    /// The key prefix to list under, None when unset or empty.
    pub fn prefix(&self) -> Option<&str> {
        self.spec.prefix.as_deref().filter(|p| !p.is_empty())
    }
}

crate::impl_flux_object!(Bucket, BucketStatus);

crate::impl_source!(Bucket);

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<Bucket as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
#[path = "bucket_tests.rs"]
mod tests;
