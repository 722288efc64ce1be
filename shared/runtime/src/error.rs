//! The reconcile error: a Flux reason, a message and a disposition (retry, wait, stall).
//!
//! Controllers keep their own `thiserror` enums; each variant knows its Flux reason and how the
//! run should continue ([`FluxError`]). The runtime only sees the uniform [`ReconcileError`],
//! which [`crate::summarize`] turns into conditions and [`crate::backoff`] into a requeue.
//! Messages end up in conditions and events, so they must never carry a secret value.

use std::borrow::Cow;
use std::time::Duration;

use fluxion_api::conditions::RECONCILIATION_FAILED_REASON;

/// How a failed run continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// A transient failure: requeue with per-object exponential backoff.
    Retry,
    /// Not a failure, something else must happen first (e.g. a dependency is not ready):
    /// requeue after the delay without counting towards the backoff.
    Wait(Duration),
    /// The user must act: no requeue until the spec changes (kstatus Stalled).
    Stall,
}

/// A failed (or waiting) reconcile run, as the runtime reports it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReconcileError {
    reason: Cow<'static, str>,
    message: String,
    disposition: Disposition,
}

impl ReconcileError {
    /// An error with the given Flux reason (e.g. `ArtifactFailed`), message and disposition.
    pub fn new(
        reason: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        disposition: Disposition,
    ) -> Self {
        Self {
            reason: reason.into(),
            message: message.into(),
            disposition,
        }
    }

    /// A transient failure, retried with backoff.
    pub fn retry(reason: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(reason, message, Disposition::Retry)
    }

    /// A wait for something outside this object, retried after `after`.
    pub fn wait(
        reason: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        after: Duration,
    ) -> Self {
        Self::new(reason, message, Disposition::Wait(after))
    }

    /// A failure only the user can fix.
    pub fn stall(reason: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(reason, message, Disposition::Stall)
    }

    /// The Flux reason, used as the Ready reason and the event reason.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The human-readable message, used as the Ready message and the event message.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn disposition(&self) -> Disposition {
        self.disposition
    }

    pub fn is_stalled(&self) -> bool {
        self.disposition == Disposition::Stall
    }

    /// The same error with the message prefixed, e.g. with the step that failed.
    pub fn context(mut self, prefix: &str) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}

/// Implemented by every controller's error enum: the Flux reason and the disposition of each
/// variant. The message is the `Display` text, so it must not contain secret values.
pub trait FluxError: std::error::Error {
    /// The Flux condition reason, e.g. `fluxion_api::conditions::BUILD_FAILED_REASON`.
    fn reason(&self) -> Cow<'static, str>;

    /// How the run continues after this error.
    fn disposition(&self) -> Disposition;

    /// The uniform error the runtime works with.
    fn to_reconcile_error(&self) -> ReconcileError {
        ReconcileError::new(self.reason(), self.to_string(), self.disposition())
    }
}

// `ReconcileError` itself does not implement `FluxError`, which keeps this blanket
// conversion coherent with `From<T> for T`, so `?` works from any controller error.
impl<E: FluxError> From<E> for ReconcileError {
    fn from(err: E) -> Self {
        err.to_reconcile_error()
    }
}

/// An error and its causes on one line, `error: cause: root cause`, for messages and logs.
/// A cause whose text repeats the one before it is left out, as wrappers often print their
/// source in their own message.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(err) = current {
        let text = err.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

/// A failed write to the Kubernetes API (status or finalizer patch).
#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    #[error("object has no metadata.name")]
    MissingName,
    #[error("object has no metadata.resourceVersion")]
    MissingResourceVersion,
    #[error("encoding the {what} patch: {source}")]
    Encode {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("patching {what}: {source}")]
    Api {
        what: &'static str,
        #[source]
        source: kube::Error,
    },
}

impl PatchError {
    /// The API server refused the write because the object changed since it was read.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Api { source: kube::Error::Api(status), .. } if status.code == 409)
    }

    /// The object is gone, e.g. deleted once its last finalizer was removed.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { source: kube::Error::Api(status), .. } if status.code == 404)
    }
}

