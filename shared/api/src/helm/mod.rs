//! helm.toolkit.fluxcd.io/v2: HelmRelease, and the condition types and reasons of helm-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// The CRDs this module defines (filled in as the kinds are written).
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    Vec::new()
}
