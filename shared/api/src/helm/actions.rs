//! The settings of each Helm action a HelmRelease runs: install, upgrade, test, rollback and
//! uninstall, with helm-controller's defaults as methods.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::remediation::{
    InstallRemediation, InstallStrategy, UpgradeRemediation, UpgradeStrategy, active_retry,
};

/// What happens to the CRDs in a chart's `crds/` directory.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum CrdsPolicy {
    /// Neither create nor update CRDs.
    Skip,
    /// Create missing CRDs, leave existing ones alone.
    #[default]
    Create,
    /// Create missing CRDs and replace existing ones.
    CreateReplace,
}

/// Whether an upgrade or rollback applies with server-side apply.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServerSideApplyMode {
    Enabled,
    Disabled,
    /// As the previous release was applied.
    #[default]
    Auto,
}

/// What an upgrade does when the chart's name changed.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum ChartNameChangeStrategy {
    /// Upgrade the release in place.
    InPlaceUpdate,
    /// Uninstall the release and install it again.
    #[default]
    Reinstall,
}

/// The propagation policy of deletions during an uninstall.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeletionPropagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// Settings of the Helm install action.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Install {
    /// What to do with the chart's CRDs; Create when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crds: Option<CrdsPolicy>,
    /// Create the target namespace when missing (it is never deleted on uninstall).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create_namespace: bool,
    /// Run no hooks during the install.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_hooks: bool,
    /// Skip validating rendered manifests against the Kubernetes OpenAPI schema.
    #[serde(
        rename = "disableOpenAPIValidation",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub disable_openapi_validation: bool,
    /// Skip validating values against the chart's JSON schema.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_schema_validation: bool,
    /// Do not adopt existing objects the release renders.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_take_ownership: bool,
    /// Do not wait for the released objects to become ready.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait: bool,
    /// Do not wait for Jobs to complete.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait_for_jobs: bool,
    /// What to do when the install fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<InstallRemediation>,
    /// Reuse the release name when it belongs to a deleted release kept in history.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
    /// Install with server-side apply; true when unset (false with the UseHelm3Defaults gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_side_apply: Option<bool>,
    /// Deprecated and without effect: use `crds: Skip`.
    #[serde(
        rename = "skipCRDs",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub skip_crds: bool,
    /// How a failed install is followed up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<InstallStrategy>,
    /// Time limit of each Kubernetes operation of the install; `spec.timeout` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
}

impl Install {
    /// The install timeout, `default` (the release timeout) when unset.
    pub fn timeout(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.timeout.as_deref(), default)
    }

    /// The remediation settings, Flux's defaults when unset.
    pub fn remediation(&self) -> InstallRemediation {
        self.remediation.clone().unwrap_or_default()
    }

    /// The retry interval when the effective strategy is RetryOnFailure, else `None`.
    pub fn retry(&self, default_to_retry_on_failure: bool) -> Option<Duration> {
        let strategy = self.strategy.as_ref();
        active_retry(
            strategy.map(|s| s.name),
            strategy.and_then(|s| s.retry_interval.as_deref()),
            default_to_retry_on_failure,
        )
    }

    /// The CRD policy; Create when unset (`skipCRDs` is ignored, as in Flux).
    pub fn crds_policy(&self) -> CrdsPolicy {
        self.crds.unwrap_or(CrdsPolicy::Create)
    }

    /// Whether to install with server-side apply.
    pub fn server_side_apply(&self, use_helm3_defaults: bool) -> bool {
        self.server_side_apply.unwrap_or(!use_helm3_defaults)
    }
}

/// Settings of the Helm upgrade action.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Upgrade {
    /// What to do when the chart's name changed; Reinstall when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_name_change_strategy: Option<ChartNameChangeStrategy>,
    /// Delete objects the failed upgrade created.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cleanup_on_fail: bool,
    /// What to do with the chart's CRDs; helm-controller applies Create when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crds: Option<CrdsPolicy>,
    /// Run no hooks during the upgrade.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_hooks: bool,
    /// Skip validating rendered manifests against the Kubernetes OpenAPI schema.
    #[serde(
        rename = "disableOpenAPIValidation",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub disable_openapi_validation: bool,
    /// Skip validating values against the chart's JSON schema.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_schema_validation: bool,
    /// Do not adopt existing objects the release renders.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_take_ownership: bool,
    /// Do not wait for the released objects to become ready.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait: bool,
    /// Do not wait for Jobs to complete.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait_for_jobs: bool,
    /// Replace objects instead of a three-way merge (client-side apply only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
    /// Reuse the previous release's values and merge `values` over them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preserve_values: bool,
    /// What to do when the upgrade fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<UpgradeRemediation>,
    /// Whether to upgrade with server-side apply; auto when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_side_apply: Option<ServerSideApplyMode>,
    /// How a failed upgrade is followed up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<UpgradeStrategy>,
    /// Time limit of each Kubernetes operation of the upgrade; `spec.timeout` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
}

impl Upgrade {
    /// The upgrade timeout, `default` (the release timeout) when unset.
    pub fn timeout(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.timeout.as_deref(), default)
    }

    /// The remediation settings, Flux's defaults when unset.
    pub fn remediation(&self) -> UpgradeRemediation {
        self.remediation.clone().unwrap_or_default()
    }

    /// The retry interval when the effective strategy is RetryOnFailure, else `None`.
    pub fn retry(&self, default_to_retry_on_failure: bool) -> Option<Duration> {
        let strategy = self.strategy.as_ref();
        active_retry(
            strategy.map(|s| s.name),
            strategy.and_then(|s| s.retry_interval.as_deref()),
            default_to_retry_on_failure,
        )
    }

    /// The chart name change strategy, Reinstall when unset.
    pub fn chart_name_change_strategy(&self) -> ChartNameChangeStrategy {
        self.chart_name_change_strategy.unwrap_or_default()
    }

    /// The CRD policy; Create when unset, as helm-controller applies it.
    pub fn crds_policy(&self) -> CrdsPolicy {
        self.crds.unwrap_or(CrdsPolicy::Create)
    }

    /// The server-side apply mode, auto when unset.
    pub fn server_side_apply(&self) -> ServerSideApplyMode {
        self.server_side_apply.unwrap_or_default()
    }
}

