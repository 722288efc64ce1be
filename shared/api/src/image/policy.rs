//! ImagePolicy (image.toolkit.fluxcd.io/v1): how to pick the latest image from a repository.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// The CRDs this module defines (filled in as the kinds are written).
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    Vec::new()
}
