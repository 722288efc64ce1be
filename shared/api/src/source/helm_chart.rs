//! HelmChart (source.toolkit.fluxcd.io/v1): a Helm chart fetched from a repository or source.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::{Artifact, Condition, LocalObjectReference};
use crate::source::{OIDCIdentityMatch, OciVerificationProvider};

// The HelmChart reasons are defined with the other source-controller reasons; re-exported so
// `source::CHART_PULL_SUCCEEDED_REASON` and the like keep working.
pub use super::conditions::{
    CHART_PACKAGE_ERROR_REASON, CHART_PACKAGE_SUCCEEDED_REASON, CHART_PULL_ERROR_REASON,
    CHART_PULL_SUCCEEDED_REASON, CHART_VERIFICATION_ERROR_REASON, DEPENDENCY_BUILD_ERROR_REASON,
    INVALID_CHART_REFERENCE_REASON, METADATA_PATCH_ERROR_REASON, UNKNOWN_BUILD_ERROR_REASON,
    VALUES_FILES_ERROR_REASON,
};

/// The chart version constraint when `spec.version` is unset: the latest version.
pub const DEFAULT_CHART_VERSION: &str = "*";

/// HelmChart asks source-controller to fetch (from a HelmRepository) or package (from a
/// GitRepository or Bucket) a chart and keep it as an artifact.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "source.toolkit.fluxcd.io",
    version = "v1",
    kind = "HelmChart",
    plural = "helmcharts",
    shortname = "hc",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-sources",
    namespaced,
    status = "HelmChartStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Chart","type":"string","jsonPath":".spec.chart"}"#,
    printcolumn = r#"{"name":"Version","type":"string","jsonPath":".spec.version"}"#,
    printcolumn = r#"{"name":"Source Kind","type":"string","jsonPath":".spec.sourceRef.kind"}"#,
    printcolumn = r#"{"name":"Source Name","type":"string","jsonPath":".spec.sourceRef.name"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "!has(self.verify) || self.sourceRef.kind == 'HelmRepository'",
    "message": "spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'"
}]))]
pub struct HelmChartSpec {
    /// Chart name in a HelmRepository, or path of the chart directory in a GitRepository or
    /// Bucket artifact.
    pub chart: String,
    /// Do not fail when a file of `valuesFiles` is missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_missing_values_files: bool,
    /// How often the source is checked for a new chart.
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// What makes a new artifact: a new chart version, or any new source revision.
    #[serde(default)]
    pub reconcile_strategy: ReconcileStrategy,
    /// The source the chart comes from, in the HelmChart's namespace.
    pub source_ref: LocalHelmChartSourceReference,
    /// Stops reconciling this chart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Values files (paths in the source) merged in order, the last one winning, and packaged
    /// as the chart's values.yaml; the chart's own values.yaml only when listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values_files: Vec<String>,
    /// Signature verification of charts from an OCI HelmRepository (dependencies not bundled
    /// in the chart are not verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<HelmChartVerification>,
    /// Semver constraint of the chart version, for HelmRepository sources only; latest when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "*"))]
    pub version: Option<String>,
}

/// When a HelmChart produces a new artifact.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum ReconcileStrategy {
    /// On a new chart version.
    #[default]
    ChartVersion,
    /// On a new source revision, even with the same chart version.
    Revision,
}

/// The source of a HelmChart, in the same namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocalHelmChartSourceReference {
    /// API version of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the source.
    pub kind: HelmChartSourceKind,
    /// Name of the source.
    pub name: String,
}

/// The kinds of source a HelmChart can come from (also those of a HelmRelease's chart template).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum HelmChartSourceKind {
    #[default]
    HelmRepository,
    GitRepository,
    Bucket,
}

impl HelmChartSourceKind {
    /// The kind name, as in `sourceRef.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HelmRepository => "HelmRepository",
            Self::GitRepository => "GitRepository",
            Self::Bucket => "Bucket",
        }
    }
}

