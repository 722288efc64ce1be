//! kustomize-controller integration tests: the controller in-process against
//! fluxion-apiserver, artifacts served over HTTP by fluxion-testkit, one module per behaviour.

mod apply;
#[allow(dead_code)] // Helpers of modules still to come.
mod harness;
mod source;
