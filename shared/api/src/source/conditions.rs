//! Condition types and reasons of source-controller (fluxcd/source-controller api/v1).
//!
//! The shared ones (`Ready`, `Reconciling`, `Stalled`, `Succeeded`, `Failed`, `Progressing`, ...)
//! live in [`crate::conditions`]; those that source-controller also names in its own API are
//! re-exported here so a controller finds every reason it writes in one module.

pub use crate::conditions::{
    INVALID_PATH_REASON, INVALID_PROVIDER_CONFIGURATION_REASON, INVALID_STS_CONFIGURATION_REASON,
};

// ---- Condition types -------------------------------------------------------------------------

/// The artifact is stored and served; present only once an artifact exists.
pub const ARTIFACT_IN_STORAGE: &str = "ArtifactInStorage";
/// The stored artifact no longer matches the source (abnormal-true: present only when True).
pub const ARTIFACT_OUTDATED: &str = "ArtifactOutdated";
/// The result of signature or integrity verification; present only when verification is on.
pub const SOURCE_VERIFIED: &str = "SourceVerified";
/// Fetching from the upstream failed (abnormal-true: present only when True).
pub const FETCH_FAILED: &str = "FetchFailed";
/// Building the artifact failed (abnormal-true: present only when True).
pub const BUILD_FAILED: &str = "BuildFailed";
/// A filesystem or storage operation failed (abnormal-true: present only when True).
pub const STORAGE_OPERATION_FAILED: &str = "StorageOperationFailed";
/// A GitRepository include is missing or has no artifact (abnormal-true: present only when True).
pub const INCLUDE_UNAVAILABLE: &str = "IncludeUnavailable";

// ---- Reasons of api/v1/condition_types.go ----------------------------------------------------

/// The source URL is malformed or unsupported.
pub const URL_INVALID_REASON: &str = "URLInvalid";
/// A credentials Secret lacks required fields, or the credentials were refused.
pub const AUTHENTICATION_FAILED_REASON: &str = "AuthenticationFailed";
/// Verification of the source failed (Flux names this constant `VerificationError`).
pub const VERIFICATION_ERROR_REASON: &str = "VerificationError";
/// A directory could not be created.
pub const DIR_CREATION_FAILED_REASON: &str = "DirectoryCreationFailed";
/// A stat of a path failed.
pub const STAT_OPERATION_FAILED_REASON: &str = "StatOperationFailed";
/// A read failed.
pub const READ_OPERATION_FAILED_REASON: &str = "ReadOperationFailed";
/// The storage lock for an artifact could not be taken.
pub const ACQUIRE_LOCK_FAILED_REASON: &str = "AcquireLockFailed";
/// Packing the artifact archive failed.
pub const ARCHIVE_OPERATION_FAILED_REASON: &str = "ArchiveOperationFailed";
/// Updating the `latest` symlink of an artifact failed.
pub const SYMLINK_UPDATE_FAILED_REASON: &str = "SymlinkUpdateFailed";
/// The stored artifact already matches the source.
pub const ARTIFACT_UP_TO_DATE_REASON: &str = "ArtifactUpToDate";
/// A cache operation (e.g. the Helm index cache) failed.
pub const CACHE_OPERATION_FAILED_REASON: &str = "CacheOperationFailed";
/// Patching an object through the Kubernetes API failed.
pub const PATCH_OPERATION_FAILED_REASON: &str = "PatchOperationFailed";

// ---- Reasons of the kinds' own API files -----------------------------------------------------

/// A Git operation (clone, checkout, ...) succeeded.
pub const GIT_OPERATION_SUCCEEDED_REASON: &str = "GitOperationSucceeded";
/// A Git operation (clone, checkout, ...) failed.
pub const GIT_OPERATION_FAILED_REASON: &str = "GitOperationFailed";
/// Listing or fetching the bucket's objects succeeded.
pub const BUCKET_OPERATION_SUCCEEDED_REASON: &str = "BucketOperationSucceeded";
/// Listing or fetching the bucket's objects failed.
pub const BUCKET_OPERATION_FAILED_REASON: &str = "BucketOperationFailed";
/// Pulling the OCI artifact failed.
pub const OCI_PULL_FAILED_REASON: &str = "OCIArtifactPullFailed";
/// Extracting or copying the selected OCI layer failed.
pub const OCI_LAYER_OPERATION_FAILED_REASON: &str = "OCIArtifactLayerOperationFailed";
/// Fetching or loading a Helm repository index failed.
pub const INDEXATION_FAILED_REASON: &str = "IndexationFailed";
/// The Helm chart was pulled from a repository.
pub const CHART_PULL_SUCCEEDED_REASON: &str = "ChartPullSucceeded";
/// The Helm chart was packaged from a Git, Bucket or OCI source.
pub const CHART_PACKAGE_SUCCEEDED_REASON: &str = "ChartPackageSucceeded";

// ---- Reasons the controllers write as literals -----------------------------------------------

