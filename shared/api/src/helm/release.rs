//! HelmRelease (helm.toolkit.fluxcd.io/v2): a Helm release of a chart, reconciled by
//! helm-controller; the spec and the values a controller derives from it.

use std::borrow::Cow;
use std::time::Duration;

use kube::{CustomResource, ResourceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::actions::{Install, Rollback, Test, Uninstall, Upgrade};
use super::chart::{CrossNamespaceSourceReference, HelmChartTemplate};
use super::remediation::ActiveRemediation;
use super::render::{
    CommonMetadata, CustomHealthCheck, DriftDetection, PostRenderStrategy, PostRenderer,
    WaitStrategy, WaitStrategyName,
};
use super::status::{HelmReleaseStatus, ReleaseAction};
use super::values::ValuesReference;
use crate::meta::{DependencyReference, KubeConfigReference};

/// The time limit of each Kubernetes operation of a Helm action when `spec.timeout` is unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// The number of release versions Helm keeps when `spec.maxHistory` is unset.
pub const DEFAULT_MAX_HISTORY: i64 = 5;

/// HelmRelease is the Schema for Helm releases reconciled by helm-controller.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "helm.toolkit.fluxcd.io",
    version = "v2",
    kind = "HelmRelease",
    plural = "helmreleases",
    shortname = "hr",
    category = "all",
    category = "fluxcd",
    category = "fluxcd-appliers",
    namespaced,
    status = "HelmReleaseStatus",
    annotation("kustomize.toolkit.fluxcd.io/substitute", "disabled"),
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Status","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].message"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "message": "either chart or chartRef must be set",
    "rule": "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))"
}]))]
pub struct HelmReleaseSpec {
    /// Template of the HelmChart helm-controller creates for this release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<HelmChartTemplate>,
    /// Reference to an object holding the chart artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_ref: Option<CrossNamespaceSourceReference>,
    /// Labels and annotations added to every released object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_metadata: Option<CommonMetadata>,
    /// HelmReleases that must be ready before this one is reconciled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyReference>,
    /// Detection and correction of drift between the release and the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_detection: Option<DriftDetection>,
    /// CEL health checks of custom resources, used when waiting with the poller strategy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_check_exprs: Vec<CustomHealthCheck>,
    /// Settings of the install action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install: Option<Install>,
    /// How often the release is reconciled.
    #[schemars(schema_with = "crate::schema::duration")]
    pub interval: String,
    /// Kubeconfig of a remote cluster to release to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_config: Option<KubeConfigReference>,
    /// Release versions Helm keeps; 0 for unlimited, 5 when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::go_int")]
    pub max_history: Option<i64>,
    /// Reuse one Kubernetes client for the whole reconcile; true when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_client: Option<bool>,
    /// Which hooks go through the post-renderers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_render_strategy: Option<PostRenderStrategy>,
    /// Post-renderers, applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub post_renderers: Vec<PostRenderer>,
    /// Name of the Helm release; `[<targetNamespace>-]<name>` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 53))]
    pub release_name: Option<String>,
    /// Settings of the rollback action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Rollback>,
    /// Service account to impersonate for the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub service_account_name: Option<String>,
    /// Namespace of the Helm storage; the HelmRelease's namespace when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub storage_namespace: Option<String>,
    /// Stop reconciling (a run in progress finishes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Namespace the release is installed in; the HelmRelease's namespace when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub target_namespace: Option<String>,
    /// Settings of the test action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<Test>,
    /// Time limit of each Kubernetes operation of a Helm action; 5m when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
    /// Settings of the uninstall action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uninstall: Option<Uninstall>,
    /// Settings of the upgrade action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<Upgrade>,
    /// Values of the release, merged over those of `valuesFrom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::preserve_unknown_any")]
    pub values: Option<Value>,
    /// Secrets and ConfigMaps holding values, merged in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values_from: Vec<ValuesReference>,
    /// How Helm waits for released objects to become ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_strategy: Option<WaitStrategy>,
}

