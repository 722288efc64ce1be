//! kustomize.toolkit.fluxcd.io/v1: Kustomization, its inventory and history, and the condition
//! reasons, labels and annotations of kustomize-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

pub mod history;
pub mod inventory;
pub mod kustomization;
pub mod types;

pub use history::Snapshot;
pub use inventory::{ObjectId, ObjectIdError, ResourceInventory, ResourceRef};
pub use kustomization::*;
pub use types::*;

pub use crate::conditions::{
    ARTIFACT_FAILED_REASON, BUILD_FAILED_REASON, DEPENDENCY_NOT_READY_REASON,
    HEALTH_CHECK_FAILED_REASON, HEALTHY, PROGRESSING_WITH_RETRY_REASON,
    RECONCILIATION_FAILED_REASON, RECONCILIATION_SUCCEEDED_REASON,
};
pub use crate::meta::{DISABLED_VALUE, RECONCILE_ANNOTATION};

/// Pruning objects that are no longer built failed.
pub const PRUNE_FAILED_REASON: &str = "PruneFailed";

/// Label on every applied object: the name of the Kustomization that owns it.
pub const NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
/// Label on every applied object: the namespace of the Kustomization that owns it.
pub const NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";

/// Per-object server-side apply behaviour; one of the `SSA_*` values.
pub const SSA_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/ssa";
/// `ssa`: take over every field (the default behaviour).
pub const SSA_OVERRIDE_VALUE: &str = "Override";
/// `ssa`: keep fields set by other managers.
pub const SSA_MERGE_VALUE: &str = "Merge";
/// `ssa`: create the object only when it does not exist.
pub const SSA_IF_NOT_PRESENT_VALUE: &str = "IfNotPresent";
/// `ssa`: neither apply nor prune the object.
pub const SSA_IGNORE_VALUE: &str = "Ignore";

/// Recreate the object when an immutable field changed (value [`ENABLED_VALUE`]).
pub const FORCE_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/force";
/// The value that turns on the opt-in annotations (`.../force`).
pub const ENABLED_VALUE: &str = "enabled";
/// Never prune the object (value [`DISABLED_VALUE`]).
pub const PRUNE_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/prune";
/// Skip post-build substitution for the object (value [`DISABLED_VALUE`]).
pub const SUBSTITUTE_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/substitute";

/// The field manager kustomize-controller applies objects with.
pub const FIELD_MANAGER: &str = "kustomize-controller";

/// The CRDs of the kustomize group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    kustomization::crds()
}

#[cfg(test)]
mod tests;
