//! source.toolkit.fluxcd.io/v1: GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket,
//! ExternalArtifact, and the condition types and reasons of source-controller.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

pub mod bucket;
pub mod conditions;
pub mod external_artifact;
pub mod git_repository;
pub mod helm_chart;
pub mod helm_repository;
pub mod oci_repository;

pub use bucket::*;
pub use external_artifact::*;
pub use git_repository::*;
pub use helm_chart::*;
pub use helm_repository::*;
pub use oci_repository::*;

/// The CRDs of the source group.
pub(crate) fn crds() -> Vec<CustomResourceDefinition> {
    let mut crds = vec![ExternalArtifact::crd()];
    crds.extend(git_repository::crds());
    crds.extend(oci_repository::crds());
    crds.extend(bucket::crds());
    crds.extend(helm_repository::crds());
    crds.extend(helm_chart::crds());
    crds
}
