//! The source-controller's errors: each variant knows its Flux reason and how the run continues.

use std::borrow::Cow;

use fluxion_api::source::conditions::{
    ARCHIVE_OPERATION_FAILED_REASON, AUTHENTICATION_FAILED_REASON, GIT_OPERATION_FAILED_REASON,
    PATCH_OPERATION_FAILED_REASON, STAT_OPERATION_FAILED_REASON, URL_INVALID_REASON,
};
use fluxion_runtime::error::{Disposition, FluxError, PatchError};

/// Why a GitRepository run failed. Messages follow Flux's and never carry secret values.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The auth secret could not be read or is unusable (Flux: `AuthenticationFailed`).
    #[error("failed to get secret '{namespace}/{name}': {message}")]
    Secret {
        namespace: String,
        name: String,
        message: String,
    },
    /// The secret exists but its data does not make usable credentials.
    #[error("failed to configure authentication options: {0}")]
    AuthOptions(String),
    /// The proxy secret could not be read or is unusable (Flux: `AuthenticationFailed`).
    #[error("failed to configure proxy options: {0}")]
    Proxy(String),
    /// An included GitRepository is missing or has no artifact (condition IncludeUnavailable).
    #[error("{message}")]
    Include {
        reason: &'static str,
        message: String,
    },
    /// `spec.verify` failed: no keys, no signature, or not a trusted one (condition
    /// SourceVerified=False); a tag mode on a checkout without a tag stalls.
    #[error("{message}")]
    Verification {
        reason: &'static str,
        message: String,
        stall: bool,
    },
    /// The URL is not one git can fetch over http(s) or ssh.
    #[error("{0}")]
    InvalidUrl(String),
    /// The git operation failed (unreachable host, refused credentials, missing ref...).
    #[error("failed to checkout and determine revision: {0}")]
    Checkout(String),
    /// Packaging or storing the artifact failed.
    #[error("failed to {action}: {message}")]
    Storage {
        action: &'static str,
        message: String,
    },
    /// A status or finalizer write to the API server failed.
    #[error(transparent)]
    Patch(#[from] PatchError),
}

impl FluxError for Error {
    fn reason(&self) -> Cow<'static, str> {
        match self {
            Error::Secret { .. } | Error::AuthOptions(_) | Error::Proxy(_) => {
                AUTHENTICATION_FAILED_REASON.into()
            }
            Error::InvalidUrl(_) => URL_INVALID_REASON.into(),
            Error::Include { reason, .. } | Error::Verification { reason, .. } => (*reason).into(),
            Error::Checkout(_) => GIT_OPERATION_FAILED_REASON.into(),
            Error::Storage { action, .. } if action.starts_with("stat") => {
                STAT_OPERATION_FAILED_REASON.into()
            }
            Error::Storage { .. } => ARCHIVE_OPERATION_FAILED_REASON.into(),
            Error::Patch(_) => PATCH_OPERATION_FAILED_REASON.into(),
        }
    }

    fn disposition(&self) -> Disposition {
        match self {
            // Flux stalls on an invalid URL: no retry can fix it until the spec changes.
            Error::InvalidUrl(_) | Error::Verification { stall: true, .. } => Disposition::Stall,
            _ => Disposition::Retry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_dispositions() {
        let cases: Vec<(Error, &str, Disposition)> = vec![
            (
                Error::Secret {
                    namespace: "ns".into(),
                    name: "s".into(),
                    message: "not found".into(),
                },
                AUTHENTICATION_FAILED_REASON,
                Disposition::Retry,
            ),
            (
                Error::Checkout("unable to clone".into()),
                GIT_OPERATION_FAILED_REASON,
                Disposition::Retry,
            ),
            (
                Error::InvalidUrl("bad".into()),
                URL_INVALID_REASON,
                Disposition::Stall,
            ),
        ];
        for (err, reason, disposition) in cases {
            assert_eq!(err.reason(), reason);
            assert_eq!(err.disposition(), disposition);
        }
    }
}
