//! helm-controller's condition types and reasons (fluxcd/helm-controller api/v2). The shared
//! ones (Ready, Reconciling, Stalled, Progressing, ...) are in [`crate::conditions`].

pub use crate::conditions::{ARTIFACT_FAILED_REASON, DEPENDENCY_NOT_READY_REASON};

/// The outcome of the last release attempt (install, upgrade, test) for the desired state.
pub const RELEASED: &str = "Released";
/// The outcome of the last Helm test run for the desired state.
pub const TEST_SUCCESS: &str = "TestSuccess";
/// The outcome of the last remediation (rollback or uninstall) after a failed release.
pub const REMEDIATED: &str = "Remediated";
/// The release in the cluster differs from the one in Helm storage.
pub const DRIFTED: &str = "Drifted";

/// The Helm install succeeded.
pub const INSTALL_SUCCEEDED_REASON: &str = "InstallSucceeded";
/// The Helm install failed.
pub const INSTALL_FAILED_REASON: &str = "InstallFailed";
/// The Helm upgrade succeeded.
pub const UPGRADE_SUCCEEDED_REASON: &str = "UpgradeSucceeded";
/// The Helm upgrade failed.
pub const UPGRADE_FAILED_REASON: &str = "UpgradeFailed";
/// The Helm tests passed.
pub const TEST_SUCCEEDED_REASON: &str = "TestSucceeded";
/// The Helm tests failed.
pub const TEST_FAILED_REASON: &str = "TestFailed";
/// The Helm rollback succeeded.
pub const ROLLBACK_SUCCEEDED_REASON: &str = "RollbackSucceeded";
/// The Helm rollback failed.
pub const ROLLBACK_FAILED_REASON: &str = "RollbackFailed";
/// The Helm uninstall succeeded.
pub const UNINSTALL_SUCCEEDED_REASON: &str = "UninstallSucceeded";
/// The Helm uninstall failed.
pub const UNINSTALL_FAILED_REASON: &str = "UninstallFailed";
/// The cluster state drifted from the release manifest.
pub const DRIFT_DETECTED_REASON: &str = "DriftDetected";
/// The cluster state matches the release manifest.
pub const NO_DRIFT_DETECTED_REASON: &str = "NoDriftDetected";
/// The inventory of the release's objects could not be built.
pub const INVENTORY_BUILD_FAILED_REASON: &str = "InventoryBuildFailed";
/// The check that the target namespace exists was skipped.
pub const NAMESPACE_CHECK_SKIPPED_REASON: &str = "NamespaceCheckSkipped";
/// Correcting drifted objects failed (an event reason).
pub const DRIFT_CORRECTION_FAILED_REASON: &str = "DriftCorrectionFailed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_flux_strings() {
        assert_eq!(RELEASED, "Released");
        assert_eq!(TEST_SUCCESS, "TestSuccess");
        assert_eq!(UPGRADE_FAILED_REASON, "UpgradeFailed");
        assert_eq!(ARTIFACT_FAILED_REASON, "ArtifactFailed");
        assert_eq!(DEPENDENCY_NOT_READY_REASON, "DependencyNotReady");
    }
}
