//! Alert (notification.toolkit.fluxcd.io/v1beta3): which events go to which Provider.

use std::collections::BTreeMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::reference::CrossNamespaceObjectReference;
use crate::meta::LocalObjectReference;

/// The metadata key under which `spec.summary` is added to dispatched events.
pub const SUMMARY_METADATA_KEY: &str = "summary";

/// Alert selects the events of some Flux objects, filters them, and sends them to a Provider.
/// It has no status: notification-controller reads it for every incoming event.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "notification.toolkit.fluxcd.io",
    version = "v1beta3",
    kind = "Alert",
    plural = "alerts",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-notifications",
    namespaced,
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct AlertSpec {
    /// Metadata added to every dispatched event; keys the event already has are kept as they are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub event_metadata: BTreeMap<String, String>,
    /// `info` sends every event, `error` only error events.
    #[serde(default)]
    pub event_severity: EventSeverity,
    /// The objects whose events this Alert sends.
    pub event_sources: Vec<CrossNamespaceObjectReference>,
    /// Go regular expressions; an event whose message matches any of them is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusion_list: Vec<String>,
    /// Go regular expressions; when set, only events whose message matches one are sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_list: Vec<String>,
    /// The Provider to send to, in the Alert's namespace.
    pub provider_ref: LocalObjectReference,
    /// A short impact description added as `summary` metadata; deprecated for `eventMetadata`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 255))]
    pub summary: Option<String>,
    /// Stops sending events for this Alert.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
}

/// The least severity of the events an Alert sends.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventSeverity {
    #[default]
    Info,
    Error,
}

impl EventSeverity {
    /// The value as written in manifests and in Flux's event JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Error => "error",
        }
    }

    /// Whether an event of `event_severity` (Flux event JSON: `info`, `error`, `trace`) passes
    /// this filter: `info` lets every event through, `error` only error events.
    pub fn admits(self, event_severity: &str) -> bool {
        self == Self::Info || event_severity == self.as_str()
    }
}

impl Alert {
    /// `spec.suspend`.
    pub fn suspended(&self) -> bool {
        self.spec.suspend
    }

    /// The namespace of an event source: its own, or the Alert's when unset.
    pub fn source_namespace<'a>(&'a self, source: &'a CrossNamespaceObjectReference) -> &'a str {
        source.namespace_or(self.metadata.namespace.as_deref().unwrap_or_default())
    }

    /// The metadata Flux adds to dispatched events from the Alert: `eventMetadata` plus
    /// `summary` (which wins, as in Flux). Keys already on the event keep the event's value.
    pub fn added_metadata(&self) -> BTreeMap<String, String> {
        let mut metadata = self.spec.event_metadata.clone();
        if let Some(summary) = self.spec.summary.as_deref().filter(|s| !s.is_empty()) {
            metadata.insert(SUMMARY_METADATA_KEY.to_string(), summary.to_string());
        }
        metadata
    }
}

/// The CRDs this module defines.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![super::with_empty_subresources(
        <Alert as kube::CustomResourceExt>::crd(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::ResourceKind;

    const ALERT: &str = r#"
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata:
  name: on-call-webapp
  namespace: flux-system
spec:
  summary: "Cluster addons impacted in us-east-2"
  providerRef:
    name: slack-bot
  eventSeverity: error
  eventSources:
    - kind: GitRepository
      name: '*'
      matchLabels:
        app: webapp
    - kind: Kustomization
      name: webapp
      namespace: apps
    - kind: OCIRepository
      name: charts
  eventMetadata:
    env: production
    cluster: eks-us-east-2
  inclusionList:
    - ".*succeeded.*"
  exclusionList:
    - ".*error.*"
"#;

    #[test]
    fn parses_an_alert() {
        let alert: Alert = serde_saphyr::from_str(ALERT).expect("parse");
        assert_eq!(alert.spec.provider_ref.name, "slack-bot");
        assert_eq!(alert.spec.event_severity, EventSeverity::Error);
        assert_eq!(alert.spec.event_sources.len(), 3);
        let git = &alert.spec.event_sources[0];
        assert_eq!(git.kind, ResourceKind::GitRepository);
        assert!(git.is_wildcard());
        assert_eq!(git.match_labels["app"], "webapp");
        assert_eq!(alert.source_namespace(git), "flux-system");
        assert_eq!(alert.source_namespace(&alert.spec.event_sources[1]), "apps");
        assert_eq!(
            alert.spec.event_sources[2].kind,
            ResourceKind::OciRepository
        );
        assert_eq!(alert.spec.inclusion_list, [".*succeeded.*"]);
        assert_eq!(alert.spec.exclusion_list, [".*error.*"]);
        assert!(!alert.suspended());
        let metadata = alert.added_metadata();
        assert_eq!(metadata["env"], "production");
        assert_eq!(metadata["summary"], "Cluster addons impacted in us-east-2");
    }

    #[test]
    fn severity_defaults_to_info_and_filters() {
        let yaml = "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: {name: a}\n\
                    spec: {providerRef: {name: p}, eventSources: [{kind: HelmRelease, name: '*'}], suspend: true}\n";
        let alert: Alert = serde_saphyr::from_str(yaml).expect("parse");
        assert_eq!(alert.spec.event_severity, EventSeverity::Info);
        assert!(alert.suspended());
        assert!(alert.added_metadata().is_empty());
        assert_eq!(alert.source_namespace(&alert.spec.event_sources[0]), "");
        assert!(EventSeverity::Info.admits("info") && EventSeverity::Info.admits("error"));
        assert!(EventSeverity::Error.admits("error"));
        assert!(!EventSeverity::Error.admits("info") && !EventSeverity::Error.admits("trace"));
        assert_eq!(EventSeverity::Error.as_str(), "error");
    }
}
