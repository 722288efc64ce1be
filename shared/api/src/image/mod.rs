//! image.toolkit.fluxcd.io/v1: ImageRepository, ImagePolicy, ImageUpdateAutomation, and the
//! condition reasons of image-reflector-controller and image-automation-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

pub mod automation;
pub mod git;
pub mod policy;
pub mod repository;

pub use automation::*;
pub use git::*;
pub use policy::*;
pub use repository::*;

pub use crate::conditions::DEPENDENCY_NOT_READY_REASON;

/// The image name of an ImageRepository (or the repository an ImagePolicy points at) cannot
/// be parsed.
pub const IMAGE_URL_INVALID_REASON: &str = "ImageURLInvalid";
/// Registry credentials are missing fields or were refused.
pub const AUTHENTICATION_FAILED_REASON: &str = "AuthenticationFailed";
/// Reading from the registry or the tag database failed.
pub const READ_OPERATION_FAILED_REASON: &str = "ReadOperationFailed";
/// An ImagePolicy with the `Always` digest reflection policy has no interval.
pub const INTERVAL_NOT_CONFIGURED_REASON: &str = "IntervalNotConfigured";

/// `spec.update` names a strategy that is not supported.
pub const INVALID_UPDATE_STRATEGY_REASON: &str = "InvalidUpdateStrategy";
/// The source of an ImageUpdateAutomation is misconfigured.
pub const INVALID_SOURCE_CONFIG_REASON: &str = "InvalidSourceConfiguration";
/// Preparing the source (fetching the GitRepository, its credentials, the checkout) failed.
pub const SOURCE_MANAGER_FAILED_REASON: &str = "SourceManagerFailed";
/// A Git operation (clone, commit, push) failed.
pub const GIT_OPERATION_FAILED_REASON: &str = "GitOperationFailed";
/// Updating the files with the latest images failed.
pub const UPDATE_FAILED_REASON: &str = "UpdateFailed";
/// `spec.policySelector` is not a valid label selector.
pub const INVALID_POLICY_SELECTOR_REASON: &str = "InvalidPolicySelector";
/// The commit message template uses a field that was removed (`Updated`; use `Changed`).
pub const REMOVED_TEMPLATE_FIELD_REASON: &str = "RemovedTemplateField";

/// The CRDs of the image group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    let mut crds = repository::crds();
    crds.extend(policy::crds());
    crds.extend(automation::crds());
    crds
}

#[cfg(test)]
mod automation_tests;
