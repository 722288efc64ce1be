//! What helm-controller does after a failed install or upgrade: retry in place
//! (`strategy: RetryOnFailure`) or remediate (`RemediateOnFailure`, the default) by uninstalling
//! or rolling back, with a bounded number of retries.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::status::HelmReleaseStatus;

/// The retry interval of `RetryOnFailure` when `retryInterval` is unset.
pub const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// How a failed install or upgrade is followed up.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum ActionStrategyName {
    /// Remediate (uninstall or roll back) and try again, as `remediation` says.
    #[default]
    RemediateOnFailure,
    /// Retry the same action after `retryInterval`, without remediation.
    RetryOnFailure,
}

/// The install strategy.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "message": ".retryInterval cannot be set when .name is 'RemediateOnFailure'",
    "rule": "!has(self.retryInterval) || self.name != 'RemediateOnFailure'"
}]))]
pub struct InstallStrategy {
    /// The strategy.
    pub name: ActionStrategyName,
    /// Wait between retries of a failed install (`RetryOnFailure` only); 5m when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub retry_interval: Option<String>,
}

/// The upgrade strategy.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "message": ".retryInterval can only be set when .name is 'RetryOnFailure'",
    "rule": "!has(self.retryInterval) || self.name == 'RetryOnFailure'"
}]))]
pub struct UpgradeStrategy {
    /// The strategy.
    pub name: ActionStrategyName,
    /// Wait between retries of a failed upgrade (`RetryOnFailure` only); 5m when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::optional_duration")]
    pub retry_interval: Option<String>,
}

fn retry_interval(value: Option<&str>) -> Duration {
    crate::meta::duration_or(value, DEFAULT_RETRY_INTERVAL)
}

/// The retry interval an optional strategy gives: `None` unless the effective strategy is
/// `RetryOnFailure` (explicitly, or by the DefaultToRetryOnFailure feature gate when unset).
pub(crate) fn active_retry(
    name: Option<ActionStrategyName>,
    interval: Option<&str>,
    default_to_retry_on_failure: bool,
) -> Option<Duration> {
    match name {
        None if default_to_retry_on_failure => Some(DEFAULT_RETRY_INTERVAL),
        Some(ActionStrategyName::RetryOnFailure) => Some(retry_interval(interval)),
        _ => None,
    }
}

impl InstallStrategy {
    /// The wait between retries, 5m when unset.
    pub fn retry_interval(&self) -> Duration {
        retry_interval(self.retry_interval.as_deref())
    }
}

impl UpgradeStrategy {
    /// The wait between retries, 5m when unset.
    pub fn retry_interval(&self) -> Duration {
        retry_interval(self.retry_interval.as_deref())
    }
}

/// How a failed upgrade is remediated.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RemediationStrategy {
    /// Roll back to the previous release.
    #[default]
    Rollback,
    /// Uninstall the release.
    Uninstall,
}

/// Remediation of a failed install (always by uninstalling).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstallRemediation {
    /// Skip remediation when tests fail after an install; `test.ignoreFailures` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_test_failures: Option<bool>,
    /// Remediate the last failure too, once no retries remain; false when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediate_last_failure: Option<bool>,
    /// Attempts after a failure (uninstalling in between); 0 by default, negative for unlimited.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    #[schemars(schema_with = "crate::schema::go_int")]
    pub retries: i64,
}

/// Remediation of a failed upgrade.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeRemediation {
    /// Skip remediation when tests fail after an upgrade; `test.ignoreFailures` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_test_failures: Option<bool>,
    /// Remediate the last failure too, once no retries remain; true when unset and
    /// `retries` is positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediate_last_failure: Option<bool>,
    /// Attempts after a failure (remediating in between); 0 by default, negative for unlimited.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    #[schemars(schema_with = "crate::schema::go_int")]
    pub retries: i64,
    /// How to remediate; rollback when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<RemediationStrategy>,
}

/// The remediation settings of the release action last attempted (install or upgrade), with
/// Flux's defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActiveRemediation {
    Install(InstallRemediation),
    Upgrade(UpgradeRemediation),
}

impl ActiveRemediation {
    /// The number of retries (negative: unlimited).
    pub fn retries(&self) -> i64 {
        match self {
            Self::Install(r) => r.retries,
            Self::Upgrade(r) => r.retries,
        }
    }

    /// Whether failed tests are ignored, given `test.ignoreFailures` as the default.
    pub fn must_ignore_test_failures(&self, default: bool) -> bool {
        match self {
            Self::Install(r) => r.ignore_test_failures,
            Self::Upgrade(r) => r.ignore_test_failures,
        }
        .unwrap_or(default)
    }

