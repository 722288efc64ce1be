//! Errors of artifact download, verification and extraction; each knows whether retrying helps.

use std::io;
use std::path::PathBuf;

use super::digest::DigestError;
use crate::retry::is_retryable_status;

/// Everything that can go wrong while consuming a source's artifact.
///
/// URLs in messages never carry credentials or a query string (see [`crate::redact::redact_url`]).
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    #[error("invalid artifact digest: {0}")]
    InvalidDigest(#[from] DigestError),

    #[error("invalid artifact URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error("failed to build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),

    /// Flux's `ErrFileNotFound`: the source has not (or no longer) stored this artifact.
    #[error("artifact not found at {url} (HTTP 404)")]
    NotFound { url: String },

    #[error(
        "failed to download artifact from {url} (status: {status}) after {attempts} attempt(s)"
    )]
    HttpStatus {
        url: String,
        status: u16,
        attempts: u32,
    },

    /// `detail` is the whole cause chain, for the message; `source` keeps the error itself.
    #[error("failed to download artifact from {url} after {attempts} attempt(s): {detail}")]
    Connection {
        url: String,
        attempts: u32,
        detail: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("failed to download artifact from {url}: {detail}")]
    Request {
        url: String,
        detail: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("artifact from {url} is larger than the max download size of {limit} bytes")]
    TooLarge { url: String, limit: u64 },

    #[error(
        "artifact from {url} failed verification: expected digest {expected}, computed {actual}"
    )]
    DigestMismatch {
        url: String,
        expected: String,
        actual: String,
    },

    #[error("archive is not a valid tar.gz: {0}")]
    Archive(#[source] io::Error),

    #[error("tar entry {entry:?} has an absolute path")]
    AbsolutePath { entry: String },

    #[error("tar entry {entry:?} escapes the target directory with '..'")]
    PathTraversal { entry: String },

    #[error("tar entry {entry:?} has an invalid name: {reason}")]
    InvalidPath { entry: String, reason: &'static str },

    #[error(
        "tar entry {entry:?} is a symlink to {target:?}, which resolves outside the target directory"
    )]
    SymlinkEscape { entry: String, target: String },

    #[error(
        "tar entry {entry:?} is a symlink to {target:?}, which does not resolve (too many levels of links)"
    )]
    SymlinkLoop { entry: String, target: String },

    #[error(
        "tar entry {entry:?} is a hard link to {target:?}, which is outside the target directory"
    )]
    HardLinkEscape { entry: String, target: String },

    #[error(
        "tar entry {entry:?} is a hard link to {target:?}, which is not a regular file extracted before it"
    )]
    HardLinkTarget { entry: String, target: String },

    #[error("tar entry {entry:?} is a {kind}, which is not allowed in an artifact")]
    UnsupportedEntry { entry: String, kind: &'static str },

    #[error("tar entry {entry:?} conflicts with an earlier entry: {reason}")]
    EntryConflict { entry: String, reason: &'static str },

    #[error("archive has more than {limit} entries (at {entry:?})")]
    TooManyEntries { entry: String, limit: u64 },

    #[error("tar {entry:?} is bigger than max archive size of {limit} bytes")]
    UntarSizeExceeded { entry: String, limit: u64 },

    #[error("tar metadata (long names, PAX records) after entry {after:?} is over {limit} bytes")]
    MetadataTooLarge { after: String, limit: u64 },

    #[error("destination {} already exists and is not an empty directory", path.display())]
    DestinationNotEmpty { path: PathBuf },

    /// The source moved on while the download was retried (see [`super::Refresh`]).
    #[error("{message}")]
    Superseded { message: String },

    #[error("{context} {}: {source}", path.display())]
    Io {
        context: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl ArtifactError {
    /// Whether trying again later can succeed without anyone changing anything: network
    /// trouble, 5xx and 429 answers, local I/O. A wrong digest, a refused archive, a bad URL or
    /// an over-limit artifact fail the same way every time.
    pub fn is_transient(&self) -> bool {
        match self {
            ArtifactError::HttpStatus { status, .. } => is_retryable_status(*status),
            ArtifactError::Connection { .. } | ArtifactError::Io { .. } => true,
            ArtifactError::InvalidDigest(_)
            | ArtifactError::InvalidUrl { .. }
            | ArtifactError::Client(_)
            | ArtifactError::NotFound { .. }
            | ArtifactError::Request { .. }
            | ArtifactError::TooLarge { .. }
            | ArtifactError::DigestMismatch { .. }
            | ArtifactError::Archive(_)
            | ArtifactError::AbsolutePath { .. }
            | ArtifactError::PathTraversal { .. }
            | ArtifactError::InvalidPath { .. }
            | ArtifactError::SymlinkEscape { .. }
            | ArtifactError::SymlinkLoop { .. }
            | ArtifactError::HardLinkEscape { .. }
            | ArtifactError::HardLinkTarget { .. }
            | ArtifactError::UnsupportedEntry { .. }
            | ArtifactError::EntryConflict { .. }
            | ArtifactError::TooManyEntries { .. }
            | ArtifactError::UntarSizeExceeded { .. }
            | ArtifactError::MetadataTooLarge { .. }
            | ArtifactError::DestinationNotEmpty { .. }
            | ArtifactError::Superseded { .. } => false,
        }
    }

    /// The 404 case: Flux's consumers do not fail on it but wait for the source
    /// ("Source is not ready, artifact not found") and requeue at the dependency interval.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ArtifactError::NotFound { .. })
    }

    /// The source published something newer during the retries: start over with it.
    pub fn is_superseded(&self) -> bool {
        matches!(self, ArtifactError::Superseded { .. })
    }

    /// Whether the archive itself was refused (bad entry, over a limit, corrupt).
    pub fn is_bad_archive(&self) -> bool {
        matches!(
            self,
            ArtifactError::Archive(_)
                | ArtifactError::AbsolutePath { .. }
                | ArtifactError::PathTraversal { .. }
                | ArtifactError::InvalidPath { .. }
                | ArtifactError::SymlinkEscape { .. }
                | ArtifactError::SymlinkLoop { .. }
                | ArtifactError::HardLinkEscape { .. }
                | ArtifactError::HardLinkTarget { .. }
                | ArtifactError::UnsupportedEntry { .. }
                | ArtifactError::EntryConflict { .. }
                | ArtifactError::TooManyEntries { .. }
                | ArtifactError::UntarSizeExceeded { .. }
                | ArtifactError::MetadataTooLarge { .. }
        )
    }

    pub(crate) fn io(context: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        ArtifactError::Io {
            context,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses() {
        let cases = [
            (200, false),
            (400, false),
            (401, false),
            (403, false),
            (404, false),
            (429, true),
            (500, true),
            (501, false),
            (502, true),
            (503, true),
            (504, true),
            (599, true),
        ];
        for (status, transient) in cases {
            assert_eq!(is_retryable_status(status), transient, "status {status}");
            let err = ArtifactError::HttpStatus {
                url: "http://x/a.tar.gz".into(),
                status,
                attempts: 1,
            };
            assert_eq!(err.is_transient(), transient, "status {status}");
        }
    }

    #[test]
    fn permanent_and_transient_variants() {
        let mismatch = ArtifactError::DigestMismatch {
            url: "u".into(),
            expected: "sha256:a".into(),
            actual: "sha256:b".into(),
        };
        assert!(!mismatch.is_transient());
        assert!(!mismatch.is_bad_archive());
        let escape = ArtifactError::PathTraversal {
            entry: "../x".into(),
        };
        assert!(!escape.is_transient());
        assert!(escape.is_bad_archive());
        let not_found = ArtifactError::NotFound { url: "u".into() };
        assert!(not_found.is_not_found());
        assert!(!not_found.is_transient());
        let io = ArtifactError::io("writing", "/tmp/x", io::Error::other("disk full"));
        assert!(io.is_transient());
        assert_eq!(io.to_string(), "writing /tmp/x: disk full");
    }
}
