//! References from Alerts and Receivers to the Flux objects they watch or trigger.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::flux_string_enum;

/// The name that matches every object of a kind (then `matchLabels` may narrow it).
pub const ANY_NAME: &str = "*";

flux_string_enum! {
    /// The Flux kinds an Alert can listen to and a Receiver can trigger.
    ResourceKind {
        Bucket = "Bucket",
        GitRepository = "GitRepository",
        Kustomization = "Kustomization",
        HelmRelease = "HelmRelease",
        HelmChart = "HelmChart",
        HelmRepository = "HelmRepository",
        ImageRepository = "ImageRepository",
        ImagePolicy = "ImagePolicy",
        ImageUpdateAutomation = "ImageUpdateAutomation",
        OciRepository = "OCIRepository",
        ArtifactGenerator = "ArtifactGenerator",
        ExternalArtifact = "ExternalArtifact",
    }
}

/// Objects of one kind, by name (or `*`) and labels, in the referrer's or another namespace.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrossNamespaceObjectReference {
    /// API version of the objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the objects.
    pub kind: ResourceKind,
    /// Labels the objects must all carry; only meaningful with `name: "*"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    /// Name of the object, or `*` for all of the kind.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Namespace of the objects; the referrer's namespace when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub namespace: Option<String>,
}

impl CrossNamespaceObjectReference {
    /// A reference to one object of `kind` in the referrer's namespace.
    pub fn new(kind: ResourceKind, name: impl Into<String>) -> Self {
        Self {
            api_version: None,
            kind,
            match_labels: BTreeMap::new(),
            name: name.into(),
            namespace: None,
        }
    }

    /// The namespace to look in: `namespace`, or the referrer's when unset or empty.
    pub fn namespace_or<'a>(&'a self, referrer_namespace: &'a str) -> &'a str {
        match self.namespace.as_deref() {
            Some(ns) if !ns.is_empty() => ns,
            _ => referrer_namespace,
        }
    }

    /// Whether `name` is `*`: every object of the kind (narrowed by `matchLabels`).
    pub fn is_wildcard(&self) -> bool {
        self.name == ANY_NAME
    }

    /// Whether an object of the referenced kind named `name` matches by name.
    pub fn matches_name(&self, name: &str) -> bool {
        self.is_wildcard() || self.name == name
    }

    /// Whether an object's labels satisfy `matchLabels` (always, when there are none).
    pub fn matches_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_use_flux_names() {
        assert_eq!(ResourceKind::ALL.len(), 12);
        assert_eq!(ResourceKind::OciRepository.as_str(), "OCIRepository");
        assert_eq!(ResourceKind::HelmRelease.to_string(), "HelmRelease");
        for kind in ResourceKind::ALL {
            let json = serde_json::to_value(kind).expect("json");
            assert_eq!(json, kind.as_str());
            assert_eq!(
                serde_json::from_value::<ResourceKind>(json).expect("parse"),
                *kind
            );
        }
    }

    #[test]
    fn namespace_defaults_to_the_referrer() {
        let mut r = CrossNamespaceObjectReference::new(ResourceKind::GitRepository, "podinfo");
        assert_eq!(r.namespace_or("apps"), "apps");
        r.namespace = Some(String::new());
        assert_eq!(r.namespace_or("apps"), "apps");
        r.namespace = Some("flux-system".into());
        assert_eq!(r.namespace_or("apps"), "flux-system");
    }

    #[test]
    fn name_and_label_matching() {
        let mut r = CrossNamespaceObjectReference::new(ResourceKind::Kustomization, "*");
        assert!(r.is_wildcard());
        assert!(r.matches_name("anything"));
        r.match_labels.insert("team".into(), "a".into());
        let mut labels = BTreeMap::from([("team".to_string(), "b".to_string())]);
        assert!(!r.matches_labels(&labels));
        labels.insert("team".into(), "a".into());
        assert!(r.matches_labels(&labels));
        let one = CrossNamespaceObjectReference::new(ResourceKind::Kustomization, "apps");
        assert!(one.matches_name("apps") && !one.matches_name("infra"));
        assert!(one.matches_labels(&BTreeMap::new()));
    }
}
