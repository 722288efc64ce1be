//! The observed state of a HelmRelease: conditions, release history, failure counters, the
//! digests of the last attempt, handled requests, and the inventory of released objects.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::snapshot::Snapshots;
use crate::meta::Condition;

/// A Helm action helm-controller performs on a release.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseAction {
    Install,
    Upgrade,
    Rollback,
    Uninstall,
    /// An uninstall performed to remediate a failed install or upgrade.
    UninstallRemediation,
}

impl ReleaseAction {
    /// The action's name as written in status.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Install => "install",
            Self::Upgrade => "upgrade",
            Self::Rollback => "rollback",
            Self::Uninstall => "uninstall",
            Self::UninstallRemediation => "uninstall-remediation",
        }
    }
}

/// Flux declares the action of a snapshot as a plain string.
impl JsonSchema for ReleaseAction {
    fn schema_name() -> Cow<'static, str> {
        "ReleaseAction".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// `status.lastAttemptedReleaseAction` only ever holds the actions that have remediation.
fn attempted_action_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["install", "upgrade"] })
}

/// The objects a release applied.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct ResourceInventory {
    /// The objects.
    pub entries: Vec<ResourceRef>,
}

/// One object of an inventory.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
pub struct ResourceRef {
    /// `<namespace>_<name>_<group>_<kind>`.
    pub id: String,
    /// API version of the object's kind.
    #[serde(rename = "v")]
    pub version: String,
}

/// The observed state of a HelmRelease.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("default" = { "observedGeneration": -1 }))]
pub struct HelmReleaseStatus {
    /// The observations of the HelmRelease's current state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "crate::schema::conditions")]
    pub conditions: Vec<Condition>,
    /// Failed reconciliations against the desired state, reset on success.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub failures: i64,
    /// `<namespace>/<name>` of the HelmChart created for the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm_chart: Option<String>,
    /// Snapshots of the releases performed, down to the last successful one.
    #[serde(default, skip_serializing_if = "Snapshots::is_empty")]
    pub history: Snapshots,
    /// Failed installs against the desired state, reset on success.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub install_failures: i64,
    /// The objects the release applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<ResourceInventory>,
    /// Digest of the values of the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_config_digest: Option<String>,
    /// The generation of the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_generation: Option<i64>,
    /// The last install or upgrade attempted; selects the retry and remediation settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "attempted_action_schema")]
    pub last_attempted_release_action: Option<ReleaseAction>,
    /// How long the last release action took (a Go duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_release_action_duration: Option<String>,
    /// Chart revision of the last attempt; for OCI sources with `+<12 digest chars>` appended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_revision: Option<String>,
    /// Digest of the last attempt's chart artifact (OCI sources only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_revision_digest: Option<String>,
    /// Deprecated SHA-1 of the last attempt's values; see `lastAttemptedConfigDigest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempted_values_checksum: Option<String>,
    /// The last handled `reconcile.fluxcd.io/forceAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_force_at: Option<String>,
    /// The last handled `reconcile.fluxcd.io/requestedAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reconcile_at: Option<String>,
    /// The last handled `reconcile.fluxcd.io/resetAt` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_reset_at: Option<String>,
    /// Deprecated revision of the last successful release; see `history`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "crate::schema::go_int")]
    pub last_release_revision: Option<i64>,
    /// Digest of `commonMetadata` at the last successful reconcile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_common_metadata_digest: Option<String>,
    /// The last generation reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Digest of `postRenderers` at the last successful reconcile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_post_renderers_digest: Option<String>,
    /// Namespace of the Helm storage of the current release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub storage_namespace: Option<String>,
    /// Failed upgrades against the desired state, reset on success.
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub upgrade_failures: i64,
}

crate::impl_flux_status!(HelmReleaseStatus);

impl HelmReleaseStatus {
    /// Forgets the release history.
    pub fn clear_history(&mut self) {
        self.history = Snapshots::default();
    }

    /// Resets all failure counters.
    pub fn clear_failures(&mut self) {
        self.failures = 0;
        self.install_failures = 0;
        self.upgrade_failures = 0;
    }

    /// Namespace and name of the HelmChart in `helmChart`, if set and well formed.
    pub fn helm_chart(&self) -> Option<(&str, &str)> {
        self.helm_chart.as_deref()?.split_once('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::snapshot::tests::snapshot;
    use crate::meta::FluxStatus;

    #[test]
    fn counters_and_history_reset() {
        let mut s = HelmReleaseStatus {
            failures: 2,
            install_failures: 1,
            upgrade_failures: 3,
            history: Snapshots(vec![snapshot(1, "deployed")]),
            ..Default::default()
        };
        s.clear_failures();
        s.clear_history();
        assert_eq!(
            (s.failures, s.install_failures, s.upgrade_failures),
            (0, 0, 0)
        );
        assert!(s.history.is_empty());
    }

    #[test]
    fn helm_chart_splits_namespace_and_name() {
        let mut s = HelmReleaseStatus::default();
        assert_eq!(s.helm_chart(), None);
        s.helm_chart = Some("flux-system/apps-podinfo".into());
        assert_eq!(s.helm_chart(), Some(("flux-system", "apps-podinfo")));
        s.helm_chart = Some("bare".into());
        assert_eq!(s.helm_chart(), None);
    }

    #[test]
    fn flux_status_and_action_strings() {
        let mut s = HelmReleaseStatus::default();
        s.set_observed_generation(4);
        s.set_last_handled_reconcile_at(Some("now".into()));
        assert_eq!(s.observed_generation(), Some(4));
        assert_eq!(s.last_handled_reconcile_at(), Some("now"));
        let json = serde_json::to_value(ReleaseAction::UninstallRemediation).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!(ReleaseAction::UninstallRemediation.as_str())
        );
        let empty = serde_json::to_value(HelmReleaseStatus::default()).expect("serialize");
        assert_eq!(empty, serde_json::json!({}));
    }
}
