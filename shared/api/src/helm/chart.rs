//! Where a HelmRelease gets its chart: a HelmChart template (`spec.chart`) that helm-controller
//! turns into a source.toolkit.fluxcd.io HelmChart, or a reference to a chart artifact
//! (`spec.chartRef`).

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::LocalObjectReference;
pub use crate::source::HelmChartSourceKind;

/// The template of the HelmChart object helm-controller creates for a release.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplate {
    /// Labels and annotations of the HelmChart.
    #[serde(rename = "metadata", default, skip_serializing_if = "Option::is_none")]
    pub object_meta: Option<HelmChartTemplateObjectMeta>,
    /// The spec of the HelmChart.
    pub spec: HelmChartTemplateSpec,
}

/// The labels and annotations put on the generated HelmChart.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct HelmChartTemplateObjectMeta {
    /// Annotations of the HelmChart.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels of the HelmChart.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// The spec of the generated HelmChart.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HelmChartTemplateSpec {
    /// Chart name in a Helm repository, or chart path in a Git repository or bucket.
    #[schemars(length(min = 1, max = 2048))]
    pub chart: String,
    /// Do not fail when a file of `valuesFiles` is missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_missing_values_files: bool,
    /// How often the HelmChart checks its source; the HelmRelease's interval when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub interval: Option<String>,
    /// What makes a new chart artifact: a new chart version, or any new source revision.
    #[serde(default)]
    pub reconcile_strategy: ReconcileStrategy,
    /// The source holding the chart.
    pub source_ref: CrossNamespaceObjectReference,
    /// Values files in the source, merged in order, used instead of the chart's values.yaml.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values_files: Vec<String>,
    /// Signature verification of an OCI chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<HelmChartTemplateVerification>,
    /// SemVer range of the chart version (ignored for Git and bucket sources); latest when `*`.
    #[serde(default = "default_chart_version")]
    pub version: String,
}

fn default_chart_version() -> String {
    "*".to_string()
}

/// What triggers a new chart artifact of the generated HelmChart.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum ReconcileStrategy {
    /// A new chart version.
    #[default]
    ChartVersion,
    /// Any new revision of the source.
    Revision,
}

/// Signature verification settings of an OCI chart.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = require_provider)]
pub struct HelmChartTemplateVerification {
    /// The signing technology (required by the schema, which defaults it to cosign).
    #[serde(default)]
    pub provider: VerificationProvider,
    /// A Secret with the trusted public keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
}

/// Flux lists `provider` as required although it has a default; serde's default would drop it
/// from `required`, so it is put back here while deserialization stays lenient.
fn require_provider(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut() {
        let required = object
            .entry("required")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let Some(list) = required.as_array_mut() {
            list.push("provider".into());
        }
    }
}

/// The technology an OCI chart is signed with.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VerificationProvider {
    /// Sigstore cosign.
    #[default]
    Cosign,
    /// Notary Project notation.
    Notation,
}

/// The source of a chart template: a Helm repository, Git repository or bucket.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceObjectReference {
    /// API version of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the source.
    pub kind: HelmChartSourceKind,
    /// Name of the source.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Namespace of the source; the HelmRelease's namespace when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub namespace: Option<String>,
}

/// A reference to an object holding a chart artifact (`spec.chartRef`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceSourceReference {
    /// API version of the referent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the referent.
    pub kind: ChartRefKind,
    /// Name of the referent.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Namespace of the referent; the HelmRelease's namespace when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub namespace: Option<String>,
}

/// The kinds `spec.chartRef` can point at.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum ChartRefKind {
    #[default]
    OCIRepository,
    HelmChart,
    ExternalArtifact,
}

impl ChartRefKind {
    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OCIRepository => "OCIRepository",
            Self::HelmChart => "HelmChart",
            Self::ExternalArtifact => "ExternalArtifact",
        }
    }
}

impl HelmChartTemplate {
    /// The HelmChart's interval, `default` (the HelmRelease's interval) when unset or malformed.
    pub fn interval(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.spec.interval.as_deref(), default)
    }

    /// The namespace of the chart's source, `default` (the HelmRelease's namespace) when unset.
    pub fn source_namespace<'a>(&'a self, default: &'a str) -> &'a str {
        self.spec.source_ref.namespace.as_deref().unwrap_or(default)
    }
}

impl CrossNamespaceSourceReference {
    /// The namespace of the referent, `default` (the HelmRelease's namespace) when unset.
    pub fn namespace_or<'a>(&'a self, default: &'a str) -> &'a str {
        self.namespace.as_deref().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> HelmChartTemplate {
        HelmChartTemplate {
            object_meta: None,
            spec: HelmChartTemplateSpec {
                chart: "podinfo".into(),
                version: default_chart_version(),
                source_ref: CrossNamespaceObjectReference {
                    kind: HelmChartSourceKind::HelmRepository,
                    name: "podinfo".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
        }
    }

    #[test]
    fn interval_falls_back_to_the_release_interval() {
        let mut t = template();
        assert_eq!(
            t.interval(Duration::from_secs(600)),
            Duration::from_secs(600)
        );
        t.spec.interval = Some("1m".into());
        assert_eq!(
            t.interval(Duration::from_secs(600)),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn source_namespace_falls_back_to_the_release_namespace() {
        let mut t = template();
        assert_eq!(t.source_namespace("apps"), "apps");
        t.spec.source_ref.namespace = Some("flux-system".into());
        assert_eq!(t.source_namespace("apps"), "flux-system");
    }

    #[test]
    fn chart_ref_namespace_falls_back() {
        let r = CrossNamespaceSourceReference {
            kind: ChartRefKind::OCIRepository,
            name: "x".into(),
            ..Default::default()
        };
        assert_eq!(r.namespace_or("apps"), "apps");
        assert_eq!(r.kind.as_str(), "OCIRepository");
        assert_eq!(HelmChartSourceKind::Bucket.as_str(), "Bucket");
    }

    #[test]
    fn defaults_match_flux() {
        let spec: HelmChartTemplateSpec = serde_json::from_str(
            r#"{"chart":"podinfo","sourceRef":{"kind":"GitRepository","name":"repo"}}"#,
        )
        .expect("parse");
        assert_eq!(spec.version, "*");
        assert_eq!(spec.reconcile_strategy, ReconcileStrategy::ChartVersion);
        let verify: HelmChartTemplateVerification = serde_json::from_str("{}").expect("parse");
        assert_eq!(verify.provider, VerificationProvider::Cosign);
    }
}
