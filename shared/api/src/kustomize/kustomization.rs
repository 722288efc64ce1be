//! Kustomization (kustomize.toolkit.fluxcd.io/v1): build a source artifact's path with
//! kustomize, then apply, prune and health-check the result; with the derived settings the
//! controller needs (timeout, retry interval, deletion policy, namespaces).

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::{CustomResource, ResourceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::history::Snapshot;
use super::inventory::ResourceInventory;
use super::types::*;
use crate::meta::{
    Condition, DependencyReference, KubeConfigReference, NamespacedObjectKindReference,
};

/// Kustomization is the Schema for the kustomizations API.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "kustomize.toolkit.fluxcd.io",
    version = "v1",
    kind = "Kustomization",
    plural = "kustomizations",
    shortname = "ks",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-appliers",
    namespaced,
    status = "KustomizationStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct KustomizationSpec {
    /// Which kustomize build annotations to keep on the built objects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub build_metadata: Vec<BuildMetadataOption>,
    /// Labels and annotations set on every applied object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_metadata: Option<CommonMetadata>,
    /// Paths of kustomize Components to include, relative to `path`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// How to decrypt encrypted Secrets before applying them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decryption: Option<Decryption>,
    /// What happens to the applied objects when this Kustomization is deleted; `MirrorPrune`
    /// when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<DeletionPolicy>,
    /// Kustomizations that must be ready before this one is reconciled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyReference>,
    /// Recreate objects whose patch fails on an immutable field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("default" = false))]
    pub force: bool,
    /// CEL health checks for custom resource kinds, used when `wait` or `healthChecks` is set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_check_exprs: Vec<CustomHealthCheck>,
    /// Objects whose health is checked after apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_checks: Vec<NamespacedObjectKindReference>,
    /// JSON pointers that drift detection and apply leave alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<IgnoreRule>,
    /// Drop `components` entries that are missing from the source instead of failing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_missing_components: bool,
    /// Image name, tag and digest overrides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// How often to reconcile (approximately, with jitter).
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// A kubeconfig to apply to a remote cluster instead of this one; `serviceAccountName`
    /// is then impersonated on that cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_config: Option<KubeConfigReference>,
    /// A prefix for the names of all applied objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 200))]
    pub name_prefix: Option<String>,
    /// A suffix for the names of all applied objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 200))]
    pub name_suffix: Option<String>,
    /// Inline strategic-merge and JSON 6902 patches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Patch>,
    /// Directory of the kustomization.yaml (or plain YAMLs) in the artifact; its root when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What to do with the built YAML before applying it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_build: Option<PostBuild>,
    /// Delete objects that were applied before and are no longer built.
    pub prune: bool,
    /// How soon to retry after a failure; `interval` when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub retry_interval: Option<String>,
    /// A service account to impersonate while applying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// The source whose artifact holds the manifests.
    pub source_ref: CrossNamespaceSourceReference,
    /// Stop reconciling until unset (a run in progress finishes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Set or override the namespace of all namespaced objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub target_namespace: Option<String>,
    /// Time allowed for validation, apply and health checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
    /// Wait for every applied object to be healthy (then `healthChecks` is not used).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wait: bool,
}

/// The observed state of a Kustomization.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = {"observedGeneration": -1}))]
pub struct KustomizationStatus {
    /// The observations of the Kustomization's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// The last reconciliation attempts, newest first: digest, outcome and duration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Snapshot>,
    /// The objects applied by the last successful run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<ResourceInventory>,
    /// The origin revision (e.g. `org.opencontainers.image.revision`) of the last applied artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_applied_origin_revision: Option<String>,
    /// The revision of the last applied artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_applied_revision: Option<String>,
    /// The revision of the last attempted artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_revision: Option<String>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The last reconciled generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

crate::impl_flux_status!(KustomizationStatus);

/// Timeouts shorter than this are raised to it, as Flux does.
pub const MIN_TIMEOUT: Duration = Duration::from_secs(30);

impl Kustomization {
    /// `spec.interval`; zero when malformed (the schema refuses that).
    pub fn requeue_after(&self) -> Duration {
        crate::meta::duration_or(Some(&self.spec.interval), Duration::ZERO)
    }

    /// `spec.timeout`, or `interval - 30s` when empty, and never under 30s (Flux's `GetTimeout`).
    pub fn timeout(&self) -> Duration {
        let timeout = self
            .spec
            .timeout
            .as_deref()
            .and_then(|t| crate::duration::parse_duration(t).ok())
            .unwrap_or_else(|| self.requeue_after().saturating_sub(MIN_TIMEOUT));
        timeout.max(MIN_TIMEOUT)
    }

    /// `spec.retryInterval`, or `spec.interval` when empty.
    pub fn retry_interval(&self) -> Duration {
        crate::meta::duration_or(self.spec.retry_interval.as_deref(), self.requeue_after())
    }

    /// `spec.deletionPolicy`, `MirrorPrune` when empty.
    pub fn deletion_policy(&self) -> DeletionPolicy {
        self.spec.deletion_policy.unwrap_or_default()
    }

    /// The deletion policy with `MirrorPrune` resolved through `spec.prune`: `Delete`,
    /// `WaitForTermination` or `Orphan`.
    pub fn effective_deletion_policy(&self) -> DeletionPolicy {
        match self.deletion_policy() {
            DeletionPolicy::MirrorPrune if self.spec.prune => DeletionPolicy::Delete,
            DeletionPolicy::MirrorPrune => DeletionPolicy::Orphan,
            other => other,
        }
    }

    /// `spec.postBuild.substituteStrategy`, `WithVariables` when empty.
    pub fn substitute_strategy(&self) -> SubstituteStrategy {
        self.spec
            .post_build
            .as_ref()
            .and_then(|p| p.substitute_strategy)
            .unwrap_or_default()
    }

    /// The namespace of the source: `spec.sourceRef.namespace`, or this object's.
    pub fn source_namespace(&self) -> String {
        non_empty(self.spec.source_ref.namespace.as_deref())
            .unwrap_or_else(|| self.namespace().unwrap_or_default())
    }

    /// Whether the source lives in another namespace (refused under `--no-cross-namespace-refs`).
    pub fn is_cross_namespace_source(&self) -> bool {
        self.source_namespace() != self.namespace().unwrap_or_default()
    }

    /// `(namespace, name)` of each `spec.dependsOn` entry, with this object's namespace when empty.
    pub fn dependencies(&self) -> Vec<(String, String)> {
        let own = self.namespace().unwrap_or_default();
        self.spec
            .depends_on
            .iter()
            .map(|d| {
                (
                    non_empty(d.namespace.as_deref()).unwrap_or_else(|| own.clone()),
                    d.name.clone(),
                )
            })
            .collect()
    }

    /// Whether objects are health-checked after apply: `wait`, or any `healthChecks`.
    pub fn checks_health(&self) -> bool {
        self.spec.wait || !self.spec.health_checks.is_empty()
    }

    /// The last applied revision, if any.
    pub fn last_applied_revision(&self) -> Option<&str> {
        self.status.as_ref()?.last_applied_revision.as_deref()
    }

    /// The inventory of the last successful run, if any.
    pub fn inventory(&self) -> Option<&ResourceInventory> {
        self.status.as_ref()?.inventory.as_ref()
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_string)
}

crate::impl_flux_object!(Kustomization, KustomizationStatus);

/// The CRD of this kind.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![<Kustomization as kube::CustomResourceExt>::crd()]
}
