//! source-controller integration tests: the controller in-process against fluxion-apiserver
//! and real git servers from fluxion-testkit, one module per behaviour.

mod auth;
mod binary;
mod branch;
mod checkout_options;
mod commit;
mod deletion;
mod harness;
mod hostile;
mod https;
mod ignore;
mod include;
mod integrity;
mod oci_auth;
mod oci_bad_input;
mod oci_digest;
mod oci_harness;
mod oci_hostile;
mod oci_layers;
mod oci_lifecycle;
mod oci_proxy;
mod oci_restart;
mod oci_semver;
mod oci_tag;
mod oci_tls;
mod proxy;
mod restart;
mod semver;
mod ssh;
mod suspend;
mod tag;
mod unreachable;
mod verify;