/// One Helm test to run or skip.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct Filter {
    /// Skip this test instead of selecting it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclude: bool,
    /// Name of the test.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

/// Settings of the Helm test action.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Test {
    /// Run the chart's tests after each install or upgrade.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable: bool,
    /// Tests to run or exclude.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// Do not remediate when tests fail (overridable per install and upgrade).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_failures: bool,
    /// Time limit of each Kubernetes operation of the tests; `spec.timeout` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
}

impl Test {
    /// The test timeout, `default` (the release timeout) when unset.
    pub fn timeout(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.timeout.as_deref(), default)
    }
}

/// Settings of the Helm rollback action.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    /// Delete objects the failed rollback created.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cleanup_on_fail: bool,
    /// Run no hooks during the rollback.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_hooks: bool,
    /// Do not wait for the objects to become ready.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait: bool,
    /// Do not wait for Jobs to complete.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait_for_jobs: bool,
    /// Replace objects instead of a three-way merge (client-side apply only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
    /// Deprecated and without effect since Helm 4.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recreate: bool,
    /// Whether to roll back with server-side apply; auto when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_side_apply: Option<ServerSideApplyMode>,
    /// Time limit of each Kubernetes operation of the rollback; `spec.timeout` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
}

impl Rollback {
    /// The rollback timeout, `default` (the release timeout) when unset.
    pub fn timeout(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.timeout.as_deref(), default)
    }

    /// The server-side apply mode, auto when unset.
    pub fn server_side_apply(&self) -> ServerSideApplyMode {
        self.server_side_apply.unwrap_or_default()
    }
}

/// Settings of the Helm uninstall action.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uninstall {
    /// Propagation policy of the deletions.
    #[serde(default)]
    pub deletion_propagation: DeletionPropagation,
    /// Run no hooks during the uninstall.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_hooks: bool,
    /// Do not wait for the objects to be deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_wait: bool,
    /// Keep the release history, marking the release deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_history: bool,
    /// Time limit of each Kubernetes operation of the uninstall; `spec.timeout` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub timeout: Option<String>,
}

impl Uninstall {
    /// The uninstall timeout, `default` (the release timeout) when unset.
    pub fn timeout(&self, default: Duration) -> Duration {
        crate::meta::duration_or(self.timeout.as_deref(), default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::remediation::ActionStrategyName;

    const FIVE_MIN: Duration = Duration::from_secs(300);

    #[test]
    fn install_defaults() {
        let i = Install::default();
        assert_eq!(i.timeout(FIVE_MIN), FIVE_MIN);
        assert_eq!(i.crds_policy(), CrdsPolicy::Create);
        assert!(i.server_side_apply(false));
        assert!(!i.server_side_apply(true));
        assert_eq!(i.retry(false), None);
        assert_eq!(i.retry(true), Some(FIVE_MIN));
        assert_eq!(i.remediation().retries, 0);
    }

    #[test]
    fn install_overrides() {
        let i = Install {
            timeout: Some("10m".into()),
            crds: Some(CrdsPolicy::CreateReplace),
            server_side_apply: Some(false),
            strategy: Some(InstallStrategy {
                name: ActionStrategyName::RetryOnFailure,
                retry_interval: Some("2m".into()),
            }),
            ..Default::default()
        };
        assert_eq!(i.timeout(FIVE_MIN), Duration::from_secs(600));
        assert_eq!(i.crds_policy(), CrdsPolicy::CreateReplace);
        assert!(!i.server_side_apply(false));
        assert_eq!(i.retry(false), Some(Duration::from_secs(120)));
    }

    #[test]
    fn upgrade_defaults_and_overrides() {
        let u = Upgrade::default();
        assert_eq!(
            u.chart_name_change_strategy(),
            ChartNameChangeStrategy::Reinstall
        );
        assert_eq!(u.server_side_apply(), ServerSideApplyMode::Auto);
        assert_eq!(u.crds_policy(), CrdsPolicy::Create);
        assert_eq!(u.retry(false), None);
        let u = Upgrade {
            strategy: Some(UpgradeStrategy {
                name: ActionStrategyName::RemediateOnFailure,
                retry_interval: None,
            }),
            server_side_apply: Some(ServerSideApplyMode::Disabled),
            timeout: Some("1m".into()),
            ..Default::default()
        };
        assert_eq!(u.retry(true), None);
        assert_eq!(u.server_side_apply(), ServerSideApplyMode::Disabled);
        assert_eq!(u.timeout(FIVE_MIN), Duration::from_secs(60));
    }

    #[test]
    fn test_rollback_uninstall_defaults() {
        assert_eq!(Test::default().timeout(FIVE_MIN), FIVE_MIN);
        assert_eq!(
            Rollback::default().server_side_apply(),
            ServerSideApplyMode::Auto
        );
        assert_eq!(
            Rollback {
                timeout: Some("90s".into()),
                ..Default::default()
            }
            .timeout(FIVE_MIN),
            Duration::from_secs(90)
        );
        let u: Uninstall = serde_json::from_str("{}").expect("parse");
        assert_eq!(u.deletion_propagation, DeletionPropagation::Background);
        assert_eq!(u.timeout(FIVE_MIN), FIVE_MIN);
    }
}
