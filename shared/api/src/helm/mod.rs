//! helm.toolkit.fluxcd.io/v2: HelmRelease, and the condition types and reasons of helm-controller.
//!
//! The kind is split by concern: [`release`] holds the kind, its spec and the derived values a
//! controller needs (release name, namespaces, timeouts, history limit); [`chart`] the chart
//! template and chart reference; [`actions`] and [`remediation`] the install, upgrade, test,
//! rollback and uninstall settings; [`render`] post-renderers, common metadata, drift detection,
//! wait and health settings; [`values`] the values references; [`status`] and [`snapshot`] the
//! observed state and release history; [`name`] Flux's release-name shortening.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

pub mod actions;
pub mod chart;
pub mod conditions;
pub mod name;
pub mod release;
pub mod remediation;
pub mod render;
pub mod snapshot;
pub mod status;
pub mod values;

#[cfg(test)]
mod tests;

pub use actions::*;
pub use chart::*;
pub use name::shorten_name;
pub use release::*;
pub use remediation::*;
pub use render::*;
pub use snapshot::*;
pub use status::*;
pub use values::*;

/// The API group of HelmRelease.
pub const GROUP: &str = "helm.toolkit.fluxcd.io";
/// Label helm-controller puts on every object of a release: the HelmRelease's name.
pub const NAME_LABEL: &str = "helm.toolkit.fluxcd.io/name";
/// Label helm-controller puts on every object of a release: the HelmRelease's namespace.
pub const NAMESPACE_LABEL: &str = "helm.toolkit.fluxcd.io/namespace";
/// Label or annotation that, set to [`crate::meta::DISABLED_VALUE`] on an object of a release,
/// excludes that object from drift detection.
pub const DRIFT_DETECTION_KEY: &str = "helm.toolkit.fluxcd.io/driftDetection";
/// Event metadata key of the chart's OCI artifact digest.
pub const OCI_DIGEST_EVENT_KEY: &str = "helm.toolkit.fluxcd.io/oci-digest";
/// Event metadata key of the chart's app version.
pub const APP_VERSION_EVENT_KEY: &str = "helm.toolkit.fluxcd.io/app-version";

/// The CRDs of the helm group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    vec![HelmRelease::crd()]
}

/// Serde helper: skip integer fields left at Go's zero value.
pub(crate) fn is_zero(value: &i64) -> bool {
    *value == 0
}
