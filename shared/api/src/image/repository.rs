//! ImageRepository (image.toolkit.fluxcd.io/v1): an image repository to scan for tags, with
//! its scan timeout, exclusion list and provider defaults.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::meta::{AccessFrom, NamespaceSelector};
use crate::meta::{Condition, LocalObjectReference, Time};

/// ImageRepository is the Schema for the imagerepositories API
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "image.toolkit.fluxcd.io",
    version = "v1",
    kind = "ImageRepository",
    plural = "imagerepositories",
    shortname = "imgrepo",
    shortname = "imagerepo",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-images",
    namespaced,
    status = "ImageRepositoryStatus",
    printcolumn = r#"{"name":"Image","type":"string","jsonPath":".spec.image"}"#,
    printcolumn = r#"{"name":"Tags","type":"string","jsonPath":".status.lastScanResult.tagCount"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#,
    printcolumn = r#"{"name":"Last scan","type":"string","jsonPath":".status.lastScanResult.scanTime","priority":1}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct ImageRepositorySpec {
    /// Which namespaces may refer to this ImageRepository from an ImagePolicy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_from: Option<AccessFrom>,
    /// A Secret with `tls.crt`/`tls.key` for client authentication and/or `ca.crt` to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// Regular expressions of tags not to store.
    #[serde(
        default = "default_exclusion_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(length(max = 25))]
    pub exclusion_list: Vec<String>,
    /// The image repository, e.g. `ghcr.io/fluxcd/flux-cli`.
    pub image: String,
    /// Talk plain HTTP to the registry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    /// Time between scans.
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// How to authenticate with the registry: a cloud provider's identity or `generic`.
    #[serde(default)]
    pub provider: ImageProvider,
    /// A Secret with the proxy (`address`, `username`, `password`) to reach the registry through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_secret_ref: Option<LocalObjectReference>,
    /// A `kubernetes.io/dockerconfigjson` Secret with registry credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// A service account whose image pull secrets authenticate the scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253))]
    pub service_account_name: Option<String>,
    /// Stop scanning until unset (a scan in progress finishes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Time allowed for a scan; `interval` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::timeout")]
    pub timeout: Option<String>,
}

/// The tag pattern excluded when `exclusionList` is empty: cosign signatures.
pub const DEFAULT_EXCLUSION: &str = r"^.*\.sig$";

fn default_exclusion_list() -> Vec<String> {
    vec![DEFAULT_EXCLUSION.to_string()]
}

/// The ways to authenticate with a registry.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageProvider {
    #[default]
    Generic,
    Aws,
    Azure,
    Gcp,
}

/// The outcome of the last scan.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanResult {
    /// Up to 10 tags: the first ones in descending alphabetical order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latest_tags: Vec<String>,
    /// A stable hash of the scanned tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// When the scan ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_time: Option<Time>,
    /// How many tags the scan found.
    #[schemars(schema_with = "crate::schema::go_int")]
    pub tag_count: i64,
}

/// The observed state of an ImageRepository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct ImageRepositoryStatus {
    /// The image name with the implied parts made explicit, e.g. `index.docker.io/library/alpine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_image_name: Option<String>,
    /// The observations of the ImageRepository's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The outcome of the last scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scan_result: Option<ScanResult>,
    /// The exclusion list the last scan used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed_exclusion_list: Vec<String>,
    /// The last reconciled generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

crate::impl_flux_status!(ImageRepositoryStatus);

/// Scan timeouts shorter than this are raised to it, as Flux does.
pub const MIN_SCAN_TIMEOUT: Duration = Duration::from_secs(1);

impl ImageRepository {
    /// `spec.interval`; zero when malformed (the schema refuses that).
    pub fn requeue_after(&self) -> Duration {
        crate::meta::duration_or(Some(&self.spec.interval), Duration::ZERO)
    }

    /// `spec.timeout`, or `spec.interval` when empty, and never under a second.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), self.requeue_after())
            .max(MIN_SCAN_TIMEOUT)
    }

    /// `spec.exclusionList`, or `^.*\.sig$` when empty.
    pub fn exclusion_list(&self) -> Vec<String> {
        if self.spec.exclusion_list.is_empty() {
            default_exclusion_list()
        } else {
            self.spec.exclusion_list.clone()
        }
    }

    /// The tag count of the last scan, if any.
    pub fn tag_count(&self) -> Option<i64> {
        Some(self.status.as_ref()?.last_scan_result.as_ref()?.tag_count)
    }
}

