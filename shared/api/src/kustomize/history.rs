//! Flux's reconciliation history (fluxcd/pkg/apis/meta `History`): the snapshots that
//! Kustomization and HelmRelease keep in `status.history`, newest first.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::meta::Time;

/// How many snapshots a history keeps; older ones are dropped.
pub const HISTORY_MAX_SIZE: usize = 5;

/// One entry of a reconciliation history: a digest of the reconciled resources, when it was
/// first and last reconciled, how the last attempt went and how long it took.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Checksum of the reconciled resources, `<algo>:<hex>`.
    pub digest: String,
    /// When this digest was first reconciled.
    pub first_reconciled: Time,
    /// When this digest was last reconciled.
    pub last_reconciled: Time,
    /// How long the last reconciliation of this digest took, as a Go duration.
    pub last_reconciled_duration: String,
    /// The outcome of the last reconciliation (a condition reason).
    pub last_reconciled_status: String,
    /// How many reconciliations this snapshot has counted.
    pub total_reconciliations: i64,
    /// Extra facts about the snapshot, e.g. the source revision.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

impl Snapshot {
    /// [`Snapshot::last_reconciled_duration`] parsed; zero when malformed.
    pub fn duration(&self) -> Duration {
        crate::meta::duration_or(Some(&self.last_reconciled_duration), Duration::ZERO)
    }

    /// The short form Flux logs: `id=<8 hex> last-reconciled=<RFC 3339> duration=<d> status=<s>`.
    pub fn summary(&self) -> String {
        let id = match self.digest.split_once(':') {
            Some((_, hex)) if hex.len() > 8 => &hex[..8],
            _ => self.digest.as_str(),
        };
        format!(
            "id={id} last-reconciled={} duration={} status={}",
            self.last_reconciled.0.strftime("%Y-%m-%dT%H:%M:%SZ"),
            crate::duration::format_duration(self.duration()),
            self.last_reconciled_status
        )
    }
}

/// The newest snapshot of a history (histories are kept newest first).
pub fn latest(history: &[Snapshot]) -> Option<&Snapshot> {
    history.first()
}

