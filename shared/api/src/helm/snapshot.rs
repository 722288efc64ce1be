//! The release history helm-controller keeps in `status.history`: one snapshot per Helm
//! release version, newest first, trimmed to the last release that succeeded.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::status::ReleaseAction;
use crate::meta::Time;

/// The snapshot format written by this version (digests of Helm 4 / chart API v2 releases).
pub const CURRENT_SNAPSHOT_API_VERSION: &str = "v2";
/// Helm release status of the release currently deployed.
pub const STATUS_DEPLOYED: &str = "deployed";
/// Helm release status of a release replaced by a newer one.
pub const STATUS_SUPERSEDED: &str = "superseded";
/// Test hook phase of a failed test.
pub const TEST_PHASE_FAILED: &str = "Failed";
/// Test hook phase of a passed test.
pub const TEST_PHASE_SUCCEEDED: &str = "Succeeded";
/// How many snapshots are kept when none of them is a successful release.
pub const MAX_UNSUCCESSFUL_SNAPSHOTS: usize = 5;

/// A copy of a Helm release's status information at one point in time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// The action that created this snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ReleaseAction>,
    /// Format of the snapshot, telling how `digest` was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// App version of the chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    /// Name of the chart.
    pub chart_name: String,
    /// Version of the chart.
    pub chart_version: String,
    /// `<algo>:<checksum>` of the release's values.
    pub config_digest: String,
    /// When the release was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Time>,
    /// `<algo>:<checksum>` of the release object in storage.
    pub digest: String,
    /// When the release was first deployed.
    pub first_deployed: Time,
    /// When the release was last deployed.
    pub last_deployed: Time,
    /// Name of the release.
    pub name: String,
    /// Namespace the release is deployed to.
    pub namespace: String,
    /// Digest of the chart's OCI artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oci_digest: Option<String>,
    /// Helm status of the release (`deployed`, `superseded`, `failed`, ...).
    pub status: String,
    /// The test hooks seen to run, by name; an empty map means the chart has no selected tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_hooks: Option<BTreeMap<String, TestHookStatus>>,
    /// Version of the release in storage.
    #[schemars(schema_with = "crate::schema::go_int")]
    pub version: i64,
}

/// The observed run of one test hook.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestHookStatus {
    /// When the hook last completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_completed: Option<Time>,
    /// When the hook last started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_started: Option<Time>,
    /// The hook's phase (`Succeeded`, `Failed`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

impl Snapshot {
    /// `<namespace>/<name>.v<version>`.
    pub fn full_release_name(&self) -> String {
        format!("{}/{}.v{}", self.namespace, self.name, self.version)
    }

    /// `<chart name>@<chart version>`.
    pub fn versioned_chart_name(&self) -> String {
        format!("{}@{}", self.chart_name, self.chart_version)
    }

    /// Whether test results were observed: an empty map (no tests selected), any failed test,
    /// or every test succeeded.
    pub fn has_been_tested(&self) -> bool {
        let Some(hooks) = &self.test_hooks else {
            return false;
        };
        hooks.is_empty()
            || self.has_test_in_phase(TEST_PHASE_FAILED)
            || hooks
                .values()
                .all(|h| h.phase.as_deref() == Some(TEST_PHASE_SUCCEEDED))
    }

    /// Whether any test hook is in `phase`.
    pub fn has_test_in_phase(&self, phase: &str) -> bool {
        self.test_hooks
            .iter()
            .flat_map(|hooks| hooks.values())
            .any(|h| h.phase.as_deref() == Some(phase))
    }

    /// Whether the snapshot is of release `name` version `version` in `namespace`.
    pub fn targets(&self, name: &str, namespace: &str, version: i64) -> bool {
        self.name == name && self.namespace == namespace && self.version == version
    }

    /// Whether the release was deployed or superseded (so it once succeeded), and, unless
    /// `ignore_tests`, had no failed test.
    fn is_good(&self, ignore_tests: bool) -> bool {
        (self.status == STATUS_DEPLOYED || self.status == STATUS_SUPERSEDED)
            && (ignore_tests || !self.has_test_in_phase(TEST_PHASE_FAILED))
    }
}

/// The release history of a HelmRelease (`status.history`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(transparent)]
pub struct Snapshots(pub Vec<Snapshot>);

impl std::ops::Deref for Snapshots {
    type Target = Vec<Snapshot>;
    fn deref(&self) -> &Vec<Snapshot> {
        &self.0
    }
}

impl std::ops::DerefMut for Snapshots {
    fn deref_mut(&mut self) -> &mut Vec<Snapshot> {
        &mut self.0
    }
}

impl Snapshots {
    /// Whether the history is empty (for `skip_serializing_if`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts newest version first.
    pub fn sort_by_version(&mut self) {
        self.0.sort_by_key(|s| std::cmp::Reverse(s.version));
    }

