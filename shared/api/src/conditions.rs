//! Flux's condition types and reasons shared by all controllers (fluxcd/pkg/apis/meta),
//! plus the condition status strings. Kind-specific ones live beside each API group.

/// Condition status values of `metav1.Condition`.
pub mod status {
    pub const TRUE: &str = "True";
    pub const FALSE: &str = "False";
    pub const UNKNOWN: &str = "Unknown";
}

/// The object reached its desired state (or not, with the reason why).
pub const READY: &str = "Ready";
/// The controller is working on the object; kstatus reads it as "in progress".
pub const RECONCILING: &str = "Reconciling";
/// The object cannot progress without a change from the user; kstatus reads it as failed.
pub const STALLED: &str = "Stalled";
/// The applied or released workloads pass their health checks.
pub const HEALTHY: &str = "Healthy";

/// The reconciliation succeeded.
pub const SUCCEEDED_REASON: &str = "Succeeded";
/// The reconciliation failed.
pub const FAILED_REASON: &str = "Failed";
/// The reconciliation is in progress.
pub const PROGRESSING_REASON: &str = "Progressing";
/// The reconciliation is in progress after a failure, and will be retried.
pub const PROGRESSING_WITH_RETRY_REASON: &str = "ProgressingWithRetry";
/// The reconciliation is suspended by `spec.suspend`.
pub const SUSPENDED_REASON: &str = "Suspended";
/// An object in `spec.dependsOn` is not ready yet.
pub const DEPENDENCY_NOT_READY_REASON: &str = "DependencyNotReady";
/// The reconciliation of the object finished successfully.
pub const RECONCILIATION_SUCCEEDED_REASON: &str = "ReconciliationSucceeded";
/// The reconciliation of the object failed.
pub const RECONCILIATION_FAILED_REASON: &str = "ReconciliationFailed";
/// A health check failed.
pub const HEALTH_CHECK_FAILED_REASON: &str = "HealthCheckFailed";
/// The source artifact could not be fetched or used.
pub const ARTIFACT_FAILED_REASON: &str = "ArtifactFailed";
/// Building the manifests or chart failed.
pub const BUILD_FAILED_REASON: &str = "BuildFailed";
/// A URL in the spec is malformed.
pub const INVALID_URL_REASON: &str = "InvalidURL";
/// A path in the spec is invalid.
pub const INVALID_PATH_REASON: &str = "InvalidPath";
/// The STS configuration of a bucket or registry is invalid.
pub const INVALID_STS_CONFIGURATION_REASON: &str = "InvalidSTSConfiguration";
/// The provider configuration is invalid.
pub const INVALID_PROVIDER_CONFIGURATION_REASON: &str = "InvalidProviderConfiguration";
/// A feature the spec asks for is turned off by a feature gate.
pub const FEATURE_GATE_DISABLED_REASON: &str = "FeatureGateDisabled";
/// A cross-namespace reference was refused (`--no-cross-namespace-refs`).
pub const ACCESS_DENIED_REASON: &str = "AccessDenied";
/// The object is being deleted.
pub const DELETING_REASON: &str = "Deleting";
/// A CEL expression of the spec does not compile or does not return a boolean.
pub const INVALID_CEL_EXPRESSION_REASON: &str = "InvalidCELExpression";