/// Records a reconciliation as Flux does: a snapshot with the same digest and status is updated
/// (time, duration, metadata, count + 1) and moved to the front; otherwise a new snapshot is
/// put in front. The history is then cut to [`HISTORY_MAX_SIZE`].
pub fn upsert(
    history: &mut Vec<Snapshot>,
    digest: &str,
    at: Time,
    duration: Duration,
    status: &str,
    metadata: BTreeMap<String, String>,
) {
    let duration = crate::duration::format_duration(duration);
    let found = history
        .iter()
        .position(|s| s.digest == digest && s.last_reconciled_status == status);
    match found {
        Some(i) => {
            let mut snapshot = history.remove(i);
            snapshot.last_reconciled = at;
            snapshot.last_reconciled_duration = duration;
            snapshot.total_reconciliations += 1;
            snapshot.metadata = metadata;
            history.insert(0, snapshot);
        }
        None => history.insert(
            0,
            Snapshot {
                digest: digest.to_string(),
                first_reconciled: at.clone(),
                last_reconciled: at,
                last_reconciled_duration: duration,
                last_reconciled_status: status.to_string(),
                total_reconciliations: 1,
                metadata,
            },
        ),
    }
    history.truncate(HISTORY_MAX_SIZE);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Time {
        Time(k8s_openapi::jiff::Timestamp::from_second(1_750_000_000 + secs).expect("timestamp"))
    }

    fn meta(rev: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("revision".to_string(), rev.to_string())])
    }

    #[test]
    fn upsert_adds_new_snapshots_in_front() {
        let mut h = Vec::new();
        upsert(
            &mut h,
            "sha256:aaa",
            at(0),
            Duration::from_secs(3),
            "ReconciliationSucceeded",
            meta("r1"),
        );
        upsert(
            &mut h,
            "sha256:bbb",
            at(10),
            Duration::from_millis(1500),
            "ReconciliationSucceeded",
            meta("r2"),
        );
        assert_eq!(h.len(), 2);
        let newest = latest(&h).expect("latest");
        assert_eq!(newest.digest, "sha256:bbb");
        assert_eq!(newest.last_reconciled_duration, "1.5s");
        assert_eq!(newest.total_reconciliations, 1);
        assert_eq!(newest.first_reconciled, at(10));
        assert_eq!(newest.duration(), Duration::from_millis(1500));
    }

    #[test]
    fn upsert_updates_same_digest_and_status_and_moves_it_first() {
        let mut h = Vec::new();
        upsert(
            &mut h,
            "sha256:aaa",
            at(0),
            Duration::from_secs(3),
            "ReconciliationSucceeded",
            meta("r1"),
        );
        upsert(
            &mut h,
            "sha256:bbb",
            at(10),
            Duration::from_secs(1),
            "ReconciliationSucceeded",
            meta("r2"),
        );
        upsert(
            &mut h,
            "sha256:aaa",
            at(20),
            Duration::from_secs(2),
            "ReconciliationSucceeded",
            meta("r3"),
        );
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].digest, "sha256:aaa");
        assert_eq!(h[0].total_reconciliations, 2);
        assert_eq!(h[0].first_reconciled, at(0));
        assert_eq!(h[0].last_reconciled, at(20));
        assert_eq!(h[0].last_reconciled_duration, "2s");
        assert_eq!(h[0].metadata, meta("r3"));
        assert_eq!(h[1].digest, "sha256:bbb");
    }

    #[test]
    fn upsert_keeps_a_separate_snapshot_per_status() {
        let mut h = Vec::new();
        upsert(
            &mut h,
            "sha256:aaa",
            at(0),
            Duration::from_secs(3),
            "ReconciliationSucceeded",
            meta("r1"),
        );
        upsert(
            &mut h,
            "sha256:aaa",
            at(5),
            Duration::from_secs(3),
            "HealthCheckFailed",
            meta("r1"),
        );
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].last_reconciled_status, "HealthCheckFailed");
        assert_eq!(h[0].total_reconciliations, 1);
    }

    #[test]
    fn upsert_truncates_to_max_size() {
        let mut h = Vec::new();
        for i in 0..(HISTORY_MAX_SIZE + 2) {
            upsert(
                &mut h,
                &format!("sha256:{i}"),
                at(i as i64),
                Duration::ZERO,
                "ReconciliationSucceeded",
                BTreeMap::new(),
            );
        }
        assert_eq!(h.len(), HISTORY_MAX_SIZE);
        let digests: Vec<&str> = h.iter().map(|s| s.digest.as_str()).collect();
        assert_eq!(
            digests,
            ["sha256:6", "sha256:5", "sha256:4", "sha256:3", "sha256:2"]
        );
        assert_eq!(latest(&[]), None);
    }

    #[test]
    fn summary_shortens_the_digest() {
        let mut h = Vec::new();
        upsert(
            &mut h,
            "sha256:0123456789abcdef",
            at(0),
            Duration::from_secs(90),
            "ReconciliationSucceeded",
            BTreeMap::new(),
        );
        assert_eq!(
            h[0].summary(),
            "id=01234567 last-reconciled=2025-06-15T15:06:40Z duration=1m30s status=ReconciliationSucceeded"
        );
    }

    #[test]
    fn parses_flux_history_yaml() {
        let yaml = r#"
- digest: sha256:43ad78c94b2655429d84f21488f29d7cca9cd45b7f54d2b27e16bbec8eff9228
  firstReconciled: "2025-08-15T10:11:00Z"
  lastReconciled: "2025-08-15T18:11:00Z"
  lastReconciledDuration: 2.818583s
  lastReconciledStatus: ReconciliationSucceeded
  metadata:
    revision: v7.0.0@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9
  totalReconciliations: 8
"#;
        let h: Vec<Snapshot> = serde_saphyr::from_str(yaml).expect("parse");
        assert_eq!(h[0].total_reconciliations, 8);
        assert_eq!(h[0].duration(), Duration::from_nanos(2_818_583_000));
        assert_eq!(
            h[0].metadata["revision"],
            "v7.0.0@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9"
        );
    }
}