/// How to verify the signature of a chart pulled from an OCI registry: Flux's
/// `OCIRepositoryVerification` without `trustedRootSecretRef`, which Flux's HelmChart CRD lacks.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("required" = ["provider"]))]
pub struct HelmChartVerification {
    /// Keyless (Cosign) identities to accept: any matching issuer and subject pair verifies.
    #[serde(
        default,
        rename = "matchOIDCIdentity",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub match_oidc_identity: Vec<OIDCIdentityMatch>,
    /// The signing technology.
    #[serde(default)]
    pub provider: OciVerificationProvider,
    /// Secret with the trusted public keys (or Notation trust policy and certificates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
}

/// The observed state of a HelmChart.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct HelmChartStatus {
    /// The packaged chart of the last successful reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The observations of the HelmChart's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The chart name of the last resolved chart reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_chart_name: Option<String>,
    /// The generation of the spec last reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The source artifact revision last used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_source_artifact_revision: Option<String>,
    /// The values files of the chart in the current artifact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed_values_files: Vec<String>,
    /// Convenience address of the latest artifact; `artifact` is the authoritative record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

crate::impl_flux_status!(HelmChartStatus);

impl HelmChart {
    /// The version constraint: `spec.version`, `*` (latest) when unset or empty.
    pub fn version(&self) -> &str {
        match self.spec.version.as_deref() {
            None | Some("") => DEFAULT_CHART_VERSION,
            Some(version) => version,
        }
    }

    /// `spec.reconcileStrategy` (ChartVersion unless set).
    pub fn reconcile_strategy(&self) -> ReconcileStrategy {
        self.spec.reconcile_strategy
    }

    /// The values files to merge, in order; empty means the chart's own values.
    pub fn values_files(&self) -> &[String] {
        &self.spec.values_files
    }

    /// When to check the source again: `spec.interval` (the schema refuses malformed values;
    /// then `fallback` is used).
    pub fn requeue_after(&self, fallback: Duration) -> Duration {
        crate::meta::duration_or(Some(&self.spec.interval), fallback)
    }

    /// Whether the chart comes from a HelmRepository (pulled, version-resolved) rather than
    /// packaged from a GitRepository or Bucket artifact.
    pub fn from_helm_repository(&self) -> bool {
        self.spec.source_ref.kind == HelmChartSourceKind::HelmRepository
    }
}

crate::impl_flux_object!(HelmChart, HelmChartStatus);

crate::impl_source!(HelmChart);

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<HelmChart as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{FluxObject, FluxStatus, Source};

    const CHART: &str = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 5m0s
  chart: podinfo
  reconcileStrategy: Revision
  sourceRef:
    kind: HelmRepository
    name: podinfo
  version: ">=6.0.0 <7.0.0"
  valuesFiles:
    - values.yaml
    - values-prod.yaml
  ignoreMissingValuesFiles: true
  verify:
    provider: cosign
    matchOIDCIdentity:
      - issuer: "^https://token.actions.githubusercontent.com$"
        subject: "^https://github.com/stefanprodan/podinfo.*$"
status:
  observedGeneration: 2
  observedChartName: podinfo
  observedSourceArtifactRevision: sha256:9f3f2d1c
  observedValuesFiles:
    - values.yaml
    - values-prod.yaml
  url: http://source-controller.flux-system.svc.cluster.local./helmchart/default/podinfo/latest.tar.gz
  artifact:
    digest: sha256:6c0f8f7a4d4e6f1dd1b0c5b4f1a7c8b83e2a9d1f0b8c7e6d5a4b3c2d1e0f9a8b
    lastUpdateTime: "2024-05-01T10:00:01Z"
    path: helmchart/default/podinfo/podinfo-6.5.4.tgz
    revision: 6.5.4
    size: 14270
    url: http://source-controller.flux-system.svc.cluster.local./helmchart/default/podinfo/podinfo-6.5.4.tgz
  conditions:
    - type: Ready
      status: "True"
      reason: ChartPullSucceeded
      message: "pulled 'podinfo' chart with version '6.5.4'"
      lastTransitionTime: "2024-05-01T10:00:01Z"
