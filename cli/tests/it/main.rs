//! Integration tests of the `fluxion` binary against fluxion-apiserver, one module per
//! command family.

mod harness;
mod install;
mod local;
mod moved_storage;
mod secrets;
mod sources;
mod up;
