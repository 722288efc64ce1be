//! image.toolkit.fluxcd.io/v1: ImageRepository, ImagePolicy, ImageUpdateAutomation, and the
//! condition reasons of the image controllers.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

pub mod automation;
pub mod policy;
pub mod repository;

pub use automation::*;
pub use policy::*;
pub use repository::*;

/// The CRDs of the image group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    let mut crds = repository::crds();
    crds.extend(policy::crds());
    crds.extend(automation::crds());
    crds
}
