//! The kustomize-controller's errors: each variant knows its Flux reason and how the run
//! continues. Messages follow Flux's and never carry secret values.

use std::borrow::Cow;
use std::time::Duration;

use fluxion_api::conditions::{
    ACCESS_DENIED_REASON, ARTIFACT_FAILED_REASON, BUILD_FAILED_REASON, DEPENDENCY_NOT_READY_REASON,
    HEALTH_CHECK_FAILED_REASON, RECONCILIATION_FAILED_REASON,
};
use fluxion_api::kustomize::PRUNE_FAILED_REASON;
use fluxion_runtime::error::{Disposition, FluxError, PatchError};

/// Flux's reason when decryption fails (kustomize-controller reports it as a build failure).
pub const DECRYPTION_FAILED_REASON: &str = BUILD_FAILED_REASON;

/// Why a Kustomization run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A cross-namespace source under `--no-cross-namespace-refs`.
    #[error("{0}")]
    AccessDenied(String),
    /// The source object does not exist; waits `retryInterval`.
    #[error("Source '{source_ref}' not found")]
    SourceNotFound { source_ref: String, after: Duration },
    /// The source has no artifact yet; waits `retryInterval`.
    #[error("Source '{source_ref}' is not ready, artifact not found")]
    NoArtifact { source_ref: String, after: Duration },
    /// Reading the source failed for another reason.
    #[error("unable to get source '{source_ref}': {message}")]
    SourceRead { source_ref: String, message: String },
    /// A dependency is missing or not ready; waits `--requeue-dependency`.
    #[error("{message}")]
    DependencyNotReady { message: String, after: Duration },
    /// The artifact file is gone from the source's storage (a newer one is on its way).
    #[error("Source is not ready, artifact not found, retrying in {}", fluxion_api::duration::format_duration(*after))]
    ArtifactGone { after: Duration },
    /// The source moved on to another revision (or lost its artifact) while the download was
    /// retried: the run starts over at once.
    #[error("{0}")]
    SourceChanged(String),
    /// Downloading, verifying or extracting the artifact failed.
    #[error("{0}")]
    Artifact(String),
    /// `spec.path` is not in the artifact.
    #[error("kustomization path not found: {0}")]
    PathNotFound(String),
    /// kustomize build, post-build substitution or decryption failed.
    #[error("{0}")]
    Build(String),
    /// Building a client (impersonation, remote cluster) failed.
    #[error("failed to build kube client: {0}")]
    Client(String),
    /// Server-side apply failed (validation, admission, RBAC, unknown kind...).
    #[error("{0}")]
    Apply(String),
    /// Deleting objects no longer built failed.
    #[error("{0}")]
    Prune(String),
    /// The applied objects did not become healthy in time.
    #[error("{0}")]
    Health(String),
    /// The spec asks for something Fluxion does not do yet (named in the message).
    #[error("{0}")]
    Unsupported(String),
    /// A status or finalizer write to the API server failed.
    #[error(transparent)]
    Patch(#[from] PatchError),
}

impl FluxError for Error {
    fn reason(&self) -> Cow<'static, str> {
        match self {
            Error::AccessDenied(_) => ACCESS_DENIED_REASON.into(),
            Error::SourceNotFound { .. }
            | Error::NoArtifact { .. }
            | Error::SourceRead { .. }
            | Error::ArtifactGone { .. }
            | Error::SourceChanged(_)
            | Error::Artifact(_)
            | Error::PathNotFound(_) => ARTIFACT_FAILED_REASON.into(),
            Error::DependencyNotReady { .. } => DEPENDENCY_NOT_READY_REASON.into(),
            Error::Build(_) => BUILD_FAILED_REASON.into(),
            Error::Client(_) | Error::Apply(_) | Error::Patch(_) | Error::Unsupported(_) => {
                RECONCILIATION_FAILED_REASON.into()
            }
            Error::Prune(_) => PRUNE_FAILED_REASON.into(),
            Error::Health(_) => HEALTH_CHECK_FAILED_REASON.into(),
        }
    }

    fn disposition(&self) -> Disposition {
        match self {
            // Flux gives up on a blocked reference until the spec (or the flags) change.
            Error::AccessDenied(_) | Error::Unsupported(_) => Disposition::Stall,
            Error::SourceNotFound { after, .. }
            | Error::NoArtifact { after, .. }
            | Error::DependencyNotReady { after, .. }
            | Error::ArtifactGone { after } => Disposition::Wait(*after),
            Error::SourceChanged(_) => Disposition::Wait(Duration::ZERO),
            _ => Disposition::Retry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_dispositions() {
        let after = Duration::from_secs(30);
        let cases: Vec<(Error, &str, Disposition, &str)> = vec![
            (
                Error::SourceNotFound {
                    source_ref: "GitRepository/app".into(),
                    after,
                },
                ARTIFACT_FAILED_REASON,
                Disposition::Wait(after),
                "Source 'GitRepository/app' not found",
            ),
            (
                Error::NoArtifact {
                    source_ref: "OCIRepository/app".into(),
                    after,
                },
                ARTIFACT_FAILED_REASON,
                Disposition::Wait(after),
                "Source 'OCIRepository/app' is not ready, artifact not found",
            ),
            (
                Error::ArtifactGone { after },
                ARTIFACT_FAILED_REASON,
                Disposition::Wait(after),
                "Source is not ready, artifact not found, retrying in 30s",
            ),
            (
                Error::SourceChanged("source revision changed".into()),
                ARTIFACT_FAILED_REASON,
                Disposition::Wait(Duration::ZERO),
                "source revision changed",
            ),
            (
                Error::AccessDenied("can't access".into()),
                ACCESS_DENIED_REASON,
                Disposition::Stall,
                "can't access",
            ),
            (
                Error::Build("kustomize build failed: x".into()),
                BUILD_FAILED_REASON,
                Disposition::Retry,
                "kustomize build failed: x",
            ),
            (
                Error::Prune("gone".into()),
                PRUNE_FAILED_REASON,
                Disposition::Retry,
                "gone",
            ),
            (
                Error::Health("timeout".into()),
                HEALTH_CHECK_FAILED_REASON,
                Disposition::Retry,
                "timeout",
            ),
        ];
        for (err, reason, disposition, message) in cases {
            assert_eq!(err.reason(), reason);
            assert_eq!(err.disposition(), disposition);
            assert_eq!(err.to_string(), message);
        }
    }
}