    /// Whether the last failure is remediated once retries are exhausted.
    pub fn must_remediate_last_failure(&self) -> bool {
        match self {
            Self::Install(r) => r.remediate_last_failure.unwrap_or(false),
            Self::Upgrade(r) => r.remediate_last_failure.unwrap_or(r.retries > 0),
        }
    }

    /// How to remediate: always uninstall after an install; rollback by default after an upgrade.
    pub fn strategy(&self) -> RemediationStrategy {
        match self {
            Self::Install(_) => RemediationStrategy::Uninstall,
            Self::Upgrade(r) => r.strategy.unwrap_or_default(),
        }
    }

    /// The failure counter of the action in `status`.
    pub fn failure_count(&self, status: &HelmReleaseStatus) -> i64 {
        match self {
            Self::Install(_) => status.install_failures,
            Self::Upgrade(_) => status.upgrade_failures,
        }
    }

    /// Adds one to the failure counter of the action in `status`.
    pub fn increment_failure_count(&self, status: &mut HelmReleaseStatus) {
        match self {
            Self::Install(_) => status.install_failures += 1,
            Self::Upgrade(_) => status.upgrade_failures += 1,
        }
    }

    /// Whether the failures counted in `status` used up the retries (never, when unlimited).
    pub fn retries_exhausted(&self, status: &HelmReleaseStatus) -> bool {
        let retries = self.retries();
        retries >= 0 && self.failure_count(status) > retries
    }

    /// Whether a failed upgrade is remediated by uninstalling.
    pub fn is_uninstall_after_upgrade(&self) -> bool {
        matches!(self, Self::Upgrade(_)) && self.strategy() == RemediationStrategy::Uninstall
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_interval_defaults_to_five_minutes() {
        let s = InstallStrategy {
            name: ActionStrategyName::RetryOnFailure,
            retry_interval: None,
        };
        assert_eq!(s.retry_interval(), Duration::from_secs(300));
        let s = UpgradeStrategy {
            name: ActionStrategyName::RetryOnFailure,
            retry_interval: Some("30s".into()),
        };
        assert_eq!(s.retry_interval(), Duration::from_secs(30));
    }

    #[test]
    fn active_retry_follows_strategy_and_feature_gate() {
        assert_eq!(active_retry(None, None, false), None);
        assert_eq!(active_retry(None, None, true), Some(DEFAULT_RETRY_INTERVAL));
        assert_eq!(
            active_retry(Some(ActionStrategyName::RemediateOnFailure), None, true),
            None
        );
        assert_eq!(
            active_retry(Some(ActionStrategyName::RetryOnFailure), Some("1m"), false),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn install_remediation_defaults() {
        let r = ActiveRemediation::Install(InstallRemediation::default());
        assert_eq!(r.retries(), 0);
        assert!(!r.must_remediate_last_failure());
        assert_eq!(r.strategy(), RemediationStrategy::Uninstall);
        assert!(r.must_ignore_test_failures(true));
        assert!(!r.must_ignore_test_failures(false));
        assert!(!r.is_uninstall_after_upgrade());
    }

    #[test]
    fn upgrade_remediation_defaults() {
        let mut u = UpgradeRemediation::default();
        assert!(!ActiveRemediation::Upgrade(u.clone()).must_remediate_last_failure());
        u.retries = 3;
        let r = ActiveRemediation::Upgrade(u.clone());
        assert!(r.must_remediate_last_failure());
        assert_eq!(r.strategy(), RemediationStrategy::Rollback);
        u.strategy = Some(RemediationStrategy::Uninstall);
        u.ignore_test_failures = Some(true);
        let r = ActiveRemediation::Upgrade(u);
        assert!(r.is_uninstall_after_upgrade());
        assert!(r.must_ignore_test_failures(false));
    }

    #[test]
    fn failure_counting_and_exhaustion() {
        let mut status = HelmReleaseStatus::default();
        let r = ActiveRemediation::Upgrade(UpgradeRemediation {
            retries: 1,
            ..Default::default()
        });
        assert!(!r.retries_exhausted(&status));
        r.increment_failure_count(&mut status);
        assert_eq!(status.upgrade_failures, 1);
        assert!(!r.retries_exhausted(&status));
        r.increment_failure_count(&mut status);
        assert!(r.retries_exhausted(&status));
        let install = ActiveRemediation::Install(InstallRemediation::default());
        install.increment_failure_count(&mut status);
        assert_eq!(install.failure_count(&status), 1);
        assert!(install.retries_exhausted(&status));
        let unlimited = ActiveRemediation::Install(InstallRemediation {
            retries: -1,
            ..Default::default()
        });
        assert!(!unlimited.retries_exhausted(&status));
    }
}
