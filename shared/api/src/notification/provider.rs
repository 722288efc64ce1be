//! Provider (notification.toolkit.fluxcd.io/v1beta3): where and how to send notifications.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

/// The CRDs this module defines (filled in as the kinds are written).
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    Vec::new()
}