crate::impl_flux_object!(ImageRepository, ImageRepositoryStatus);

/// The CRD of this kind.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<ImageRepository as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{FluxObject, FluxStatus};
    use std::collections::BTreeMap;

    const MANIFEST: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  image: ghcr.io/stefanprodan/podinfo
  interval: 5m
  timeout: 1m30s
  provider: aws
  secretRef:
    name: regcred
  certSecretRef:
    name: registry-ca
  proxySecretRef:
    name: proxy
  serviceAccountName: image-scanner
  exclusionList:
    - "^.*\\.sig$"
    - "^sha-.*"
  accessFrom:
    namespaceSelectors:
      - matchLabels:
          kubernetes.io/metadata.name: apps
status:
  observedGeneration: 2
  canonicalImageName: ghcr.io/stefanprodan/podinfo
  lastScanResult:
    revision: sha256:1a2b3c
    scanTime: "2025-08-15T10:11:00Z"
    tagCount: 42
    latestTags: ["6.5.0", "6.4.1"]
  observedExclusionList: ["^.*\\.sig$", "^sha-.*"]
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "successful scan: found 42 tags"
      lastTransitionTime: "2025-08-15T10:11:00Z"
"#;

    const MINIMAL: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: alpine
  namespace: default
spec:
  image: alpine
  interval: 10m
"#;

    #[test]
    fn parses_a_full_image_repository() {
        let repo: ImageRepository = serde_saphyr::from_str(MANIFEST).expect("parse");
        assert_eq!(repo.spec.image, "ghcr.io/stefanprodan/podinfo");
        assert_eq!(repo.spec.provider, ImageProvider::Aws);
        assert_eq!(
            repo.spec.secret_ref.as_ref().map(|s| s.name.as_str()),
            Some("regcred")
        );
        assert_eq!(repo.exclusion_list(), [r"^.*\.sig$", "^sha-.*"]);
        assert_eq!(repo.timeout(), Duration::from_secs(90));
        assert_eq!(repo.requeue_after(), Duration::from_secs(300));
        assert_eq!(repo.interval(), Some(Duration::from_secs(300)));
        assert_eq!(repo.tag_count(), Some(42));
        let status = repo.status.as_ref().expect("status");
        assert_eq!(status.observed_generation(), Some(2));
        assert_eq!(
            status.conditions()[0].reason,
            crate::conditions::SUCCEEDED_REASON
        );
        assert_eq!(
            status
                .last_scan_result
                .as_ref()
                .map(|r| r.latest_tags.len()),
            Some(2)
        );
        let access = repo.spec.access_from.as_ref().expect("accessFrom");
        let apps = BTreeMap::from([(
            "kubernetes.io/metadata.name".to_string(),
            "apps".to_string(),
        )]);
        assert!(access.allows(&apps));
        assert!(!access.allows(&BTreeMap::new()));
    }

    #[test]
    fn applies_flux_defaults() {
        let repo: ImageRepository = serde_saphyr::from_str(MINIMAL).expect("parse");
        assert_eq!(repo.spec.provider, ImageProvider::Generic);
        assert_eq!(repo.spec.exclusion_list, [DEFAULT_EXCLUSION]);
        assert_eq!(repo.timeout(), Duration::from_secs(600));
        assert!(!repo.suspended());
        assert_eq!(repo.tag_count(), None);
        let mut repo = repo;
        repo.spec.exclusion_list.clear();
        assert_eq!(repo.exclusion_list(), [DEFAULT_EXCLUSION]);
        repo.spec.timeout = Some("100ms".into());
        assert_eq!(repo.timeout(), MIN_SCAN_TIMEOUT);
    }

    #[test]
    fn reads_go_zero_values_in_scan_results() {
        let r: ScanResult =
            serde_saphyr::from_str("revision: \"\"\nscanTime: null\ntagCount: 0").expect("parse");
        assert_eq!(r.tag_count, 0);
        assert_eq!(r.scan_time, None);
    }
}
