//! Typed errors of the engine; each message names the object as Flux's do
//! (`Deployment/ns/name dry-run failed (Invalid): ...`).

use crate::changeset::ChangeSet;

/// Why an apply, delete or wait failed.
#[derive(Debug, thiserror::Error)]
pub enum SsaError {
    /// The object lacks `apiVersion`, `kind` or `metadata.name`.
    #[error("invalid object {subject}: {problem}")]
    InvalidObject { subject: String, problem: String },

    /// No API serves this kind (a missing CRD).
    #[error(
        "{subject} dry-run failed: no matches for kind \"{kind}\" in version \"{group_version}\""
    )]
    UnknownKind {
        subject: String,
        kind: String,
        group_version: String,
    },

    /// A namespaced object without a namespace.
    #[error("{subject} namespace not specified: {message}")]
    NamespaceNotSpecified { subject: String, message: String },

    /// The server-side dry-run refused the object (validation, RBAC, missing namespace...).
    /// `reason` is the API's reason (`Invalid`, `Forbidden`, ...), empty when unknown.
    #[error("{subject} {}", dry_run_text(reason, message, *code))]
    DryRunFailed {
        subject: String,
        reason: String,
        code: u16,
        message: String,
    },

    /// The dry-run passed but the apply itself failed.
    #[error("{subject} apply failed: {message}")]
    ApplyFailed { subject: String, message: String },

    /// An immutable field changed and recreating the object failed.
    #[error("{subject} immutable field detected, failed to delete object: {message}")]
    Immutable { subject: String, message: String },

    /// Removing foreign managers or kubectl's annotation failed.
    #[error("{subject} metadata.managedFields cleanup failed: {message}")]
    CleanupFailed { subject: String, message: String },

    /// Reading the live object failed with something other than NotFound.
    #[error("{subject} query failed: {message}")]
    QueryFailed { subject: String, message: String },

    /// One or more deletions failed; the change set says what happened to every object.
    #[error("delete failed, errors: {errors}")]
    DeleteFailed {
        change_set: Box<ChangeSet>,
        errors: String,
    },

    /// Waiting for the definitions of the first stage failed.
    #[error(transparent)]
    Wait(#[from] WaitError),

    /// Discovery or another API call failed.
    #[error(transparent)]
    Kube(#[from] kube::Error),
}

fn dry_run_text(reason: &str, message: &str, code: u16) -> String {
    if code == 404 {
        return format!("not found: {message}");
    }
    if reason.is_empty() {
        format!("dry-run failed: {message}")
    } else {
        format!("dry-run failed ({reason}): {message}")
    }
}

impl SsaError {
    /// The subject (`Kind/namespace/name`) the error is about, if any.
    pub fn subject(&self) -> Option<&str> {
        match self {
            SsaError::InvalidObject { subject, .. }
            | SsaError::UnknownKind { subject, .. }
            | SsaError::NamespaceNotSpecified { subject, .. }
            | SsaError::DryRunFailed { subject, .. }
            | SsaError::ApplyFailed { subject, .. }
            | SsaError::Immutable { subject, .. }
            | SsaError::CleanupFailed { subject, .. }
            | SsaError::QueryFailed { subject, .. } => Some(subject),
            _ => None,
        }
    }
}

/// Why a wait ended without every object Current (or deleted).
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The timeout passed; one `Kind/ns/name status: 'InProgress'` entry per object not Current.
    #[error("timeout waiting for: [{}]", .pending.join(", "))]
    Timeout { pending: Vec<String> },

    /// `fail_fast` and at least one object Failed.
    #[error("failed early due to stalled resources: [{}]", .failed.join(", "))]
    Failed { failed: Vec<String> },

    /// The wait was cancelled (a new revision arrived).
    #[error("wait cancelled")]
    Cancelled,

    /// An object was still present when the timeout passed.
    #[error("{subject} termination timeout")]
    TerminationTimeout { subject: String },

    #[error(transparent)]
    Kube(#[from] kube::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_object() {
        let e = SsaError::DryRunFailed {
            subject: "Deployment/ns/web".into(),
            reason: "Invalid".into(),
            code: 422,
            message: "spec.replicas: Invalid value".into(),
        };
        assert_eq!(
            e.to_string(),
            "Deployment/ns/web dry-run failed (Invalid): spec.replicas: Invalid value"
        );
        let e = SsaError::UnknownKind {
            subject: "CronTab/ns/c".into(),
            kind: "CronTab".into(),
            group_version: "stable.example.com/v1".into(),
        };
        assert_eq!(
            e.to_string(),
            "CronTab/ns/c dry-run failed: no matches for kind \"CronTab\" in version \"stable.example.com/v1\""
        );
        let w = WaitError::Timeout {
            pending: vec![
                "Deployment/ns/web status: 'InProgress'".into(),
                "Service/ns/web status: 'NotFound'".into(),
            ],
        };
        assert_eq!(
            w.to_string(),
            "timeout waiting for: [Deployment/ns/web status: 'InProgress', Service/ns/web status: 'NotFound']"
        );
    }
}