/// ArtifactOutdated: the upstream has a new revision.
pub const NEW_REVISION_REASON: &str = "NewRevision";
/// ArtifactOutdated: the set or content of GitRepository includes changed.
pub const INCLUDE_CHANGE_REASON: &str = "IncludeChange";
/// ArtifactOutdated: a new Helm chart version or package is to be stored.
pub const NEW_CHART_REASON: &str = "NewChart";
/// Event: a new artifact was stored.
pub const NEW_ARTIFACT_REASON: &str = "NewArtifact";
/// The Git repository has no commits.
pub const EMPTY_GIT_REPOSITORY_REASON: &str = "EmptyGitRepository";
/// The `.sourceignore` patterns could not be loaded.
pub const SOURCE_IGNORE_ERROR_REASON: &str = "SourceIgnoreError";
/// An include's `toPath` or `fromPath` escapes the artifact.
pub const ILLEGAL_PATH_REASON: &str = "IllegalPath";
/// Copying an include's files into the artifact failed.
pub const COPY_FAILURE_REASON: &str = "CopyFailure";
/// An included GitRepository has no artifact yet.
pub const NO_ARTIFACT_REASON: &str = "NoArtifact";
/// Tag verification was asked for but the checkout is not of a tag.
pub const INVALID_VERIFICATION_MODE_REASON: &str = "InvalidVerificationMode";
/// The tag to verify is not a signed tag object.
pub const INVALID_GIT_OBJECT_REASON: &str = "InvalidGitObject";
/// The tag's signature did not verify against the trusted keys.
pub const INVALID_TAG_SIGNATURE_REASON: &str = "InvalidTagSignature";
/// The commit's signature did not verify against the trusted keys.
pub const INVALID_COMMIT_SIGNATURE_REASON: &str = "InvalidCommitSignature";
/// Event (warning): a stored artifact's digest did not match its file.
pub const ARTIFACT_VERIFICATION_FAILED_REASON: &str = "ArtifactVerificationFailed";
/// Event: old artifacts were removed from storage.
pub const GARBAGE_COLLECTION_SUCCEEDED_REASON: &str = "GarbageCollectionSucceeded";
/// Event (warning): removing old artifacts from storage failed.
pub const GARBAGE_COLLECTION_FAILED_REASON: &str = "GarbageCollectionFailed";
/// HelmChart: the source object is missing or unreadable.
pub const SOURCE_UNAVAILABLE_REASON: &str = "SourceUnavailable";
/// HelmChart: `spec.sourceRef.kind` is not one a chart can come from.
pub const UNSUPPORTED_SOURCE_KIND_REASON: &str = "UnsupportedSourceKind";
/// HelmChart: the source exists but has no artifact yet.
pub const NO_SOURCE_ARTIFACT_REASON: &str = "NoSourceArtifact";
/// Event: the chart's dependencies were resolved.
pub const RESOLVED_DEPENDENCIES_REASON: &str = "ResolvedDependencies";

// ---- HelmChart build error reasons (internal/helm/chart/errors.go) ---------------------------

/// The chart reference (name, version, source path) is invalid; the user must act.
pub const INVALID_CHART_REFERENCE_REASON: &str = "InvalidChartReference";
/// Pulling the chart from its repository failed.
pub const CHART_PULL_ERROR_REASON: &str = "ChartPullError";
/// Patching the chart metadata (e.g. the version) failed; the user must act.
pub const METADATA_PATCH_ERROR_REASON: &str = "MetadataPatchError";
/// Merging `spec.valuesFiles` failed; the user must act.
pub const VALUES_FILES_ERROR_REASON: &str = "ValuesFilesError";
/// Building the chart's dependencies failed.
pub const DEPENDENCY_BUILD_ERROR_REASON: &str = "DependencyBuildError";
/// Packaging the chart failed.
pub const CHART_PACKAGE_ERROR_REASON: &str = "ChartPackageError";
/// Verifying the chart's signature failed.
pub const CHART_VERIFICATION_ERROR_REASON: &str = "ChartVerificationError";
/// A chart build failed for an unknown reason.
pub const UNKNOWN_BUILD_ERROR_REASON: &str = "Unknown";

/// Whether a HelmChart build error reason needs a change from the user (Flux stalls on these
/// instead of retrying).
pub fn is_persistent_chart_build_reason(reason: &str) -> bool {
    matches!(
        reason,
        INVALID_CHART_REFERENCE_REASON | METADATA_PATCH_ERROR_REASON | VALUES_FILES_ERROR_REASON
    )
}

/// The negative-polarity condition types of sources: present only when True, removed otherwise.
pub const NEGATIVE_POLARITY: &[&str] = &[
    FETCH_FAILED,
    ARTIFACT_OUTDATED,
    BUILD_FAILED,
    STORAGE_OPERATION_FAILED,
    INCLUDE_UNAVAILABLE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_fluxs() {
        assert_eq!(GIT_OPERATION_SUCCEEDED_REASON, "GitOperationSucceeded");
        assert_eq!(OCI_PULL_FAILED_REASON, "OCIArtifactPullFailed");
        assert_eq!(DIR_CREATION_FAILED_REASON, "DirectoryCreationFailed");
        assert_eq!(VERIFICATION_ERROR_REASON, "VerificationError");
        assert_eq!(INVALID_STS_CONFIGURATION_REASON, "InvalidSTSConfiguration");
    }

    #[test]
    fn persistent_chart_build_reasons() {
        assert!(is_persistent_chart_build_reason(
            INVALID_CHART_REFERENCE_REASON
        ));
        assert!(is_persistent_chart_build_reason(VALUES_FILES_ERROR_REASON));
        assert!(is_persistent_chart_build_reason(
            METADATA_PATCH_ERROR_REASON
        ));
        assert!(!is_persistent_chart_build_reason(CHART_PULL_ERROR_REASON));
        assert!(!is_persistent_chart_build_reason(
            UNKNOWN_BUILD_ERROR_REASON
        ));
    }

    #[test]
    fn negative_polarity_types() {
        assert!(NEGATIVE_POLARITY.contains(&FETCH_FAILED));
        assert!(!NEGATIVE_POLARITY.contains(&ARTIFACT_IN_STORAGE));
        assert!(!NEGATIVE_POLARITY.contains(&SOURCE_VERIFIED));
    }
}
