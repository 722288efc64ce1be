//! kustomize-controller integration tests: the controller in-process against
//! fluxion-apiserver, artifacts served over HTTP by fluxion-testkit, one module per behaviour.

mod apply;
mod bad_input;
mod decryption;
mod deletion;
mod depends_on;
mod fetch_retries;
mod force;
mod harness;
mod health;
mod impersonation;
mod source;
mod substitution;
