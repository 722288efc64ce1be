//! ImageUpdateAutomation (image.toolkit.fluxcd.io/v1): write the latest images chosen by
//! ImagePolicies into a Git repository's manifests, commit and push.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::{CustomResource, ResourceExt};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::git::GitSpec;
use super::policy::ImageRef;
use crate::meta::{Condition, Time};

/// ImageUpdateAutomation is the Schema for the imageupdateautomations API
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "image.toolkit.fluxcd.io",
    version = "v1",
    kind = "ImageUpdateAutomation",
    plural = "imageupdateautomations",
    shortname = "iua",
    shortname = "imgupd",
    shortname = "imgauto",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-images",
    namespaced,
    status = "ImageUpdateAutomationStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#,
    printcolumn = r#"{"name":"Last run","type":"string","jsonPath":".status.lastAutomationRunTime","priority":1}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct ImageUpdateAutomationSpec {
    /// How to check out, commit and push; needed as long as Git is the only source kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSpec>,
    /// How often to run the automation, at least.
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// Which ImagePolicies of the namespace to apply, by label; all when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "label_selector")]
    pub policy_selector: Option<LabelSelector>,
    /// The GitRepository to update.
    pub source_ref: AutomationSourceReference,
    /// Stop running until unset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// How to update the files; the `Setters` strategy on the whole repository when empty.
    #[serde(default = "default_update", skip_serializing_if = "Option::is_none")]
    pub update: Option<UpdateStrategy>,
}

/// `metav1.LabelSelector` with the list and map markers the real type carries (k8s-openapi's
/// derived schema has none).
fn label_selector(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "x-kubernetes-map-type": "atomic",
        "properties": {
            "matchExpressions": {
                "type": "array",
                "description": "Requirements on labels, all of which must hold.",
                "x-kubernetes-list-type": "atomic",
                "items": {
                    "type": "object",
                    "description": "A requirement on the values of one label key.",
                    "required": ["key", "operator"],
                    "properties": {
                        "key": { "type": "string", "description": "The label key." },
                        "operator": { "type": "string", "description": "One of In, NotIn, Exists, DoesNotExist." },
                        "values": {
                            "type": "array",
                            "description": "The values for In and NotIn; empty for Exists and DoesNotExist.",
                            "x-kubernetes-list-type": "atomic",
                            "items": { "type": "string" }
                        }
                    }
                }
            },
            "matchLabels": {
                "type": "object",
                "description": "Labels that must all be present with these values.",
                "additionalProperties": { "type": "string" }
            }
        }
    })
}

fn default_update() -> Option<UpdateStrategy> {
    Some(UpdateStrategy::default())
}

/// The source kinds an automation can update.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum AutomationSourceKind {
    #[default]
    GitRepository,
}

/// A reference to the Git source, in this or another namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("required" = ["kind", "name"]))]
pub struct AutomationSourceReference {
    /// API version of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Kind of the source.
    #[serde(default)]
    pub kind: AutomationSourceKind,
    /// Name of the source.
    pub name: String,
    /// Namespace of the source; the automation's own when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// The ways of updating files.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum UpdateStrategyName {
    /// Rewrite fields marked with `# {"$imagepolicy": "<namespace>:<name>[:tag|:name|:digest]"}`.
    #[default]
    Setters,
}

/// How to update the files in the repository.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct UpdateStrategy {
    /// The directory of the manifests to update; the repository root when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The update strategy.
    #[serde(default)]
    pub strategy: UpdateStrategyName,
}

/// The observed state of an ImageUpdateAutomation.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct ImageUpdateAutomationStatus {
    /// The observations of the ImageUpdateAutomation's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// When the automation last ran to completion, with or without changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_automation_run_time: Option<Time>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The SHA of the last commit pushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_push_commit: Option<String>,
    /// When a change was last pushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_push_time: Option<Time>,
    /// The last reconciled generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The images of the ImagePolicies the last run considered, by policy name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub observed_policies: BTreeMap<String, ImageRef>,
    /// The source revision the last run saw, to tell when the source changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_source_revision: Option<String>,
}

crate::impl_flux_status!(ImageUpdateAutomationStatus);

/// A `spec.git` that gives no branch to push to, neither directly nor through a checkout ref.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref"
)]
pub struct NoPushBranchError;

impl ImageUpdateAutomation {
    /// `spec.interval`; zero when malformed (the schema refuses that).
    pub fn requeue_after(&self) -> Duration {
        crate::meta::duration_or(Some(&self.spec.interval), Duration::ZERO)
    }

    /// The namespace of the GitRepository: `spec.sourceRef.namespace`, or this object's.
    pub fn source_namespace(&self) -> String {
        match self.spec.source_ref.namespace.as_deref() {
            Some(ns) if !ns.is_empty() => ns.to_string(),
            _ => self.namespace().unwrap_or_default(),
        }
    }

    /// `spec.update`, or the `Setters` strategy on the repository root when empty.
    pub fn update_strategy(&self) -> UpdateStrategy {
        self.spec.update.clone().unwrap_or_default()
    }

    /// The branch to push to: `spec.git.push.branch`, else the checkout branch, which is
    /// `spec.git.checkout.ref.branch` or, without a checkout, the GitRepository's
    /// `spec.ref.branch` (given by the caller).
    pub fn push_branch(
        &self,
        source_ref_branch: Option<&str>,
    ) -> Result<String, NoPushBranchError> {
        let git = self.spec.git.as_ref();
        let pushed = git
            .and_then(|g| g.push.as_ref())
            .and_then(|p| p.branch.as_deref());
        if let Some(branch) = pushed.filter(|b| !b.is_empty()) {
            return Ok(branch.to_string());
        }
        let checkout = match git.and_then(|g| g.checkout.as_ref()) {
            Some(c) => c.reference.branch.as_deref(),
            None => source_ref_branch,
        };
        checkout
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .ok_or(NoPushBranchError)
    }
}

crate::impl_flux_object!(ImageUpdateAutomation, ImageUpdateAutomationStatus);

/// The CRD of this kind.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<ImageUpdateAutomation as kube::CustomResourceExt>::crd()]
}
