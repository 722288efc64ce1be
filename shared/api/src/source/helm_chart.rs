//! HelmChart (source.toolkit.fluxcd.io/v1): a Helm chart fetched from a repository or source.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// The CRDs this module defines (filled in as the kinds are written).
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    Vec::new()
}
