//! notification.toolkit.fluxcd.io: Provider and Alert (v1beta3), Receiver (v1), and the
//! condition reasons of notification-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

pub mod alert;
pub mod conditions;
pub mod provider;
pub mod receiver;
pub mod reference;

pub use alert::*;
pub use provider::*;
pub use receiver::*;
pub use reference::*;

/// The CRDs of the notification group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    let mut crds = provider::crds();
    crds.extend(alert::crds());
    crds.extend(receiver::crds());
    crds
}

/// Declares `subresources: {}` on every version, as Flux's CRDs of the kinds without status do.
fn with_empty_subresources(mut crd: CustomResourceDefinition) -> CustomResourceDefinition {
    for version in &mut crd.spec.versions {
        version.subresources.get_or_insert_with(Default::default);
    }
    crd
}

/// Declares a string enum whose variants serialize to Flux's exact values (listed in Flux's
/// order, which the CRD's `enum` keeps), with `as_str` and the list of all variants.
macro_rules! flux_string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
            Clone, Copy, Debug, PartialEq, Eq, Hash,
        )]
        pub enum $name {
            $(#[serde(rename = $value)] $variant,)+
        }

        impl $name {
            /// Every value, in Flux's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value as written in manifests.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use flux_string_enum;
