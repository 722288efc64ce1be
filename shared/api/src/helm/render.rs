//! How a release's manifests are shaped and checked after rendering: post-renderers
//! (kustomize patches and images), common metadata, drift detection, the wait strategy and
//! CEL health checks.
//!
//! `Patch`, `Image`, `Selector` and `CustomHealthCheck` are Flux's shared kustomize API types
//! (fluxcd/pkg/apis/kustomize), defined once in [`crate::kustomize`] and re-exported here.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::kustomize::{CustomHealthCheck, Image, Patch, Selector};

/// Labels and annotations added to every object of the release, overriding equal keys.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct CommonMetadata {
    /// Annotations to add.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels to add.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// One post-renderer, applied in list order.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct PostRenderer {
    /// A kustomization applied to the rendered manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kustomize: Option<Kustomize>,
}

/// The kustomize operations of a post-renderer.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct Kustomize {
    /// Image name, tag and digest replacements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// Strategic merge or JSON 6902 patches, each optionally targeted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Patch>,
}

/// Which hooks are passed through the post-renderers.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PostRenderStrategy {
    /// Hooks bypass the post-renderers (Helm 3).
    #[serde(rename = "nohooks")]
    NoHooks,
    /// Hooks and templates go through together (Helm 4).
    #[default]
    Combined,
    /// Hooks and templates go through as separate streams.
    Separate,
}

/// How Helm waits for released objects to become ready.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WaitStrategyName {
    /// kstatus polling.
    #[default]
    Poller,
    /// Helm 3's readiness checks.
    Legacy,
}

/// Helm's wait strategy.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct WaitStrategy {
    /// The strategy; poller by default (legacy with the UseHelm3Defaults gate).
    pub name: WaitStrategyName,
}

/// What helm-controller does about differences between the release and the cluster.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DriftDetectionMode {
    /// Detect drift and correct it.
    Enabled,
    /// Detect drift and report it only.
    Warn,
    /// Do not look for drift.
    #[default]
    Disabled,
}

/// Drift detection settings.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct DriftDetection {
    /// Differences to ignore.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<IgnoreRule>,
    /// The mode; disabled when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<DriftDetectionMode>,
}

impl DriftDetection {
    /// The effective mode, disabled when unset.
    pub fn mode(&self) -> DriftDetectionMode {
        self.mode.unwrap_or_default()
    }

    /// Whether drift must be looked for (enabled or warn).
    pub fn must_detect_changes(&self) -> bool {
        self.mode() != DriftDetectionMode::Disabled
    }
}

/// JSON pointers to ignore when comparing, on all objects or on selected ones.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct IgnoreRule {
    /// RFC 6901 JSON pointers to leave out of the comparison.
    pub paths: Vec<String>,
    /// The objects the rule applies to; all objects of the release when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_detection_defaults_to_disabled() {
        let d = DriftDetection::default();
        assert_eq!(d.mode(), DriftDetectionMode::Disabled);
        assert!(!d.must_detect_changes());
        let warn = DriftDetection {
            mode: Some(DriftDetectionMode::Warn),
            ..Default::default()
        };
        assert!(warn.must_detect_changes());
        let on = DriftDetection {
            mode: Some(DriftDetectionMode::Enabled),
            ..Default::default()
        };
        assert!(on.must_detect_changes());
    }

    #[test]
    fn enum_strings_match_flux() {
        let s = serde_json::to_string(&[
            PostRenderStrategy::NoHooks,
            PostRenderStrategy::Combined,
            PostRenderStrategy::Separate,
        ])
        .expect("serialize");
        assert_eq!(s, r#"["nohooks","combined","separate"]"#);
        assert_eq!(
            serde_json::to_string(&WaitStrategyName::Legacy).expect("serialize"),
            r#""legacy""#
        );
        assert_eq!(
            serde_json::to_string(&DriftDetectionMode::Warn).expect("serialize"),
            r#""warn""#
        );
    }
}
