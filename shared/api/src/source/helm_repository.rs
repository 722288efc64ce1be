//! HelmRepository (source.toolkit.fluxcd.io/v1): a Helm chart repository index or OCI registry.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::meta::{AccessFrom, NamespaceSelector};
use crate::meta::{Artifact, Condition, LocalObjectReference};

pub use super::conditions::INDEXATION_FAILED_REASON;

/// The timeout of index downloads and OCI operations when `spec.timeout` is unset.
pub const DEFAULT_HELM_REPOSITORY_TIMEOUT: Duration = Duration::from_secs(60);
/// The reconcile interval when `spec.interval` is unset.
pub const DEFAULT_HELM_REPOSITORY_INTERVAL: Duration = Duration::from_secs(60);

/// HelmRepository points at a Helm repository (an HTTP/S index or an OCI registry) whose index
/// source-controller keeps as an artifact.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "source.toolkit.fluxcd.io",
    version = "v1",
    kind = "HelmRepository",
    plural = "helmrepositories",
    shortname = "helmrepo",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-sources",
    namespaced,
    status = "HelmRepositoryStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"URL","type":"string","jsonPath":".spec.url"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct HelmRepositorySpec {
    /// Namespaces allowed to reference this repository (accepted, not enforced, as in Flux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_from: Option<AccessFrom>,
    /// Secret with a TLS client certificate and key (`tls.crt`, `tls.key`) and/or a CA
    /// certificate (`ca.crt`); it wins over TLS data in `secretRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_secret_ref: Option<LocalObjectReference>,
    /// Allows plain HTTP to an OCI registry; only used when `type` is `oci`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    /// How often the index is fetched again; one minute when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub interval: Option<String>,
    /// Sends the `secretRef` credentials also to hosts other than the one of `url` (chart URLs
    /// of the index may point elsewhere).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pass_credentials: bool,
    /// The cloud provider whose identity authenticates to an OCI registry.
    #[serde(default)]
    pub provider: HelmRepositoryProvider,
    /// Secret with credentials: `username` and `password` for basic auth (TLS keys there are
    /// deprecated in favour of `certSecretRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Stops reconciling this repository.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Timeout of the index download and of OCI operations on charts; 60s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::timeout")]
    pub timeout: Option<String>,
    /// `default` for an HTTP/S index, `oci` for an OCI registry (then `url` starts with `oci://`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "HelmRepositoryType")]
    pub type_: Option<HelmRepositoryType>,
    /// Address of the repository: `http(s)://` index or `oci://` registry.
    #[schemars(regex(pattern = r"^(http|https|oci)://.*$"))]
    pub url: String,
}

/// The kind of Helm repository.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum HelmRepositoryType {
    #[default]
    #[serde(rename = "default")]
    Default,
    #[serde(rename = "oci")]
    Oci,
}

/// The identity used to log in to an OCI registry: none (`generic`) or a cloud's.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HelmRepositoryProvider {
    #[default]
    Generic,
    Aws,
    Azure,
    Gcp,
}

/// The observed state of a HelmRepository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct HelmRepositoryStatus {
    /// The index artifact of the last successful reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The observations of the HelmRepository's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The generation of the spec last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Convenience address of the latest artifact; `artifact` is the authoritative record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

crate::impl_flux_status!(HelmRepositoryStatus);

impl HelmRepository {
    /// `spec.type`, `default` when unset.
    pub fn repository_type(&self) -> HelmRepositoryType {
        self.spec.type_.unwrap_or_default()
    }

    /// Whether this is an OCI registry. Flux does not reconcile those: HelmCharts pull from
    /// the registry directly, using this object's URL, credentials and timeout.
    pub fn is_oci(&self) -> bool {
        self.repository_type() == HelmRepositoryType::Oci
    }

    /// `spec.timeout`, 60s when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(
            self.spec.timeout.as_deref(),
            DEFAULT_HELM_REPOSITORY_TIMEOUT,
        )
    }

    /// When to fetch the index again: `spec.interval`, one minute when unset or zero.
    pub fn requeue_after(&self) -> Duration {
        match crate::meta::duration_or(
            self.spec.interval.as_deref(),
            DEFAULT_HELM_REPOSITORY_INTERVAL,
        ) {
            Duration::ZERO => DEFAULT_HELM_REPOSITORY_INTERVAL,
            interval => interval,
        }
    }
}

crate::impl_flux_object!(HelmRepository, HelmRepositoryStatus, |repository| Some(
    repository.requeue_after()
));

crate::impl_source!(HelmRepository);

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<HelmRepository as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{FluxObject, FluxStatus, Source};

    const HTTP_REPO: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m0s
  url: https://stefanprodan.github.io/podinfo
  secretRef:
    name: podinfo-auth
  certSecretRef:
    name: podinfo-tls
  passCredentials: true
  timeout: 90s
  accessFrom:
    namespaceSelectors:
      - matchLabels:
          team: apps