"#;

    #[test]
    fn parses_a_chart_from_a_helm_repository() {
        let chart: HelmChart = serde_saphyr::from_str(CHART).expect("parse");
        assert_eq!(chart.spec.chart, "podinfo");
        assert_eq!(chart.version(), ">=6.0.0 <7.0.0");
        assert_eq!(chart.reconcile_strategy(), ReconcileStrategy::Revision);
        assert!(chart.from_helm_repository());
        assert_eq!(chart.spec.source_ref.kind.as_str(), "HelmRepository");
        assert_eq!(chart.values_files(), ["values.yaml", "values-prod.yaml"]);
        assert!(chart.spec.ignore_missing_values_files);
        let verify = chart.spec.verify.as_ref().expect("verify");
        assert_eq!(verify.provider, OciVerificationProvider::Cosign);
        assert_eq!(
            verify.match_oidc_identity[0].issuer,
            "^https://token.actions.githubusercontent.com$"
        );
        assert_eq!(chart.interval(), Some(Duration::from_secs(300)));
        assert_eq!(
            chart.requeue_after(Duration::from_secs(1)),
            Duration::from_secs(300)
        );
        let status = chart.flux_status().expect("status");
        assert_eq!(status.observed_generation(), Some(2));
        assert_eq!(status.observed_chart_name.as_deref(), Some("podinfo"));
        assert_eq!(status.observed_values_files.len(), 2);
        assert_eq!(status.conditions()[0].reason, CHART_PULL_SUCCEEDED_REASON);
        assert_eq!(chart.artifact().map(|a| a.revision.as_str()), Some("6.5.4"));
    }

    #[test]
    fn defaults_apply_to_a_minimal_chart_from_git() {
        let yaml = r#"
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: app, namespace: apps}
spec:
  interval: 10m
  chart: ./charts/app
  sourceRef: {kind: GitRepository, name: repo}
"#;
        let chart: HelmChart = serde_saphyr::from_str(yaml).expect("parse");
        assert_eq!(chart.version(), "*");
        assert_eq!(chart.reconcile_strategy(), ReconcileStrategy::ChartVersion);
        assert!(!chart.from_helm_repository());
        assert!(chart.values_files().is_empty());
        assert!(!chart.suspended());
        assert!(chart.artifact().is_none());
    }

    #[test]
    fn empty_version_means_latest_and_bad_interval_uses_fallback() {
        let spec = HelmChartSpec {
            version: Some(String::new()),
            interval: "later".into(),
            ..Default::default()
        };
        let chart = HelmChart::new("c", spec);
        assert_eq!(chart.version(), DEFAULT_CHART_VERSION);
        assert_eq!(chart.interval(), None);
        assert_eq!(
            chart.requeue_after(Duration::from_secs(42)),
            Duration::from_secs(42)
        );
    }

    #[test]
    fn source_kinds_and_verify_provider_use_flux_names() {
        for (kind, name) in [
            (HelmChartSourceKind::HelmRepository, "HelmRepository"),
            (HelmChartSourceKind::GitRepository, "GitRepository"),
            (HelmChartSourceKind::Bucket, "Bucket"),
        ] {
            assert_eq!(kind.as_str(), name);
            assert_eq!(
                serde_json::to_value(kind).expect("json"),
                serde_json::json!(name)
            );
        }
        let verify: HelmChartVerification =
            serde_json::from_value(serde_json::json!({})).expect("parse");
        assert_eq!(verify.provider, OciVerificationProvider::Cosign);
        assert_eq!(
            serde_json::to_value(OciVerificationProvider::Notation).expect("json"),
            "notation"
        );
    }
}
