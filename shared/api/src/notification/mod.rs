//! notification.toolkit.fluxcd.io: Provider and Alert (v1beta3), Receiver (v1), and the
//! condition reasons of notification-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

pub mod alert;
pub mod provider;
pub mod receiver;

pub use alert::*;
pub use provider::*;
pub use receiver::*;

/// The CRDs of the notification group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    let mut crds = provider::crds();
    crds.extend(alert::crds());
    crds.extend(receiver::crds());
    crds
}
