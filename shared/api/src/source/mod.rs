//! source.toolkit.fluxcd.io/v1: GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket,
//! ExternalArtifact, and the condition types and reasons of source-controller.

pub mod external_artifact;

pub use external_artifact::*;
