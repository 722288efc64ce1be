//! ImagePolicy (image.toolkit.fluxcd.io/v1): how to pick the latest image from a repository's
//! tags (semver, alphabetical or numerical), and whether and how often to reflect its digest.

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::{CustomResource, ResourceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::{Condition, NamespacedObjectReference};

/// ImagePolicy is the Schema for the imagepolicies API
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "image.toolkit.fluxcd.io",
    version = "v1",
    kind = "ImagePolicy",
    plural = "imagepolicies",
    shortname = "imgpol",
    shortname = "imagepol",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-images",
    namespaced,
    status = "ImagePolicyStatus",
    printcolumn = r#"{"name":"Image","type":"string","jsonPath":".status.latestRef.name"}"#,
    printcolumn = r#"{"name":"Tag","type":"string","jsonPath":".status.latestRef.tag"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'",
     "rule": "!has(self.interval) || (has(self.digestReflectionPolicy) && self.digestReflectionPolicy == 'Always')"},
    {"message": "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'",
     "rule": "has(self.interval) || !has(self.digestReflectionPolicy) || self.digestReflectionPolicy != 'Always'"}
]))]
pub struct ImagePolicySpec {
    /// When to write the latest image's digest to `status.latestRef.digest`.
    #[serde(default)]
    pub digest_reflection_policy: ReflectionPolicy,
    /// Which tags take part, and what part of them is compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_tags: Option<TagFilter>,
    /// The ImageRepository whose tags are chosen from.
    pub image_repository_ref: NamespacedObjectReference,
    /// How often to refresh the latest tag's digest under the `Always` reflection policy
    /// (10m when empty); refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub interval: Option<String>,
    /// How to order the tags to pick the latest.
    pub policy: ImagePolicyChoice,
    /// Stop reconciling until unset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
}

/// When a value seen in the registry is copied into the object.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum ReflectionPolicy {
    /// Always, overwriting the previous value.
    Always,
    /// Only while the field is empty and the image did not change.
    IfNotPresent,
    /// Never; the field stays empty.
    #[default]
    Never,
}

/// The ordering rule of a policy; exactly one is expected.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct ImagePolicyChoice {
    /// Order tags alphabetically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alphabetical: Option<AlphabeticalPolicy>,
    /// Order tags as numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerical: Option<NumericalPolicy>,
    /// Pick the highest semantic version within a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<SemVerPolicy>,
}

/// A semantic version range.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct SemVerPolicy {
    /// The range, e.g. `>=1.0.0 <2.0.0`; the highest tag within it is the latest.
    pub range: String,
}

/// Alphabetical ordering.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct AlphabeticalPolicy {
    /// `asc` picks the last tag in alphabetical order (Z of A..Z), `desc` the first.
    #[serde(default)]
    pub order: SortOrder,
}

/// Numerical ordering.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct NumericalPolicy {
    /// `asc` picks the highest number, `desc` the lowest.
    #[serde(default)]
    pub order: SortOrder,
}

/// A sort order.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

/// The policy an ImagePolicy selects with, resolved from [`ImagePolicyChoice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Policy<'a> {
    SemVer { range: &'a str },
    Alphabetical { order: SortOrder },
    Numerical { order: SortOrder },
}

/// An ImagePolicy with no ordering rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("given ImagePolicyChoice object is invalid")]
pub struct NoPolicyError;

impl ImagePolicyChoice {
    /// The rule to use, in Flux's precedence: semver, then alphabetical, then numerical.
    pub fn policy(&self) -> Result<Policy<'_>, NoPolicyError> {
        if let Some(semver) = &self.semver {
            return Ok(Policy::SemVer {
                range: &semver.range,
            });
        }
        if let Some(alpha) = &self.alphabetical {
            return Ok(Policy::Alphabetical { order: alpha.order });
        }
        match &self.numerical {
            Some(num) => Ok(Policy::Numerical { order: num.order }),
            None => Err(NoPolicyError),
        }
    }
}

/// Which tags take part in the choice.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct TagFilter {
    /// A replacement (e.g. `$ts`) built from the pattern's capture groups; the tag is compared
    /// by that value instead of as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extract: Option<String>,
    /// A regular expression the tags must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

/// An image: name, tag and optionally digest.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct ImageRef {
    /// The image's digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The image name, without tag.
    pub name: String,
    /// The image's tag.
    pub tag: String,
}

impl std::fmt::Display for ImageRef {
    /// `name:tag`, or `name:tag@digest` when the digest is known.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.name, self.tag)?;
        match self.digest.as_deref() {
            Some(d) if !d.is_empty() => write!(f, "@{d}"),
            _ => Ok(()),
        }
    }
}

/// The observed state of an ImagePolicy.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct ImagePolicyStatus {
    /// The observations of the ImagePolicy's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The latest image among the repository's tags, filtered and ordered by the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_ref: Option<ImageRef>,
    /// The last reconciled generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The previous `latestRef`, to tell what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_previous_ref: Option<ImageRef>,
}

crate::impl_flux_status!(ImagePolicyStatus);

/// The digest refresh interval under the `Always` policy when `spec.interval` is empty.
pub const DEFAULT_DIGEST_INTERVAL: Duration = Duration::from_secs(600);