fn or_default<T: Clone + Default>(value: &Option<T>) -> Cow<'_, T> {
    value
        .as_ref()
        .map_or_else(|| Cow::Owned(T::default()), Cow::Borrowed)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl HelmRelease {
    /// The release name before shortening: `spec.releaseName`, else `[<targetNamespace>-]<name>`.
    pub fn full_release_name(&self) -> String {
        if let Some(name) = non_empty(&self.spec.release_name) {
            return name.to_string();
        }
        match non_empty(&self.spec.target_namespace) {
            Some(ns) => format!("{ns}-{}", self.name_any()),
            None => self.name_any(),
        }
    }

    /// The Helm release name, shortened with a hash when over 53 characters, as every
    /// helm-controller action uses it.
    pub fn release_name(&self) -> String {
        super::name::shorten_name(&self.full_release_name())
    }

    /// The namespace the release is installed in: `spec.targetNamespace`, else the object's.
    pub fn release_namespace(&self) -> String {
        non_empty(&self.spec.target_namespace)
            .map_or_else(|| self.namespace().unwrap_or_default(), str::to_string)
    }

    /// The namespace of the Helm storage: `spec.storageNamespace`, else the object's.
    pub fn storage_namespace(&self) -> String {
        non_empty(&self.spec.storage_namespace)
            .map_or_else(|| self.namespace().unwrap_or_default(), str::to_string)
    }

    /// The name of the HelmChart created from `spec.chart`: `<namespace>-<name>`.
    pub fn helm_chart_name(&self) -> String {
        format!(
            "{}-{}",
            self.namespace().unwrap_or_default(),
            self.name_any()
        )
    }

    /// `spec.timeout`, 5m when unset.
    pub fn timeout(&self) -> Duration {
        crate::meta::duration_or(self.spec.timeout.as_deref(), DEFAULT_TIMEOUT)
    }

    /// `spec.maxHistory`, 5 when unset (0 means unlimited).
    pub fn max_history(&self) -> i64 {
        self.spec.max_history.unwrap_or(DEFAULT_MAX_HISTORY)
    }

    /// Whether one Kubernetes client serves the whole reconcile (true when unset).
    pub fn use_persistent_client(&self) -> bool {
        self.spec.persistent_client.unwrap_or(true)
    }

    /// The next reconcile after a success: `spec.interval`.
    pub fn requeue_after(&self) -> Duration {
        crate::meta::duration_or(Some(&self.spec.interval), Duration::ZERO)
    }

    /// The install settings, defaults when unset.
    pub fn install(&self) -> Cow<'_, Install> {
        or_default(&self.spec.install)
    }

    /// The upgrade settings, defaults when unset.
    pub fn upgrade(&self) -> Cow<'_, Upgrade> {
        or_default(&self.spec.upgrade)
    }

    /// The test settings, defaults when unset.
    pub fn test(&self) -> Cow<'_, Test> {
        or_default(&self.spec.test)
    }

    /// The rollback settings, defaults when unset.
    pub fn rollback(&self) -> Cow<'_, Rollback> {
        or_default(&self.spec.rollback)
    }

    /// The uninstall settings, defaults when unset.
    pub fn uninstall(&self) -> Cow<'_, Uninstall> {
        or_default(&self.spec.uninstall)
    }

    /// The drift detection settings, defaults (disabled) when unset.
    pub fn drift_detection(&self) -> Cow<'_, DriftDetection> {
        or_default(&self.spec.drift_detection)
    }

    fn last_attempted_action(&self) -> Option<ReleaseAction> {
        self.status.as_ref()?.last_attempted_release_action
    }

    /// The remediation settings of the last attempted action (install or upgrade).
    pub fn active_remediation(&self) -> Option<ActiveRemediation> {
        match self.last_attempted_action()? {
            ReleaseAction::Install => {
                Some(ActiveRemediation::Install(self.install().remediation()))
            }
            ReleaseAction::Upgrade => {
                Some(ActiveRemediation::Upgrade(self.upgrade().remediation()))
            }
            _ => None,
        }
    }

    /// The retry interval of the last attempted action, when its strategy is RetryOnFailure.
    pub fn active_retry(&self, default_to_retry_on_failure: bool) -> Option<Duration> {
        match self.last_attempted_action()? {
            ReleaseAction::Install => self.install().retry(default_to_retry_on_failure),
            ReleaseAction::Upgrade => self.upgrade().retry(default_to_retry_on_failure),
            _ => None,
        }
    }

    /// `spec.values` as a map; empty when unset or not a map.
    pub fn values(&self) -> Map<String, Value> {
        match &self.spec.values {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        }
    }

    /// How an action waits, `None` when it waits for hooks only (`disable_wait`).
    pub fn wait_strategy(
        &self,
        disable_wait: bool,
        use_helm3_defaults: bool,
    ) -> Option<WaitStrategyName> {
        if disable_wait {
            return None;
        }
        Some(match &self.spec.wait_strategy {
            Some(strategy) => strategy.name,
            None if use_helm3_defaults => WaitStrategyName::Legacy,
            None => WaitStrategyName::Poller,
        })
    }

    /// Which hooks go through the post-renderers; combined (nohooks with Helm 3 defaults) when unset.
    pub fn post_render_strategy(&self, use_helm3_defaults: bool) -> PostRenderStrategy {
        match self.spec.post_render_strategy {
            Some(strategy) => strategy,
            None if use_helm3_defaults => PostRenderStrategy::NoHooks,
            None => PostRenderStrategy::Combined,
        }
    }

    /// Whether a `reconcile.fluxcd.io/forceAt` request must be honoured now; records it as
    /// handled in the status either way, as Flux does.
    pub fn should_handle_force_request(&mut self) -> bool {
        self.handle_request(crate::meta::FORCE_REQUEST_ANNOTATION, |s| {
            &mut s.last_handled_force_at
        })
    }

    /// Whether a `reconcile.fluxcd.io/resetAt` request (reset the failure counters) must be
    /// honoured now; records it as handled in the status either way, as Flux does.
    pub fn should_handle_reset_request(&mut self) -> bool {
        self.handle_request(crate::meta::RESET_REQUEST_ANNOTATION, |s| {
            &mut s.last_handled_reset_at
        })
    }

    /// Flux's rule: a request counts when its value equals `requestedAt`, which is not yet
    /// handled, and the request value itself was not handled before.
    fn handle_request(
        &mut self,
        annotation: &str,
        field: fn(&mut HelmReleaseStatus) -> &mut Option<String>,
    ) -> bool {
        let annotations = self.annotations();
        let Some(request) = annotations.get(annotation).cloned() else {
            return false;
        };
        let reconcile = annotations
            .get(crate::meta::RECONCILE_REQUEST_ANNOTATION)
            .cloned();
        let status = self.status.get_or_insert_with(Default::default);
        let previous = field(status).replace(request.clone());
        reconcile.as_deref() == Some(request.as_str())
            && status.last_handled_reconcile_at.as_deref() != Some(request.as_str())
            && previous.as_deref() != Some(request.as_str())
    }
}

crate::impl_flux_object!(HelmRelease, HelmReleaseStatus);