impl FluxError for PatchError {
    fn reason(&self) -> Cow<'static, str> {
        Cow::Borrowed(RECONCILIATION_FAILED_REASON)
    }

    fn disposition(&self) -> Disposition {
        Disposition::Retry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluxion_api::conditions::{ARTIFACT_FAILED_REASON, BUILD_FAILED_REASON};

    #[derive(Debug, thiserror::Error)]
    enum DemoError {
        #[error("build failed: {0}")]
        Build(String),
        #[error("source not ready")]
        SourceNotReady,
        #[error("custom")]
        Custom { reason: String },
    }

    impl FluxError for DemoError {
        fn reason(&self) -> Cow<'static, str> {
            match self {
                Self::Build(_) => BUILD_FAILED_REASON.into(),
                Self::SourceNotReady => ARTIFACT_FAILED_REASON.into(),
                Self::Custom { reason } => reason.clone().into(),
            }
        }
        fn disposition(&self) -> Disposition {
            match self {
                Self::Build(_) => Disposition::Stall,
                Self::SourceNotReady => Disposition::Wait(Duration::from_secs(30)),
                Self::Custom { .. } => Disposition::Retry,
            }
        }
    }

    fn run(fail: DemoError) -> Result<(), ReconcileError> {
        Err(fail)?
    }

    #[test]
    fn controller_errors_convert_with_reason_message_and_disposition() {
        let cases = [
            (
                DemoError::Build("bad yaml".into()),
                BUILD_FAILED_REASON,
                "build failed: bad yaml",
                Disposition::Stall,
            ),
            (
                DemoError::SourceNotReady,
                ARTIFACT_FAILED_REASON,
                "source not ready",
                Disposition::Wait(Duration::from_secs(30)),
            ),
            (
                DemoError::Custom {
                    reason: "Dynamic".into(),
                },
                "Dynamic",
                "custom",
                Disposition::Retry,
            ),
        ];
        for (input, reason, message, disposition) in cases {
            let err = run(input).expect_err("conversion");
            assert_eq!(err.reason(), reason);
            assert_eq!(err.message(), message);
            assert_eq!(err.to_string(), message);
            assert_eq!(err.disposition(), disposition);
        }
    }

    #[test]
    fn constructors_and_context() {
        let err = ReconcileError::stall("InvalidPath", "path escapes root").context("spec.path");
        assert!(err.is_stalled());
        assert_eq!(err.message(), "spec.path: path escapes root");
        assert_eq!(
            ReconcileError::wait("DependencyNotReady", "x", Duration::from_secs(5)).disposition(),
            Disposition::Wait(Duration::from_secs(5))
        );
        assert!(!ReconcileError::retry("Failed", "x").is_stalled());
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{text}")]
    struct Layer {
        text: &'static str,
        #[source]
        source: Option<Box<Layer>>,
    }

    fn layers(texts: &[&'static str]) -> Layer {
        texts
            .iter()
            .rev()
            .fold(None, |source, text| {
                Some(Layer {
                    text,
                    source: source.map(Box::new),
                })
            })
            .expect("at least one layer")
    }

    #[test]
    fn error_chains_join_causes_once() {
        let cases: [(&[&'static str], &str); 3] = [
            (&["disk full"], "disk full"),
            (
                &["request failed", "connect", "connection refused"],
                "request failed: connect: connection refused",
            ),
            (
                &["timed out", "timed out", "deadline"],
                "timed out: deadline",
            ),
        ];
        for (texts, want) in cases {
            assert_eq!(error_chain(&layers(texts)), want, "{texts:?}");
        }
    }

    #[test]
    fn patch_error_classification() {
        let api = |code| PatchError::Api {
            what: "status",
            source: kube::Error::Api(Box::new(
                kube::core::Status::failure("boom", "Conflict").with_code(code),
            )),
        };
        assert!(api(409).is_conflict());
        assert!(!api(409).is_not_found());
        assert!(api(404).is_not_found());
        assert!(!PatchError::MissingName.is_conflict());
        let err: ReconcileError = api(500).into();
        assert_eq!(err.reason(), RECONCILIATION_FAILED_REASON);
        assert_eq!(err.disposition(), Disposition::Retry);
    }
}