status:
  observedGeneration: 3
  lastHandledReconcileAt: "2024-05-01T10:00:00Z"
  url: http://source-controller.flux-system.svc.cluster.local./helmrepository/flux-system/podinfo/index.yaml
  artifact:
    digest: sha256:0b4dd5b5b3cd4b3b0a5c8e2f7d2fb5e0fd0d3cce9ee7b2f3ea8cf5d2f3f6d1aa
    lastUpdateTime: "2024-05-01T10:00:01Z"
    path: helmrepository/flux-system/podinfo/index-0b4dd5b5.yaml
    revision: sha256:0b4dd5b5b3cd4b3b0a5c8e2f7d2fb5e0fd0d3cce9ee7b2f3ea8cf5d2f3f6d1aa
    size: 40960
    url: http://source-controller.flux-system.svc.cluster.local./helmrepository/flux-system/podinfo/index-0b4dd5b5.yaml
  conditions:
    - type: Ready
      status: "True"
      reason: Succeeded
      message: "stored artifact: revision 'sha256:0b4dd5b5'"
      lastTransitionTime: "2024-05-01T10:00:01Z"
"#;

    const OCI_REPO: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo-oci
  namespace: default
spec:
  type: oci
  provider: aws
  insecure: true
  url: oci://ghcr.io/stefanprodan/charts
"#;

    #[test]
    fn parses_an_http_repository() {
        let repo: HelmRepository = serde_saphyr::from_str(HTTP_REPO).expect("parse");
        assert_eq!(repo.spec.url, "https://stefanprodan.github.io/podinfo");
        assert_eq!(repo.repository_type(), HelmRepositoryType::Default);
        assert!(!repo.is_oci());
        assert_eq!(repo.spec.provider, HelmRepositoryProvider::Generic);
        assert!(repo.spec.pass_credentials);
        assert_eq!(
            repo.spec.secret_ref.as_ref().map(|r| r.name.as_str()),
            Some("podinfo-auth")
        );
        assert_eq!(
            repo.spec.cert_secret_ref.as_ref().map(|r| r.name.as_str()),
            Some("podinfo-tls")
        );
        let acl = repo.spec.access_from.as_ref().expect("accessFrom");
        assert_eq!(acl.namespace_selectors[0].match_labels["team"], "apps");
        assert_eq!(repo.timeout(), Duration::from_secs(90));
        assert_eq!(repo.requeue_after(), Duration::from_secs(300));
        assert_eq!(repo.interval(), Some(Duration::from_secs(300)));
        assert!(!repo.suspended());
        let status = repo.flux_status().expect("status");
        assert_eq!(status.observed_generation(), Some(3));
        assert_eq!(
            status.last_handled_reconcile_at(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(status.conditions()[0].reason, "Succeeded");
        assert_eq!(repo.artifact().map(|a| a.size), Some(Some(40960)));
    }

    #[test]
    fn parses_an_oci_repository_with_defaults() {
        let repo: HelmRepository = serde_saphyr::from_str(OCI_REPO).expect("parse");
        assert!(repo.is_oci());
        assert_eq!(repo.spec.provider, HelmRepositoryProvider::Aws);
        assert!(repo.spec.insecure);
        assert_eq!(repo.timeout(), DEFAULT_HELM_REPOSITORY_TIMEOUT);
        assert_eq!(repo.requeue_after(), Duration::from_secs(60));
        assert!(repo.artifact().is_none());
    }

    #[test]
    fn zero_or_malformed_interval_falls_back_to_a_minute() {
        let mut repo = HelmRepository::new("r", HelmRepositorySpec::default());
        repo.spec.interval = Some("0s".into());
        assert_eq!(repo.requeue_after(), Duration::from_secs(60));
        repo.spec.interval = Some("soon".into());
        assert_eq!(repo.requeue_after(), Duration::from_secs(60));
        repo.spec.interval = Some("1h".into());
        assert_eq!(repo.requeue_after(), Duration::from_secs(3600));
    }

    #[test]
    fn serializes_flux_names_and_omits_defaults() {
        let mut spec = HelmRepositorySpec {
            url: "oci://r.example/charts".into(),
            ..Default::default()
        };
        spec.type_ = Some(HelmRepositoryType::Oci);
        let json = serde_json::to_value(&spec).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"provider": "generic", "type": "oci", "url": "oci://r.example/charts"})
        );
        assert_eq!(
            HelmRepository::new("r", spec).spec.type_,
            Some(HelmRepositoryType::Oci)
        );
    }

    #[test]
    fn suspend_is_read_from_the_spec() {
        let spec = HelmRepositorySpec {
            suspend: true,
            ..Default::default()
        };
        assert!(HelmRepository::new("r", spec).suspended());
    }
}