impl ImagePolicy {
    /// The digest refresh interval: `spec.interval` (10m when empty or zero) under the `Always`
    /// reflection policy, `None` otherwise (the policy then follows its repository's scans).
    pub fn digest_interval(&self) -> Option<Duration> {
        if self.spec.digest_reflection_policy != ReflectionPolicy::Always {
            return None;
        }
        let interval = crate::meta::duration_or(self.spec.interval.as_deref(), Duration::ZERO);
        Some(if interval.is_zero() {
            DEFAULT_DIGEST_INTERVAL
        } else {
            interval
        })
    }

    /// The namespace of the ImageRepository: `spec.imageRepositoryRef.namespace`, or this object's.
    pub fn repository_namespace(&self) -> String {
        match self.spec.image_repository_ref.namespace.as_deref() {
            Some(ns) if !ns.is_empty() => ns.to_string(),
            _ => self.namespace().unwrap_or_default(),
        }
    }

    /// The latest image, if one was selected.
    pub fn latest_ref(&self) -> Option<&ImageRef> {
        self.status.as_ref()?.latest_ref.as_ref()
    }
}

// Only the `Always` digest reflection policy requeues on a timer (`ImagePolicy::digest_interval`).
crate::impl_flux_object!(ImagePolicy, ImagePolicyStatus, |policy| policy
    .digest_interval());

/// The CRD of this kind.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<ImagePolicy as kube::CustomResourceExt>::crd()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::FluxObject;

    const SEMVER: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo
  namespace: apps
spec:
  imageRepositoryRef:
    name: podinfo
    namespace: flux-system
  filterTags:
    pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)'
    extract: '$ts'
  policy:
    semver:
      range: '>=6.0.0 <7.0.0'
  digestReflectionPolicy: Always
  interval: 30m
status:
  observedGeneration: 1
  latestRef:
    name: ghcr.io/stefanprodan/podinfo
    tag: 6.5.0
    digest: sha256:2d3e4f
  observedPreviousRef:
    name: ghcr.io/stefanprodan/podinfo
    tag: 6.4.1
"#;

    const ALPHABETICAL: &str = r#"
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: apps
spec:
  imageRepositoryRef:
    name: app
  policy:
    alphabetical: {}
"#;

    #[test]
    fn parses_a_semver_policy() {
        let pol: ImagePolicy = serde_saphyr::from_str(SEMVER).expect("parse");
        assert_eq!(
            pol.spec.policy.policy(),
            Ok(Policy::SemVer {
                range: ">=6.0.0 <7.0.0"
            })
        );
        assert_eq!(
            pol.spec
                .filter_tags
                .as_ref()
                .and_then(|f| f.extract.as_deref()),
            Some("$ts")
        );
        assert_eq!(pol.spec.digest_reflection_policy, ReflectionPolicy::Always);
        assert_eq!(pol.digest_interval(), Some(Duration::from_secs(1800)));
        assert_eq!(pol.interval(), Some(Duration::from_secs(1800)));
        assert_eq!(pol.repository_namespace(), "flux-system");
        let latest = pol.latest_ref().expect("latestRef");
        assert_eq!(
            latest.to_string(),
            "ghcr.io/stefanprodan/podinfo:6.5.0@sha256:2d3e4f"
        );
        let previous = pol
            .status
            .as_ref()
            .and_then(|s| s.observed_previous_ref.as_ref())
            .expect("previous");
        assert_eq!(previous.to_string(), "ghcr.io/stefanprodan/podinfo:6.4.1");
    }

    #[test]
    fn applies_flux_defaults() {
        let mut pol: ImagePolicy = serde_saphyr::from_str(ALPHABETICAL).expect("parse");
        assert_eq!(
            pol.spec.policy.policy(),
            Ok(Policy::Alphabetical {
                order: SortOrder::Asc
            })
        );
        assert_eq!(pol.spec.digest_reflection_policy, ReflectionPolicy::Never);
        assert_eq!(pol.digest_interval(), None);
        assert_eq!(pol.repository_namespace(), "apps");
        assert!(pol.latest_ref().is_none() && !pol.suspended());
        pol.spec.digest_reflection_policy = ReflectionPolicy::Always;
        assert_eq!(pol.digest_interval(), Some(DEFAULT_DIGEST_INTERVAL));
        pol.spec.digest_reflection_policy = ReflectionPolicy::IfNotPresent;
        assert_eq!(pol.digest_interval(), None);
    }

    #[test]
    fn picks_the_policy_in_flux_order() {
        let numerical = ImagePolicyChoice {
            numerical: Some(NumericalPolicy {
                order: SortOrder::Desc,
            }),
            ..Default::default()
        };
        assert_eq!(
            numerical.policy(),
            Ok(Policy::Numerical {
                order: SortOrder::Desc
            })
        );
        let both = ImagePolicyChoice {
            semver: Some(SemVerPolicy {
                range: "1.x".into(),
            }),
            ..numerical
        };
        assert_eq!(both.policy(), Ok(Policy::SemVer { range: "1.x" }));
        assert_eq!(ImagePolicyChoice::default().policy(), Err(NoPolicyError));
    }

    #[test]
    fn refuses_unknown_orders() {
        let bad = ALPHABETICAL.replace("alphabetical: {}", "alphabetical: {order: up}");
        assert!(serde_saphyr::from_str::<ImagePolicy>(&bad).is_err());
    }
}