    /// The snapshot with the highest version.
    pub fn latest(&self) -> Option<&Snapshot> {
        self.0.iter().max_by_key(|s| s.version)
    }

    /// The newest snapshot older than the latest that was deployed or superseded (and, unless
    /// `ignore_tests`, had no failed test): the rollback target.
    pub fn previous(&self, ignore_tests: bool) -> Option<&Snapshot> {
        if self.0.len() < 2 {
            return None;
        }
        let mut sorted: Vec<&Snapshot> = self.0.iter().collect();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.version));
        sorted.into_iter().skip(1).find(|s| s.is_good(ignore_tests))
    }

    /// Drops every snapshot older than the [`Self::previous`] one; without such a snapshot,
    /// keeps the newest five.
    pub fn truncate(&mut self, ignore_tests: bool) {
        if self.0.len() < 2 {
            return;
        }
        self.sort_by_version();
        match self.0.iter().skip(1).position(|s| s.is_good(ignore_tests)) {
            Some(i) => self.0.truncate(i + 2),
            None => self.0.truncate(MAX_UNSUCCESSFUL_SNAPSHOTS),
        }
    }

    /// Sorts newest first and keeps the newest five, whatever their state.
    pub fn truncate_ignoring_previous(&mut self) {
        self.sort_by_version();
        self.0.truncate(MAX_UNSUCCESSFUL_SNAPSHOTS);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn snapshot(version: i64, status: &str) -> Snapshot {
        let t: Time = serde_json::from_str(r#""2024-05-01T10:00:00Z""#).expect("time");
        Snapshot {
            action: None,
            api_version: Some(CURRENT_SNAPSHOT_API_VERSION.into()),
            app_version: None,
            chart_name: "podinfo".into(),
            chart_version: "6.5.0".into(),
            config_digest: "sha256:abc".into(),
            deleted: None,
            digest: "sha256:def".into(),
            first_deployed: t.clone(),
            last_deployed: t,
            name: "podinfo".into(),
            namespace: "apps".into(),
            oci_digest: None,
            status: status.into(),
            test_hooks: None,
            version,
        }
    }

    fn hooks(phases: &[&str]) -> Option<BTreeMap<String, TestHookStatus>> {
        Some(
            phases
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        format!("t{i}"),
                        TestHookStatus {
                            phase: Some((*p).into()),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn names() {
        let s = snapshot(3, STATUS_DEPLOYED);
        assert_eq!(s.full_release_name(), "apps/podinfo.v3");
        assert_eq!(s.versioned_chart_name(), "podinfo@6.5.0");
        assert!(s.targets("podinfo", "apps", 3));
        assert!(!s.targets("podinfo", "apps", 2));
    }

    #[test]
    fn has_been_tested() {
        let mut s = snapshot(1, STATUS_DEPLOYED);
        assert!(!s.has_been_tested());
        s.test_hooks = hooks(&[]);
        assert!(s.has_been_tested());
        s.test_hooks = hooks(&["Succeeded", "Running"]);
        assert!(!s.has_been_tested());
        s.test_hooks = hooks(&["Failed", "Running"]);
        assert!(s.has_been_tested());
        s.test_hooks = hooks(&["Succeeded", "Succeeded"]);
        assert!(s.has_been_tested());
    }

    #[test]
    fn latest_and_previous() {
        let mut failed_test = snapshot(3, STATUS_SUPERSEDED);
        failed_test.test_hooks = hooks(&["Failed"]);
        let h = Snapshots(vec![
            snapshot(2, STATUS_SUPERSEDED),
            snapshot(4, "failed"),
            failed_test,
        ]);
        assert_eq!(h.latest().map(|s| s.version), Some(4));
        assert_eq!(h.previous(false).map(|s| s.version), Some(2));
        assert_eq!(h.previous(true).map(|s| s.version), Some(3));
        assert_eq!(
            Snapshots(vec![snapshot(1, STATUS_DEPLOYED)]).previous(true),
            None
        );
    }

    #[test]
    fn truncate_keeps_up_to_previous_good() {
        let mut h = Snapshots(
            (1..=4)
                .map(|v| snapshot(v, if v == 2 { STATUS_SUPERSEDED } else { "failed" }))
                .collect(),
        );
        h.truncate(false);
        assert_eq!(
            h.iter().map(|s| s.version).collect::<Vec<_>>(),
            vec![4, 3, 2]
        );

        let mut h = Snapshots((1..=7).map(|v| snapshot(v, "failed")).collect());
        h.truncate(false);
        assert_eq!(
            h.iter().map(|s| s.version).collect::<Vec<_>>(),
            vec![7, 6, 5, 4, 3]
        );

        let mut h = Snapshots((1..=7).map(|v| snapshot(v, STATUS_SUPERSEDED)).collect());
        h.truncate_ignoring_previous();
        assert_eq!(h.len(), 5);
        assert_eq!(h.latest().map(|s| s.version), Some(7));
    }
}
