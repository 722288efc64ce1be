//! fluxion-api: the Rust types of every Flux v2 kind, with Flux's API groups, versions and JSON
//! field names, the shared meta types, condition constants, and the generator of the CRDs
//! committed under manifests/crds/.
//!
//! Each API group is a module: [`source`], [`kustomize`], [`helm`], [`notification`], [`image`].
//! Every reconciled kind implements [`meta::FluxObject`], so fluxion-runtime handles status,
//! suspend and intervals without knowing the kind.

pub mod conditions;
pub mod crd;
pub mod duration;
pub mod helm;
pub mod image;
pub mod kustomize;
pub mod meta;
pub mod notification;
pub mod schema;
pub mod source;
