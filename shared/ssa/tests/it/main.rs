//! Integration tests of fluxion-ssa against an in-process fluxion-apiserver; one module per
//! behaviour, each test with its own server and namespace.

mod apply;
mod cleanup;
mod delete;
mod diff;
mod force;
mod support;
mod wait;
